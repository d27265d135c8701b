/* What Frama-C's C parser lacks, spelt with what it has, for `make prove`
 * only (tools/prove.sh passes it with -include; the build never sees it).
 * Frama-C defines __FRAMAC__; the kernel's code is unchanged. */
#pragma once

#ifdef __FRAMAC__
/* _Alignas changes no value a contract speaks of; GCC's attribute says
 * the same, and Frama-C reads it. */
#define _Alignas(n) __attribute__((aligned(n)))
#endif
