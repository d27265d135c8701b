/* Host unit tests of the printf-style formatter. */
// links: lib/format.c
#include "unit.h"

#include "format.h"

static void check(const char *want, const char *got)
{
	assert_string_equal(got, want);
}

static void conversions(void **state)
{
	(void)state;
	char b[128];
	format_buf(b, sizeof(b), "%d %i %u %x %X %c %s %%", -42, 7, 3000000000u, 0xbeef, 0xbeef, 'z', "str");
	check("-42 7 3000000000 beef BEEF z str %", b);
	format_buf(b, sizeof(b), "%ld %lu %lx %zu", (long)INT64_MIN, UINT64_MAX, 0xffffffff80000000ul,
		   (size_t)5);
	check("-9223372036854775808 18446744073709551615 ffffffff80000000 5", b);
	format_buf(b, sizeof(b), "%p %s", (void *)0x1000, (char *)NULL);
	check("0x1000 (null)", b);
}

static void widths(void **state)
{
	(void)state;
	char b[128];
	format_buf(b, sizeof(b), "[%5d][%-5d][%05d][%016lx][%-4s][%4s][%.2s][%*d]", 42, 42, -42, 0xabcul,
		   "ab", "ab", "abcdef", 3, 7);
	check("[   42][42   ][-0042][0000000000000abc][ab  ][  ab][ab][  7]", b);
}

static void truncates_and_counts(void **state)
{
	(void)state;
	char b[8];
	int n = format_buf(b, sizeof(b), "%s", "0123456789");
	assert_int_equal(n, 10);
	check("0123456", b);
	assert_int_equal(format_buf(NULL, 0, "abc"), 3);
}

/* Malformed on purpose: the formatter must survive what the compiler
 * would reject. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void odd_formats(void **state)
{
	(void)state;
	char b[32];
	format_buf(b, sizeof(b), "100%");
	check("100", b);
	format_buf(b, sizeof(b), "%q");
	check("%q", b);
}
#pragma GCC diagnostic pop

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conversions),
		cmocka_unit_test(widths),
		cmocka_unit_test(truncates_and_counts),
		cmocka_unit_test(odd_formats),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
