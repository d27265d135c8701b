/* Which thread runs next on this CPU: a FIFO of ready threads per CPU
 * (priorities and time slices come with the scheduling issue). A thread
 * runs when it is READY and not halted; the queue is cleaned lazily, so a
 * thread on it that stopped being runnable is skipped when reached. */
#pragma once

#include "thread.h"

/* t became READY (or was resumed): queue it unless it is current. */
void sched_ready(struct thread *t);

/* t is READY and should run instead of the current thread, which goes to
 * the back of the queue if it can still run (a direct IPC hand-off). */
void sched_switch_to(struct thread *t);

/* The current thread gives up the CPU; `next`, if ready, runs first. */
void sched_yield(struct thread *next);

/* Takes t off its CPU for good (it is dying). */
void sched_remove(struct thread *t);

static inline bool sched_runnable(const struct thread *t)
{
	return t->state == THREAD_READY && !t->halted;
}
