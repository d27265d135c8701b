/* Capabilities in a task's space: looking them up with type and rights
 * checks, inserting and deleting them. */
#pragma once

#include <mica/error.h>

#include "memory/capspace.h"
#include "objects/task.h"

/* The capability lock: one for every capability space, since a
 * derivation tree and an object's slot list span tasks, and one map of
 * an item may revoke one object's tree and extend another's. It guards
 * every slot's contents, the slot lists, the derivation trees and the
 * creation of capability tables (docs/architecture.md, "Locking order").
 * Lookups take no lock: a slot word is read whole, and what it names
 * lives until a grace period after its last capability went (kobj.h). */
void cap_lock(void);
void cap_unlock(void);
#ifdef MICA_DEBUG
bool cap_unlocked(void); /* for the invariant checker */
#endif

/*@ // A slot's rights and object, as cap_rights and cap_obj read them.
    logic integer slot_rights(struct cap_slot *s) = s->obj_rights & CAP_RIGHTS_MASK;
    logic struct kobj *slot_obj(struct cap_slot *s) =
	(struct kobj *)(s->obj_rights & CAP_OBJ_MASK);

    // t's capability space can be followed, and every non-empty slot in it
    // names an object that can be read.
    predicate caps_ok(struct task *t) =
	\valid_read(t) && capspace_ok(&t->caps) &&
	(\forall integer sel; 0 <= sel < MICA_CAP_SELECTORS && capspace_at(&t->caps, sel) != \null &&
	    capspace_at(&t->caps, sel)->obj_rights != 0 ==> \valid_read(slot_obj(capspace_at(&t->caps,
   sel))));

    // What a lookup of sel in t finds: nothing if sel is out of range, its
    // table is missing or its slot is empty.
    predicate cap_names(struct task *t, integer sel) =
	0 <= sel < MICA_CAP_SELECTORS && capspace_at(&t->caps, sel) != \null &&
	capspace_at(&t->caps, sel)->obj_rights != 0;
*/

/* The non-empty slot sel names in t, or 0. Inline: every IPC starts here.
 * Without the capability lock it may be emptied meanwhile; anything that
 * changes slots looks up again under the lock. */
/*@ requires caps_ok(t);
    assigns \nothing;
    ensures invalid: !cap_names(t, sel) ==> \result == \null;
    ensures found: cap_names(t, sel) ==> \result == capspace_at(&t->caps, sel);
*/
static inline __attribute__((always_inline)) struct cap_slot *cap_lookup(const struct task *t, mica_cap_t sel)
{
	struct cap_slot *s = capspace_lookup(&t->caps, sel);
	return s && s->obj_rights ? s : 0;
}

/* A copy of slot s's object, rights and label, read once: lookups take
 * no lock, and another CPU may empty or refill the slot meanwhile. False
 * if it was empty. */
/*@ requires \valid_read(s) && \valid(snap) && \separated(s, snap);
    assigns snap->obj_rights, snap->label;
    ensures copied: snap->obj_rights == \old(s->obj_rights) && snap->label == \old(s->label);
    ensures full: \result <==> snap->obj_rights != 0;
*/
static inline __attribute__((always_inline)) bool cap_snapshot(const struct cap_slot *s,
							       struct cap_slot *snap)
{
	snap->obj_rights = __atomic_load_n(&s->obj_rights, __ATOMIC_RELAXED);
	snap->label = s->label;
	return snap->obj_rights != 0;
}

/* Checks that slot s holds a capability to an object of `type`
 * (MICA_OBJ_NONE: any) with all of `need`. */
/*@ requires \valid_read(s) && (s->obj_rights != 0 ==> \valid_read(slot_obj(s)));
    assigns \nothing;
    ensures empty: s->obj_rights == 0 ==> \result == MICA_E_INVALID_CAP;
    ensures has_rights: \result == MICA_OK ==> s->obj_rights != 0 &&
	(s->obj_rights & CAP_RIGHTS_MASK & need) == need;
*/
enum mica_error cap_check(const struct cap_slot *s, enum mica_obj_type type, unsigned need);

