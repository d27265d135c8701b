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
	/* Runs a storm of one kind of locked kernel operation on every
	 * online CPU at once, each in a remote request's interrupt (the
	 * caller's CPU directly), for MR1 iterations per CPU (1 .. 100000):
	 * MR0 = the kind (MICA_KDEBUG_STORM_*), MR2, MR3 = its arguments.
	 * -> MR0 = CPUs that took part (a CPU that got the request while it
	 * waited inside the kernel sits it out), MR1 = operations done,
	 * MR2 = operations that failed although they should not have, MR3,
	 * MR4 = the kind's gauge before and after, MR5 = the kind's
	 * contended count. MICA_E_BAD_ARG for a kind, count or range out of
	 * bounds; MICA_E_INVALID_CAP / MICA_E_WRONG_TYPE for a selector.
	 * Right: READ. */
	MICA_KDEBUG_STORM = 3,
	/* The kernel debugger (docs/debugger.md): MR0 = MICA_KDEBUG_KDB_ENTER
	 * opens its prompt on the console with the text as its banner and
	 * returns when it is left (`go`); MICA_KDEBUG_KDB_RUN runs the text
	 * as one command line (commands separated by ';'; the output goes to
	 * the console) and returns. Either way every other CPU is stopped
	 * meanwhile, `.` names the calling thread and `$` stands for MR1.
	 * MR2 = the text's length in bytes (at most
	 * MICA_KDEBUG_KDB_TEXT_MAX), MR3.. = the text. -> no words.
	 * MICA_E_BAD_ARG for an unknown MR0 or a length too long for the
	 * message. Right: WRITE. */
	MICA_KDEBUG_KDB = 4,
};

/* MR0 of MICA_KDEBUG_KDB. */
enum {
	MICA_KDEBUG_KDB_ENTER = 0,
	MICA_KDEBUG_KDB_RUN = 1,
};
#define MICA_KDEBUG_KDB_TEXT_MAX 152 /* bytes: 19 words */

/* MR0 of MICA_KDEBUG_STORM. */
enum {
	/* MR2 = a selector of the caller's naming any capability, MR3 = a
	 * base selector: each CPU c copies it to MR3 + c, copies that to
	 * MR3 + 128 + c, deletes the first (the second moves up), looks the
	 * second up without the lock and deletes it; every CPU races to fill
	 * MR3 + 64 with a copy and empties it. Selectors MR3 .. MR3 + 191
	 * must be empty. Gauge: the object's capability count; contended:
	 * fills of MR3 + 64 won. */
	MICA_KDEBUG_STORM_CAPS = 0,
	/* MR2 = a task selector (the caller's own task allowed), MR3 = a
	 * page of the caller's that is mapped, MR4 = a page-aligned base in
	 * that task: each CPU c maps the page at MR4 + c pages (general and
	 * fast path in turn) and unmaps it; every CPU maps it at MR4 + 64
	 * pages (unmapped at the end); every 16th round revokes write access
	 * from everything derived from the page. MR4 .. MR4 + 65 pages must
	 * be unmapped. Contended: maps of the shared page. */
	MICA_KDEBUG_STORM_MAP = 1,
	/* MR2 = a factory selector: each CPU charges 1 .. 4 frames to it and
	 * frees them. Gauge: the factory's bytes used. */
	MICA_KDEBUG_STORM_QUOTA = 2,
	/* Each CPU allocates 1 .. 4 runs of 1 or 2 frames from the kernel's
	 * frame allocator and frees them. Gauge: free kernel memory. */
	MICA_KDEBUG_STORM_FRAMES = 3,
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
#define MICA_KDEBUG_R_WRITE (1ul << 1) /* the debugger: it stops the system */
