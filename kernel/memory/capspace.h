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
#define CAP_OBJ_MASK 0xfffffffffffffff0ul /* ~CAP_RIGHTS_MASK, spelt for the contracts */

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
#define CAPSPACE_LEAF_N 64ul /* 2^CAPSPACE_LEAF_BITS */
#define CAPSPACE_MID_N 512ul /* 2^CAPSPACE_MID_BITS */
#define CAPSPACE_TOP_N 512ul /* 2^CAPSPACE_TOP_BITS */
_Static_assert(CAPSPACE_LEAF_N == 1ul << CAPSPACE_LEAF_BITS && CAPSPACE_MID_N == 1ul << CAPSPACE_MID_BITS &&
		       CAPSPACE_TOP_N == 1ul << CAPSPACE_TOP_BITS,
	       "the table sizes are the bit widths'");

/* The three levels, typed so that a proof can follow them: a leaf table
 * of slots, a middle table of leaves and the top table of middles, each
 * one page (or less, for the top). */
struct capspace_leaf {
	struct cap_slot slot[CAPSPACE_LEAF_N];
};
struct capspace_mid {
	struct capspace_leaf *leaf[CAPSPACE_MID_N];
};
struct capspace_top {
	struct capspace_mid *mid[CAPSPACE_TOP_N];
};

/* Page-sized zeroed tables. */
struct capspace_alloc {
	void *(*alloc)(void *ctx);
	void (*free)(void *ctx, void *table);
	void *ctx;
};

struct capspace {
	struct capspace_top *top;
	struct capspace_alloc a;
};

/*@ // The selector's index at each level, as the functions below compute it.
    logic integer cs_top(integer sel) = sel / (CAPSPACE_MID_N * CAPSPACE_LEAF_N);
    logic integer cs_mid(integer sel) = (sel / CAPSPACE_LEAF_N) % CAPSPACE_MID_N;
    logic integer cs_leaf(integer sel) = sel % CAPSPACE_LEAF_N;

    // A space whose tables can be followed: its top table and every middle
    // and leaf table it names are valid, and distinct tables do not overlap
    // (each table is its own page).
    predicate capspace_ok(struct capspace *cs) =
	\valid(cs) && \valid(cs->top) && \separated(cs, cs->top) &&
	(\forall integer t; 0 <= t < CAPSPACE_TOP_N && cs->top->mid[t] != \null ==>
	    \valid(cs->top->mid[t]) && \separated(cs->top->mid[t], cs->top) &&
	    \separated(cs->top->mid[t], cs) &&
	    (\forall integer m; 0 <= m < CAPSPACE_MID_N && cs->top->mid[t]->leaf[m] != \null ==>
		\valid(cs->top->mid[t]->leaf[m])));

    // What sel names: its slot, or null where a table is missing.
    logic struct cap_slot *capspace_at(struct capspace *cs, integer sel) =
	cs->top->mid[cs_top(sel)] == \null ? (struct cap_slot *)\null :
	cs->top->mid[cs_top(sel)]->leaf[cs_mid(sel)] == \null ? (struct cap_slot *)\null :
	&cs->top->mid[cs_top(sel)]->leaf[cs_mid(sel)]->slot[cs_leaf(sel)];
*/

/* An empty space (its top table allocated); false if that failed. */
/*@ requires \valid(cs) && \valid_read(a) && \separated(cs, a);
    assigns *cs;
    ensures ok: \result ==> capspace_ok(cs) &&
	\forall integer sel; 0 <= sel < MICA_CAP_SELECTORS ==> capspace_at(cs, sel) == \null;
    ensures failed: !\result ==> cs->top == \null;
*/
bool capspace_init(struct capspace *cs, const struct capspace_alloc *a);

/* Division and remainder by powers of two (the compiler makes shifts and
 * masks of them): the provers reason about these, not about bit masks. */
static inline unsigned capspace_top_index(mica_cap_t sel)
{
	return (unsigned)(sel / (CAPSPACE_MID_N * CAPSPACE_LEAF_N));
}
static inline unsigned capspace_mid_index(mica_cap_t sel)
{
	return (unsigned)(sel / CAPSPACE_LEAF_N % CAPSPACE_MID_N);
}
static inline unsigned capspace_leaf_index(mica_cap_t sel)
{
	return (unsigned)(sel % CAPSPACE_LEAF_N);
}

