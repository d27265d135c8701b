/* The scheduler object (mica/scheduler.h): the right to set threads'
 * priorities up to a ceiling, their slices and CPUs. The mechanism is in
 * sched/sched.c. */
#pragma once

#include <mica/msgtag.h>
#include <stdint.h>

#include "objects/invoke.h"
#include "objects/kobj.h"

struct thread;
struct factory;

struct scheduler {
	struct kobj hdr;
	unsigned ceiling;
	/* The CPUs it may place threads on (bit c: CPU c), never more than
	 * the scheduler it was made from: a starter confines a program's
	 * threads to a CPU set. Set at creation, never changed. */
	uint64_t cpus;
};

/* The boot scheduler, with the highest ceiling. */
struct kobj *scheduler_root(void);

/* The operations. t runs at prio (a valid one) with slices of slice_ns
 * (in range), starting a fresh slice, on CPU cpu (an online one: it
 * moves there if it was elsewhere, sched_migrate). */
void scheduler_run_thread(struct thread *t, unsigned prio, uint64_t slice_ns, unsigned cpu);
/* A new scheduler charged to f, or 0. */
struct scheduler *scheduler_create(struct factory *f, unsigned ceiling, uint64_t cpus);

/* The scheduler's methods, by label (scheduler_invoke.c). */
extern const struct invoke_method scheduler_methods[INVOKE_LABELS];
