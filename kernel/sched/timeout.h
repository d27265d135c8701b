/* IPC timeouts: each CPU keeps the threads that wait with a deadline in
 * one list, earliest first; the timer interrupt ends the waits that are
 * due with MICA_E_TIMEOUT. */
#pragma once

#include <stdint.h>

#include "sched/percpu.h"
#include "objects/thread.h"

/* t (blocked in IPC) waits until deadline (clock ticks) at the latest. */
void timeout_arm(struct thread *t, uint64_t deadline);

void timeout_remove(struct thread *t);

/* t's wait ended otherwise. Inline: every wake-up (and the IPC fast
 * path) asks, and almost always nothing is armed. */
static inline void timeout_disarm(struct thread *t)
{
	if (t->deadline)
		timeout_remove(t);
}

/* Ends the waits due at `now`. */
void timeout_expire(struct percpu *cpu, uint64_t now);

/* The earliest deadline on cpu, or 0. */
static inline uint64_t timeout_next(const struct percpu *cpu)
{
	return cpu->sched.timeouts ? cpu->sched.timeouts->deadline : 0;
}
