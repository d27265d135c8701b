/* Time and scheduling helpers for the time_, timeout_, sched_ and
 * yield_ cases. */
#pragma once

#include <boot_env.h>
#include <mica_clock.h>

#include "ktest.h"

/* What a sleep or a spin may take beyond what was asked: the system
 * calls around it (the suite runs under -icount: 1 ns per instruction). */
#define KSLEEP_OVERHEAD_NS 20000ul

static inline uint64_t know(void)
{
	return mica_clock_ns(boot_kip);
}

static inline uint64_t kprecision(void)
{
	return boot_kip->timeout_precision_ns;
}

/* The CPUs online, as the KIP lists them. */
static inline unsigned kcpus_online(void)
{
	const struct mica_kip_cpu *c = mica_kip_at(boot_kip, boot_kip->cpu_offset);
	unsigned n = 0;
	for (unsigned i = 0; i < boot_kip->cpu_count; i++)
		n += (c[i].flags & MICA_KIP_CPU_ONLINE) != 0;
	return n;
}

/* Blocks for ns (an open wait nothing can end but its timeout). */
int ksleep(uint64_t ns);

/* Runs for ns of clock time. */
void kspin_ns(uint64_t ns);

/* Sets a thread's priority and slice through the root scheduler. */
int kprio(mica_cap_t thread, unsigned prio, uint64_t slice_ns);
