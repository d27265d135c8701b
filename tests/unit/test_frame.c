/* Host unit tests of the physical frame pool. */
// links: kernel/memory/frame.c
#include "unit.h"

#include "memory/frame.h"

#define BASE 0x100000ul

static struct frame_pool pool;
static uint64_t bitmap[16];

static int setup(void **state)
{
	(void)state;
	frame_pool_init(&pool, BASE, 1000, bitmap);
	frame_pool_release(&pool, BASE, 1000);
	return 0;
}

static void starts_all_used(void **state)
{
	(void)state;
	struct frame_pool p;
	uint64_t bm[16], a;
	frame_pool_init(&p, BASE, 100, bm);
	assert_int_equal(p.free, 0);
	assert_false(frame_pool_alloc(&p, 1, 1, &a));
}

static void alloc_free_roundtrip(void **state)
{
	(void)state;
	uint64_t a, b;
	assert_true(frame_pool_alloc(&pool, 1, 1, &a));
	assert_true(frame_pool_alloc(&pool, 1, 1, &b));
	assert_int_not_equal(a, b);
	assert_true(a >= BASE && a < BASE + 1000 * FRAME_SIZE && (a & (FRAME_SIZE - 1)) == 0);
	assert_int_equal(pool.free, 998);
	assert_int_equal(frame_pool_free(&pool, a, 1), FRAME_FREED);
	assert_int_equal(frame_pool_free(&pool, b, 1), FRAME_FREED);
	assert_int_equal(pool.free, 1000);
}

static void every_frame_once(void **state)
{
	(void)state;
	static char seen[1000];
	uint64_t a;
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < 1000; i++) {
		assert_true(frame_pool_alloc(&pool, 1, 1, &a));
		uint64_t idx = (a - BASE) / FRAME_SIZE;
		assert_true(idx < 1000);
		assert_false(seen[idx]);
		seen[idx] = 1;
	}
	assert_false(frame_pool_alloc(&pool, 1, 1, &a));
	assert_int_equal(pool.free, 0);
}

static void double_free_rejected(void **state)
{
	(void)state;
	uint64_t a;
	assert_true(frame_pool_alloc(&pool, 1, 1, &a));
	assert_int_equal(frame_pool_free(&pool, a, 1), FRAME_FREED);
	assert_int_equal(frame_pool_free(&pool, a, 1), FRAME_NOT_ALLOCATED);
	assert_int_equal(pool.free, 1000);
}

static void bad_frees_leave_pool_intact(void **state)
{
	(void)state;
	uint64_t a;
	assert_true(frame_pool_alloc(&pool, 2, 1, &a));
	assert_int_equal(frame_pool_free(&pool, a + 1, 1), FRAME_MISALIGNED);
	assert_int_equal(frame_pool_free(&pool, BASE - FRAME_SIZE, 1), FRAME_OUTSIDE_POOL);
	assert_int_equal(frame_pool_free(&pool, BASE + 999 * FRAME_SIZE, 2), FRAME_OUTSIDE_POOL);
	assert_int_equal(frame_pool_free(&pool, a, UINT64_MAX), FRAME_OUTSIDE_POOL);
	/* A range that is only partly allocated is refused whole. */
	assert_int_equal(frame_pool_free(&pool, a, 3), FRAME_NOT_ALLOCATED);
	assert_true(frame_pool_is_used(&pool, a) && frame_pool_is_used(&pool, a + FRAME_SIZE));
	assert_int_equal(pool.free, 998);
	assert_int_equal(frame_pool_free(&pool, a, 2), FRAME_FREED);
}

static void contiguous_and_aligned(void **state)
{
	(void)state;
	uint64_t a, b;
	assert_true(frame_pool_alloc(&pool, 1, 1, &a)); /* break the alignment of the start */
	assert_true(frame_pool_alloc(&pool, 16, 16, &b));
	assert_int_equal(b % (16 * FRAME_SIZE), 0);
	for (uint64_t i = 0; i < 16; i++)
		assert_true(frame_pool_is_used(&pool, b + i * FRAME_SIZE));
	assert_false(frame_pool_alloc(&pool, 1, 3, &a)); /* alignment must be a power of two */
	assert_false(frame_pool_alloc(&pool, 0, 1, &a));
	assert_false(frame_pool_alloc(&pool, 2000, 1, &a));
}

static void contiguous_skips_holes(void **state)
{
	(void)state;
	uint64_t a;
	/* Reserve every 8th frame: no run of 8 exists, runs of 7 do. */
	for (uint64_t i = 0; i < 1000; i += 8)
		frame_pool_reserve(&pool, BASE + i * FRAME_SIZE, 1);
	assert_false(frame_pool_alloc(&pool, 8, 1, &a));
	assert_true(frame_pool_alloc(&pool, 7, 1, &a));
	assert_int_equal(((a - BASE) / FRAME_SIZE) % 8, 1);
}

static void release_and_reserve_clip_to_pool(void **state)
{
	(void)state;
	struct frame_pool p;
	uint64_t bm[2];
	frame_pool_init(&p, BASE, 100, bm);
	frame_pool_release(&p, 0, UINT64_MAX); /* wraps: clipped */
	assert_int_equal(p.free, 100);
	frame_pool_reserve(&p, BASE + 50 * FRAME_SIZE, 1000);
	assert_int_equal(p.free, 50);
	frame_pool_reserve(&p, 0, 1); /* entirely outside */
	assert_int_equal(p.free, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(starts_all_used),
		cmocka_unit_test_setup(alloc_free_roundtrip, setup),
		cmocka_unit_test_setup(every_frame_once, setup),
		cmocka_unit_test_setup(double_free_rejected, setup),
		cmocka_unit_test_setup(bad_frees_leave_pool_intact, setup),
		cmocka_unit_test_setup(contiguous_and_aligned, setup),
		cmocka_unit_test_setup(contiguous_skips_holes, setup),
		cmocka_unit_test(release_and_reserve_clip_to_pool),
	};
	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
