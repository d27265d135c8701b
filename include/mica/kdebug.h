/* The kernel debug object: in kernels built with DEBUG=1 (the default)
 * the root task finds it at MICA_CAP_KDEBUG; release kernels have none.
 * The method is the tag's label. */
#pragma once

#include <mica/msgtag.h>

enum {
	/* Walks every kernel object and checks the kernel's invariants
	 * (docs/abi.md §6.9); a violation panics the kernel with what broke.
	 * -> MR0 = objects walked, MR1 = conditions checked. Right: READ. */
	MICA_KDEBUG_CHECK = 1,
	/* Tests of the multiprocessor machinery (issue 20): MR0 = a CPU id,
	 * MR1 = what to do there through a remote request (an IPI unless it
	 * is the caller's CPU), MR2 = a task capability for
	 * MICA_KDEBUG_REMOTE_LOAD. -> MR0 = the CPU the request ran on, MR1 =
	 * remote requests that CPU ran for others, MR2 = TLB shootdown
	 * requests among them, MR3 = 1 if the task's address space is loaded
	 * there (LOAD, PROBE), for PING 1 if any task's is. MICA_E_BAD_ARG for a CPU not
	 * online, an unknown MR1, or LOAD on the caller's own CPU; MICA_E_INVALID_CAP / MICA_E_WRONG_TYPE
	 * for MR2. Right: READ. */
	MICA_KDEBUG_REMOTE = 2,
};

/* MR1 of MICA_KDEBUG_REMOTE. */
enum {
	MICA_KDEBUG_REMOTE_PING = 0,  /* just run there */
	MICA_KDEBUG_REMOTE_LOAD = 1,  /* load the task's address space there, as its thread would */
	MICA_KDEBUG_REMOTE_PROBE = 2, /* PING, and MR3 for the task MR2 names */
	/* LOAD, then read the word at MR3 through that CPU's translation
	 * (TLB included) as the task's thread would: MR3 = 1 if that
	 * faulted, MR4 = the word read. Not on the caller's own CPU. */
	MICA_KDEBUG_REMOTE_READ = 3,
	/* Sends, from there, a PING to the CPU MR3 names (the caller's own
	 * included, which waits with interrupts off meanwhile): MR4 = the
	 * CPU it ran on. MR2 is not used. */
	MICA_KDEBUG_REMOTE_RELAY = 4,
};

#define MICA_KDEBUG_R_READ (1ul << 0)
