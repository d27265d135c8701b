/* The dataspace protocol (docs/protocols.md §3): memory as an object.
 * A dataspace is a size's worth of bytes that a memory server keeps;
 * clients map parts of it into their receive window. Created through a
 * memory allocator's factory protocol (MICA_PROTO_DATASPACE). */
#pragma once

#include <mica/types.h>

/* Rights of a dataspace capability (docs/protocols.md §1). */
#define MICA_DS_R_READ 1u    /* map read(-execute), INFO */
#define MICA_DS_R_WRITE 2u   /* map writable, CLEAR, COPY_IN */
#define MICA_DS_R_CONTROL 4u /* PHYS */

/* Flags, given at creation. */
#define MICA_DS_PINNED (1ul << 0) /* backed at creation, never paged out or moved */
#define MICA_DS_CONTIG (1ul << 1) /* physically contiguous (implies PINNED) */
#define MICA_DS_LARGE (1ul << 2)  /* backed with 2 MiB pages where the offset allows */
#define MICA_DS_FLAGS (MICA_DS_PINNED | MICA_DS_CONTIG | MICA_DS_LARGE)
/* Flags INFO adds for the capability asked through (never given at
 * creation): whether it may write the dataspace (its WRITE right, and
 * the dataspace is writable at all: a ROM module's is not). */
#define MICA_DS_RW (1ul << 8)

/* The most bytes one COPY_IN copies. */
#define MICA_DS_COPY_MAX (64ul << 20)

enum {
	/* -> MR0 = size in bytes, MR1 = flags: those it was created with,
	 * and MICA_DS_RW if this capability may write it (else it is
	 * read-only to the caller). Right: READ. */
	MICA_DS_INFO = 1,
	/* MR0 = offset, MR1 = hot spot (where in the caller's BR0 window
	 * the page lands, as for any memory item), MR2 = rights
	 * (MICA_FPAGE_R/W/X; W needs WRITE) -> one memory map item (t = 2)
	 * of the page holding offset: 2 MiB where the dataspace has a large
	 * page there and offset and hot spot agree modulo 2 MiB, else 4 KiB.
	 * A page not yet backed is backed (zero-filled) first; a page shared
	 * copy-on-write gets a copy of its own first if W is asked. Errors:
	 * BAD_ARG (offset outside, rights without R or other bits),
	 * NO_RIGHTS, NO_MEMORY (quota or memory). Right: READ. */
	MICA_DS_MAP = 2,
	/* MR0 = offset, MR1 = size -> the range reads as zero again (whole
	 * pages are unmapped everywhere and go back to the allocator's quota;
	 * a PINNED dataspace's are zeroed in place). BAD_ARG if the range
	 * leaves the dataspace (or overflows); NO_MEMORY for part of a
	 * shared page without room for a page of its own (the part of the
	 * range before it cleared). Right: WRITE. */
	MICA_DS_CLEAR = 3,
	/* MR0 = destination offset, MR1 = source offset, MR2 = size, one
	 * object item: the source dataspace (of the same server, READ) ->
	 * the bytes copied (the source's holes read as zero). Whole 4 KiB
	 * pages at the same offset within the page on both sides are shared
	 * copy-on-write instead, unless either side is PINNED, the source has
	 * a 2 MiB page or the destination a 2 MiB block there: a shared page
	 * is mapped read-only until the destination (or the source) writes
	 * it, and each side's quota pays for its own view (docs/protocols.md
	 * §3). BAD_ARG: no
	 * dataspace of this server sent, ranges outside, overlapping ranges
	 * of one dataspace, a size above MICA_DS_COPY_MAX (a request stays
	 * short); NO_MEMORY part-way leaves the part before it copied.
	 * Right: WRITE. */
	MICA_DS_COPY_IN = 4,
	/* MR0 = offset -> MR0 = physical address, MR1 = bytes physically
	 * contiguous from there (CONTIG: to the end). Only for PINNED
	 * dataspaces (else BAD_ARG). Right: CONTROL. */
	MICA_DS_PHYS = 5,
	/* MICA_OBJ_DELETE (mica/factory.h): the memory is unmapped from
	 * every task and returns to the allocator. Right: CONTROL. */
};
