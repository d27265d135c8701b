/* What Frama-C's C parser lacks, spelt with what it has, for `make prove`
 * only (tools/prove.sh passes it with -include; the build never sees it).
 * Frama-C defines __FRAMAC__; the kernel's code is unchanged. */
#pragma once

#ifdef __FRAMAC__
/* _Alignas changes no value a contract speaks of; GCC's attribute says
 * the same, and Frama-C reads it. */
#define _Alignas(n) __attribute__((aligned(n)))
#endif

#ifdef __FRAMAC__
/* GCC's atomic builtins, which Frama-C does not know, as the plain
 * accesses they are for one CPU: the proofs are of sequential code (the
 * capability lock serializes every writer; docs/assurance.md says what
 * this assumes). The memory order changes no value. */
#define __atomic_load_n(p, order) (*(p))
#define __atomic_store_n(p, v, order) ((void)(*(p) = (v)))
#define __atomic_fetch_add(p, v, order) ((*(p) += (v)) - (v))
#define __atomic_fetch_sub(p, v, order) ((*(p) -= (v)) + (v))
#define __atomic_exchange_n(p, v, order)                                                                     \
	({                                                                                                   \
		__typeof__(*(p)) framac_old_ = *(p);                                                         \
		*(p) = (v);                                                                                  \
		framac_old_;                                                                                 \
	})
#define __builtin_ia32_pause() ((void)0)
#endif

#ifdef __FRAMAC__
/* GCC's branch hint is its first argument's value (Frama-C's x86_64
 * machdep does not know it, and would make its value arbitrary). */
#define __builtin_expect(x, expected) (x)
#endif

#ifdef __FRAMAC__
/* panic (klib/panic.h) does not return: its attribute says so to GCC,
 * this to WP (assumed, as every function outside the proofs). */
/*@ assigns \nothing;
    ensures \false;
*/
__attribute__((noreturn)) void panic(const char *fmt, ...);
#endif