/* The slot for sel, or 0 if sel is out of range or its table does not
 * exist (then it is certainly empty). Inline: every invocation starts
 * here. */
/*@ requires capspace_ok(cs);
    assigns \nothing;
    ensures out_of_range: sel >= MICA_CAP_SELECTORS ==> \result == \null;
    ensures the_slot: sel < MICA_CAP_SELECTORS ==> \result == capspace_at(cs, sel);
*/
static inline __attribute__((always_inline)) struct cap_slot *capspace_lookup(const struct capspace *cs,
									      mica_cap_t sel)
{
	if (sel >= MICA_CAP_SELECTORS)
		return 0;
	struct capspace_mid *mid = cs->top->mid[capspace_top_index(sel)];
	if (!mid)
		return 0;
	struct capspace_leaf *leaf = mid->leaf[capspace_mid_index(sel)];
	return leaf ? &leaf->slot[capspace_leaf_index(sel)] : 0;
}

/* The slot for sel, creating tables as needed; 0 if sel is out of range
 * (or 0) or a table could not be allocated. */
/*@ requires capspace_ok(cs);
    // At most two table entries change: sel's entry in the top table, and
    // sel's entry in the middle table that the top entry names after the
    // call (one this call may have allocated).
    assigns cs->top->mid[cs_top(sel)], \at(cs->top->mid[cs_top(sel)], Post)->leaf[cs_mid(sel)];
    ensures still_ok: capspace_ok(cs);
    ensures top_kept: cs->top == \old(cs->top);
    ensures valid_slot: \result != \null ==> \valid(\result);
    ensures out_of_range: sel == MICA_CAP_INVALID || sel >= MICA_CAP_SELECTORS ==> \result == \null;
    ensures found_by_lookup: \result != \null ==> \result == capspace_at(cs, sel);
    ensures other_slots_stay: \forall integer o; 0 <= o < MICA_CAP_SELECTORS &&
	\at(capspace_at(cs, o), Pre) != \null ==> capspace_at(cs, o) == \at(capspace_at(cs, o), Pre);
*/
struct cap_slot *capspace_slot(struct capspace *cs, mica_cap_t sel);

/*@ // sel names no capability: its table is missing or its slot empty.
    predicate capspace_empty(struct capspace *cs, integer sel) =
	capspace_at(cs, sel) == \null || capspace_at(cs, sel)->obj_rights == 0;

    // The capability space's slots (every slot a lookup can find).
    predicate capspace_slot_of(struct capspace *cs, struct cap_slot *s) =
	\exists integer o; 0 <= o < MICA_CAP_SELECTORS && capspace_at(cs, o) == s;
*/

/* The first non-empty slot at or after *sel and below end (skipping
 * missing tables whole); *sel is set to its selector. */
/*@ requires capspace_ok(cs) && \valid(sel) && \separated(sel, cs) && \separated(sel, cs->top);
    requires apart: \forall integer o; 0 <= o < MICA_CAP_SELECTORS && capspace_at(cs, o) != \null ==>
	\separated(sel, capspace_at(cs, o));
    assigns *sel;
    ensures none: \result == \null ==> \forall integer o; \old(*sel) <= o < end && o < MICA_CAP_SELECTORS ==>
	capspace_empty(cs, o);
    ensures first: \result != \null ==> \old(*sel) <= *sel < end && *sel < MICA_CAP_SELECTORS &&
	\result == capspace_at(cs, *sel) && \result->obj_rights != 0 &&
	(\forall integer o; \old(*sel) <= o < *sel ==> capspace_empty(cs, o));
*/
struct cap_slot *capspace_next(const struct capspace *cs, mica_cap_t *sel, mica_cap_t end);

/* Calls empty(slot) for every non-empty slot, then frees all tables. */
void capspace_destroy(struct capspace *cs, void (*empty)(struct cap_slot *));
