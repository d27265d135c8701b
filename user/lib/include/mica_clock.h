/* The system clock, read from the KIP without a system call, and IPC
 * timeouts built from nanoseconds (abi.md §5.4 and §7). */
#pragma once

#include <mica/kip.h>
#include <mica/syscall.h>
#include <stdint.h>

static inline uint64_t mica_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Nanoseconds since boot. */
static inline uint64_t mica_clock_ns(const struct mica_kip *kip)
{
	const struct mica_kip_clock *c = &kip->clock;
	return (uint64_t)(((unsigned __int128)(mica_rdtsc() - c->tsc_boot) * c->ns_mult) >> c->ns_shift);
}

/* A relative timeout of at least ns nanoseconds (rounded up to what the
 * encoding can say: m * 2^e with m < 2^24). */
static inline uint32_t mica_timeout_ns(uint64_t ns)
{
	uint32_t e = 0;
	while (ns >> e >= (1u << 24))
		e++;
	uint64_t m = (ns + (1ul << e) - 1) >> e;
	if (m >= (1u << 24)) {
		m >>= 1;
		e++;
	}
	return MICA_TIMEOUT_REL(m, e);
}
