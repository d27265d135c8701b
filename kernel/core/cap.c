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
	s->parent = s->child = s->sib_next = s->sib_prev = 0;
}

static void tree_link(struct cap_slot *s, struct cap_slot *parent)
{
	s->parent = parent;
	s->sib_prev = 0;
	s->sib_next = parent ? parent->child : 0;
	if (s->sib_next)
		s->sib_next->sib_prev = s;
	if (parent)
		parent->child = s;
}

static void tree_unlink(struct cap_slot *s)
{
	if (s->sib_prev)
		s->sib_prev->sib_next = s->sib_next;
	else if (s->parent)
		s->parent->child = s->sib_next;
	if (s->sib_next)
		s->sib_next->sib_prev = s->sib_prev;
	s->parent = s->sib_next = s->sib_prev = 0;
}

void cap_derive(struct cap_slot *dst, struct cap_slot *parent, unsigned rights, uint64_t label)
{
	cap_insert(dst, cap_obj(parent), rights, label);
	tree_link(dst, parent);
}

void cap_move(struct cap_slot *dst, struct cap_slot *src, unsigned rights)
{
	cap_insert(dst, cap_obj(src), rights, src->label);
	/* dst takes src's place in the tree */
	struct cap_slot *p = src->parent;
	tree_link(dst, p);
	dst->child = src->child;
	for (struct cap_slot *c = dst->child; c; c = c->sib_next)
		c->parent = dst;
	src->child = 0;
	cap_delete(src);
}

static void delete_subtree(struct cap_slot *top)
{
	struct cap_slot *s = top;
	for (;;) {
		while (s->child)
			s = s->child;
		struct cap_slot *up = s->parent;
		bool last = s == top;
		cap_delete(s);
		if (last)
			return;
		s = up;
	}
}

void cap_revoke_below(struct cap_slot *s, unsigned rights)
{
	struct cap_slot *c = s->child;
	while (c) {
		unsigned left = cap_rights(c) & ~rights;
		struct cap_slot *next;
		if (left && c->child) {
			c->obj_rights = (uintptr_t)cap_obj(c) | left;
			c = c->child;
			continue;
		}
		/* Leaving c's subtree: the next sibling, or one up. */
		for (next = c; next != s && !next->sib_next; next = next->parent)
			;
		next = next == s ? 0 : next->sib_next;
		if (left)
			c->obj_rights = (uintptr_t)cap_obj(c) | left;
		else
			delete_subtree(c);
		c = next;
	}
}

void cap_revoke(struct cap_slot *s, unsigned rights)
{
	cap_revoke_below(s, rights);
	unsigned left = cap_rights(s) & ~rights;
	if (left)
		s->obj_rights = (uintptr_t)cap_obj(s) | left;
	else
		cap_delete(s);
}

void cap_delete(struct cap_slot *s)
{
	/* What was derived from s stays, derived from s's parent now. */
	while (s->child) {
		struct cap_slot *c = s->child;
		tree_unlink(c);
		tree_link(c, s->parent);
	}
	tree_unlink(s);
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
