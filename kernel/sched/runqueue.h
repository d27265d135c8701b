/* A CPU's scheduling state: one FIFO of ready threads per priority with
 * a bitmap of the non-empty ones, whose time is being counted, and the
 * threads waiting with a timeout, earliest deadline first. */
#pragma once

#include <stdint.h>

#define SCHED_PRIOS 256

struct thread;

struct sched_cpu {
	struct thread *head[SCHED_PRIOS], *tail[SCHED_PRIOS];
	uint64_t ready_map[SCHED_PRIOS / 64];
	unsigned ready_words; /* bit i: ready_map[i] is not 0 */
	/* The CPU time is `ran`'s (0: idle, since ran_since), the slice time
	 * since `since` `charged`'s. They are the same thread except after
	 * an IPC fast-path switch: that lends the caller's slice to the
	 * partner until the next scheduling decision, which saves
	 * reprogramming the timer on every IPC. While a thread is `ran`,
	 * its cpu_ticks hold its CPU time minus the clock (sched.h,
	 * sched_set_ran): a switch adds the clock to one thread's and
	 * subtracts it from the other's, with no start time to keep. While
	 * the CPU idles with `ran` set (an open idle spell, sched.c
	 * idle_open), ran's time and charged's slice stopped at ran_since,
	 * and the CPU idles since then: the booking waits for the spell's
	 * end. */
	struct thread *ran;
	uint64_t ran_since;
	struct thread *charged;
	uint64_t since;
	uint64_t idle_ticks;
	struct thread *boosted; /* runs at boost_prio: a donation (thread_switch) */
	unsigned boost_prio;
	struct thread *timeouts; /* sorted by deadline */
	uint64_t timer_armed;	 /* the deadline the timer is set to; 0: none */
};
