/* Time as the kernel keeps it: time-stamp counter ticks, the unit of the
 * CPU's timer. The ABI speaks nanoseconds since boot (the KIP clock);
 * these convert at the boundary. */
#pragma once

#include <mica/kip.h>
#include <stdint.h>

#include "arch/cpu.h"

void clock_init(const struct mica_kip_clock *c);

/* Now, in ticks. */
static inline uint64_t clock_now(void)
{
	return arch_timestamp();
}

/* Ticks in ns nanoseconds (saturating). */
uint64_t clock_ticks_of_ns(uint64_t ns);

/* Nanoseconds in ticks. */
uint64_t clock_ns_of_ticks(uint64_t ticks);

/* The tick count at which the KIP clock reads ns (saturating). */
uint64_t clock_at_ns(uint64_t ns);
