#include "cap.h"

#include "kobj.h"
#include "task.h"

enum mica_error cap_get(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			struct cap_slot **out)
{
	struct cap_slot *s = cap_lookup(t, sel);
	if (!s)
		return MICA_E_INVALID_CAP;
	if (type != MICA_OBJ_NONE && cap_obj(s)->type != type)
		return MICA_E_WRONG_TYPE;
	if ((cap_rights(s) & need) != need)
		return MICA_E_NO_RIGHTS;
	*out = s;
	return MICA_OK;
}

enum mica_error cap_free_slot(struct task *t, mica_cap_t sel, struct cap_slot **out)
{
	if (sel == MICA_CAP_INVALID || sel >= MICA_CAP_SELECTORS)
		return MICA_E_BAD_ARG;
	struct cap_slot *s = capspace_slot(&t->caps, sel);
	if (!s)
		return MICA_E_NO_MEMORY;
	if (s->obj_rights)
		return MICA_E_EXISTS;
	*out = s;
	return MICA_OK;
}

void cap_insert(struct cap_slot *s, struct kobj *o, unsigned rights, uint64_t label)
{
	s->obj_rights = (uintptr_t)o | (rights & CAP_RIGHTS_MASK);
	s->label = label;
	s->prev = 0;
	s->next = o->caps;
	if (o->caps)
		o->caps->prev = s;
	o->caps = s;
	o->ncaps++;
}

void cap_delete(struct cap_slot *s)
{
	struct kobj *o = cap_obj(s);
	if (s->prev)
		s->prev->next = s->next;
	else
		o->caps = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->obj_rights = 0;
	s->label = 0;
	s->next = s->prev = 0;
	o->ncaps--;
	kobj_check_unused(o);
}
