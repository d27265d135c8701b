/* The x2_ cases' helpers: one personality per case, X.2 threads. */
#include <mica/layout.h>
#include <string.h>
#include <x2_mica.h>

#include "x2_util.h"

struct x2_report x2_report;
_Static_assert(sizeof(struct x2_report) == 4096, "x2_report is one page");

#define X2_STACKS 8
#define X2_STACK_SIZE 8192
static _Alignas(16) unsigned char stacks[X2_STACKS][X2_STACK_SIZE];
static unsigned next_stack, next_utcb, next_child_utcb;

int x2_begin(void)
{
	memset((void *)x2_out, 0, sizeof(x2_out));
	x2_done = x2_done2 = 0;
	next_stack = next_utcb = next_child_utcb = 0;
	struct x2_config c = {
		.factory = KF,
		.scheduler = MICA_CAP_SCHEDULER,
		.icu = MICA_CAP_ICU,
		/* Slots 40..63 of this task's UTCB area; ktest's threads use the low ones. */
		.server_utcb = MICA_BOOT_UTCB_ADDR + 63 * MICA_UTCB_SIZE,
		.utcb_log2 = 16,
		.prio = MICA_SCHED_DEFAULT_PRIO,
	};
	int e = x2_setup(&c);
	if (e == MICA_OK)
		e = x2_share(&x2_report, 4096);
	if (e != MICA_OK) {
		ktest_fail(__FILE__, __LINE__, "x2_setup", e, 0);
		return 0;
	}
	return 1;
}

void x2_end(void)
{
	x2_teardown();
}

L4_Word_t x2_stack_top(void)
{
	return (L4_Word_t)&stacks[next_stack++ % X2_STACKS][X2_STACK_SIZE];
}

L4_ThreadId_t x2_create(L4_Word_t no, L4_ThreadId_t pager)
{
	L4_ThreadId_t t = L4_GlobalId(no, 1);
	void *utcb = (void *)(MICA_BOOT_UTCB_ADDR + (40 + next_utcb++) * MICA_UTCB_SIZE);
	if (!L4_ThreadControl(t, L4_Myself(), L4_Myself(), pager, utcb))
		return L4_nilthread;
	return t;
}

L4_ThreadId_t x2_spawn(L4_Word_t no, void (*fn)(void))
{
	L4_ThreadId_t t = x2_create(no, L4_Pager());
	if (!L4_IsNilThread(t))
		L4_Start_SpIp(t, x2_stack_top(), (L4_Word_t)fn);
	return t;
}

L4_ThreadId_t x2_spawn_space(L4_Word_t no, void (*fn)(void))
{
	return x2_spawn_space_paged(no, fn, L4_Pager());
}

L4_ThreadId_t x2_spawn_space_paged(L4_Word_t no, void (*fn)(void), L4_ThreadId_t pager)
{
	L4_ThreadId_t t = L4_GlobalId(no, 1);
	L4_Word_t old;
	if (!L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1))
		return L4_nilthread;
	if (!L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 13), L4_FpageLog2(X2_CHILD_UTCB, 14),
			     L4_nilthread, &old))
		return L4_nilthread;
	void *utcb = (void *)(X2_CHILD_UTCB + (next_child_utcb++ % 16) * MICA_UTCB_SIZE);
	if (!L4_ThreadControl(t, t, L4_Myself(), pager, utcb))
		return L4_nilthread;
	L4_Start_SpIp(t, x2_stack_top(), (L4_Word_t)fn);
	return t;
}

int x2_wait(volatile int *flag)
{
	return kwait_cond(flag);
}

void x2_echo_plus_one(void)
{
	L4_ThreadId_t from;
	L4_MsgTag_t tag = L4_Wait(&from);
	for (;;) {
		L4_Word_t w = 0;
		L4_StoreMR(1, &w);
		L4_LoadMR(0, 1);
		L4_LoadMR(1, L4_IpcSucceeded(tag) ? w + 1 : 0);
		tag = L4_ReplyWait(from, &from);
	}
}
