/* Flexpage and typed-item decoding, and the X.2 send-base rule (see
 * fpage.h). */
#include "fpage.h"

/*@ assigns \nothing;
    ensures \result == fpage_space_bits(type);
*/
static unsigned space_bits(unsigned type)
{
	switch (type) {
	case MICA_FPAGE_MEM:
		return MICA_FPAGE_MEM_MAX;
	case MICA_FPAGE_IO:
		return MICA_FPAGE_IO_MAX;
	case MICA_FPAGE_OBJ:
		return MICA_FPAGE_OBJ_MAX;
	default:
		return 0;
	}
}

bool fpage_decode(uint64_t w, struct fpage *f)
{
	f->type = mica_fpage_type(w);
	f->log2 = mica_fpage_log2(w);
	f->rights = (unsigned)mica_fpage_rights(w);
	f->base = mica_fpage_base(w);
	unsigned bits = space_bits(f->type);
	if (!bits || (w & 8) || f->log2 > bits)
		return false;
	if (f->type == MICA_FPAGE_MEM && f->log2 < MICA_FPAGE_MEM_MIN)
		return false;
	uint64_t size = 1ul << f->log2, space = 1ul << bits;
	/* The words' powers of two are the numbers' (no bit shifted out). */
	//@ assert size_exact: size == (1 << f->log2) && 0 < size;
	//@ assert space_exact: space == (1 << bits) && size <= space;
	bool ok = (f->base & (size - 1)) == 0 && f->base < space && size <= space - f->base;
	/* The converse, step by step: a real region passes each test. */
	//@ assert real_aligned: fpage_ok(*f) ==> fpage_aligned(f->base, f->log2);
	//@ assert real_inside: fpage_ok(*f) ==> f->base < space && size <= space - f->base;
	return ok;
}

enum mica_error item_decode(uint64_t w0, uint64_t w1, struct item *it)
{
	it->kind = (enum mica_item_kind)(w0 & MICA_ITEM_KIND_MASK);
	if ((it->kind != MICA_ITEM_MAP && it->kind != MICA_ITEM_GRANT) || (w0 & 0xff0))
		return MICA_E_BAD_ARG;
	if (!fpage_decode(w1, &it->fp))
		return MICA_E_BAD_ARG;
	it->hot = it->fp.type == MICA_FPAGE_MEM ? w0 & ~0xffful : w0 >> MICA_FPAGE_BASE_SHIFT;
	return MICA_OK;
}

/* The low n bits of x. Out of line for the proof (WP uses its contract;
 * the compiler inlines it all the same), so that the assumed facts of
 * FpageBits (fpage.h) meet x as a variable. */
/*@ requires n <= 63;
    assigns \nothing;
    ensures below: \result < (1 << n) && \result <= x;
*/
static uint64_t low_bits(uint64_t x, unsigned n)
{
	return x & ((1ul << n) - 1);
}

/* Where the block of 2^m units that holds x starts in the block of 2^n
 * (m <= n) that holds it: x's low n bits rounded down to a multiple of
 * 2^m, so the block fits. */
/*@ requires m <= n <= 63;
    assigns \nothing;
    ensures fits: \result + (1 << m) <= (1 << n);
*/
static uint64_t block_offset(uint64_t x, unsigned m, unsigned n)
{
	uint64_t o = low_bits(x, n);
	return o - (o & ((1ul << m) - 1));
}

enum mica_error item_region(const struct item *it, const struct fpage *win, uint64_t *src, uint64_t *dst,
			    unsigned *log2)
{
	const struct fpage *f = &it->fp;
	if (win->type != f->type)
		return MICA_E_OVERFLOW;
	if (f->type == MICA_FPAGE_IO) {
		uint64_t wend = win->base + (1ul << win->log2);
		if (f->base < win->base || f->base + (1ul << f->log2) > wend)
			return MICA_E_OVERFLOW;
		*src = *dst = f->base;
		*log2 = f->log2;
		return MICA_OK;
	}
	unsigned m = f->log2 < win->log2 ? f->log2 : win->log2;
	*src = f->base + block_offset(it->hot, m, f->log2);
	*dst = win->base + block_offset(it->hot, m, win->log2);
	*log2 = m;
	return MICA_OK;
}
