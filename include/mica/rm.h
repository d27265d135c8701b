/* The region-map protocol (docs/protocols.md §4): a task's address space
 * as regions, each a part of a dataspace, and the task's default pager.
 * Page faults reach it as the kernel's fault message (mica/fpage.h,
 * MICA_LABEL_PAGE_FAULT) through the pager capability the loader gives
 * the task's threads. */
#pragma once

#include <mica/types.h>

/* Rights of a region-map capability. */
#define MICA_RM_R_READ 1u    /* FIND */
#define MICA_RM_R_WRITE 2u   /* ATTACH, DETACH, RESERVE */
#define MICA_RM_R_CONTROL 4u /* page faults (the task's pager capability), MICA_OBJ_DELETE */

/* Attach and reserve flags: the region's rights (MICA_FPAGE_R/W/X in the
 * low bits; R is required), and: */
#define MICA_RM_SEARCH (1ul << 8)  /* MR0 is a hint: the map chooses a free address */
#define MICA_RM_IN_AREA (1ul << 9) /* the region must lie inside a reserved area */
#define MICA_RM_EAGER (1ul << 10)  /* map every page at once (no faults later) */
#define MICA_RM_FLAGS (0x7ul | MICA_RM_SEARCH | MICA_RM_IN_AREA | MICA_RM_EAGER)

enum {
	/* MR0 = address (page-aligned; a hint with SEARCH: the lowest free
	 * address at or above it, 2 MiB-aligned like the offset for a LARGE
	 * dataspace of 2 MiB or more), MR1 = size (page multiple; 0: from
	 * offset to the dataspace's end), MR2 = offset in the dataspace
	 * (page-aligned), MR3 = flags, one object item: a dataspace of the
	 * same server -> MR0 = the region's address. The rights must not
	 * exceed the dataspace capability's (R, X need its READ, W its
	 * WRITE). IN_AREA: the region lies inside the reserved area holding
	 * MR0 (with SEARCH: searched in it). Errors: BAD_ARG (alignment,
	 * size, unknown flags, no R, a range leaving the dataspace or the
	 * user range or overflowing, no dataspace, IN_AREA outside an area
	 * or leaving it), EXISTS (overlaps a region, or an area without
	 * IN_AREA), NO_MEMORY (no free range for SEARCH, the allocator's
	 * quota for a node page, or EAGER backing), NO_RIGHTS. Right: WRITE. */
	MICA_RM_ATTACH = 1,
	/* MR0 = an address inside a region -> MR0 = its start, MR1 = its
	 * size; the region is gone and its pages are unmapped from the task.
	 * An address in a reserved area but no region: the area goes (EXISTS
	 * while regions are left in it). BAD_ARG if neither is there. Right:
	 * WRITE. */
	MICA_RM_DETACH = 2,
	/* MR0 = address, MR1 = size, MR2 = flags (SEARCH) -> MR0 = the
	 * area's address: attaches with IN_AREA land inside it, nothing else
	 * does; faults in it outside regions are errors. It may not overlap
	 * regions or areas (EXISTS). Errors as ATTACH. Right: WRITE. */
	MICA_RM_RESERVE = 3,
	/* MR0 = address -> MR0 = start, MR1 = size, MR2 = offset, MR3 =
	 * flags of the region holding it (BAD_ARG if none). Right: READ. */
	MICA_RM_FIND = 4,
};

/* Page faults (MICA_LABEL_PAGE_FAULT, right CONTROL) are answered with the
 * page (4 KiB, or 2 MiB where the dataspace has one and the region holds
 * the whole block at the same alignment) with the region's rights; or
 * with an error, which the kernel makes the thread's exception (vector
 * 14, fault address and IP): BAD_ARG (no region there), NO_RIGHTS (the
 * access exceeds the region's rights), INVALID_CAP (its dataspace was
 * deleted), NO_MEMORY (the dataspace's allocator's quota). */
