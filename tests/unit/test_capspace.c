/* Host unit tests of the capability space's radix table. */
// links: kernel/memory/capspace.c
#include "unit.h"

#include "memory/capspace.h"

/* Page-sized tables from the host heap, counted, with a failure switch
 * to test exhaustion. */
struct pool {
	int live;
	int budget; /* allocations left; negative: unlimited */
};

static void *alloc(void *ctx)
{
	struct pool *p = ctx;
	if (p->budget == 0)
		return NULL;
	if (p->budget > 0)
		p->budget--;
	void *t = aligned_alloc(4096, 4096);
	assert_non_null(t);
	memset(t, 0, 4096);
	p->live++;
	return t;
}

static void release(void *ctx, void *t)
{
	struct pool *p = ctx;
	p->live--;
	free(t);
}

static int emptied;
static void empty(struct cap_slot *s)
{
	emptied++;
	s->obj_rights = 0;
}

static void lookup_of_fresh_space_is_empty(void **state)
{
	(void)state;
	struct pool p = { 0, -1 };
	struct capspace cs;
	struct capspace_alloc a = { alloc, release, &p };
	assert_true(capspace_init(&cs, &a));
	assert_int_equal(p.live, 1);
	assert_null(capspace_lookup(&cs, 0));
	assert_null(capspace_lookup(&cs, 1));
	assert_null(capspace_lookup(&cs, MICA_CAP_SELECTORS - 1));
	assert_null(capspace_lookup(&cs, MICA_CAP_SELECTORS));
	assert_null(capspace_lookup(&cs, ~0ul));
	capspace_destroy(&cs, empty);
	assert_int_equal(p.live, 0);
}

static void slots_are_distinct_and_stable(void **state)
{
	(void)state;
	struct pool p = { 0, -1 };
	struct capspace cs;
	struct capspace_alloc a = { alloc, release, &p };
	assert_true(capspace_init(&cs, &a));
	mica_cap_t sels[] = { 1, 2, 63, 64, 65, 65535, 65536, 1ul << 20, MICA_CAP_SELECTORS - 1 };
	struct cap_slot *slots[9];
	for (unsigned i = 0; i < 9; i++) {
		slots[i] = capspace_slot(&cs, sels[i]);
		assert_non_null(slots[i]);
		slots[i]->obj_rights = 0x1000 * (i + 1);
		slots[i]->label = sels[i];
	}
	for (unsigned i = 0; i < 9; i++) {
		assert_ptr_equal(capspace_lookup(&cs, sels[i]), slots[i]);
		assert_ptr_equal(capspace_slot(&cs, sels[i]), slots[i]);
		assert_int_equal(slots[i]->label, sels[i]);
		for (unsigned j = 0; j < i; j++)
			assert_ptr_not_equal(slots[i], slots[j]);
	}
	/* 1, 2, 63 share a leaf; 64, 65 the next; and so on */
	assert_ptr_equal(slots[1], slots[0] + 1);
	assert_ptr_equal(slots[4], slots[3] + 1);
	emptied = 0;
	capspace_destroy(&cs, empty);
	assert_int_equal(emptied, 9);
	assert_int_equal(p.live, 0);
}

static void invalid_selectors_get_no_slot(void **state)
{
	(void)state;
	struct pool p = { 0, -1 };
	struct capspace cs;
	struct capspace_alloc a = { alloc, release, &p };
	assert_true(capspace_init(&cs, &a));
	assert_null(capspace_slot(&cs, 0));
	assert_null(capspace_slot(&cs, MICA_CAP_SELECTORS));
	assert_null(capspace_slot(&cs, ~0ul));
	assert_int_equal(p.live, 1); /* nothing allocated for them */
	capspace_destroy(&cs, empty);
}

static void exhaustion_fails_cleanly(void **state)
{
	(void)state;
	struct pool p = { 0, 2 }; /* the top table and one more */
	struct capspace cs;
	struct capspace_alloc a = { alloc, release, &p };
	assert_true(capspace_init(&cs, &a));
	assert_null(capspace_slot(&cs, 5)); /* middle table made, leaf not */
	assert_null(capspace_lookup(&cs, 5));
	p.budget = 1;
	assert_non_null(capspace_slot(&cs, 5));
	assert_null(capspace_slot(&cs, 1ul << 20)); /* another middle table */
	capspace_destroy(&cs, empty);
	assert_int_equal(p.live, 0);
}

