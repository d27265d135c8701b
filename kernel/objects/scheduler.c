/* The scheduler object's methods: decoding and checking. */
#include "objects/scheduler.h"

#include <mica/scheduler.h>

#include "memory/cap.h"
#include "sched/clock.h"
#include "objects/factory.h"
#include "objects/invoke.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"

static struct scheduler root;

struct kobj *scheduler_root(void)
{
	if (!root.hdr.type) {
		kobj_init_permanent(&root.hdr, MICA_OBJ_SCHEDULER);
		root.ceiling = SCHED_PRIOS - 1;
	}
	return &root.hdr;
}

static mica_msgtag_t run_thread(struct thread *caller, const struct scheduler *s, const mica_word_t *mr)
{
	struct cap_slot *tc;
	enum mica_error e = cap_get(caller->task, mr[0], MICA_OBJ_THREAD, MICA_THREAD_R_CONTROL, &tc);
	if (e != MICA_OK)
		return invoke_error(caller, e);
	if (mr[1] >= SCHED_PRIOS || mr[2] < MICA_SCHED_MIN_SLICE_NS || mr[2] > MICA_SCHED_MAX_SLICE_NS ||
	    mr[3] >= cpus_online)
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (mr[1] > s->ceiling)
		return invoke_error(caller, MICA_E_NO_RIGHTS);
	struct thread *t = (struct thread *)cap_obj(tc);
	sched_set_params(t, (unsigned)mr[1], mr[2]);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t create(struct thread *caller, const struct scheduler *s, const mica_word_t *mr)
{
	struct cap_slot *fc, *dst;
	enum mica_error e = cap_get(caller->task, mr[0], MICA_OBJ_FACTORY, MICA_FACTORY_R_CREATE, &fc);
	if (e == MICA_OK)
		e = cap_free_slot(caller->task, mr[1], &dst);
	if (e != MICA_OK)
		return invoke_error(caller, e);
	if (mr[2] >= SCHED_PRIOS)
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (mr[2] > s->ceiling)
		return invoke_error(caller, MICA_E_NO_RIGHTS);
	struct scheduler *n = kobj_alloc((struct factory *)cap_obj(fc), MICA_OBJ_SCHEDULER);
	if (!n)
		return invoke_error(caller, MICA_E_NO_MEMORY);
	n->ceiling = (unsigned)mr[2];
	cap_insert(dst, &n->hdr, MICA_RIGHTS_ALL, 0);
	return invoke_ok(caller, 0);
}

mica_msgtag_t scheduler_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	const struct scheduler *s = (const struct scheduler *)cap_obj(cap);
	volatile mica_word_t *out = caller->utcb->mr;
	mica_word_t mr[4];
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_SCHED_RUN_THREAD:
		if ((e = invoke_check(cap, tag, 4, MICA_SCHED_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 4);
		return run_thread(caller, s, mr);
	case MICA_SCHED_INFO:
		if ((e = invoke_check(cap, tag, 0, MICA_SCHED_R_READ)))
			return invoke_error(caller, e);
		out[0] = s->ceiling;
		out[1] = SCHED_PRIOS;
		out[2] = cpus_online;
		out[3] = SCHED_DEFAULT_SLICE_NS;
		out[4] = SCHED_DEFAULT_PRIO;
		return invoke_ok(caller, 5);
	case MICA_SCHED_IDLE_TIME:
		if ((e = invoke_check(cap, tag, 1, MICA_SCHED_R_READ)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 1);
		if (mr[0] >= cpus_online)
			return invoke_error(caller, MICA_E_BAD_ARG);
		out[0] = clock_ns_of_ticks(sched_idle_ticks((unsigned)mr[0]));
		return invoke_ok(caller, 1);
	case MICA_SCHED_CREATE:
		if ((e = invoke_check(cap, tag, 3, MICA_SCHED_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 3);
		return create(caller, s, mr);
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
