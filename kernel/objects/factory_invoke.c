/* The factory's methods (mica/factory.h): their table, and decoders that
 * check the message before the operation (factory.c) runs. */
#include <mica/factory.h>
#include <mica/layout.h>

#include "objects/vm.h"
#include "memory/cap.h"
#include "objects/factory.h"
#include "objects/invoke.h"
#include "objects/thread.h"

static struct factory *factory_of(const struct invoke_call *c)
{
	return (struct factory *)cap_obj(c->cap);
}

/* CREATE's words for each type a factory creates (0: none). */
static const uint8_t create_words[MICA_OBJ_TYPES] = {
	[MICA_OBJ_TASK] = 3,	[MICA_OBJ_THREAD] = 1, [MICA_OBJ_GATE] = 3,
	[MICA_OBJ_FACTORY] = 2, [MICA_OBJ_IRQ] = 1,
};

/* The words after MR0 (the type). */
static enum mica_error check_create(struct invoke_call *c, struct factory_create_args *a)
{
	const mica_word_t *mr = c->mr;
	switch (a->type) {
	case MICA_OBJ_TASK: {
		uint64_t base = mr[1], log2 = mr[2];
		if (log2 == MICA_VM_UTCB_LOG2 && !base) {
			if (!vm_supported())
				return MICA_E_NOT_IMPLEMENTED;
			a->utcb_base = 0;
			a->utcb_log2 = 0;
			return MICA_OK;
		}
		if (log2 < MICA_UTCB_AREA_MIN_LOG2 || log2 > MICA_UTCB_AREA_MAX_LOG2 ||
		    (base & ((1ul << log2) - 1)) || base < MICA_USER_MIN || base >= MICA_USER_END ||
		    (1ul << log2) > MICA_USER_END - base)
			return MICA_E_BAD_ARG;
		a->utcb_base = base;
		a->utcb_log2 = (unsigned)log2;
		return MICA_OK;
	}
	case MICA_OBJ_GATE: {
		struct cap_slot *tc;
		if (mr[1] == MICA_CAP_INVALID)
			return MICA_OK; /* unbound */
		enum mica_error e =
			cap_get(c->caller->task, mr[1], MICA_OBJ_THREAD, MICA_THREAD_R_CONTROL, &tc);
		if (e == MICA_OK)
			a->bind = (struct thread *)cap_obj(tc);
		return e;
	}
	case MICA_OBJ_FACTORY:
		a->quota = mr[1];
		return (a->quota & (MICA_PAGE_SIZE - 1)) ? MICA_E_BAD_ARG : MICA_OK;
	default: /* THREAD, IRQ: nothing more */
		return MICA_OK;
	}
}

/* At least one word; the type (MR0) says how many more. The new
 * capability arrives in the caller's object window. */
static mica_msgtag_t create(struct invoke_call *c)
{
	mica_word_t type = c->mr[0];
	if (type >= MICA_OBJ_TYPES || !create_words[type])
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if (mica_msgtag_u(c->tag) < create_words[type])
		return invoke_error(c->caller, MICA_E_BAD_TAG);
	invoke_copy_mrs(c->caller, &c->mr[1], 1, create_words[type] - 1u);
	struct factory_create_args a = { .type = (unsigned)type };
	struct cap_slot *dst;
	mica_cap_t sel;
	enum mica_error e = check_create(c, &a);
	if (e == MICA_OK)
		e = invoke_window_slot(c->caller, &dst, &sel);
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	struct kobj *o = factory_create(factory_of(c), &a);
	if (!o)
		return invoke_error(c->caller, MICA_E_NO_MEMORY);
	/* A gate's label is the capability's (MR2). */
	return invoke_answer_cap(c->caller, dst, sel, o, type == MICA_OBJ_GATE ? c->mr[2] : 0);
}

static mica_msgtag_t info(struct invoke_call *c)
{
	c->caller->utcb->mr[0] = factory_of(c)->limit;
	c->caller->utcb->mr[1] = factory_of(c)->used;
	return invoke_ok(c->caller, 2);
}

const struct invoke_method factory_methods[INVOKE_LABELS] = {
	[MICA_FACTORY_CREATE] = { .decode = create, .words = 1, .rights = MICA_FACTORY_R_CREATE },
	[MICA_FACTORY_INFO] = { .decode = info, .rights = MICA_FACTORY_R_READ },
};