static void init_fails_without_memory(void **state)
{
	(void)state;
	struct pool p = { 0, 0 };
	struct capspace cs;
	struct capspace_alloc a = { alloc, release, &p };
	assert_false(capspace_init(&cs, &a));
	capspace_destroy(&cs, empty); /* harmless on a failed space */
}

static void next_skips_empty_tables(void **state)
{
	(void)state;
	struct pool p = { 0, -1 };
	struct capspace cs;
	struct capspace_alloc a = { alloc, release, &p };
	assert_true(capspace_init(&cs, &a));
	mica_cap_t sels[] = { 3, 64, 70000, 1ul << 22, MICA_CAP_SELECTORS - 1 };
	for (unsigned i = 0; i < 5; i++)
		capspace_slot(&cs, sels[i])->obj_rights = 0x1000;
	capspace_slot(&cs, 5); /* a table with an empty slot */
	mica_cap_t s = 0;
	for (unsigned i = 0; i < 5; i++, s++) {
		struct cap_slot *slot = capspace_next(&cs, &s, MICA_CAP_SELECTORS);
		assert_non_null(slot);
		assert_int_equal(s, sels[i]);
		assert_ptr_equal(slot, capspace_lookup(&cs, sels[i]));
	}
	assert_null(capspace_next(&cs, &s, MICA_CAP_SELECTORS));
	s = 4;
	assert_null(capspace_next(&cs, &s, 64)); /* the end is exclusive */
	s = 0;
	assert_null(capspace_next(&cs, &s, 3));
	capspace_destroy(&cs, empty);
}

/* What the proofs of kernel/memory/cap.h assume about the rights bits
 * (the CapBits axiom cut_within; cap_insert's its_rights, proved bit by
 * bit now, is checked beside it): the low four bits decide them, so every
 * low-bit pattern is tried, with high bits. */
static void proof_assumptions_hold(void **state)
{
	(void)state;
	const uint64_t high[] = { 0, 0x10, 0xffff0, 0xffff800000001230ul, ~CAP_RIGHTS_MASK };
	for (unsigned h = 0; h < sizeof(high) / sizeof(high[0]); h++)
		for (uint64_t r = 0; r < 256; r++)
			for (uint64_t w = 0; w < 256; w++) {
				uint64_t wh = w | high[h], rh = r | high[(h + 1) % 5];
				/* cut_within */
				assert_true(((CAP_RIGHTS_MASK & (rh & wh)) | (CAP_RIGHTS_MASK & wh)) ==
					    (CAP_RIGHTS_MASK & wh));
				/* the mapping database's rights_within (mapdb.c) */
				assert_true(((7 & (rh & wh)) | (7 & wh)) == (7 & wh));
				/* its_rights: the rights put beside an aligned address */
				uint64_t a = high[h] & ~CAP_RIGHTS_MASK;
				assert_true(((a | (rh & CAP_RIGHTS_MASK)) & CAP_RIGHTS_MASK) ==
					    (rh & CAP_RIGHTS_MASK));
			}
}

/* The indices, spelt as division and remainder for the proofs, are the
 * shifts and masks they replaced. */
static void indices_are_the_bit_fields(void **state)
{
	(void)state;
	for (mica_cap_t sel = 0; sel < MICA_CAP_SELECTORS; sel += 4093) {
		assert_int_equal(capspace_top_index(sel), sel >> (CAPSPACE_MID_BITS + CAPSPACE_LEAF_BITS));
		assert_int_equal(capspace_mid_index(sel), (sel >> CAPSPACE_LEAF_BITS) & (CAPSPACE_MID_N - 1));
		assert_int_equal(capspace_leaf_index(sel), sel & (CAPSPACE_LEAF_N - 1));
	}
}

/* dtree_replace, whose contract is proved (docs/assurance.md): the new
 * node has the old one's parent, place among its siblings and children,
 * first, middle and last, and as a root. */
static void link_in_order(struct dtree *parent, struct dtree **kids, unsigned n)
{
	for (unsigned i = n; i-- > 0;)
		dtree_link(parent, kids[i]);
}

