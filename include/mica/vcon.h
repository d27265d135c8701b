/* The Vcon (kernel console) protocol. The method is the tag's label. */
#pragma once

#include <mica/msgtag.h>

enum {
	/* MR0 = byte count n, MR1.. = the bytes, packed little-endian, 8 per
	 * word; u >= 1 + ceil(n / 8). Right: WRITE. */
	MICA_VCON_WRITE = 1,
	/* -> MR0 = input flags, MR1 = output flags, MR2 = local flags. Right:
	 * READ. */
	MICA_VCON_GET_ATTR = 2,
	/* MR0..MR2 as GET_ATTR returns them. Right: CONTROL. */
	MICA_VCON_SET_ATTR = 3,
	/* Input: comes with the IRQ issue (MICA_E_NOT_IMPLEMENTED until then). */
	MICA_VCON_READ = 4,
};

#define MICA_VCON_WRITE_MAX ((MICA_MSG_WORDS_MAX - 1) * 8) /* 496 */

/* Output flags */
#define MICA_VCON_ONLCR (1ul << 0) /* write "\n" as "\r\n" (the default) */
#define MICA_VCON_OFLAGS MICA_VCON_ONLCR
/* Input and local flags: none defined yet; setting unknown bits is BAD_ARG. */
