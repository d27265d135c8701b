/* Helpers of the x2_ cases: a personality per case (set up on the case's
 * factory, torn down after it, so leaks show), X.2 threads in this space
 * or in new ones, and the words they report back. */
#pragma once

#include <l4/interrupt.h>
#include <l4/ipc.h>
#include <l4/kdebug.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/misc.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <l4/types.h>

#include "ktest.h"

/* A case body runs between x2_begin and x2_end. */
#define X2TEST(n)                                                                                            \
	static void n##_body(void);                                                                          \
	KTEST(n)                                                                                             \
	{                                                                                                    \
		if (x2_begin())                                                                              \
			n##_body();                                                                          \
		x2_end();                                                                                    \
	}                                                                                                    \
	static void n##_body(void)

int x2_begin(void);
void x2_end(void);

/* An X.2 thread running fn, started with the X.2 start protocol
 * (L4_Start_SpIp); in this space, or (x2_spawn_space) in a new one. */
L4_ThreadId_t x2_spawn(L4_Word_t no, void (*fn)(void));
L4_ThreadId_t x2_spawn_space(L4_Word_t no, void (*fn)(void));
/* The same with an X.2 pager of the caller's choice. */
L4_ThreadId_t x2_spawn_space_paged(L4_Word_t no, void (*fn)(void), L4_ThreadId_t pager);
/* Created and activated but not started (it waits for its start message). */
L4_ThreadId_t x2_create(L4_Word_t no, L4_ThreadId_t pager);
L4_Word_t x2_stack_top(void);
/* A thread body that answers each call's MR1 plus one (0 for a receive
 * that failed), for ever. */
void x2_echo_plus_one(void);

/* What helper threads report: a page every X.2 space shares with the
 * root server (x2_share; the rest of the image is each space's own). */
struct x2_report {
	_Alignas(4096) volatile L4_Word_t out[16]; /* a page of its own */
	volatile int done, done2;
};
extern struct x2_report x2_report;
#define x2_out (x2_report.out)
#define x2_done (x2_report.done)
#define x2_done2 (x2_report.done2)
/* Lets the other threads run until *flag is set. */
int x2_wait(volatile int *flag);

#define X2_KIP_AREA 0x7ffff0000000ul
#define X2_CHILD_UTCB 0x7fff00000000ul
