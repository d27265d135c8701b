/* The sigma0 protocol (docs/abi.md section 8.1).
 *
 * sigma0 owns all free physical memory and every I/O port when the
 * system starts. The root task reaches it through its pager gate
 * (MICA_CAP_PAGER): requests are calls with tag label MICA_LABEL_SIGMA0,
 * MR0 = request, MR1 = a flexpage. Its page faults arrive through the
 * same gate and are served from its boot module. Requests are served
 * first come first served: a frame or port goes out once. */
#pragma once

#include <mica/fpage.h>

enum mica_sigma0_request {
	/* MR1 = memory fpage: exactly these frames, free RAM or a boot
	 * module's image. */
	MICA_SIGMA0_MEM = 1,
	/* MR1 = memory fpage whose base is ignored: any free RAM block of
	 * that size, aligned to it. */
	MICA_SIGMA0_MEM_ANY = 2,
	/* MR1 = memory fpage: device memory (neither RAM nor the kernel's). */
	MICA_SIGMA0_DEVICE = 3,
	/* MR1 = I/O fpage: those ports. */
	MICA_SIGMA0_IO = 4,
	/* -> MR0 = free RAM bytes, MR1 = RAM bytes given out. */
	MICA_SIGMA0_INFO = 5,
};
#define MICA_SIGMA0_REQUEST_WORDS 2

/* A successful memory or I/O request is answered with u = 1, MR0 = the
 * flexpage given (the physical address or first port, the rights asked
 * for), and one map item of it with the hot spot at its base: it lands in
 * the caller's BR0 (memory) or BR1 (I/O) window by the send-base rule.
 * Errors: MICA_E_BAD_ARG (malformed request or flexpage, no R right),
 * MICA_E_NO_MEMORY (not free: given out already, or nothing of that size
 * left), MICA_E_NO_RIGHTS (not that kind of memory, e.g. kernel memory or
 * RAM asked for as a device), MICA_E_UNKNOWN_OP (unknown request). */

/* The label of the root task's pager capability: what sigma0 sees. */
#define MICA_SIGMA0_LABEL_ROOT 1ul