static void replace_takes_the_place(void **state)
{
	(void)state;
	for (unsigned at = 0; at < 3; at++) {
		struct dtree p = { 0 }, a = { 0 }, b = { 0 }, c = { 0 }, k1 = { 0 }, k2 = { 0 }, n = { 0 };
		struct dtree *kids[] = { &a, &b, &c };
		link_in_order(&p, kids, 3);
		struct dtree *old = kids[at];
		struct dtree *grand[] = { &k1, &k2 };
		link_in_order(old, grand, 2);
		dtree_replace(old, &n);
		kids[at] = &n;
		assert_ptr_equal(p.child, kids[0]);
		for (unsigned i = 0; i < 3; i++) {
			assert_ptr_equal(kids[i]->parent, &p);
			assert_ptr_equal(kids[i]->prev, i ? kids[i - 1] : NULL);
			assert_ptr_equal(kids[i]->next, i < 2 ? kids[i + 1] : NULL);
		}
		assert_ptr_equal(n.child, &k1);
		assert_ptr_equal(k1.parent, &n);
		assert_ptr_equal(k2.parent, &n);
		assert_ptr_equal(k1.next, &k2);
		assert_ptr_equal(k2.prev, &k1);
		assert_null(old->parent);
		assert_null(old->child);
		assert_null(old->next);
		assert_null(old->prev);
	}
	struct dtree root = { 0 }, k = { 0 }, n = { 0 };
	dtree_link(&root, &k);
	dtree_replace(&root, &n);
	assert_null(n.parent);
	assert_null(n.next);
	assert_null(n.prev);
	assert_ptr_equal(n.child, &k);
	assert_ptr_equal(k.parent, &n);
	assert_null(root.child);
}

/* dtree_splice_out, cap_delete's tree step, whose contract is proved
 * (docs/assurance.md): n's children take its place among its siblings,
 * in their order, under its parent (n first, in the middle and last, with
 * and without children); a root's children stay siblings, as roots. */
static void splice_out_lifts_the_children(void **state)
{
	(void)state;
	for (unsigned kids_n = 0; kids_n <= 2; kids_n++)
		for (unsigned at = 0; at < 3; at++) {
			struct dtree p = { 0 }, a = { 0 }, b = { 0 }, c = { 0 }, k1 = { 0 }, k2 = { 0 };
			struct dtree *kids[] = { &a, &b, &c };
			link_in_order(&p, kids, 3);
			struct dtree *n = kids[at];
			struct dtree *grand[] = { &k1, &k2 };
			link_in_order(n, grand, kids_n);
			dtree_splice_out(n);
			/* The expected order: n's siblings with its children in its place. */
			struct dtree *want[4];
			unsigned w = 0;
			for (unsigned i = 0; i < 3; i++)
				if (i == at)
					for (unsigned j = 0; j < kids_n; j++)
						want[w++] = grand[j];
				else
					want[w++] = kids[i];
			assert_ptr_equal(p.child, want[0]);
			for (unsigned i = 0; i < w; i++) {
				assert_ptr_equal(want[i]->parent, &p);
				assert_ptr_equal(want[i]->prev, i ? want[i - 1] : NULL);
				assert_ptr_equal(want[i]->next, i + 1 < w ? want[i + 1] : NULL);
			}
			assert_null(n->parent);
			assert_null(n->child);
			assert_null(n->next);
			assert_null(n->prev);
		}
	struct dtree root = { 0 }, k1 = { 0 }, k2 = { 0 }, g = { 0 };
	struct dtree *grand[] = { &k1, &k2 };
	link_in_order(&root, grand, 2);
	dtree_link(&k2, &g);
	dtree_splice_out(&root);
	assert_null(root.child);
	assert_null(k1.parent);
	assert_null(k2.parent);
	assert_null(k1.prev);
	assert_ptr_equal(k1.next, &k2);
	assert_ptr_equal(k2.prev, &k1);
	assert_null(k2.next);
	assert_ptr_equal(k2.child, &g);
	assert_ptr_equal(g.parent, &k2);
	/* One of those roots goes in turn: its sibling stays, its child joins it. */
	dtree_splice_out(&k2);
	assert_ptr_equal(k1.next, &g);
	assert_ptr_equal(g.prev, &k1);
	assert_null(g.parent);
	assert_null(g.next);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_of_fresh_space_is_empty),
		cmocka_unit_test(slots_are_distinct_and_stable),
		cmocka_unit_test(invalid_selectors_get_no_slot),
		cmocka_unit_test(exhaustion_fails_cleanly),
		cmocka_unit_test(init_fails_without_memory),
		cmocka_unit_test(next_skips_empty_tables),
		cmocka_unit_test(proof_assumptions_hold),
		cmocka_unit_test(indices_are_the_bit_fields),
		cmocka_unit_test(replace_takes_the_place),
		cmocka_unit_test(splice_out_lifts_the_children),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
