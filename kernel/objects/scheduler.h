/* The scheduler object (mica/scheduler.h): the right to set threads'
 * priorities up to a ceiling, their slices and CPUs. The mechanism is in
 * sched.c. */
#pragma once

#include <mica/msgtag.h>

#include "objects/kobj.h"

struct thread;
struct cap_slot;

struct scheduler {
	struct kobj hdr;
	unsigned ceiling;
};

/* The boot scheduler, with the highest ceiling. */
struct kobj *scheduler_root(void);

mica_msgtag_t scheduler_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);
