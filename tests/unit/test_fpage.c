/* Host unit tests of flexpage and typed-item decoding. */
// links: lib/fpage.c
#include "unit.h"

#include "fpage.h"

static void decodes_each_type(void **state)
{
	(void)state;
	struct fpage f;
	assert_true(fpage_decode(mica_fpage_mem(0x200000, 21, MICA_FPAGE_RW), &f));
	assert_int_equal(f.type, MICA_FPAGE_MEM);
	assert_int_equal(f.base, 0x200000);
	assert_int_equal(f.log2, 21);
	assert_int_equal(f.rights, MICA_FPAGE_RW);
	assert_true(fpage_decode(mica_fpage_io(0x3f8, 3), &f));
	assert_int_equal(f.type, MICA_FPAGE_IO);
	assert_int_equal(f.base, 0x3f8);
	assert_int_equal(f.log2, 3);
	assert_true(fpage_decode(mica_fpage_obj(64, 4, 5), &f));
	assert_int_equal(f.type, MICA_FPAGE_OBJ);
	assert_int_equal(f.base, 64);
	assert_int_equal(f.rights, 5);
	assert_true(fpage_decode(MICA_FPAGE_ALL_MEM, &f));
	assert_int_equal(f.base, 0);
	assert_int_equal(f.log2, 47);
}

static void rejects_malformed(void **state)
{
	(void)state;
	struct fpage f;
	assert_false(fpage_decode(MICA_FPAGE_NIL, &f));			  /* memory of size 1 */
	assert_false(fpage_decode(mica_fpage_mem(0x1000, 11, 1), &f));	  /* below a page */
	assert_false(fpage_decode(mica_fpage_mem(0x1000, 13, 1), &f));	  /* unaligned */
	assert_false(fpage_decode(mica_fpage_mem(0, 48, 1), &f));	  /* beyond the user half */
	assert_false(fpage_decode(mica_fpage_mem(1ul << 47, 12, 1), &f)); /* kernel half */
	assert_false(fpage_decode(mica_fpage_io(0xfff8, 4), &f));	  /* unaligned ports */
	assert_false(fpage_decode(mica_fpage_io(0x10000, 0), &f));	  /* beyond 64 Ki ports */
	assert_false(fpage_decode(mica_fpage_io(0, 17), &f));
	assert_false(fpage_decode(mica_fpage_obj(1ul << 24, 0, 1), &f));   /* beyond 24 bits */
	assert_false(fpage_decode(mica_fpage_obj(3, 1, 1), &f));	   /* unaligned */
	assert_false(fpage_decode((3ul << 10) | (4ul << 4), &f));	   /* type 3 */
	assert_false(fpage_decode(mica_fpage_mem(0x1000, 12, 1) | 8, &f)); /* reserved bit */
}

static void items_decode_kind_and_hot_spot(void **state)
{
	(void)state;
	struct item it;
	assert_int_equal(
		item_decode(mica_item_mem(0x5000, MICA_ITEM_GRANT), mica_fpage_mem(0x4000, 13, 7), &it),
		MICA_OK);
	assert_int_equal(it.kind, MICA_ITEM_GRANT);
	assert_int_equal(it.hot, 0x5000);
	assert_int_equal(item_decode(mica_item_unit(40, MICA_ITEM_MAP), mica_fpage_obj(32, 3, 7), &it),
			 MICA_OK);
	assert_int_equal(it.hot, 40);
	assert_int_equal(item_decode(3, mica_fpage_mem(0x4000, 12, 7), &it), MICA_E_BAD_ARG);
	assert_int_equal(item_decode(0x11, mica_fpage_mem(0x4000, 12, 7), &it), MICA_E_BAD_ARG);
	assert_int_equal(item_decode(MICA_ITEM_MAP, MICA_FPAGE_NIL, &it), MICA_E_BAD_ARG);
}

static void region(uint64_t w0, uint64_t fp, uint64_t win, uint64_t *src, uint64_t *dst, unsigned *log2,
		   enum mica_error want)
{
	struct item it;
	struct fpage w;
	assert_int_equal(item_decode(w0, fp, &it), MICA_OK);
	assert_true(fpage_decode(win, &w));
	assert_int_equal(item_region(&it, &w, src, dst, log2), want);
}

static void send_base_rule(void **state)
{
	(void)state;
	uint64_t src, dst;
	unsigned l;
	/* equal sizes: fpage onto window */
	region(mica_item_mem(0, 1), mica_fpage_mem(0x10000, 14, 7), mica_fpage_mem(0x80000, 14, 7), &src,
	       &dst, &l, MICA_OK);
	assert_int_equal(src, 0x10000);
	assert_int_equal(dst, 0x80000);
	assert_int_equal(l, 14);
	/* small fpage, large window: lands at the hot spot's offset */
	region(mica_item_mem(0x7654321000, 1), mica_fpage_mem(0x3000, 12, 7), MICA_FPAGE_ALL_MEM, &src, &dst,
	       &l, MICA_OK);
	assert_int_equal(src, 0x3000);
	assert_int_equal(dst, 0x7654321000);
	assert_int_equal(l, 12);
	region(mica_item_mem(0x5000, 1), mica_fpage_mem(0x2000, 13, 7), mica_fpage_mem(0x100000, 16, 7), &src,
	       &dst, &l, MICA_OK);
	assert_int_equal(src, 0x2000);
	assert_int_equal(dst, 0x104000); /* 0x5000 rounded to 8 KiB, mod 64 KiB */
	assert_int_equal(l, 13);
	/* large fpage, small window: the part holding the hot spot */
	region(mica_item_mem(0x3000, 1), mica_fpage_mem(0x40000, 16, 7), mica_fpage_mem(0x9000, 12, 7), &src,
	       &dst, &l, MICA_OK);
	assert_int_equal(src, 0x43000);
	assert_int_equal(dst, 0x9000);
	assert_int_equal(l, 12);
	/* objects follow the same rule */
	region(mica_item_unit(0x21, 1), mica_fpage_obj(0x20, 4, 7), mica_fpage_obj(0x100, 0, 7), &src, &dst,
	       &l, MICA_OK);
	assert_int_equal(src, 0x21);
	assert_int_equal(dst, 0x100);
	assert_int_equal(l, 0);
}

