/* In-system cases of the X.2 personality on several CPUs (user/x2,
 * docs/x2.md): the processors in the KIP, L4_Schedule's processor control
 * moving a thread, and L4_Call between threads on different CPUs. Cases
 * that need more CPUs than the boot has are skips, as the smp_ cases. */
#include <mica_obj.h>
#include <x2_mica.h>

#include "smp_util.h"
#include "x2_util.h"

#define NO_A 100
#define NO_B 200
#define ROUNDS 100

/* The CPU a thread is on (Mica's view), or ~0. */
static mica_word_t cpu_of(L4_ThreadId_t t)
{
	mica_word_t info[5] = { 0, 0, ~0ul, 0, 0 };
	if (mica_thread_info(x2_thread_cap(t.raw), info) != MICA_OK)
		return ~0ul;
	return info[2];
}

X2TEST(x2_kip_processors)
{
	void *kip = L4_GetKernelInterface();
	L4_Word_t n = L4_NumProcessors(kip);
	CHECK_EQ(n, kcpus_online());
	for (L4_Word_t c = 0; c < n; c++) {
		L4_ProcDesc_t *p = L4_ProcDesc(kip, c);
		CHECK(p != 0);
		if (!p)
			return;
		CHECK(L4_ProcDescInternalFreq(p) > 0);
		CHECK_EQ(L4_ProcDescInternalFreq(p), L4_ProcessorFrequency(kip, c));
		CHECK(L4_ProcDescExternalFreq(p) > 0);
	}
	CHECK(L4_ProcDesc(kip, n) == 0);
	CHECK_EQ(L4_ProcessorFrequency(kip, n), 0);
}

static void spin(void)
{
	for (;;) {
		x2_out[0]++;
		L4_Yield();
	}
}

X2TEST(x2_schedule_processor_errors)
{
	L4_ThreadId_t t = x2_spawn(NO_A, spin);
	/* A processor that is not there: invalid parameter, nothing moves. */
	CHECK_EQ(L4_Set_ProcessorNo(t, kcpus_online()), L4_SCHEDRESULT_ERROR);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
	CHECK_EQ(L4_Set_ProcessorNo(t, 0xfffe), L4_SCHEDRESULT_ERROR);
	CHECK_EQ(cpu_of(t), 0);
	/* Where it is already; and "no change" (~0) with a new priority. */
	CHECK(L4_Set_ProcessorNo(t, 0) != L4_SCHEDRESULT_ERROR);
	CHECK(L4_Set_Priority(t, 90) != L4_SCHEDRESULT_ERROR);
	CHECK_EQ(cpu_of(t), 0);
}

X2TEST(x2_smp_schedule_moves_thread)
{
	NEED_CPUS(2);
	L4_ThreadId_t t = x2_spawn(NO_A, spin);
	CHECK(L4_Set_ProcessorNo(t, 1) != L4_SCHEDRESULT_ERROR);
	CHECK_EQ(cpu_of(t), 1);
	/* It runs there while this thread does not yield to it. */
	L4_Word_t n = x2_out[0];
	for (unsigned k = 0; k < 100000 && x2_out[0] < n + 100; k++)
		kwait_flag(&x2_done, 1);
	CHECK(x2_out[0] >= n + 100);
	/* A priority change keeps it there; processor control moves it back. */
	CHECK(L4_Set_Priority(t, 90) != L4_SCHEDRESULT_ERROR);
	CHECK_EQ(cpu_of(t), 1);
	CHECK(L4_Set_ProcessorNo(t, 0) != L4_SCHEDRESULT_ERROR);
	CHECK_EQ(cpu_of(t), 0);
}

X2TEST(x2_smp_call_across_cpus)
{
	NEED_CPUS(2);
	L4_ThreadId_t s = x2_spawn_space(NO_A, x2_echo_plus_one);
	CHECK(L4_Set_ProcessorNo(s, 1) != L4_SCHEDRESULT_ERROR);
	CHECK_EQ(cpu_of(s), 1);
	unsigned good = 0;
	for (L4_Word_t i = 0; i < ROUNDS; i++) {
		L4_LoadMR(0, 1);
		L4_LoadMR(1, i);
		L4_MsgTag_t tag = L4_Call(s);
		L4_Word_t w = 0;
		L4_StoreMR(1, &w);
		good += L4_IpcSucceeded(tag) && w == i + 1;
	}
	CHECK_EQ(good, ROUNDS);
	CHECK_EQ(cpu_of(s), 1);
}

/* Ping: waits for the root's go, then calls pong (id in x2_out[8]). */
static void pinger(void)
{
	L4_ThreadId_t root = { .raw = x2_out[9] }, pong = { .raw = x2_out[8] };
	L4_Receive(root);
	unsigned good = 0;
	for (L4_Word_t i = 0; i < ROUNDS; i++) {
		L4_LoadMR(0, 1);
		L4_LoadMR(1, i * 3);
		L4_MsgTag_t tag = L4_Call(pong);
		L4_Word_t w = 0;
		L4_StoreMR(1, &w);
		good += L4_IpcSucceeded(tag) && w == i * 3 + 1;
	}
	x2_out[0] = good;
	x2_done = 1;
	L4_Receive(L4_nilthread);
}

X2TEST(x2_smp_ping_pong_on_four_cpus)
{
	NEED_CPUS(4);
	L4_ThreadId_t pong = x2_spawn_space(NO_A, x2_echo_plus_one);
	x2_out[8] = pong.raw;
	x2_out[9] = L4_Myself().raw;
	L4_ThreadId_t ping = x2_spawn_space(NO_B, pinger);
	CHECK(L4_Set_ProcessorNo(pong, 2) != L4_SCHEDRESULT_ERROR);
	CHECK(L4_Set_ProcessorNo(ping, 3) != L4_SCHEDRESULT_ERROR);
	L4_LoadMR(0, 0);
	CHECK(L4_IpcSucceeded(L4_Send(ping)));
	/* On other CPUs: sleep while waiting (x2_wait only yields this one). */
	CHECK(kwait_flag(&x2_done, 100000));
	CHECK_EQ(x2_out[0], ROUNDS);
	CHECK_EQ(cpu_of(pong), 2);
	CHECK_EQ(cpu_of(ping), 3);
}
