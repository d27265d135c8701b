/* Which thread runs next on this CPU: fixed priorities (the highest
 * ready one runs, and preempts a lower one at once), round robin with a
 * time slice per thread within a priority, and an idle loop that halts
 * the CPU. A thread runs when it is READY and not halted; a queue may
 * still hold a thread that was halted meanwhile, which is skipped when
 * reached. */
#pragma once

#include <mica/scheduler.h>

#include "clock.h"
#include "sched_cpu.h"
#include "thread.h"

struct percpu;

#define SCHED_DEFAULT_PRIO MICA_SCHED_DEFAULT_PRIO
#define SCHED_DEFAULT_SLICE_NS 10000000ul /* 10 ms */
_Static_assert(SCHED_PRIOS == MICA_SCHED_PRIOS, "priorities are ABI");

/* A new thread's scheduling parameters: the defaults. */
void sched_init_thread(struct thread *t);

/* Sets t's priority and time slice (ticks; it starts a fresh one). */
void sched_set_params(struct thread *t, unsigned prio, uint64_t slice);

/* t became READY (or was resumed): queue it unless it is current. */
void sched_ready(struct thread *t);

/* t is READY and should run instead of the current thread, which goes to
 * the back of its queue if it can still run (a direct IPC hand-off);
 * priorities still decide: a higher ready thread preempts t. */
void sched_switch_to(struct thread *t);

/* The current thread gives up the rest of its slice; `next`, if ready on
 * this CPU, runs at once with the caller's priority until it blocks,
 * yields or is preempted (a donation, the X.2 ThreadSwitch). */
void sched_yield(struct thread *next);

/* The system-call exits that skip core_resume. */

/* Whether t, the current thread of cpu, simply runs on: it can, no ready
 * thread outranks it, and the timer is set early enough for every
 * timeout (its slice end it was set for when t started). */
bool sched_keeps_running(struct percpu *cpu, const struct thread *t);

/* Whether a ready thread has a priority above prio (halted threads
 * still queued count too: callers then take the general path). */
static inline __attribute__((always_inline)) bool sched_outranked(const struct sched_cpu *s, unsigned prio)
{
	if (!s->queued)
		return false;
	unsigned w = prio / 64, b = prio % 64;
	for (unsigned i = SCHED_PRIOS / 64 - 1; i > w; i--)
		if (s->ready_map[i])
			return true;
	return b != 63 && (s->ready_map[w] >> (b + 1)) != 0;
}

/* Whether the IPC partner `to` may run at once in place of the current
 * thread, as core_resume would decide: nothing outranks it and no yield
 * donation is in force. (The timer already covers every timeout: each
 * way out to user level makes sure of that, and the fast path arms no
 * timeout.) */
static inline __attribute__((always_inline)) bool sched_direct_switch_ok(const struct sched_cpu *s,
									 const struct thread *to)
{
	return !s->boosted && s->charged && !sched_outranked(s, to->prio);
}

/* The direct switch to `to` happens: the CPU time so far is the current
 * thread's (s->ran: whenever a thread runs or is in a system call, it is
 * ran), from now on `to`'s, which runs on the slice of the thread
 * charged. */
static inline void sched_lend_slice(struct sched_cpu *s, struct thread *to)
{
	uint64_t now = clock_now();
	s->ran->cpu_ticks += now - s->ran_since;
	s->ran_since = now;
	s->ran = to;
}

/* Takes t off its CPU for good (it is dying). */
void sched_remove(struct thread *t);

/* t's CPU time in ticks, including the running turn. */
uint64_t sched_cpu_ticks(const struct thread *t);

/* The idle time of a CPU in ticks. */
uint64_t sched_idle_ticks(unsigned cpu);

static inline bool sched_runnable(const struct thread *t)
{
	return t->state == THREAD_READY && !t->halted;
}
