/* The stdlib group: malloc and free of 100,000 blocks with everything
 * given back, calloc, realloc, aligned allocation, qsort and bsearch,
 * setjmp/longjmp, the string-to-number conversions, integer helpers,
 * rand and the environment. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

/* The POSIX back end's count of anonymous memory (mmap and the break)
 * the program holds (user/posix/mem.c). */
unsigned long posix_mem_held(void);

#define BLOCKS 100000

/* One round: BLOCKS blocks of 1 to 96 bytes, each filled with its own
 * pattern, all checked, then all freed (every other one first, so the
 * allocator sees holes). Returns whether every block held its pattern;
 * the back end's peak in *peak. */
static int malloc_round(unsigned char **blk, unsigned long *peak)
{
	int ok = 1;
	for (unsigned i = 0; i < BLOCKS; i++) {
		size_t n = 1 + (i * 7919u) % 96;
		blk[i] = malloc(n);
		if (!blk[i]) {
			ok = 0;
			continue;
		}
		memset(blk[i], (int)(i & 0xff), n);
	}
	*peak = posix_mem_held();
	for (unsigned i = 0; i < BLOCKS; i++) {
		size_t n = 1 + (i * 7919u) % 96;
		for (size_t j = 0; blk[i] && j < n; j++)
			ok &= blk[i][j] == (unsigned char)(i & 0xff);
	}
	for (unsigned i = 0; i < BLOCKS; i += 2)
		free(blk[i]);
	for (unsigned i = 1; i < BLOCKS; i += 2)
		free(blk[i]);
	return ok;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static jmp_buf jb;
static int depth;

static void dive(int n) // NOLINT(misc-no-recursion): nested frames for longjmp to leave
{
	if (n > 100)
		return; /* never: the jump comes at 10 */
	depth = n;
	if (n == 10)
		longjmp(jb, n * 3);
	dive(n + 1);
}

SUITE_GROUP(stdlib)
{
	/* 100,000 blocks, twice: the second round needs nothing more than
	 * the first (all of it came back to the allocator), and after it
	 * the memory held is back to where it started but for the
	 * allocator's own bookkeeping (its metadata area, a few pages). */
	static unsigned char *blk[BLOCKS];
	unsigned long before = posix_mem_held(), peak1 = 0, peak2 = 0;
	int ok1 = malloc_round(blk, &peak1);
	unsigned long after1 = posix_mem_held();
	int ok2 = malloc_round(blk, &peak2);
	unsigned long after2 = posix_mem_held();
	printf("stdlib: held %lu, peak %lu, after %lu; peak %lu, after %lu\n", before, peak1, after1, peak2,
	       after2);
	CHECK(malloc_100000_blocks_hold_their_bytes, ok1 && ok2 && peak1 > before + BLOCKS * 16ul);
	CHECK(free_returns_every_block,
	      after2 <= after1 && peak2 <= peak1 && after1 - before <= 256ul * 1024);

	/* Large blocks are mappings of their own: each comes and goes.
	 * PARTIAL (issue 21): 1 MiB, not more: an 8 MiB block (mapped,
	 * touched, freed) before or after the rounds above makes a later
	 * page fault in the same addresses go unanswered (the program is
	 * killed with exception 14), a bug below the back end (region map
	 * or kernel unmap), reported, not yet found. */
	unsigned long held0 = posix_mem_held(), held_max = 0;
	int large_ok = 1;
	for (int i = 0; i < 16; i++) {
		unsigned char *large = malloc(1u << 20);
		large_ok &= large != 0;
		if (!large)
			continue;
		memset(large, i, 1u << 20);
		large_ok &= large[(1u << 20) - 1] == i;
		if (posix_mem_held() > held_max)
			held_max = posix_mem_held();
		free(large);
	}
	CHECK(large_blocks_mapped_and_unmapped, large_ok && held_max >= held0 + (1u << 20) &&
							held_max < held0 + (2u << 20) &&
							posix_mem_held() == held0);

	int *z = calloc(1000, sizeof(int));
	int zero = z != 0;
	for (int i = 0; z && i < 1000; i++)
		zero &= z[i] == 0;
	free(z);
	CHECK(calloc_zeroes, zero);
	volatile size_t huge = SIZE_MAX / 2;
	void *ov = calloc(huge, 4);
	CHECK(calloc_overflow_fails, ov == 0 && errno == ENOMEM);
	free(ov);

	unsigned char *r = malloc(10), *r2 = 0, *r3 = 0;
	for (int i = 0; r && i < 10; i++)
		r[i] = (unsigned char)(i * 11);
	r2 = r ? realloc(r, 100000) : 0;
	int kept = r2 != 0;
	for (int i = 0; r2 && i < 10; i++)
		kept &= r2[i] == i * 11;
	r3 = r2 ? realloc(r2, 5) : 0;
	kept &= r3 && r3[4] == 44;
	free(r3 ? r3 : r2);
	CHECK(realloc_keeps_contents, kept);

	void *al = 0;
	int pm = posix_memalign(&al, 4096, 100);
	void *al2 = aligned_alloc(256, 512);
	CHECK(posix_memalign_aligned_alloc,
	      pm == 0 && ((uintptr_t)al & 4095) == 0 && al2 && ((uintptr_t)al2 & 255) == 0);
	free(al);
	free(al2);

	/* qsort: 10,000 pseudo-random ints, and strings; bsearch finds */
	static int v[10000];
	unsigned seed = 12345;
	for (int i = 0; i < 10000; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int)(seed >> 8) % 100000 - 50000;
	}
	qsort(v, 10000, sizeof(int), cmp_int);
	int sorted = 1;
	for (int i = 1; i < 10000; i++)
		sorted &= v[i - 1] <= v[i];
	CHECK(qsort_10000_ints, sorted);
	const char *names[] = { "sigma0", "root", "ktest", "lua", "minigzip", "hello", "bench" };
	qsort(names, 7, sizeof(names[0]), cmp_str);
	CHECK(qsort_strings,
	      !strcmp(names[0], "bench") && !strcmp(names[3], "lua") && !strcmp(names[6], "sigma0"));
	int key = v[4321], *hit = bsearch(&key, v, 10000, sizeof(int), cmp_int), missing = 50001;
	CHECK(bsearch_finds, hit && *hit == key && !bsearch(&missing, v, 10000, sizeof(int), cmp_int));

	/* setjmp/longjmp: out of ten nested calls, with the value; 0 is 1 */
	volatile int passes = 0, got = -1;
	switch (setjmp(jb)) { /* one of the places setjmp may be called */
	case 0:
		passes++;
		dive(1);
		break;
	case 30:
		passes++;
		got = 30;
		break;
	default:
		break;
	}
	CHECK(longjmp_from_nested_calls, got == 30 && depth == 10 && passes == 2);
	volatile int zero_jump = 0;
	if (!setjmp(jb)) {
		zero_jump = -1;
		longjmp(jb, 0);
	} else {
		zero_jump = zero_jump == -1;
	}
	CHECK(longjmp_zero_returns_one, zero_jump == 1);

	char *end = 0;
	double d1 = strtod(" -2.5e+2xyz", &end);
	CHECK(strtod_decimal_endptr, d1 == -250.0 && strcmp(end, "xyz") == 0);
	CHECK(strtod_hex_inf_nan,
	      strtod("0x1p4", 0) == 16.0 && isinf(strtod("inf", 0)) && isnan(strtod("nan", 0)));
	CHECK(strtod_rounds_correctly,
	      strtod("0.1", 0) == 0.1 && strtod("1e-3", 0) == 0.001 &&
		      strtod("2.2250738585072014e-308", 0) == 2.2250738585072014e-308);
	errno = 0;
	CHECK(strtod_underflow_overflow,
	      strtod("1e999", 0) == HUGE_VAL && errno == ERANGE && strtod("1e-999", 0) == 0.0);
	long l16 = strtol("-0x7fFF", &end, 16);
	CHECK(strtol_bases, l16 == -0x7fff && *end == 0 && strtol("777", 0, 8) == 511 &&
				    strtol("0777", 0, 0) == 511 && strtol("z", 0, 36) == 35);
	CHECK(strtoull_and_atoi, strtoull("18446744073709551615", 0, 10) == ULLONG_MAX &&
					 atoi("  -123abc") == -123 && atol("99") == 99);

	div_t q = div(-7, 2);
	ldiv_t lq = ldiv(7L, -2L);
	CHECK(abs_div_ldiv, abs(-5) == 5 && labs(LONG_MIN + 1) == LONG_MAX && q.quot == -3 && q.rem == -1 &&
				    lq.quot == -3 && lq.rem == 1);

	srand(7);
	int a1 = rand(), a2 = rand();
	srand(7);
	int b1 = rand(), b2 = rand();
	CHECK(rand_repeats_after_srand, a1 == b1 && a2 == b2 && a1 != a2 && a1 >= 0 && a1 <= RAND_MAX);

	int set = setenv("MICA_SUITE", "on", 1), keep = setenv("MICA_SUITE", "off", 0);
	const char *val = getenv("MICA_SUITE");
	int same = val && !strcmp(val, "on");
	CHECK(setenv_getenv_unsetenv,
	      set == 0 && keep == 0 && same && unsetenv("MICA_SUITE") == 0 && !getenv("MICA_SUITE"));
}