/* cap_get on one CPU: sel's slot itself, checked (cap_check). */
/*@ requires caps_ok(t) && \valid(out);
    assigns *out;
    ensures invalid: !\old(cap_names(t, sel)) ==> \result == MICA_E_INVALID_CAP;
    ensures found: \result == MICA_OK ==> \old(cap_names(t, sel)) && *out == \old(capspace_at(&t->caps, sel));
    ensures has_rights: \result == MICA_OK ==> ((*out)->obj_rights & CAP_RIGHTS_MASK & need) == need;
*/
enum mica_error cap_get_slot(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			     struct cap_slot **out);

/* Looks sel up and checks the object's type (MICA_OBJ_NONE: any) and that
 * the capability has all of `need`: cap_get_slot with one CPU online.
 * With more than one the answer is a copy of the slot (cap_snapshot),
 * checked by cap_check, valid for the calling operation and only for
 * reading: what was checked is what is used while another CPU empties
 * or refills the slot (cap_copy_checked in cap.c, proved; the lookup
 * before it is cap_lookup's, and the choice of the per-CPU copy is not
 * proved, docs/assurance.md). */
enum mica_error cap_get(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			struct cap_slot **out);

/* An empty slot for sel in t (allocating capability tables, charged to
 * t's factory). MICA_E_EXISTS if sel names something already. Callers of
 * this and of everything below hold the capability lock. */
/*@ requires caps_ok(t) && \valid(out) && \separated(out, &t->caps) && \separated(out, t->caps.top);
    ensures bad_arg: \result == MICA_E_BAD_ARG <==> (sel == MICA_CAP_INVALID || sel >= MICA_CAP_SELECTORS);
    ensures exists: \result == MICA_E_EXISTS ==> cap_names(t, sel);
    ensures free: \result == MICA_OK ==> \valid(*out) && (*out)->obj_rights == 0;
    // The frame: *out, and what capspace_slot writes (sel's top entry and
    // sel's entry in the middle table that entry names after the call).
    assigns *out, t->caps.top->mid[cs_top(sel)], \at(t->caps.top->mid[cs_top(sel)], Post)->leaf[cs_mid(sel)];
    // Success: *out is sel's slot if out is no entry of the middle table
    // that holds it (a caller's local is none; a table this call creates
    // cannot be named before the call).
    ensures its_slot: \result == MICA_OK && \separated(out, t->caps.top->mid[cs_top(sel)]) ==>
	*out == capspace_at(&t->caps, sel);
    ensures failed_kept: \result != MICA_OK ==> capspace_ok(&t->caps) &&
	\forall integer o; 0 <= o < MICA_CAP_SELECTORS && \at(capspace_at(&t->caps, o), Pre) != \null ==>
	    capspace_at(&t->caps, o) == \at(capspace_at(&t->caps, o), Pre);
*/
enum mica_error cap_free_slot(struct task *t, mica_cap_t sel, struct cap_slot **out);

/* For the contracts: a's four low bits, where the rights go, are clear
 * (objects are 16-byte aligned), spelt bit by bit: WP's simplifier
 * decides each bit of a constant mask, not the mask as a whole. */
#define CAP_ALIGNED(a) (((a)&1) == 0 && ((a)&2) == 0 && ((a)&4) == 0 && ((a)&8) == 0)

