/* Host unit tests of the region tree (user/services/rm/regions.c):
 * random inserts, removals and searches against a plain model, and the
 * tree's balance. */
// links: user/services/rm/regions.c
#include "unit.h"

#include "../../user/services/rm/regions.h"

#define SLOTS 512 /* the model: slot i is the page range [i * 16, i * 16 + 16) */
#define PAGE 0x1000ul

static struct region nodes[SLOTS];
static bool used[SLOTS];
static struct region_tree tree;

static uint64_t rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(rnd_state >> 33) % n;
}

/* Region i covers part of slot i: from 1 to 16 pages at its start. */
static uint64_t start_of(unsigned i)
{
	return (uint64_t)i * 16 * PAGE;
}

static int check_height(const struct region *r, uint64_t lo, uint64_t hi, unsigned *count)
{
	if (!r)
		return 0;
	assert_true(r->start >= lo && r->start + r->size <= hi);
	int l = check_height(r->left, lo, r->start, count),
	    h = check_height(r->right, r->start + r->size, hi, count);
	assert_true(l - h <= 1 && h - l <= 1);
	assert_int_equal(r->height, 1 + (l > h ? l : h));
	(*count)++;
	return r->height;
}

static void check_tree(void)
{
	unsigned count = 0;
	check_height(tree.root, 0, ~0ul, &count);
	assert_int_equal(count, tree.count);
}

static void model_checks(void)
{
	for (unsigned k = 0; k < 64; k++) {
		unsigned i = rnd(SLOTS);
		uint64_t a = start_of(i) + rnd(16) * PAGE + rnd(PAGE);
		struct region *r = regions_find(&tree, a);
		bool inside = used[i] && a < nodes[i].start + nodes[i].size;
		assert_ptr_equal(r, inside ? &nodes[i] : NULL);
	}
	/* Free ranges: the answer is free and nothing lower fits. */
	uint64_t from = start_of(rnd(SLOTS)), size = (1 + rnd(40)) * PAGE, at;
	if (regions_free(&tree, from, size, PAGE, start_of(SLOTS), &at)) {
		assert_true(at >= from && !regions_overlap(&tree, at, size));
		for (uint64_t b = from; b < at; b += PAGE)
			assert_non_null(regions_overlap(&tree, b, size));
	} else {
		for (uint64_t b = from; b + size <= start_of(SLOTS); b += PAGE)
			assert_non_null(regions_overlap(&tree, b, size));
	}
}

static void random_operations(void **state)
{
	(void)state;
	for (unsigned step = 0; step < 20000; step++) {
		unsigned i = rnd(SLOTS);
		if (!used[i]) {
			nodes[i].start = start_of(i);
			nodes[i].size = (1 + rnd(16)) * PAGE;
			assert_true(regions_insert(&tree, &nodes[i]));
			used[i] = true;
		} else {
			regions_remove(&tree, &nodes[i]);
			used[i] = false;
		}
		if (step % 97 == 0) {
			check_tree();
			model_checks();
		}
	}
	check_tree();
}

static void overlaps_are_refused(void **state)
{
	(void)state;
	struct region_tree t = { 0 };
	struct region a = { .start = 0x10000, .size = 0x4000 }, b = { .start = 0x13000, .size = 0x1000 },
		      c = { .start = 0xf000, .size = 0x2000 }, d = { .start = 0x14000, .size = 0x1000 },
		      e = { .start = 0x20000, .size = 0 }, f = { .start = ~0ul - 0xfff, .size = 0x2000 };
	assert_true(regions_insert(&t, &a));
	assert_false(regions_insert(&t, &b)); /* inside */
	assert_false(regions_insert(&t, &c)); /* over the start */
	assert_true(regions_insert(&t, &d));  /* right behind */
	assert_false(regions_insert(&t, &e)); /* empty */
	assert_false(regions_insert(&t, &f)); /* wraps */
	assert_int_equal(t.count, 2);
	assert_ptr_equal(regions_find(&t, 0x13fff), &a);
	assert_ptr_equal(regions_find(&t, 0x14000), &d);
	assert_null(regions_find(&t, 0x15000));
	assert_ptr_equal(regions_next(&t, 0x10001), &d);
	uint64_t at;
	assert_true(regions_free(&t, 0x10000, 0x1000, 0x1000, ~0ul, &at));
	assert_int_equal(at, 0x15000);
	assert_true(regions_free(&t, 0x1000, 0x1000, 0x10000, ~0ul, &at));
	assert_int_equal(at, 0x20000); /* aligned past both */
	assert_false(regions_free(&t, 0x10000, 0x1000, 0x1000, 0x14fff, &at));
	assert_false(regions_free(&t, ~0ul - 0x1000, 0x1000, 0x1000, ~0ul, &at)); /* rounds past the end */
	regions_remove(&t, &a);
	assert_null(regions_find(&t, 0x10000));
	assert_int_equal(t.count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overlaps_are_refused),
		cmocka_unit_test(random_operations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
