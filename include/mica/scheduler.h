/* The scheduler protocol: CPU time as an object. A scheduler capability
 * carries a ceiling, the highest priority it can give a thread; the root
 * task's has the highest there is. The method is the tag's label. */
#pragma once

#include <mica/types.h>

#define MICA_SCHED_PRIOS 256 /* priorities 0 .. 255; higher runs first */
#define MICA_SCHED_DEFAULT_PRIO 100
#define MICA_SCHED_DEFAULT_SLICE_NS 10000000ul /* 10 ms */

enum {
	/* MR0 = thread selector (its CONTROL right), MR1 = priority, MR2 = time
	 * slice in ns (MICA_SCHED_MIN_SLICE_NS .. MICA_SCHED_MAX_SLICE_NS), MR3
	 * = CPU (one of the scheduler's CPU set). The thread starts a fresh slice; if it is ready, it is
	 * queued behind its new equals. A priority above the ceiling is
	 * MICA_E_NO_RIGHTS. Nothing runs without this: a thread that never
	 * had it cannot be started (MICA_THREAD_START, or EX_REGS RESUME of
	 * a never-started thread, is MICA_E_NOT_SCHEDULED); given before
	 * START, it only records the parameters. Right: WRITE. */
	MICA_SCHED_RUN_THREAD = 1,
	/* -> MR0 = ceiling, MR1 = number of priorities, MR2 = CPUs online, MR3
	 * = default time slice (ns), MR4 = default priority, MR5 = the CPU
	 * set it places threads on (bit c: CPU c, online ones only). Right:
	 * READ. */
	MICA_SCHED_INFO = 2,
	/* MR0 = CPU -> MR0 = ns the CPU has been idle since boot. Right: READ. */
	MICA_SCHED_IDLE_TIME = 3,
	/* MR0 = factory selector, MR1 = ceiling (at most this one's), MR2
	 * (optional) = CPU set (bit c: CPU c; what it shares with this one's
	 * is kept; none of them online: MICA_E_BAD_ARG; not sent: this
	 * one's) -> a new scheduler, charged to the factory, as an object
	 * item into the caller's object window (as MICA_FACTORY_CREATE).
	 * Right: WRITE. */
	MICA_SCHED_CREATE = 4,
};

#define MICA_SCHED_MIN_SLICE_NS 10000ul	      /* 10 us */
#define MICA_SCHED_MAX_SLICE_NS 10000000000ul /* 10 s */

#define MICA_SCHED_R_READ (1ul << 0)
#define MICA_SCHED_R_WRITE (1ul << 1)
