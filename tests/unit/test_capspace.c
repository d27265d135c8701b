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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_of_fresh_space_is_empty),
		cmocka_unit_test(slots_are_distinct_and_stable),
		cmocka_unit_test(invalid_selectors_get_no_slot),
		cmocka_unit_test(exhaustion_fails_cleanly),
		cmocka_unit_test(init_fails_without_memory),
		cmocka_unit_test(next_skips_empty_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