static void io_ports_stay_put(void **state)
{
	(void)state;
	uint64_t src, dst;
	unsigned l;
	region(mica_item_unit(0, 1), mica_fpage_io(0x3f8, 3), mica_fpage_io(0, 16), &src, &dst, &l, MICA_OK);
	assert_int_equal(src, 0x3f8);
	assert_int_equal(dst, 0x3f8);
	assert_int_equal(l, 3);
	region(mica_item_unit(0, 1), mica_fpage_io(0x3f8, 3), mica_fpage_io(0x3f8, 2), &src, &dst, &l,
	       MICA_E_OVERFLOW);
	region(mica_item_unit(0, 1), mica_fpage_io(0x60, 0), mica_fpage_io(0x3f8, 3), &src, &dst, &l,
	       MICA_E_OVERFLOW);
}

static void window_of_other_type_overflows(void **state)
{
	(void)state;
	uint64_t src, dst;
	unsigned l;
	region(mica_item_mem(0, 1), mica_fpage_mem(0x1000, 12, 7), mica_fpage_obj(0, 24, 7), &src, &dst, &l,
	       MICA_E_OVERFLOW);
}

/* The facts of binary arithmetic that the proofs of fpage.h assume
 * (axiomatic FpageBits), for every x below 2^14 and every width up to 14
 * (shift_one_* for every width of a word). */
static void proof_axioms_hold(void **state)
{
	(void)state;
	for (unsigned n = 0; n <= 63; n++) {
		assert_true(1ul << n >= 1 && 1ul << n <= 1ul << 63);
		for (unsigned m = 0; m <= n; m++)
			assert_true(1ul << m <= 1ul << n);
	}
	for (uint64_t x = 0; x < (1u << 14); x++)
		for (unsigned n = 0; n <= 14; n++) {
			uint64_t low = x & ((1ul << n) - 1);
			assert_true(low < 1ul << n && low <= x);
			/* round_down_fits_word: x below 2^n, rounded down to 2^m. */
			for (unsigned m = 0; m <= n && x < 1ul << n; m++)
				assert_true(x - (x & ((1ul << m) - 1)) + (1ul << m) <= 1ul << n);
		}
	/* The same with the high widths: the largest x below 2^n. */
	for (unsigned n = 0; n <= 63; n++)
		for (unsigned m = 0; m <= n; m++) {
			uint64_t x = (1ul << n) - 1;
			assert_true(x - (x & ((1ul << m) - 1)) + (1ul << m) <= 1ul << n);
		}
}

/* What the proofs of issue 26 state, on every small region: every real
 * region is accepted (fpage_decode's accepts_real), and what item_region
 * moves lies inside the sender's flexpage and the window (inside_sent,
 * inside_window). */
static void regions_inside(void **state)
{
	(void)state;
	struct fpage f;
	for (uint64_t base = 0; base < 64; base++)
		for (unsigned s = 0; s <= 7; s++) {
			bool real = !(base & ((1ul << s) - 1));
			assert_int_equal(fpage_decode(mica_fpage_obj(base, s, 7), &f), real);
			assert_int_equal(fpage_decode(mica_fpage_io(base, s), &f), real);
		}
	for (unsigned fs = 0; fs <= 5; fs++)
		for (unsigned ws = 0; ws <= 5; ws++)
			for (uint64_t hot = 0; hot < 96; hot += 3) {
				struct item it;
				struct fpage w;
				uint64_t src, dst;
				unsigned l;
				uint64_t fb = 32 & ~((1ul << fs) - 1), wb = 64;
				assert_int_equal(item_decode(mica_item_unit(hot, MICA_ITEM_MAP),
							     mica_fpage_obj(fb, fs, 7), &it),
						 MICA_OK);
				assert_true(fpage_decode(mica_fpage_obj(wb, ws, 7), &w));
				assert_int_equal(item_region(&it, &w, &src, &dst, &l), MICA_OK);
				assert_true(fb <= src && src + (1ul << l) <= fb + (1ul << fs));
				assert_true(wb <= dst && dst + (1ul << l) <= wb + (1ul << ws));
				/* The old spelling: the hot spot rounded down to the moved size, cut to each
				 * side. */
				uint64_t off = hot & ~((1ul << l) - 1);
				assert_int_equal(src, fb + (off & ((1ul << fs) - 1)));
				assert_int_equal(dst, wb + (off & ((1ul << ws) - 1)));
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_each_type), cmocka_unit_test(proof_axioms_hold),
		cmocka_unit_test(rejects_malformed), cmocka_unit_test(items_decode_kind_and_hot_spot),
		cmocka_unit_test(send_base_rule),    cmocka_unit_test(regions_inside),
		cmocka_unit_test(io_ports_stay_put), cmocka_unit_test(window_of_other_type_overflows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