/*@ // A fact of the rights bits, proved by WP's bit tactics (tools/prove.sh
    // --bits --lemmas): a value cut to the rights mask is never negative
    // (so that cap_insert's its_rights can be compared bit by bit).
    lemma rights_nonneg: \forall integer a; 0 <= (CAP_RIGHTS_MASK & a);

    // A fact of the rights bits that neither the solvers nor WP's bit
    // tactics close (the bitwise split leaves the bits above 62 of a
    // value of unbounded sign): assumed, and checked for every rights value
    // and many words by tests/unit/test_capspace.c.
    axiomatic CapBits {
	// Rights cut to a word's rights have no bit the word's rights lack.
	// (Written mask first, as WP orders the terms of the code.)
	axiom cut_within: \forall integer r, w;
	    ((CAP_RIGHTS_MASK & (r & w)) | (CAP_RIGHTS_MASK & w)) == (CAP_RIGHTS_MASK & w);
    }

    // A slot that may take a capability to o: both valid and apart, and
    // o's list of slots well-formed at its head.
    predicate insertable(struct cap_slot *s, struct kobj *o) =
	\valid(s) && \valid(o) && \separated(s, o) &&
	(o->caps == \null || (\valid(o->caps) && \separated(o->caps, s) && \separated(o->caps, o)));
*/

/* A new capability that derives from nothing (object creation, boot). */
/*@ requires insertable(s, o);
    requires aligned: CAP_ALIGNED((uintptr_t)o);
    assigns s->obj_rights, s->label, s->next, s->prev, s->tree, o->caps, o->ncaps, o->caps->prev;
    ensures names_o: s->obj_rights == ((uintptr_t)o | (rights & CAP_RIGHTS_MASK));
    // The rights put beside the aligned address are read back (proved bit
    // by bit, with WP's wp:bitwised strategy).
    ensures its_rights: (s->obj_rights & CAP_RIGHTS_MASK) == (rights & CAP_RIGHTS_MASK);
    ensures listed: o->caps == s && s->prev == \null && s->next == \old(o->caps) &&
	(s->next != \null ==> s->next->prev == s);
    ensures a_root: s->tree.parent == \null && s->tree.child == \null && s->label == label;
*/
void cap_insert(struct cap_slot *s, struct kobj *o, unsigned rights, uint64_t label);

/* A capability derived from parent: unmap of parent revokes it. It has
 * the rights asked for that parent has, never more. */
/*@ requires apart: \valid(parent) && \separated(dst, parent) && insertable(dst, slot_obj(parent)) &&
	\separated(parent, slot_obj(parent)) && \separated(parent, slot_obj(parent)->caps);
    requires first_child: parent->tree.child == \null || (\valid(parent->tree.child) &&
	\separated(parent->tree.child, dst) && \separated(parent->tree.child, slot_obj(parent)) &&
	\separated(parent->tree.child, slot_obj(parent)->caps));
    assigns dst->obj_rights, dst->label, dst->next, dst->prev, dst->tree, slot_obj(parent)->caps,
	slot_obj(parent)->ncaps, slot_obj(parent)->caps->prev, parent->tree.child, parent->tree.child->prev;
    ensures rights_cut: (dst->obj_rights & CAP_RIGHTS_MASK) == (rights & \old(parent->obj_rights) &
   CAP_RIGHTS_MASK); ensures subset: ((dst->obj_rights & CAP_RIGHTS_MASK) | (\old(parent->obj_rights) &
   CAP_RIGHTS_MASK)) ==
	(\old(parent->obj_rights) & CAP_RIGHTS_MASK);
    ensures derived: dst->tree.parent == &parent->tree && parent->tree.child == &dst->tree &&
	dst->tree.child == \null && dst->tree.next == \old(parent->tree.child);
    ensures parent_kept: parent->obj_rights == \old(parent->obj_rights);
*/
void cap_derive(struct cap_slot *dst, struct cap_slot *parent, unsigned rights, uint64_t label);

/* Grant: dst takes src's place (its derivations too, losing the rights
 * the grant drops); src is emptied. */
void cap_move(struct cap_slot *dst, struct cap_slot *src, unsigned rights);

/* Removes rights from every capability derived from s, recursively;
 * those left without rights are deleted with what derives from them.
 * cap_revoke does the same to s itself too. */
void cap_revoke_below(struct cap_slot *s, unsigned rights);
void cap_revoke(struct cap_slot *s, unsigned rights);

/* Empties the slot; what was derived from it moves up to its parent. The
 * object is destroyed if that was its last capability. */
void cap_delete(struct cap_slot *s);
