/* The capability space's radix table: slots found or created by selector,
 * walked in order, and freed. Pure, host-tested (tests/unit/test_capspace.c). */
#include "memory/capspace.h"

#include <string.h>

#include "klib/scan.h"

#define TOP_N (1ul << CAPSPACE_TOP_BITS)
#define MID_N (1ul << CAPSPACE_MID_BITS)
#define LEAF_N (1ul << CAPSPACE_LEAF_BITS)

_Static_assert(TOP_N * sizeof(void *) <= 4096, "the top table fits a page");

bool capspace_init(struct capspace *cs, const struct capspace_alloc *a)
{
	cs->a = *a;
	cs->top = a->alloc(a->ctx);
	return cs->top != 0;
}

struct cap_slot *capspace_slot(struct capspace *cs, mica_cap_t sel)
{
	if (sel == MICA_CAP_INVALID || sel >= MICA_CAP_SELECTORS)
		return 0;
	void ***mid = (void ***)&cs->top[capspace_top_index(sel)];
	if (!*mid && !(*mid = cs->a.alloc(cs->a.ctx)))
		return 0;
	struct cap_slot **leaf = (struct cap_slot **)&(*mid)[capspace_mid_index(sel)];
	if (!*leaf && !(*leaf = cs->a.alloc(cs->a.ctx)))
		return 0;
	return &(*leaf)[capspace_leaf_index(sel)];
}

struct cap_slot *capspace_next(const struct capspace *cs, mica_cap_t *sel, mica_cap_t end)
{
	if (end > MICA_CAP_SELECTORS)
		end = MICA_CAP_SELECTORS;
	for (mica_cap_t s = *sel; s < end;) {
		void **mid = cs->top[capspace_top_index(s)];
		if (!mid) {
			s = (s | ((MID_N * LEAF_N) - 1)) + 1;
			continue;
		}
		struct cap_slot *leaf = mid[capspace_mid_index(s)];
		if (!leaf) {
			s = (s | (LEAF_N - 1)) + 1;
			continue;
		}
		if (leaf[capspace_leaf_index(s)].obj_rights) {
			*sel = s;
			return &leaf[capspace_leaf_index(s)];
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
	for (unsigned t = scan_next(cs->top, 0, TOP_N); t < TOP_N; t = scan_next(cs->top, t + 1, TOP_N)) {
		void **mid = cs->top[t];
		for (unsigned m = scan_next(mid, 0, MID_N); m < MID_N; m = scan_next(mid, m + 1, MID_N)) {
			struct cap_slot *leaf = mid[m];
			for (unsigned l = 0; l < LEAF_N; l++)
				if (leaf[l].obj_rights)
					empty(&leaf[l]);
			cs->a.free(cs->a.ctx, leaf);
		}
		cs->a.free(cs->a.ctx, mid);
	}
	cs->a.free(cs->a.ctx, cs->top);
	cs->top = 0;
}
