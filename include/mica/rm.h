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
#define MICA_RM_R_CONTROL 4u /* reserved for the owner (the loader) */

/* Attach and reserve flags: the region's rights (MICA_FPAGE_R/W/X in the
 * low bits), and: */
#define MICA_RM_SEARCH (1ul << 8)  /* MR0 is a hint: the map chooses a free address */
#define MICA_RM_IN_AREA (1ul << 9) /* the region must lie inside a reserved area */
#define MICA_RM_EAGER (1ul << 10)  /* map every page at once (no faults later) */
#define MICA_RM_FLAGS (0x7ul | MICA_RM_SEARCH | MICA_RM_IN_AREA | MICA_RM_EAGER)

enum {
	/* MR0 = address (page-aligned; a hint with SEARCH), MR1 = size
	 * (page multiple; 0: from offset to the dataspace's end), MR2 =
	 * offset in the dataspace (page-aligned), MR3 = flags, one object
	 * item: the dataspace -> MR0 = the region's address. The rights must
	 * not exceed the dataspace capability's (W needs its WRITE). Errors:
	 * BAD_ARG (alignment, size, flags, outside the user range), EXISTS
	 * (overlaps a region, or an area without IN_AREA), NO_MEMORY (no
	 * free range, or the map's quota), NO_RIGHTS. Right: WRITE. */
	MICA_RM_ATTACH = 1,
	/* MR0 = an address inside a region -> MR0 = its start, MR1 = its
	 * size; the region is gone and its pages are unmapped from the task.
	 * BAD_ARG if no region is there. Right: WRITE. */
	MICA_RM_DETACH = 2,
	/* MR0 = address, MR1 = size, MR2 = flags (SEARCH) -> MR0 = the
	 * area's address: attaches with IN_AREA land inside it, nothing else
	 * does. Right: WRITE. */
	MICA_RM_RESERVE = 3,
	/* MR0 = address -> MR0 = start, MR1 = size, MR2 = offset, MR3 =
	 * flags of the region holding it (BAD_ARG if none). Right: READ. */
	MICA_RM_FIND = 4,
};
