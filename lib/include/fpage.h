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

/* Decodes and checks a flexpage word: known type, size in the type's
 * range, base aligned and the region inside the space. Nil is invalid. */
bool fpage_decode(uint64_t w, struct fpage *f);

/* Decodes the two words of a typed item. */
enum mica_error item_decode(uint64_t w0, uint64_t w1, struct item *it);

/* The region an item transfers into window win (same type), by the X.2
 * send-base rule: the smaller of the two sizes is moved; where the
 * sender's fpage is larger, the part holding the hot spot goes; where the
 * window is larger, it lands at the hot spot's offset in the window.
 * I/O ports never move: the fpage itself must lie in the window.
 * MICA_E_OVERFLOW if the item cannot go there. */
enum mica_error item_region(const struct item *it, const struct fpage *win, uint64_t *src, uint64_t *dst,
			    unsigned *log2);
