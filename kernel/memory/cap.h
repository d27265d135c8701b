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

/* The non-empty slot sel names in t, or 0. Inline: every IPC starts here.
 * Without the capability lock it may be emptied meanwhile; anything that
 * changes slots looks up again under the lock. */
static inline __attribute__((always_inline)) struct cap_slot *cap_lookup(const struct task *t, mica_cap_t sel)
{
	struct cap_slot *s = capspace_lookup(&t->caps, sel);
	return s && s->obj_rights ? s : 0;
}

/* A copy of slot s's object, rights and label, read once: lookups take
 * no lock, and another CPU may empty or refill the slot meanwhile. False
 * if it was empty. */
static inline __attribute__((always_inline)) bool cap_snapshot(const struct cap_slot *s,
							       struct cap_slot *snap)
{
	snap->obj_rights = __atomic_load_n(&s->obj_rights, __ATOMIC_RELAXED);
	snap->label = s->label;
	return snap->obj_rights != 0;
}

/* Looks sel up and checks the object's type (MICA_OBJ_NONE: any) and that
 * the capability has all of `need`. The answer is a copy of the slot
 * (cap_snapshot), valid for the calling operation: only for reading. */
enum mica_error cap_get(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			struct cap_slot **out);

/* An empty slot for sel in t (allocating capability tables, charged to
 * t's factory). MICA_E_EXISTS if sel names something already. Callers of
 * this and of everything below hold the capability lock. */
enum mica_error cap_free_slot(struct task *t, mica_cap_t sel, struct cap_slot **out);

/* A new capability that derives from nothing (object creation, boot). */
void cap_insert(struct cap_slot *s, struct kobj *o, unsigned rights, uint64_t label);

/* A capability derived from parent: unmap of parent revokes it. */
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
