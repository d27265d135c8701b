/* Capabilities in a task's space: looking them up with type and rights
 * checks, inserting and deleting them. */
#pragma once

#include <mica/error.h>

#include "capspace.h"
#include "task.h"

/* The non-empty slot sel names in t, or 0. Inline: every IPC starts here. */
static inline struct cap_slot *cap_lookup(const struct task *t, mica_cap_t sel)
{
	struct cap_slot *s = capspace_lookup(&t->caps, sel);
	return s && s->obj_rights ? s : 0;
}

/* Looks sel up and checks the object's type (MICA_OBJ_NONE: any) and that
 * the capability has all of `need`. */
enum mica_error cap_get(const struct task *t, mica_cap_t sel, enum mica_obj_type type, unsigned need,
			struct cap_slot **out);

/* An empty slot for sel in t (allocating capability tables, charged to
 * t's factory). MICA_E_EXISTS if sel names something already. */
enum mica_error cap_free_slot(struct task *t, mica_cap_t sel, struct cap_slot **out);

void cap_insert(struct cap_slot *s, struct kobj *o, unsigned rights, uint64_t label);

/* Empties the slot; the object is destroyed if that was its last one. */
void cap_delete(struct cap_slot *s);
