/* The kernel lock: while more than one CPU runs threads, kernel code that
 * touches threads, gates, IRQs, run queues or timeouts runs with it held.
 * Taken on every entry from user mode and by an idle CPU that wakes; let
 * go on the way out (entry.S, the exits to user mode) and before an idle
 * CPU halts. With one CPU online it is never taken: the single-CPU paths
 * pay one comparison. PARTIAL (issue 20): one lock, not yet a lock per
 * gate and per thread's IPC state (docs/architecture.md, "Locking order"). */
#pragma once

#include <stdbool.h>

#include "sched/percpu.h"

/* 0 while free, else the holder's CPU id + 1 (entry.S stores 0 to it). */
extern volatile unsigned kernel_lock_owner;

/* Set once the boot CPU has started the first thread: from then on the
 * set of online CPUs no longer changes. */
extern bool sched_started;

void kernel_lock_contended(struct percpu *cpu);

/* Takes the lock unless this CPU holds it already. While it waits, it
 * runs the remote requests queued for this CPU (the holder may be
 * waiting for one of them, e.g. a TLB shootdown). */
static inline __attribute__((always_inline)) bool kernel_trylock(const struct percpu *cpu);

static inline __attribute__((always_inline)) void kernel_lock(struct percpu *cpu)
{
	if (cpus_online > 1 && kernel_lock_owner != cpu->id + 1 && !kernel_trylock(cpu))
		kernel_lock_contended(cpu);
}

static inline void kernel_unlock(void)
{
	__atomic_store_n(&kernel_lock_owner, 0, __ATOMIC_RELEASE);
}

/* Takes the lock if it is free, at once (more than one CPU online). */
static inline __attribute__((always_inline)) bool kernel_trylock(const struct percpu *cpu)
{
	unsigned free = 0;
	return __atomic_compare_exchange_n(&kernel_lock_owner, &free, cpu->id + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* Whether this CPU holds it (always true with one CPU). */
static inline bool kernel_lock_held(const struct percpu *cpu)
{
	return cpus_online < 2 || __atomic_load_n(&kernel_lock_owner, __ATOMIC_RELAXED) == cpu->id + 1;
}
