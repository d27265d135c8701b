/* The Mica side of the X.2 personality: how a program hands the
 * personality its capabilities (x2_setup), and the calls only tests and
 * benchmarks use. X.2 programs never include this; their start-up code
 * (x2_start.c) calls x2_setup for them. */
#pragma once

#include <mica/types.h>

struct x2_config {
	mica_cap_t factory;	 /* where every object of the personality is charged */
	mica_cap_t scheduler;	 /* places its threads (nothing runs unscheduled) */
	mica_cap_t icu;		 /* for AssociateInterrupt on ISA lines (0: none) */
	mica_word_t server_utcb; /* a free UTCB slot in this task for the thread-id server */
	unsigned utcb_log2;	 /* the size of this task's UTCB area (at the first UTCB, aligned) */
	unsigned prio;		 /* priority of the server and of new threads */
	/* Where each new space's copy of the program's writable image comes
	 * from: a memory allocator and this program's region map (a loaded
	 * program's MICA_CAP_MEM and MICA_CAP_RM); 0: RAM from sigma0 through
	 * the program's pager (a boot root task), kept for reuse. */
	mica_cap_t mem, rm;
};

/* Makes the calling thread the X.2 root thread (L4_Myself() becomes
 * L4_GlobalId(user base + 2, 1)) and starts the thread-id server. Returns
 * MICA_OK or the error. */
int x2_setup(const struct x2_config *c);
/* Undoes x2_setup: every X.2 thread, space, gate and interrupt goes
 * (the in-system suite checks that its factory is back to zero). */
void x2_teardown(void);
/* Names a range of this program's writable image (page-aligned, at most
 * X2_SHARED ranges) that every X.2 space created from now on shares with
 * the root server, writable, instead of getting its own copy: for tests
 * whose threads in other spaces report through memory. MICA_OK, or
 * MICA_E_BAD_ARG if it is not whole pages of the writable image or there
 * is no room. x2_setup forgets them. */
int x2_share(void *addr, mica_word_t size);
#define X2_SHARED 4
/* The thread-id server's stack (and its size): what a hostile space would
 * overwrite to take the server over (tests show it cannot). */
void *x2_server_stack(mica_word_t *size);
/* Fires a virtual interrupt (numbers X2_VIRQ_FIRST and up), as a device would. */
int x2_irq_trigger(unsigned irq);
/* The Mica selector of an X.2 thread's thread object in this task (0 if
 * none): for tests that look at its Mica state. */
mica_cap_t x2_thread_cap(mica_word_t gid);

/* Interrupt numbers 0..15 are the ISA lines, 16..31 virtual ones. */
#define X2_IRQS 32
#define X2_VIRQ_FIRST 16
