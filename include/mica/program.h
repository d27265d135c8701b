/* How a loader starts a program (docs/abi.md section 12): the System V
 * x86-64 initial stack, the auxiliary vector and the capabilities a
 * program finds, and the parent protocol through which it exits. */
#pragma once

#include <mica/types.h>

/* Auxiliary vector types (System V ABI, x86-64 supplement). */
#define MICA_AT_NULL 0
#define MICA_AT_PHDR 3	  /* program headers, in the program's memory */
#define MICA_AT_PHENT 4	  /* their entry size */
#define MICA_AT_PHNUM 5	  /* their count */
#define MICA_AT_PAGESZ 6  /* 4096 */
#define MICA_AT_ENTRY 9	  /* the program's entry point */
#define MICA_AT_RANDOM 25 /* 16 random bytes */
/* Mica's own, from the OS-specific range: where the KIP is mapped, and
 * the program's environment table (struct mica_env, mica/env.h; read-only). */
#define MICA_AT_KIP 0x4d00
#define MICA_AT_ENV 0x4d01

/* A loaded program's program object (its parent), at MICA_CAP_PARENT;
 * the other selectors it finds filled are in mica/env.h. */
#define MICA_CAP_PARENT 8

/* A loaded program's UTCB area at MICA_BOOT_UTCB_ADDR (mica/layout.h):
 * 16 KiB, room for 16 threads (MICA_UTCB_SIZE each); the main thread's
 * UTCB is the first. */
#define MICA_PROGRAM_UTCB_LOG2 14

/* Rights of a program object (docs/protocols.md §6). The program holds
 * WRITE (its exit; its threads' exceptions arrive through it too), its
 * starter READ and CONTROL. */
#define MICA_PROGRAM_R_READ 1u	  /* STATUS */
#define MICA_PROGRAM_R_WRITE 2u	  /* EXIT */
#define MICA_PROGRAM_R_CONTROL 4u /* NOTIFY, MICA_OBJ_DELETE (kill) */

/* The parent protocol: methods of a program object. */
enum {
	/* MR0 = exit status: the program ends (never answered). Right: WRITE. */
	MICA_PARENT_EXIT = 1,
	/* -> MR0 = state (below), MR1 = exit status (EXITED), MR2 = vector,
	 * MR3 = fault address (page faults), MR4 = instruction pointer
	 * (FAULTED). Right: READ. */
	MICA_PROGRAM_STATUS = 2,
	/* One object item: an IRQ object (mica/irq.h, with WRITE) that the
	 * loader triggers once when the program ends (at once if it has
	 * ended); replaces an earlier one. BAD_ARG without an item or with
	 * another kind of object (a trigger is a call: a gate would make the
	 * loader wait on its client), NO_RIGHTS for an IRQ without WRITE;
	 * the earlier one stays then. Right: CONTROL. */
	MICA_PROGRAM_NOTIFY = 3,
	/* MICA_OBJ_DELETE (mica/factory.h): a running program is ended (its
	 * task destroyed), everything it had is reclaimed and the object
	 * goes. Right: CONTROL. Exception messages of the program's threads
	 * (label MICA_LABEL_EXCEPTION, mica/fpage.h) end it too, as FAULTED. */
	/* The methods of a program created held (MICA_PROTO_PROGRAM_HELD),
	 * before MICA_PROGRAM_START; afterwards MICA_E_EXISTS. Right: CONTROL.
	 * GIVE: MR0 = fixed selector (MICA_CAP_ICU or MICA_CAP_LOADER) or 0
	 * for a named one, MR1 = name length (1..15, named), MR2.. = the name;
	 * one object item: the capability, given with the rights it arrived
	 * with (its label kept). */
	MICA_PROGRAM_GIVE = 4,
	/* MR0 = priority, MR1 = CPU, MR2 = its scheduler's ceiling
	 * (MICA_PROGRAM_SCHED_DEFAULT: its priority; MICA_PROGRAM_SCHED_NONE:
	 * no scheduler, its main thread only), MR3 (optional) = CPU set (bit
	 * c: CPU c; 0 or not sent: every CPU): the scheduler the program gets
	 * places its threads on those CPUs only; MR1 must be one of them
	 * (BAD_ARG). */
	MICA_PROGRAM_SCHED = 5,
	/* -> one object item: the program's task with WRITE only, through
	 * which the starter maps I/O ports (or pages) it holds into it. */
	MICA_PROGRAM_TASK = 6,
	/* MR0 = colour (0..7) or MICA_PROGRAM_LOG_VCON (no log: standard
	 * output to the Vcon), MR1 = tag length (0..16; 0: the name),
	 * MR2.. = the tag (printable, no spaces): its log is replaced. */
	MICA_PROGRAM_LOG = 7,
	/* The program runs. */
	MICA_PROGRAM_START = 8,
};

#define MICA_PROGRAM_SCHED_DEFAULT (~0ul)
#define MICA_PROGRAM_SCHED_NONE (~1ul)
#define MICA_PROGRAM_LOG_VCON (~0ul)

/* States (STATUS MR0). */
enum {
	MICA_PROGRAM_RUNNING = 0,
	MICA_PROGRAM_EXITED = 1,  /* it called EXIT (or returned from main) */
	MICA_PROGRAM_FAULTED = 2, /* an exception it did not handle ended it */
};

/* Creating a program (the loader's factory protocol, mica/factory.h:
 * CREATE with MR0 = MICA_PROTO_PROGRAM): MR1 = memory quota, MR2 = kernel
 * quota (bytes), MR3 = byte count n, MR4.. = the strings, each ending in
 * NUL: the ROM name (argv[0]), the arguments, an empty string, the
 * environment ("VAR=value"); the last NUL may be left off. Two object
 * items: the memory allocator to take the quota from (of the same
 * server, WRITE) and a kernel factory (CREATE). -> one object item: the
 * running program's object (READ, CONTROL). Errors: BAD_ARG (no
 * allocator or kernel factory sent, a bad string list, not a valid
 * program: a malformed ELF), NO_RIGHTS (an allocator without WRITE, a
 * factory without CREATE), NOT_FOUND (no such module), NO_MEMORY (a
 * quota is too small); nothing is left behind. */

/* CREATE with MR0 = MICA_PROTO_PROGRAM_HELD (mica/factory.h), the rest as
 * for MICA_PROTO_PROGRAM: the program is built but does not run until
 * MICA_PROGRAM_START; GIVE, SCHED, TASK and LOG set it up first. */

/* Status a loader reports for a program stopped by an exception it did
 * not handle: this base plus the vector. */
#define MICA_EXIT_EXCEPTION 0x100
