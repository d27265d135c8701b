/* The stdio group: printf's and scanf's conversions, snprintf's
 * truncation, memory streams, ungetc and stdout's return values. */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

/* snprintf into a fresh buffer; whether the text is want and the return
 * value its length. */
#define FMT_IS(want, ...) fmt_is(want, snprintf(buf, sizeof(buf), __VA_ARGS__))
static char buf[256];
static int fmt_is(const char *want, int n)
{
	return n == (int)strlen(want) && strcmp(buf, want) == 0;
}

SUITE_GROUP(stdio)
{
	CHECK(printf_int_width_flags,
	      FMT_IS("[42|   42|42   |00042|+42| 42]", "[%d|%5d|%-5d|%05d|%+d|% d]", 42, 42, 42, 42, 42, 42));
	CHECK(printf_unsigned_hex_octal,
	      FMT_IS("4294967295 ff FF 17 0xff 017", "%u %x %X %o %#x %#o", UINT_MAX, 255, 255, 15, 255, 15));
	CHECK(printf_long_long_limits,
	      FMT_IS("-9223372036854775808 18446744073709551615", "%lld %llu", LLONG_MIN, ULLONG_MAX));
	CHECK(printf_size_ptrdiff_intmax,
	      FMT_IS("12 -3 7", "%zu %td %jd", (size_t)12, (ptrdiff_t)-3, (intmax_t)7));
	CHECK(printf_float_fixed,
	      FMT_IS("3.142 -0.500 2 1e+06", "%.3f %.3f %.0f %.0e", 3.14159, -0.5, 1.5, 1e6));
	CHECK(printf_float_exponent, FMT_IS("1.234568e+04 1.2E-05", "%e %.1E", 12345.678, 0.000012));
	CHECK(printf_float_general, FMT_IS("0.0001 1e+20 100000 1e+06 0.333333", "%g %g %g %g %g", 0.0001,
					   1e20, 1e5, 1e6, 1.0 / 3));
	CHECK(printf_float_hex, FMT_IS("0x1p+0 -0x1.8p+1", "%a %a", 1.0, -3.0));
	CHECK(printf_inf_nan, FMT_IS("inf -inf nan INF", "%f %f %f %F", INFINITY, -INFINITY, NAN, INFINITY));
	CHECK(printf_string_precision,
	      FMT_IS("[mic|      mica|mica  ]", "[%.3s|%10s|%-6s]", "mica", "mica", "mica"));
	CHECK(printf_char_and_percent, FMT_IS("A%z", "%c%%%c", 'A', 'z'));
	CHECK(printf_star_width_precision, FMT_IS("[   7|2.72]", "[%*d|%.*f]", 4, 7, 2, 2.71828));
	CHECK(printf_positional_args, FMT_IS("world hello", "%2$s %1$s", "hello", "world"));
	void *ptr = &buf[3], *back = 0;
	int pn = snprintf(buf, sizeof(buf), "%p", ptr);
	CHECK(printf_pointer_scans_back,
	      pn > 2 && !strncmp(buf, "0x", 2) && sscanf(buf, "%p", &back) == 1 && back == ptr);

	/* snprintf: the whole length returned, the text cut and ended */
	char small[8];
	volatile size_t cap = sizeof(small); /* unknown to the compiler: no truncation warning */
	int n = snprintf(small, cap, "%s-%d", "truncated", 12345);
	CHECK(snprintf_truncates_returns_full_length, n == 15 && strcmp(small, "truncat") == 0);
	CHECK(snprintf_null_counts, snprintf(0, 0, "%01000d", 1) == 1000);

	int a = 0, b = 0, c = 0, k = -1;
	double d = 0;
	char word[16] = "", set[16] = "";
	unsigned x = 0;
	CHECK(sscanf_ints_hex_octal, sscanf("42 -17 0x1f 017", "%d %d %x %i", &a, &b, &x, &c) == 4 &&
					     a == 42 && b == -17 && x == 31 && c == 15);
	CHECK(sscanf_float_and_string, sscanf("  -2.5e3 mica!", "%lf %15s", &d, word) == 2 && d == -2500.0 &&
					       strcmp(word, "mica!") == 0);
	CHECK(sscanf_scanset_and_count,
	      sscanf("abcXYZ12", "%15[a-z]%n", set, &k) == 1 && strcmp(set, "abc") == 0 && k == 3);
	CHECK(sscanf_stops_at_mismatch, sscanf("7 apples", "%d %d", &a, &b) == 1 && a == 7);
	CHECK(sscanf_empty_is_eof, sscanf("", "%d", &a) == EOF);

	/* memory streams: fmemopen reads with ungetc, open_memstream grows */
	FILE *f = fmemopen((void *)"xyz", 3, "r");
	int c1 = f ? fgetc(f) : -1, u = f ? ungetc('Q', f) : -1, c2 = f ? fgetc(f) : -1,
	    c3 = f ? fgetc(f) : -1;
	CHECK(fmemopen_fgetc_ungetc, c1 == 'x' && u == 'Q' && c2 == 'Q' && c3 == 'y' && f && fclose(f) == 0);
	char *mem = 0;
	size_t len = 0;
	FILE *m = open_memstream(&mem, &len);
	int total = 0;
	for (int i = 0; m && i < 1000; i++)
		total += fprintf(m, "%04d,", i);
	int closed = m ? fclose(m) : -1;
	CHECK(open_memstream_grows,
	      closed == 0 && total == 5000 && len == 5000 && mem && strncmp(mem + 4995, "0999,", 5) == 0);
	free(mem);

	CHECK(printf_to_stdout_returns_length, printf("stdio: %s %d\n", "a line of", 13) == 20);
	CHECK(fputs_puts_to_stdout,
	      fputs("stdio: fputs\n", stdout) >= 0 && puts("stdio: puts") >= 0 && fflush(stdout) == 0);
}
