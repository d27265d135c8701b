/* A task's capability space: a sparse three-level radix table that maps a
 * selector to a slot in at most three dependent loads. Tables are
 * allocated when a slot is first needed and freed with the space.
 *
 * Pure data structure logic (no kernel dependencies beyond the allocator
 * callbacks), so the host unit tests run it. */
#pragma once

#include <mica/caps.h>
#include <stdbool.h>
#include <stdint.h>

#include "memory/dtree.h"

struct kobj;

/* One capability: the object with its rights in the low bits (objects are
 * 16-byte aligned), the label, the links of the object's slot list, and
 * its place in the derivation tree (the capability it was mapped from,
 * and those mapped from it), which object unmap revokes along. */
struct cap_slot {
	uintptr_t obj_rights;
	uint64_t label;
	struct cap_slot *next, *prev;
	struct dtree tree; /* parent: the capability it was derived from */
};

_Static_assert(sizeof(struct cap_slot) == 64, "64 slots per 4 KiB table");

#define CAP_RIGHTS_MASK 0xful

static inline struct cap_slot *cap_of(struct dtree *t)
{
	return t ? dtree_entry(t, struct cap_slot, tree) : 0;
}

static inline struct kobj *cap_obj(const struct cap_slot *s)
{
	return (struct kobj *)(s->obj_rights & ~CAP_RIGHTS_MASK);
}
static inline unsigned cap_rights(const struct cap_slot *s)
{
	return s->obj_rights & CAP_RIGHTS_MASK;
}

#define CAPSPACE_LEAF_BITS 6 /* 64 slots of 64 bytes: one page */
#define CAPSPACE_MID_BITS 9  /* 512 pointers: one page */
#define CAPSPACE_TOP_BITS (MICA_CAP_SELECTOR_BITS - CAPSPACE_MID_BITS - CAPSPACE_LEAF_BITS)

/* Page-sized zeroed tables. */
struct capspace_alloc {
	void *(*alloc)(void *ctx);
	void (*free)(void *ctx, void *table);
	void *ctx;
};

struct capspace {
	void **top; /* 2^CAPSPACE_TOP_BITS mid tables */
	struct capspace_alloc a;
};

bool capspace_init(struct capspace *cs, const struct capspace_alloc *a);

static inline unsigned capspace_top_index(mica_cap_t sel)
{
	return (unsigned)(sel >> (CAPSPACE_MID_BITS + CAPSPACE_LEAF_BITS));
}
static inline unsigned capspace_mid_index(mica_cap_t sel)
{
	return (unsigned)(sel >> CAPSPACE_LEAF_BITS) & ((1u << CAPSPACE_MID_BITS) - 1);
}
static inline unsigned capspace_leaf_index(mica_cap_t sel)
{
	return (unsigned)sel & ((1u << CAPSPACE_LEAF_BITS) - 1);
}

/* The slot for sel, or 0 if sel is out of range or its table does not
 * exist (then it is certainly empty). Inline: every invocation starts
 * here. */
static inline __attribute__((always_inline)) struct cap_slot *capspace_lookup(const struct capspace *cs,
									      mica_cap_t sel)
{
	if (sel >= MICA_CAP_SELECTORS)
		return 0;
	void **mid = cs->top[capspace_top_index(sel)];
	if (!mid)
		return 0;
	struct cap_slot *leaf = mid[capspace_mid_index(sel)];
	return leaf ? &leaf[capspace_leaf_index(sel)] : 0;
}

/* The slot for sel, creating tables as needed; 0 if sel is out of range
 * (or 0) or a table could not be allocated. */
struct cap_slot *capspace_slot(struct capspace *cs, mica_cap_t sel);

/* The first non-empty slot at or after *sel and below end (skipping
 * missing tables whole); *sel is set to its selector. */
struct cap_slot *capspace_next(const struct capspace *cs, mica_cap_t *sel, mica_cap_t end);

/* Calls empty(slot) for every non-empty slot, then frees all tables. */
void capspace_destroy(struct capspace *cs, void (*empty)(struct cap_slot *));
