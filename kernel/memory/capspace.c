/* The capability space's radix table: slots found or created by selector,
 * walked in order, and freed. Pure, host-tested (tests/unit/test_capspace.c). */
#include "memory/capspace.h"

#include <string.h>

#include "klib/scan.h"

#define TOP_N (1ul << CAPSPACE_TOP_BITS)
#define MID_N (1ul << CAPSPACE_MID_BITS)
#define LEAF_N (1ul << CAPSPACE_LEAF_BITS)

_Static_assert(sizeof(struct capspace_top) <= 4096 && sizeof(struct capspace_mid) == 4096 &&
		       sizeof(struct capspace_leaf) == 4096,
	       "each table fits a page");

/* The allocator, typed: a zeroed top table, or 0. Its contract is assumed
 * (docs/assurance.md): a new table is valid, apart from the space's
 * record, and its entries are null (the allocators zero what they give). */
/*@ requires \valid(cs);
    assigns \nothing;
    ensures \result == \null || (\valid(\result) && \separated(\result, cs) &&
	(\forall integer t; 0 <= t < CAPSPACE_TOP_N ==> \result->mid[t] == \null));
*/
static struct capspace_top *alloc_top(struct capspace *cs)
{
	return cs->a.alloc(cs->a.ctx);
}

bool capspace_init(struct capspace *cs, const struct capspace_alloc *a)
{
	cs->a = *a;
	cs->top = alloc_top(cs);
	return cs->top != 0;
}

/* The allocator, typed: a zeroed middle or leaf table, or 0. What the
 * proof of capspace_slot assumes of it is its contract (docs/assurance.md):
 * a new table is valid, empty and overlaps nothing the space has. */
/*@ requires capspace_ok(cs);
    assigns \nothing;
    ensures \result == \null || (\valid(\result) && \separated(\result, cs) && \separated(\result, cs->top) &&
	(\forall integer t; 0 <= t < CAPSPACE_TOP_N ==> \separated(\result, cs->top->mid[t])) &&
	(\forall integer m; 0 <= m < CAPSPACE_MID_N ==> \result->leaf[m] == \null));
*/
static struct capspace_mid *alloc_mid(struct capspace *cs)
{
	return cs->a.alloc(cs->a.ctx);
}

/*@ requires capspace_ok(cs);
    assigns \nothing;
    ensures \result == \null || (\valid(\result) && \separated(\result, cs) && \separated(\result, cs->top) &&
	(\forall integer t; 0 <= t < CAPSPACE_TOP_N ==> \separated(\result, cs->top->mid[t])));
*/
static struct capspace_leaf *alloc_leaf(struct capspace *cs)
{
	return cs->a.alloc(cs->a.ctx);
}

struct cap_slot *capspace_slot(struct capspace *cs, mica_cap_t sel)
{
	if (sel == MICA_CAP_INVALID || sel >= MICA_CAP_SELECTORS)
		return 0;
	unsigned t = capspace_top_index(sel), m = capspace_mid_index(sel);
	struct capspace_mid *mid = cs->top->mid[t];
	if (!mid) {
		if (!(mid = alloc_mid(cs)))
			return 0;
		/* What capspace_ok says of the tables before, restated for the
		 * step below (the provers do not unfold it by themselves). */
		/*@ assert before: \forall integer o; 0 <= o < CAPSPACE_TOP_N && cs->top->mid[o] != \null ==>
			\valid(cs->top->mid[o]) && \separated(cs->top->mid[o], cs->top) &&
		   \separated(cs->top->mid[o], cs); */
		cs->top->mid[t] = mid;
		// The other middle tables and what they hold did not change:
		/*@ assert others_kept: \forall integer o; 0 <= o < CAPSPACE_TOP_N && o != t ==>
			cs->top->mid[o] == \at(cs->top->mid[o], Pre) &&
			(cs->top->mid[o] != \null ==> \forall integer n; 0 <= n < CAPSPACE_MID_N ==>
				cs->top->mid[o]->leaf[n] == \at(cs->top->mid[o]->leaf[n], Pre)); */
		//@ assert top_kept: cs->top == \at(cs->top, Pre) && cs->top->mid[t] == mid;
		// and the new one is valid, apart and empty:
		//@ assert empty: \forall integer n; 0 <= n < CAPSPACE_MID_N ==> mid->leaf[n] == \null;
		/*@ assert tables_ok: \forall integer o; 0 <= o < CAPSPACE_TOP_N && cs->top->mid[o] != \null
		   ==> \valid(cs->top->mid[o]) && \separated(cs->top->mid[o], cs->top) &&
		   \separated(cs->top->mid[o], cs); */
		/*@ assert leaves_ok: \forall integer o, n; 0 <= o < CAPSPACE_TOP_N && cs->top->mid[o] !=
		   \null && 0 <= n < CAPSPACE_MID_N && cs->top->mid[o]->leaf[n] != \null ==>
		   \valid(cs->top->mid[o]->leaf[n]); */
		//@ assert new_mid_ok: capspace_ok(cs);
	}
	struct capspace_leaf *leaf = mid->leaf[m];
	if (!leaf) {
		if (!(leaf = alloc_leaf(cs)))
			return 0;
		mid->leaf[m] = leaf;
		//@ assert new_leaf_ok: capspace_ok(cs);
	}
	//@ assert leaf_valid: \valid(leaf);
	return &leaf->slot[capspace_leaf_index(sel)];
}

