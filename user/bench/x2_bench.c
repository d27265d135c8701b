/* The X.2 personality's side of the x2_ipc_call_0w benchmark: the
 * personality on this task's capabilities, and an X.2 echo server in a
 * space of its own (as ipc_rt_inter_0w's echo server is in another task). */
#include <mica/caps.h>
#include <mica/layout.h>
#include <mica/scheduler.h>
#include <mica_sys.h>
#include <x2_mica.h>

#include <l4/ipc.h>
#include <l4/space.h>
#include <l4/thread.h>

#include "x2_bench.h"

#define X2_BENCH_UTCB 0x7fff00000000ul
#define X2_BENCH_KIP 0x7ffff0000000ul
static _Alignas(16) L4_Word_t echo_stack[1024];

static void __attribute__((noreturn)) x2_echo(void)
{
	L4_ThreadId_t from;
	L4_MsgTag_t t = L4_Wait(&from);
	for (;;) {
		L4_LoadMR(0, L4_UntypedWords(t));
		t = L4_ReplyWait(from, &from);
	}
}

L4_ThreadId_t x2_bench_echo(void)
{
	struct x2_config c = {
		.factory = MICA_CAP_FACTORY,
		.scheduler = MICA_CAP_SCHEDULER,
		.server_utcb = MICA_BOOT_UTCB_ADDR + 10 * MICA_UTCB_SIZE,
		.utcb_log2 = 16,
		.prio = MICA_SCHED_DEFAULT_PRIO,
	};
	if (x2_setup(&c) != MICA_OK)
		return L4_nilthread;
	L4_ThreadId_t t = L4_GlobalId(100, 1);
	L4_Word_t old;
	if (!L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1) ||
	    !L4_SpaceControl(t, 0, L4_FpageLog2(X2_BENCH_KIP, 13), L4_FpageLog2(X2_BENCH_UTCB, 12),
			     L4_nilthread, &old) ||
	    !L4_ThreadControl(t, t, L4_Myself(), L4_Pager(), (void *)X2_BENCH_UTCB))
		return L4_nilthread;
	L4_Start_SpIp(t, (L4_Word_t)&echo_stack[1024], (L4_Word_t)x2_echo);
	/* The first call makes the pair's gate. */
	L4_LoadMR(0, 0);
	if (L4_IpcFailed(L4_Call(t)))
		return L4_nilthread;
	return t;
}
