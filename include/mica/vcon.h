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
	/* MR0 = at most this many bytes (1 .. MICA_VCON_READ_MAX), MR1 = a
	 * timeout word (docs/abi.md 5.4; an absolute one reads the receive
	 * timeout_abs TCR) -> MR0 = n >= 1, MR1.. = the bytes, packed as for
	 * WRITE. Waits until input arrives or the timeout ends
	 * (MICA_E_TIMEOUT); MICA_E_BUSY while a user-level driver holds the
	 * input line (mica/irq.h: a bound IRQ object), and for a waiting
	 * reader when one binds it; also when the kernel has no interrupt
	 * line to read it by. Right: READ. */
	MICA_VCON_READ = 4,
};

#define MICA_VCON_WRITE_MAX ((MICA_MSG_WORDS_MAX - 1) * sizeof(mica_word_t)) /* 496 */
#define MICA_VCON_READ_MAX MICA_VCON_WRITE_MAX

/* Output flags */
#define MICA_VCON_ONLCR (1ul << 0) /* write "\n" as "\r\n" (the default) */
#define MICA_VCON_OFLAGS MICA_VCON_ONLCR
/* Input flags */
#define MICA_VCON_ICRNL (1ul << 0) /* read "\r" as "\n" (the default) */
#define MICA_VCON_IFLAGS MICA_VCON_ICRNL
/* Local flags: none defined yet. Setting unknown bits is BAD_ARG. */