struct cap_slot *capspace_next(const struct capspace *cs, mica_cap_t *sel, mica_cap_t end)
{
	if (end > MICA_CAP_SELECTORS)
		end = MICA_CAP_SELECTORS;
	/* A missing table is skipped to the first selector of the next one:
	 * the next multiple of the selectors it covers (the same shifts the
	 * indices are). */
	/*@ loop invariant from: \at(*sel, Pre) <= s;
	    loop invariant bounded: s == \at(*sel, Pre) || s <= MICA_CAP_SELECTORS;
	    loop invariant all_empty: \forall integer o;
		\at(*sel, Pre) <= o < s && o < end ==> capspace_empty(cs, o);
	    loop assigns s;
	*/
	for (mica_cap_t s = *sel; s < end;) {
		struct capspace_mid *mid = cs->top->mid[capspace_top_index(s)];
		if (!mid) {
			/*@ assert same_mid: \forall integer o;
				s <= o < (s / (MID_N * LEAF_N) + 1) * (MID_N * LEAF_N) ==>
				cs_top(o) == cs_top(s); */
			s = (s / (MID_N * LEAF_N) + 1) * (MID_N * LEAF_N);
			continue;
		}
		//@ assert mid_valid: \valid(mid) && mid == cs->top->mid[cs_top(s)];
		/*@ assert leaves_valid: \forall integer m;
			0 <= m < CAPSPACE_MID_N && mid->leaf[m] != \null ==> \valid(mid->leaf[m]); */
		struct capspace_leaf *leaf = mid->leaf[capspace_mid_index(s)];
		if (!leaf) {
			/*@ assert same_leaf: \forall integer o; s <= o < (s / LEAF_N + 1) * LEAF_N ==>
				cs_top(o) == cs_top(s) && cs_mid(o) == cs_mid(s); */
			s = (s / LEAF_N + 1) * LEAF_N;
			continue;
		}
		//@ assert leaf_valid: \valid(leaf) && leaf == mid->leaf[cs_mid(s)];
		if (leaf->slot[capspace_leaf_index(s)].obj_rights) {
			*sel = s;
			return &leaf->slot[capspace_leaf_index(s)];
		}
		s++;
	}
	return 0;
}

void capspace_destroy(struct capspace *cs, void (*empty)(struct cap_slot *))
{
	if (!cs->top)
		return;
	/* Only the tables and slots in use are visited (scan_next). */
	for (unsigned t = scan_next(cs->top->mid, 0, TOP_N); t < TOP_N;
	     t = scan_next(cs->top->mid, t + 1, TOP_N)) {
		struct capspace_mid *mid = cs->top->mid[t];
		for (unsigned m = scan_next(mid->leaf, 0, MID_N); m < MID_N;
		     m = scan_next(mid->leaf, m + 1, MID_N)) {
			struct capspace_leaf *leaf = mid->leaf[m];
			for (unsigned l = 0; l < LEAF_N; l++)
				if (leaf->slot[l].obj_rights)
					empty(&leaf->slot[l]);
			cs->a.free(cs->a.ctx, leaf);
		}
		cs->a.free(cs->a.ctx, mid);
	}
	cs->a.free(cs->a.ctx, cs->top);
	cs->top = 0;
}
