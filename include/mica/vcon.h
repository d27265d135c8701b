/* The Vcon (kernel console) protocol. The method is the tag's label.
 *
 * MICA_VCON_WRITE: MR[0] = byte count n, MR[1..] = the bytes, packed
 * little-endian, 8 per word; u must be at least 1 + ceil(n / 8). */
#pragma once

#include <mica/utcb.h>

enum {
	MICA_VCON_WRITE = 1,
};

#define MICA_VCON_WRITE_MAX ((MICA_UTCB_MRS - 1) * 8)
