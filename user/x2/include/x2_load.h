/* The personality's X.2 program loader, for X.2 root servers (X.2 types
 * only): checks an ELF executable (a boot module, <l4/bootinfo.h>),
 * creates a space with no copy of the creator's program
 * (X2_SPACE_OWN_PROGRAM) and its first thread, whose pager is a thread of
 * the caller's space, and answers that thread's page faults (the X.2
 * page-fault protocol) with the program's pages: read-only segments
 * mapped from the module, writable ones and bss as copies of the
 * program's own. The program is an X.2 program linked against the
 * personality: its start-up code joins the root server's personality
 * (docs/x2.md, "Loading programs"). */
#pragma once

#include <l4/message.h>
#include <l4/types.h>

/* SpaceControl's control word (architecture-specific in X.2): bit 0
 * gives the space no copy of the creator's program, for a program of its
 * own that its pager maps. */
#define X2_SPACE_OWN_PROGRAM 1ul

/* The loaded program's stack: its first thread starts with sp at the top;
 * the pager gives zero pages below it. */
#define X2_LOAD_STACK_TOP 0x7ffe00000000ul
#define X2_LOAD_STACK_SIZE 0x10000ul

#define X2_LOAD_MAX_SEGS 16
#define X2_LOAD_MAX_PAGES 512 /* writable pages (data, bss, stack) a program gets */

enum x2_load_error {
	X2_LOAD_OK = 0,
	X2_LOAD_NOT_ELF,    /* no ELF header */
	X2_LOAD_TRUNCATED,  /* the module ends before what its headers describe */
	X2_LOAD_BAD_ELF,    /* an ELF executable the loader does not take (why: x2_program_t.why) */
	X2_LOAD_BAD_LAYOUT, /* segments over the stack, KIP or UTCB area */
	X2_LOAD_NO_SPACE,   /* ThreadControl or SpaceControl failed (ErrorCode in x2_program_t.l4_error) */
	X2_LOAD_NO_MEMORY,  /* no page for a copy (sigma0 gave none) */
	X2_LOAD_BAD_FAULT,  /* not a page fault, or at an address the program has nothing at */
};

typedef struct {
	L4_Word_t vaddr, memsz, offset, filesz;
	L4_Word_t rights; /* L4_Readable, L4_Writable, L4_eXecutable */
} x2_segment_t;

typedef struct {
	L4_Word_t image, size; /* the module, in this space */
	L4_Word_t entry;
	unsigned nseg;
	x2_segment_t seg[X2_LOAD_MAX_SEGS];
	L4_ThreadId_t thread; /* its first thread (and space) */
	const char *why;      /* what the ELF check found (X2_LOAD_BAD_ELF, X2_LOAD_TRUNCATED) */
	L4_Word_t l4_error;   /* ErrorCode of a failed ThreadControl or SpaceControl */
	L4_Word_t faults;     /* page faults answered */
	unsigned npages;
	struct {
		L4_Word_t vaddr, copy; /* the program's page, and this space's copy of it */
	} page[X2_LOAD_MAX_PAGES];
} x2_program_t;

/* Checks the module [image, image + size) (mapped in this space) and
 * prepares p; nothing is created. X2_LOAD_OK or the error. */
int x2_load_check(x2_program_t *p, const void *image, L4_Word_t size);
/* Creates thread's space (KIP and UTCB areas as SpaceControl takes them;
 * the thread gets the first UTCB) and the thread with `pager`, and starts
 * it at the program's entry. X2_LOAD_OK or the error (nothing is left
 * behind). */
int x2_load_start(x2_program_t *p, L4_ThreadId_t thread, L4_ThreadId_t pager, L4_Fpage_t kip_area,
		  L4_Fpage_t utcb_area);
/* The pager's part: for a page-fault message `tag` (its MRs as received)
 * of p's threads, loads the reply (a map item) into the message
 * registers; the pager then replies. X2_LOAD_OK, or X2_LOAD_BAD_FAULT
 * (the program touched what it has no page at) or X2_LOAD_NO_MEMORY, for
 * which the pager decides (X.2: it does not answer, or deletes it). */
int x2_load_pagefault(x2_program_t *p, L4_MsgTag_t tag);
/* Deletes the program's thread (and so its space) and gives its copies
 * back to the loader. */
void x2_load_end(x2_program_t *p);
const char *x2_load_error_string(int e);
