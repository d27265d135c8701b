/* The factory's methods: decoding and checking (see mica/factory.h). */
#include <mica/factory.h>
#include <mica/layout.h>

#include "memory/cap.h"
#include "objects/factory.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "objects/invoke.h"
#include "objects/task.h"
#include "objects/thread.h"

static mica_msgtag_t create_task(struct thread *caller, struct factory *f, struct cap_slot *dst,
				 const mica_word_t *mr)
{
	uint64_t base = mr[2], log2 = mr[3];
	if (log2 < MICA_UTCB_AREA_MIN_LOG2 || log2 > MICA_UTCB_AREA_MAX_LOG2 ||
	    (base & ((1ul << log2) - 1)) || base < MICA_USER_MIN || base >= MICA_USER_END ||
	    (1ul << log2) > MICA_USER_END - base)
		return invoke_error(caller, MICA_E_BAD_ARG);
	struct task *t = task_create(f, base, (unsigned)log2);
	if (!t)
		return invoke_error(caller, MICA_E_NO_MEMORY);
	cap_insert(dst, &t->hdr, MICA_RIGHTS_ALL, 0);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t create_gate(struct thread *caller, struct factory *f, struct cap_slot *dst,
				 const mica_word_t *mr)
{
	struct thread *bind = 0;
	if (mr[2] != MICA_CAP_INVALID) {
		struct cap_slot *tc;
		enum mica_error e = cap_get(caller->task, mr[2], MICA_OBJ_THREAD, MICA_THREAD_R_CONTROL, &tc);
		if (e != MICA_OK)
			return invoke_error(caller, e);
		bind = (struct thread *)cap_obj(tc);
	}
	struct gate *g = gate_create(f, bind);
	if (!g)
		return invoke_error(caller, MICA_E_NO_MEMORY);
	cap_insert(dst, &g->hdr, MICA_RIGHTS_ALL, mr[3]);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t create_factory(struct thread *caller, struct factory *f, struct cap_slot *dst,
				    const mica_word_t *mr)
{
	uint64_t quota = mr[2];
	if (quota & (MICA_PAGE_SIZE - 1))
		return invoke_error(caller, MICA_E_BAD_ARG);
	/* The object's own frame, then the quota it hands on. */
	if (f->limit - f->used < MICA_OBJ_COST || f->limit - f->used - MICA_OBJ_COST < quota)
		return invoke_error(caller, MICA_E_NO_MEMORY);
	struct factory *n = kobj_alloc(f, MICA_OBJ_FACTORY);
	if (!n)
		return invoke_error(caller, MICA_E_NO_MEMORY);
	f->used += quota;
	n->limit = quota;
	cap_insert(dst, &n->hdr, MICA_RIGHTS_ALL, 0);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t create(struct thread *caller, struct factory *f, mica_msgtag_t tag)
{
	mica_word_t mr[4] = { 0 };
	unsigned n = mica_msgtag_u(tag) < 4 ? mica_msgtag_u(tag) : 4;
	invoke_copy_mrs(caller, mr, n);
	static const unsigned words[MICA_OBJ_TYPES] = {
		[MICA_OBJ_TASK] = 4,	[MICA_OBJ_THREAD] = 2, [MICA_OBJ_GATE] = 4,
		[MICA_OBJ_FACTORY] = 3, [MICA_OBJ_IRQ] = 2,
	};
	if (mr[0] >= MICA_OBJ_TYPES || !words[mr[0]])
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (mica_msgtag_u(tag) < words[mr[0]])
		return invoke_error(caller, MICA_E_BAD_TAG);
	struct cap_slot *dst;
	enum mica_error e = cap_free_slot(caller->task, mr[1], &dst);
	if (e != MICA_OK)
		return invoke_error(caller, e);

	switch (mr[0]) {
	case MICA_OBJ_TASK:
		return create_task(caller, f, dst, mr);
	case MICA_OBJ_GATE:
		return create_gate(caller, f, dst, mr);
	case MICA_OBJ_FACTORY:
		return create_factory(caller, f, dst, mr);
	case MICA_OBJ_THREAD: {
		struct thread *t = thread_create(f);
		if (!t)
			return invoke_error(caller, MICA_E_NO_MEMORY);
		cap_insert(dst, &t->hdr, MICA_RIGHTS_ALL, 0);
		return invoke_ok(caller, 0);
	}
	default: { /* MICA_OBJ_IRQ */
		struct irq *q = irq_create(f);
		if (!q)
			return invoke_error(caller, MICA_E_NO_MEMORY);
		cap_insert(dst, &q->hdr, MICA_RIGHTS_ALL, 0);
		return invoke_ok(caller, 0);
	}
	}
}

mica_msgtag_t factory_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	struct factory *f = (struct factory *)cap_obj(cap);
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_FACTORY_CREATE:
		if ((e = invoke_check(cap, tag, 2, MICA_FACTORY_R_CREATE)))
			return invoke_error(caller, e);
		return create(caller, f, tag);
	case MICA_FACTORY_INFO:
		if ((e = invoke_check(cap, tag, 0, MICA_FACTORY_R_READ)))
			return invoke_error(caller, e);
		caller->utcb->mr[0] = f->limit;
		caller->utcb->mr[1] = f->used;
		return invoke_ok(caller, 2);
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
