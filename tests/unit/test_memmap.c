/* Host unit tests of memory-map normalization: overlapping, zero-length
 * and wrapping regions. */
// links: kernel/memory/memmap.c
#include "unit.h"

#include "memory/memmap.h"

static struct memmap m;

static int setup(void **state)
{
	(void)state;
	memmap_init(&m);
	return 0;
}

static void check(unsigned i, uint64_t base, uint64_t end, uint32_t type)
{
	assert_true(i < m.count);
	assert_int_equal(m.r[i].base, base);
	assert_int_equal(m.r[i].end, end);
	assert_int_equal(m.r[i].type, type);
}

static void sorts_and_merges(void **state)
{
	(void)state;
	memmap_add(&m, 0x3000, 0x1000, MICA_MEM_CONVENTIONAL);
	memmap_add(&m, 0x1000, 0x1000, MICA_MEM_CONVENTIONAL);
	memmap_add(&m, 0x2000, 0x1000, MICA_MEM_CONVENTIONAL); /* joins both */
	assert_int_equal(m.count, 1);
	check(0, 0x1000, 0x4000, MICA_MEM_CONVENTIONAL);
}

static void zero_length_ignored(void **state)
{
	(void)state;
	assert_true(memmap_add(&m, 0x5000, 0, MICA_MEM_RESERVED));
	assert_int_equal(m.count, 0);
}

static void reserved_wins_over_free(void **state)
{
	(void)state;
	memmap_add(&m, 0x0, 0x10000, MICA_MEM_CONVENTIONAL);
	memmap_add(&m, 0x4000, 0x2000, MICA_MEM_RESERVED);
	/* and free memory claimed on top of reserved stays reserved */
	memmap_add(&m, 0x5000, 0x2000, MICA_MEM_CONVENTIONAL);
	assert_int_equal(m.count, 3);
	check(0, 0x0, 0x4000, MICA_MEM_CONVENTIONAL);
	check(1, 0x4000, 0x6000, MICA_MEM_RESERVED);
	check(2, 0x6000, 0x10000, MICA_MEM_CONVENTIONAL);
}

static void overlap_spanning_gaps(void **state)
{
	(void)state;
	memmap_add(&m, 0x1000, 0x1000, MICA_MEM_ACPI);
	memmap_add(&m, 0x5000, 0x1000, MICA_MEM_BAD);
	memmap_add(&m, 0x0, 0x8000, MICA_MEM_CONVENTIONAL);
	assert_int_equal(m.count, 5);
	check(0, 0x0, 0x1000, MICA_MEM_CONVENTIONAL);
	check(1, 0x1000, 0x2000, MICA_MEM_ACPI);
	check(2, 0x2000, 0x5000, MICA_MEM_CONVENTIONAL);
	check(3, 0x5000, 0x6000, MICA_MEM_BAD);
	check(4, 0x6000, 0x8000, MICA_MEM_CONVENTIONAL);
	assert_int_equal(memmap_total(&m, MICA_MEM_CONVENTIONAL), 0x6000);
}

static void set_forces_type(void **state)
{
	(void)state;
	memmap_add(&m, 0x0, 0x10000, MICA_MEM_RESERVED);
	memmap_set(&m, 0x2000, 0x1000, MICA_MEM_KERNEL);
	assert_int_equal(m.count, 3);
	check(1, 0x2000, 0x3000, MICA_MEM_KERNEL);
}

static void wrapping_range_is_cut(void **state)
{
	(void)state;
	memmap_add(&m, UINT64_MAX - 0xfff, 0x10000, MICA_MEM_RESERVED);
	assert_int_equal(m.count, 1);
	check(0, UINT64_MAX - 0xfff, UINT64_MAX, MICA_MEM_RESERVED);
}

static void full_table_drops_and_keeps_old_map(void **state)
{
	(void)state;
	for (unsigned i = 0; i < MEMMAP_MAX; i++)
		assert_true(memmap_add(&m, i * 0x2000ul, 0x1000, MICA_MEM_CONVENTIONAL));
	assert_int_equal(m.count, MEMMAP_MAX);
	assert_false(memmap_add(&m, 0x10000000, 0x1000, MICA_MEM_RESERVED));
	assert_int_equal(m.dropped, 1);
	assert_int_equal(m.count, MEMMAP_MAX);
	check(MEMMAP_MAX - 1, (MEMMAP_MAX - 1) * 0x2000ul, (MEMMAP_MAX - 1) * 0x2000ul + 0x1000,
	      MICA_MEM_CONVENTIONAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(sorts_and_merges, setup),
		cmocka_unit_test_setup(zero_length_ignored, setup),
		cmocka_unit_test_setup(reserved_wins_over_free, setup),
		cmocka_unit_test_setup(overlap_spanning_gaps, setup),
		cmocka_unit_test_setup(set_forces_type, setup),
		cmocka_unit_test_setup(wrapping_range_is_cut, setup),
		cmocka_unit_test_setup(full_table_drops_and_keeps_old_map, setup),
	};
	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
