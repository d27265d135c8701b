/* Capability slots: lookup with type and rights checks, insertion,
 * derivation, move, revocation and deletion. */
#include "memory/cap.h"

#include "klib/config.h"
#include "sched/percpu.h"

#include "objects/kobj.h"
#include "objects/task.h"
#include "sched/remote.h"

static struct spinlock caps_lock;

void cap_lock(void)
{
	/* Serving: a holder may wait for a remote request one day. */
	spin_lock_serving(&caps_lock);
}

void cap_unlock(void)
{
	spin_unlock(&caps_lock);
}

#ifdef MICA_DEBUG
bool cap_unlocked(void)
{
	return !__atomic_load_n(&caps_lock.locked, __ATOMIC_RELAXED);
}
#endif

/* cap_get's answers: copies of the slots, a few per CPU, so that what a
 * caller checked is what it uses while another CPU empties or refills
 * the slot (lookups take no lock). */
#define SNAPS 4
static struct cap_slot snaps[MAX_CPUS][SNAPS];
static unsigned snap_next[MAX_CPUS];

enum mica_error cap_check(const struct cap_slot *s, enum mica_obj_type type, unsigned need)
{
	if (!s->obj_rights)
		return MICA_E_INVALID_CAP;
	if (type != MICA_OBJ_NONE && cap_obj(s)->type != type)
		return MICA_E_WRONG_TYPE;
	if ((cap_rights(s) & need) != need)
		return MICA_E_NO_RIGHTS;
	return MICA_OK;
}

enum mica_error cap_get_slot(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			     struct cap_slot **out)
{
	struct cap_slot *s = cap_lookup(t, sel);
	if (!s)
		return MICA_E_INVALID_CAP;
	enum mica_error e = cap_check(s, type, need);
	if (e == MICA_OK)
		*out = s;
	return e;
}

/* cap_get's step with more than one CPU: s's object, rights and label
 * copied into snap, each read once, and the copy checked, so that what
 * was checked is what the caller uses while another CPU changes s. */
/*@ requires \valid_read(s) && \valid(snap) && \valid(out) && \separated(s, snap, out);
    requires (s->obj_rights != 0 ==> \valid_read(slot_obj(s)) && \separated(slot_obj(s), snap, out));
    assigns snap->obj_rights, snap->label, *out;
    ensures copied: snap->obj_rights == \old(s->obj_rights) && snap->label == \old(s->label);
    ensures empty: \old(s->obj_rights) == 0 ==> \result == MICA_E_INVALID_CAP;
    ensures checked: \result == MICA_OK ==> *out == snap && snap->obj_rights != 0 &&
	(snap->obj_rights & CAP_RIGHTS_MASK & need) == need;
    ensures failed: \result != MICA_OK ==> *out == \old(*out);
*/
static enum mica_error cap_copy_checked(const struct cap_slot *s, struct cap_slot *snap,
					enum mica_obj_type type, unsigned need, struct cap_slot **out)
{
	cap_snapshot(s, snap);
	enum mica_error e = cap_check(snap, type, need);
	if (e == MICA_OK)
		*out = snap;
	return e;
}

enum mica_error cap_get(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			struct cap_slot **out)
{
	/* With one CPU online nothing changes the slot meanwhile. */
	if (cpus_online <= 1)
		return cap_get_slot(t, sel, type, need, out);
	struct cap_slot *s = cap_lookup(t, sel);
	if (!s)
		return MICA_E_INVALID_CAP;
	unsigned cpu = this_cpu()->id;
	return cap_copy_checked(s, &snaps[cpu][snap_next[cpu]++ % SNAPS], type, need, out);
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
	/* What the store to *out keeps (out is apart from the space's record
	 * and its top table), stated for the provers: */
	//@ ghost struct capspace_mid *mid = t->caps.top->mid[sel / (CAPSPACE_MID_N * CAPSPACE_LEAF_N)];
	*out = s;
	//@ assert mid_kept: t->caps.top == \at(t->caps.top, Pre) && t->caps.top->mid[cs_top(sel)] == mid;
	return MICA_OK;
}

