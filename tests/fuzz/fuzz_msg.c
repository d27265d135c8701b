// links: lib/fpage.c
/* A message as the kernel reads it: the tag (msgtag_check, the same
 * inline code the IPC path runs), then each typed item against the
 * receiver's window for its type (item_decode, fpage_decode,
 * item_region). Input: the tag, the three window words, then the message
 * registers. What is moved must lie inside both the sender's fpage and
 * the receiver's window, aligned to its size. */
#include "fuzz.h"

#include "fpage.h"
#include "msgtag_check.h"

static void check_region(const struct item *it, const struct fpage *win)
{
	uint64_t src, dst;
	unsigned log2;
	if (item_region(it, win, &src, &dst, &log2) != MICA_OK) {
		FUZZ_ASSERT(win->type != it->fp.type || it->fp.type == MICA_FPAGE_IO);
		return;
	}
	const struct fpage *f = &it->fp;
	FUZZ_ASSERT(win->type == f->type);
	FUZZ_ASSERT(log2 <= f->log2 && log2 <= win->log2);
	uint64_t n = 1ul << log2;
	FUZZ_ASSERT((src & (n - 1)) == 0 && (dst & (n - 1)) == 0);
	FUZZ_ASSERT(src >= f->base && src - f->base <= (1ul << f->log2) - n);
	FUZZ_ASSERT(dst >= win->base && dst - win->base <= (1ul << win->log2) - n);
	if (f->type == MICA_FPAGE_IO)
		FUZZ_ASSERT(src == dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t w[4 + MICA_UTCB_MRS] = { 0 };
	size_t n = size / 8 < sizeof(w) / 8 ? size / 8 : sizeof(w) / 8;
	for (size_t i = 0; i < n; i++)
		w[i] = fuzz_word(data + 8 * i);
	mica_msgtag_t tag = { w[0] };
	const uint64_t *windows = w + 1, *mr = w + 4;
	if (msgtag_check(tag) != MICA_OK)
		return 0;
	unsigned u = mica_msgtag_u(tag), t = mica_msgtag_t_items(tag);
	FUZZ_ASSERT(u + t <= MICA_UTCB_MRS && t % MICA_ITEM_WORDS == 0);
	FUZZ_ASSERT((mica_msgtag_flags(tag) & ~MICA_TAG_SEND_FLAGS) == 0);
	for (unsigned i = u; i < u + t; i += MICA_ITEM_WORDS) {
		struct item it;
		if (item_decode(mr[i], mr[i + 1], &it) != MICA_OK)
			return 0;
		FUZZ_ASSERT(it.kind == MICA_ITEM_MAP || it.kind == MICA_ITEM_GRANT);
		FUZZ_ASSERT(it.fp.type <= MICA_FPAGE_OBJ);
		struct fpage win;
		if (!fpage_decode(windows[it.fp.type], &win))
			return 0;
		check_region(&it, &win);
	}
	return 0;
}
