/* Flexpage and typed-item decoding, and the X.2 send-base rule: pure
 * arithmetic on untrusted words, host-tested (tests/unit/test_fpage.c),
 * shared by the kernel and sigma0. */
#pragma once

#include <mica/error.h>
#include <mica/fpage.h>
#include <stdbool.h>
#include <stdint.h>

struct fpage {
	uint64_t base;	 /* in the space's unit: byte, port or selector */
	unsigned log2;	 /* 2^log2 units */
	unsigned type;	 /* enum mica_fpage_type */
	unsigned rights; /* MICA_FPAGE_R/W/X */
};

struct item {
	enum mica_item_kind kind;
	uint64_t hot; /* send base, in the fpage's unit */
	struct fpage fp;
};

/* The contracts below (ACSL, proved by `make prove`, docs/assurance.md)
 * say what a decoded flexpage promises: the names are read as English. */
/*@ // Facts of binary arithmetic the solvers do not derive by themselves
    // (they see & and << as opaque functions on integers): assumed, and
    // checked for every value of small widths by tests/unit/test_fpage.c.
    axiomatic FpageBits {
	// 2^n, for the widths a 64-bit word has.
	axiom shift_one_range: \forall integer n; 0 <= n <= 63 ==>
	    1 <= (1 << n) <= 9223372036854775808;
	axiom shift_one_grows: \forall integer m, n; 0 <= m <= n <= 63 ==>
	    (1 << m) <= (1 << n);
	// The low n bits of x are below 2^n, and no more than x.
	axiom low_bits_below: \forall integer x, n; 0 <= x && 0 <= n <= 63 ==>
	    0 <= (x & ((1 << n) - 1)) < (1 << n) && (x & ((1 << n) - 1)) <= x;
	// The same two facts with the mask as C computes it, (1ul << n) - 1
	// in 64-bit words, so that they apply to the words of lib/fpage.c's
	// low_bits and block_offset as they stand.
	axiom low_bits_below_word: \forall integer x, n; 0 <= x && 0 <= n <= 63 ==>
	    0 <= (x & (uint64_t)((uint64_t)(1 << n) - 1)) < (1 << n) &&
	    (x & (uint64_t)((uint64_t)(1 << n) - 1)) <= x;
	// x below 2^n, rounded down to a multiple of 2^m (m <= n), leaves
	// room for 2^m more below 2^n: an aligned block stays inside.
	axiom round_down_fits_word: \forall integer x, m, n; 0 <= m <= n <= 63 && 0 <= x < (1 << n) ==>
	    x - (x & (uint64_t)((uint64_t)(1 << m) - 1)) + (1 << m) <= (1 << n);
    }
*/

/*@ // Address bits of each space: bytes, ports, selectors; 0: no space.
    logic integer fpage_space_bits(integer type) =
	type == MICA_FPAGE_MEM ? MICA_FPAGE_MEM_MAX :
	type == MICA_FPAGE_IO ? MICA_FPAGE_IO_MAX :
	type == MICA_FPAGE_OBJ ? MICA_FPAGE_OBJ_MAX : 0;

    // The low log2 bits of base are clear.
    predicate fpage_aligned(integer base, integer log2) = (base & ((1 << log2) - 1)) == 0;

    // A flexpage that names a real region: a known space, a size in that
    // space's range, the base's low log2 bits clear (aligned), and the
    // whole region inside the space.
    predicate fpage_ok(struct fpage f) =
	fpage_space_bits(f.type) > 0 &&
	f.log2 <= fpage_space_bits(f.type) &&
	(f.type == MICA_FPAGE_MEM ==> f.log2 >= MICA_FPAGE_MEM_MIN) &&
	fpage_aligned(f.base, f.log2) &&
	f.base + (1 << f.log2) <= (1 << fpage_space_bits(f.type)) &&
	f.rights <= MICA_FPAGE_RIGHTS;
*/

/* Decodes and checks a flexpage word: known type, size in the type's
 * range, base aligned and the region inside the space. Nil is invalid. */
/*@ requires \valid(f);
    assigns *f;
    ensures fields: f->type == ((w >> MICA_FPAGE_TYPE_SHIFT) & 3) &&
		    f->log2 == ((w >> MICA_FPAGE_SIZE_SHIFT) & 0x3f) &&
		    f->rights == (w & MICA_FPAGE_RIGHTS);
    ensures known_space: \result == \true ==> fpage_space_bits(f->type) > 0 && (w & 8) == 0;
    ensures size_in_range: \result == \true ==> f->log2 <= fpage_space_bits(f->type) &&
	(f->type == MICA_FPAGE_MEM ==> f->log2 >= MICA_FPAGE_MEM_MIN);
    ensures aligned: \result == \true ==> fpage_aligned(f->base, f->log2);
    ensures inside_space: \result == \true ==> f->base + (1 << f->log2) <= (1 << fpage_space_bits(f->type));
    ensures rights: f->rights <= MICA_FPAGE_RIGHTS;
    // The converse: every real region is accepted.
    ensures accepts_real: fpage_ok(*f) && (w & 8) == 0 ==> \result == \true;
*/
bool fpage_decode(uint64_t w, struct fpage *f);

/* Decodes the two words of a typed item. */
/*@ requires \valid(it);
    assigns *it;
    ensures only_map_or_grant: \result == MICA_OK ==>
	(it->kind == MICA_ITEM_MAP || it->kind == MICA_ITEM_GRANT) && fpage_ok(it->fp);
    ensures or_bad_arg: \result == MICA_OK || \result == MICA_E_BAD_ARG;
*/
enum mica_error item_decode(uint64_t w0, uint64_t w1, struct item *it);

/* The region an item transfers into window win (same type), by the X.2
 * send-base rule: the smaller of the two sizes is moved; where the
 * sender's fpage is larger, the part holding the hot spot goes; where the
 * window is larger, it lands at the hot spot's offset in the window.
 * I/O ports never move: the fpage itself must lie in the window.
 * MICA_E_OVERFLOW if the item cannot go there. */
/*@ requires \valid_read(it) && \valid_read(win);
    requires \valid(src) && \valid(dst) && \valid(log2);
    requires \separated(src, dst, log2, it, win);
    requires decoded: fpage_ok(it->fp) && fpage_ok(*win);
    assigns *src, *dst, *log2;
    behavior other_space:
	assumes win->type != it->fp.type;
	ensures \result == MICA_E_OVERFLOW;
    behavior same_space:
	assumes win->type == it->fp.type;
	ensures \result == MICA_OK || \result == MICA_E_OVERFLOW;
	// What moves lies in the sender's flexpage and lands in the window.
	// Never more than the sender sent, nor (memory, objects) than the
	// window takes; I/O ports go only where the window holds them.
	ensures no_larger_than_sent: \result == MICA_OK ==> *log2 <= it->fp.log2;
	ensures no_larger_than_window: \result == MICA_OK && it->fp.type != MICA_FPAGE_IO ==>
	    *log2 <= win->log2;
	// The moved region lies inside the sender's flexpage and inside
	// the window.
	ensures inside_sent: \result == MICA_OK ==>
	    it->fp.base <= *src && *src + (1 << *log2) <= it->fp.base + (1 << it->fp.log2);
	ensures inside_window: \result == MICA_OK ==>
	    win->base <= *dst && *dst + (1 << *log2) <= win->base + (1 << win->log2);
    complete behaviors;
    disjoint behaviors;
*/
enum mica_error item_region(const struct item *it, const struct fpage *win, uint64_t *src, uint64_t *dst,
			    unsigned *log2);