void cap_insert(struct cap_slot *s, struct kobj *o, unsigned rights, uint64_t label)
{
	s->label = label;
	s->prev = 0;
	s->next = o->caps;
	if (o->caps)
		o->caps->prev = s;
	o->caps = s;
	__atomic_fetch_add(&o->ncaps, 1, __ATOMIC_SEQ_CST);
	s->tree = (struct dtree){ 0 };
	/* Last: a lockless lookup that finds the object finds its label. */
	__atomic_store_n(&s->obj_rights, (uintptr_t)o | (rights & CAP_RIGHTS_MASK), __ATOMIC_RELEASE);
}

void cap_derive(struct cap_slot *dst, struct cap_slot *parent, unsigned rights, uint64_t label)
{
	cap_insert(dst, cap_obj(parent), rights & cap_rights(parent), label);
	dtree_link(&parent->tree, &dst->tree);
}

void cap_move(struct cap_slot *dst, struct cap_slot *src, unsigned rights)
{
	unsigned lost = cap_rights(src) & ~rights;
	cap_insert(dst, cap_obj(src), rights, src->label);
	dtree_replace(&src->tree, &dst->tree);
	cap_delete(src);
	/* A grant with fewer rights takes them from what derives from it
	 * too: no capability has more rights than the one it came from. */
	if (lost)
		cap_revoke_below(dst, lost);
}

static unsigned delete_leaf(struct dtree *t)
{
	cap_delete(cap_of(t));
	return 0;
}

static void set_rights(struct cap_slot *s, unsigned rights)
{
	__atomic_store_n(&s->obj_rights, (uintptr_t)cap_obj(s) | rights, __ATOMIC_RELEASE);
}

void cap_revoke_below(struct cap_slot *s, unsigned rights)
{
	struct dtree *c = s->tree.child;
	while (c) {
		struct cap_slot *cs = cap_of(c);
		unsigned left = cap_rights(cs) & ~rights;
		if (left && c->child) {
			set_rights(cs, left);
			c = c->child;
			continue;
		}
		struct dtree *next = dtree_skip(c, &s->tree);
		if (left)
			set_rights(cs, left);
		else
			dtree_remove_subtree(c, delete_leaf);
		c = next;
	}
}

void cap_revoke(struct cap_slot *s, unsigned rights)
{
	cap_revoke_below(s, rights);
	unsigned left = cap_rights(s) & ~rights;
	if (left)
		set_rights(s, left);
	else
		cap_delete(s);
}

/* s's capability leaves its slot, its object's slot list and its
 * derivation tree (what derived from it stays, derived from s's parent
 * now); returns the object, one capability fewer. cap_delete is this and
 * kobj_check_unused, which may queue the object for destruction.
 * PARTIAL (issue 26): the contract below is not yet proved (34 of 46
 * goals in one try: the tree's ensures after the slot list's writes);
 * its tree step, dtree_splice_out, is (docs/assurance.md). */
/*@ requires \valid(s) && \valid(slot_obj(s)) && \separated(s, slot_obj(s));
    requires counted: slot_obj(s)->ncaps > 0;
    // Its slot list: the neighbours valid, apart from s, its object and
    // each other.
    requires listed: (s->prev == \null || (\valid(s->prev) && \separated(s->prev, s) &&
	\separated(s->prev, slot_obj(s)))) && (s->next == \null || (\valid(s->next) &&
	\separated(s->next, s) && \separated(s->next, slot_obj(s)))) &&
	(s->prev == \null || s->next == \null || \separated(s->prev, s->next));
    // Its tree: dtree_splice_out's preconditions ...
    requires linked: (s->tree.parent == \null || \valid(s->tree.parent)) &&
	(s->tree.prev == \null || \valid(s->tree.prev)) && (s->tree.next == \null || \valid(s->tree.next));
    requires apart: (s->tree.parent == \null || \separated(s->tree.parent, s)) &&
	(s->tree.prev == \null || \separated(s->tree.prev, s)) &&
	(s->tree.next == \null || \separated(s->tree.next, s));
    requires apart_links: (s->tree.parent == \null || s->tree.prev == \null ||
	\separated(s->tree.parent, s->tree.prev)) && (s->tree.parent == \null || s->tree.next == \null ||
	\separated(s->tree.parent, s->tree.next)) && (s->tree.prev == \null || s->tree.next == \null ||
	\separated(s->tree.prev, s->tree.next));
    requires children: dtree_list_ok(s->tree.child);
    requires children_apart: \forall struct dtree *c; dtree_sib(s->tree.child, c) && c != \null ==>
	\separated(c, s) && (s->tree.parent == \null || \separated(c, s->tree.parent)) &&
	(s->tree.prev == \null || \separated(c, s->tree.prev)) &&
	(s->tree.next == \null || \separated(c, s->tree.next));
    // ... and the tree's nodes apart from the slot list's links and the
    // object (a node may lie in a neighbour's slot: its tree member).
    requires trees_apart: \forall struct dtree *x;
	(x == s->tree.parent || x == s->tree.prev || x == s->tree.next || dtree_sib(s->tree.child, x)) &&
	x != \null ==> \separated(x, slot_obj(s)) && (s->prev == \null || \separated(x, &s->prev->next)) &&
	(s->next == \null || \separated(x, &s->next->prev));
    assigns s->obj_rights, s->label, s->next, s->prev, s->tree, s->prev->next, s->next->prev,
	slot_obj(s)->caps, slot_obj(s)->ncaps, s->tree.parent->child, s->tree.prev->next, s->tree.next->prev,
	s->tree.child->prev,
	{ c->parent | struct dtree *c; \at(dtree_sib(s->tree.child, c), Pre) && c != \null },
	{ c->next | struct dtree *c; \at(dtree_sib(s->tree.child, c), Pre) && c != \null };
    ensures emptied: s->obj_rights == 0 && s->label == 0 && s->next == \null && s->prev == \null;
    ensures unlinked: s->tree.parent == \null && s->tree.child == \null && s->tree.next == \null &&
	s->tree.prev == \null;
    ensures unlisted: (\old(s->prev) != \null ==> \old(s->prev)->next == \old(s->next)) &&
	(\old(s->prev) == \null ==> \old(slot_obj(s))->caps == \old(s->next)) &&
	(\old(s->next) != \null ==> \old(s->next)->prev == \old(s->prev));
    ensures counted: \result == \old(slot_obj(s)) && \result->ncaps == \old(slot_obj(s)->ncaps) - 1;
    // What derived from s: dtree_splice_out's ensures.
    ensures children_parent: \forall struct dtree *c; \old(dtree_sib(s->tree.child, c)) && c != \null ==>
	c->parent == \old(s->tree.parent);
    ensures children_next: \forall struct dtree *c; \old(dtree_sib(s->tree.child, c)) && c != \null ==>
	c->next == \at(c->next, Pre) || (\at(c->next, Pre) == \null && c->next == \old(s->tree.next));
    ensures children_prev: \forall struct dtree *c; \old(dtree_sib(s->tree.child, c)) && c != \null ==>
	c->prev == (c == \old(s->tree.child) ? \old(s->tree.prev) : \at(c->prev, Pre));
    ensures in_place: \let first = (\old(s->tree.child) != \null ? \old(s->tree.child) : \old(s->tree.next));
	(\old(s->tree.prev) != \null ==> \old(s->tree.prev)->next == first) &&
	(\old(s->tree.prev) == \null && \old(s->tree.parent) != \null ==>
	    \old(s->tree.parent)->child == first);
    ensures back_link: \old(s->tree.next) != \null && \old(s->tree.child) == \null ==>
	\old(s->tree.next)->prev == \old(s->tree.prev);
    ensures back_link_last: \old(s->tree.next) != \null && \old(s->tree.child) != \null ==>
	\exists struct dtree *l; \old(dtree_sib(s->tree.child, l)) && l != \null &&
	    \at(l->next, Pre) == \null && \old(s->tree.next)->prev == l;
*/
static struct kobj *cap_clear(struct cap_slot *s)
{
	dtree_splice_out(&s->tree);
	struct kobj *o = cap_obj(s);
	if (s->prev)
		s->prev->next = s->next;
	else
		o->caps = s->next;
	if (s->next)
		s->next->prev = s->prev;
	__atomic_store_n(&s->obj_rights, 0, __ATOMIC_RELEASE);
	s->label = 0;
	s->next = s->prev = 0;
	/* With a full barrier before kobj_check_unused reads the pins. */
	__atomic_fetch_sub(&o->ncaps, 1, __ATOMIC_SEQ_CST);
	return o;
}

void cap_delete(struct cap_slot *s)
{
	kobj_check_unused(cap_clear(s));
}
