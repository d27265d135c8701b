/* In-system cases of the L4 X.2 personality (user/x2, docs/x2.md): the
 * types and message helpers, every IPC form with each timeout kind and
 * error, thread ids of dead threads, ThreadControl/SpaceControl,
 * ExchangeRegisters, map and grant items into an acceptor, the
 * page-fault, exception and interrupt protocols, sigma0 and the KIP. */
#include <mica/kip.h>
#include <mica/layout.h>
#include <x2_mica.h>

#include "x2_util.h"

static L4_ThreadId_t root;

#define NO_A 100
#define NO_B 200
#define NO_C 300

/* ---- types, tags, registers ---------------------------------------------- */
X2TEST(x2_thread_ids)
{
	L4_ThreadId_t t = L4_GlobalId(100, 3);
	CHECK_EQ(L4_ThreadNo(t), 100);
	CHECK_EQ(L4_Version(t), 3);
	CHECK(L4_IsGlobalId(t));
	CHECK(!L4_IsLocalId(t));
	CHECK(L4_IsNilThread(L4_nilthread));
	CHECK_EQ(L4_anythread.raw, ~0ul);
	CHECK_EQ(L4_anylocalthread.raw & 0x3f, 0);
	CHECK(L4_IsThreadEqual(t, L4_GlobalId(100, 3)));
	CHECK(L4_IsThreadNotEqual(t, L4_GlobalId(100, 4)));
	CHECK_EQ(L4_ThreadNo(L4_Myself()), 50); /* user base + 2: the root server */
	CHECK_EQ(L4_Version(L4_Myself()), 1);
	CHECK(L4_IsLocalId(L4_MyLocalId()));
	CHECK_EQ(L4_MyLocalId().raw, mica_utcb()->self);
	CHECK_EQ(L4_LocalIdOf(L4_Myself()).raw, L4_MyLocalId().raw);
	CHECK_EQ(L4_GlobalIdOf(L4_MyLocalId()).raw, L4_Myself().raw);
	CHECK_EQ(L4_Pager().raw, L4_GlobalId(48, 1).raw); /* sigma0 */
}

X2TEST(x2_fpages_and_items)
{
	L4_Fpage_t f = L4_FpageLog2(0x12345000, 12);
	CHECK_EQ(L4_Address(f), 0x12345000);
	CHECK_EQ(L4_SizeLog2(f), 12);
	CHECK_EQ(L4_Size(f), 4096);
	L4_Set_Rights(&f, L4_Readable | L4_Writable);
	CHECK_EQ(L4_Rights(f), 6);
	CHECK_EQ(L4_Rights(L4_FpageAddRights(f, L4_eXecutable)), 7);
	CHECK_EQ(L4_Address(L4_Fpage(0x200000, 0x200000)), 0x200000);
	CHECK_EQ(L4_SizeLog2(L4_Fpage(0x200000, 0x200000)), 21);
	CHECK_EQ(L4_SizeLog2(L4_CompleteAddressSpace), 1);
	CHECK(L4_IsNilFpage(L4_Nilpage));
	L4_MapItem_t m = L4_MapItem(f, 0x40000000);
	CHECK(L4_IsMapItem(m));
	CHECK(!L4_IsGrantItem(m));
	CHECK_EQ(m.raw[0] & 0xf, 8);
	CHECK_EQ(L4_MapItemSndBase(m), 0x40000000);
	CHECK_EQ(L4_MapItemSndFpage(m).raw, f.raw);
	L4_GrantItem_t g = L4_GrantItem(f, 0);
	CHECK(L4_IsGrantItem(g));
	CHECK_EQ(g.raw[0] & 0xf, 0xa);
	L4_Accept(L4_MapGrantItems(L4_FpageLog2(0x50000000, 16)));
	CHECK_EQ(L4_RcvWindow(L4_Accepted()).raw & ~0xful, L4_FpageLog2(0x50000000, 16).raw);
	L4_Accept(L4_MapGrantItems(L4_CompleteAddressSpace));
	CHECK_EQ(L4_Accepted().raw, L4_CompleteAddressSpace.raw);
	L4_Accept(L4_UntypedWordsAcceptor);
	CHECK_EQ(L4_Accepted().raw, 0);
}

X2TEST(x2_time_encoding)
{
	CHECK_EQ(L4_Never.raw, 0);
	CHECK_EQ(L4_ZeroTime.raw, 0x400);
	L4_Time_t t = L4_TimePeriod(1000);
	CHECK(L4_IsTimePeriod(t));
	CHECK((L4_Word_t)t.period.m << t.period.e >= 1000);
	CHECK((L4_Word_t)t.period.m << t.period.e < 1004);
	t = L4_TimePeriod(5000000);
	CHECK((L4_Word_t)t.period.m << t.period.e >= 5000000);
	CHECK_EQ(L4_TimePeriod(0).raw, L4_ZeroTime.raw);
	CHECK_EQ(L4_Timeouts(L4_ZeroTime, L4_Never), 0x04000000);
}

X2TEST(x2_tags_and_mrs)
{
	L4_MsgTag_t t = L4_Niltag;
	t.X.u = 3;
	t.X.t = 2;
	t = L4_MsgTagAddLabel(t, 0x1234);
	CHECK_EQ(L4_Label(t), 0x1234);
	CHECK_EQ(L4_UntypedWords(t), 3);
	CHECK_EQ(L4_TypedWords(t), 2);
	CHECK_EQ(t.raw, (0x1234ul << 16) | (2 << 6) | 3);
	L4_Set_MsgTag(t);
	CHECK_EQ(L4_MsgTag().raw, t.raw);
	L4_Word_t w[4] = { 11, 22, 33, 44 }, r[4] = { 0 };
	L4_LoadMRs(1, 4, w);
	L4_StoreMRs(1, 4, r);
	CHECK_EQ(r[3], 44);
	L4_Word_t x;
	L4_StoreMR(2, &x);
	CHECK_EQ(x, 22);
	CHECK_EQ(mica_mr()[1], 22); /* MR2 is the UTCB's second message register */
	L4_LoadMR(0, 7);
	CHECK_EQ(L4_MsgTag().raw, 7);
	L4_MsgTag_t e = { .raw = 0x8000 };
	CHECK(L4_IpcFailed(e));
	CHECK(L4_IpcSucceeded(L4_Niltag));
}

X2TEST(x2_msg_buffer)
{
	L4_Msg_t m;
	L4_MsgClear(&m);
	L4_Set_MsgLabel(&m, 0x42);
	L4_MsgAppendWord(&m, 1);
	L4_MsgAppendMapItem(&m, L4_MapItem(L4_FpageLog2(0x10000, 12), 0));
	L4_MsgAppendWord(&m, 2); /* moves the item up */
	CHECK_EQ(L4_UntypedWords(L4_MsgMsgTag(&m)), 2);
	CHECK_EQ(L4_TypedWords(L4_MsgMsgTag(&m)), 2);
	CHECK_EQ(L4_MsgWord(&m, 1), 2);
	CHECK_EQ(L4_MsgLabel(&m), 0x42);
	L4_MapItem_t mi;
	CHECK_EQ(L4_MsgGetMapItem(&m, 0, &mi), 2);
	CHECK_EQ(L4_Address(L4_MapItemSndFpage(mi)), 0x10000);
	L4_MsgLoad(&m);
	CHECK_EQ(L4_MsgTag().raw, m.raw[0]);
	L4_Msg_t n;
	L4_MsgStore(L4_MsgTag(), &n);
	CHECK_EQ(n.raw[2], 2);
	CHECK_EQ(n.raw[3], mi.raw[0]);
	L4_Word_t uw[2] = { 5, 6 }, out[2] = { 0 };
	L4_MsgPut(&m, 9, 2, uw, 0, 0);
	L4_MsgGet(&m, out, 0);
	CHECK_EQ(out[1], 6);
	CHECK_EQ(L4_MsgLabel(&m), 9);
}

/* ---- KIP -------------------------------------------------------------------- */
X2TEST(x2_kip_accessors)
{
	L4_Word_t api, flags, id;
	void *kip = L4_KernelInterface(&api, &flags, &id);
	CHECK(kip != 0);
	CHECK_EQ(kip, L4_GetKernelInterface());
	CHECK_EQ(L4_KipMagic(kip), 0x4be6344cul); /* "L4\xe6K" */
	CHECK_EQ(api >> 24, L4_APIVERSION_X2);
	CHECK_EQ(id, 0x4d494341);
	CHECK(L4_NumProcessors(kip) >= 1);
	CHECK(L4_ProcessorFrequency(kip, 0) > 0);
	CHECK_EQ(L4_UtcbSize(kip), 1024);
	CHECK_EQ(L4_UtcbAlignmentLog2(kip), 10);
	CHECK_EQ(L4_KipAreaSizeLog2(kip), 13);
	CHECK(L4_ThreadIdUserBase(kip) > L4_ThreadIdSystemBase(kip));
	CHECK(L4_PageSizeMask(kip) & 4096);
	CHECK(L4_KernelVersionString(kip)[0] == 'm');
	unsigned conv = 0;
	for (L4_Word_t n = 0; n < L4_NumMemoryDescriptors(kip); n++) {
		L4_MemoryDesc_t *d = L4_MemoryDesc(kip, n);
		CHECK(d != 0);
		CHECK(L4_MemoryDescHigh(d) > L4_MemoryDescLow(d));
		conv += L4_MemoryDescType(d) == L4_ConventionalMemoryType;
	}
	CHECK(conv > 0);
	CHECK(L4_MemoryDesc(kip, L4_NumMemoryDescriptors(kip)) == 0);
}

X2TEST(x2_kip_clock)
{
	L4_Clock_t a = L4_SystemClock();
	for (volatile int i = 0; i < 100000; i++)
		;
	L4_Clock_t b = L4_SystemClock();
	CHECK(b.raw > a.raw);
	CHECK(L4_SchedulePrecision(L4_GetKernelInterface()) > 0);
}

/* ---- ThreadControl, SpaceControl ------------------------------------------- */
static void set_done(void)
{
	x2_out[0] = L4_Myself().raw;
	x2_out[1] = L4_MyLocalId().raw;
	x2_out[2] = L4_Pager().raw;
	x2_out[3] = (L4_Word_t)L4_GetKernelInterface();
	x2_out[4] = L4_KipMagic(L4_GetKernelInterface());
	x2_done = 1;
}

X2TEST(x2_tc_create_same_space)
{
	mica_word_t used = kf_used();
	L4_ThreadId_t t = x2_spawn(NO_A, set_done);
	CHECK(!L4_IsNilThread(t));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], t.raw);
	CHECK_EQ(x2_out[2], L4_Pager().raw);
	CHECK_EQ(L4_LocalIdOf(t).raw, x2_out[1]);
	CHECK_EQ(L4_GlobalIdOf(__L4_ThreadId(x2_out[1])).raw, t.raw);
	CHECK(kf_used() > used);
	CHECK(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK_EQ(kf_used(), used); /* the thread and its gates are gone */
}

X2TEST(x2_tc_new_space)
{
	mica_word_t used = kf_used();
	L4_ThreadId_t t = x2_spawn_space(NO_A, set_done);
	CHECK(!L4_IsNilThread(t));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], t.raw);
	CHECK(x2_out[1] >= X2_CHILD_UTCB && x2_out[1] < X2_CHILD_UTCB + 16384);
	/* Not in our space: no local id for it here. */
	CHECK(L4_IsNilThread(L4_LocalIdOf(t)));
	CHECK(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK_EQ(kf_used(), used); /* the last thread took its space along */
}

X2TEST(x2_tc_second_thread_in_space)
{
	L4_ThreadId_t a = x2_spawn_space(NO_A, set_done);
	CHECK(x2_wait(&x2_done));
	x2_done = 0;
	L4_ThreadId_t b = L4_GlobalId(NO_B, 1);
	CHECK(L4_ThreadControl(b, a, L4_Myself(), L4_Pager(), (void *)(X2_CHILD_UTCB + 8ul * 1024)));
	L4_Start_SpIp(b, x2_stack_top(), (L4_Word_t)set_done);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], b.raw);
	CHECK_EQ(x2_out[1], X2_CHILD_UTCB + 8ul * 1024);
	CHECK(L4_ThreadControl(a, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	/* b keeps the space alive. */
	x2_done = 0;
	L4_Start_SpIp(b, x2_stack_top(), (L4_Word_t)set_done);
	CHECK(L4_ThreadControl(b, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
}

X2TEST(x2_tc_errors)
{
	/* Bad ids: nil, a local id, a number in the reserved range. */
	CHECK_EQ(L4_ThreadControl(L4_nilthread, L4_Myself(), L4_Myself(), L4_Pager(), (void *)-1), 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
	CHECK_EQ(L4_ThreadControl(L4_GlobalId(3, 1), L4_Myself(), L4_Myself(), L4_Pager(), (void *)-1), 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
	/* Delete what does not exist; delete ourselves. */
	CHECK_EQ(L4_ThreadControl(L4_GlobalId(NO_C, 1), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1),
		 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
	/* An unknown space. */
	CHECK_EQ(L4_ThreadControl(L4_GlobalId(NO_C, 1), L4_GlobalId(NO_B, 1), L4_Myself(), L4_Pager(),
				  (void *)-1),
		 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
	/* A UTCB outside the space's area. */
	CHECK_EQ(L4_ThreadControl(L4_GlobalId(NO_C, 1), L4_Myself(), L4_Myself(), L4_Pager(), (void *)0x1000),
		 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
	CHECK(L4_ThreadControl(L4_GlobalId(NO_C, 1), L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
}

static void try_privileged(void)
{
	x2_out[0] = L4_ThreadControl(L4_GlobalId(NO_C, 1), L4_Myself(), L4_Myself(), L4_Pager(), (void *)-1);
	x2_out[1] = L4_ErrorCode();
	x2_out[2] = L4_AssociateInterrupt(L4_GlobalId(20, 1), L4_Myself());
	x2_out[3] = L4_ErrorCode();
	x2_done = 1;
}

X2TEST(x2_tc_unprivileged)
{
	x2_spawn_space(NO_A, try_privileged);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 0);
	CHECK_EQ(x2_out[1], L4_ErrNoPrivilege);
	CHECK_EQ(x2_out[2], 0);
	CHECK_EQ(x2_out[3], L4_ErrNoPrivilege);
}

X2TEST(x2_sc_errors)
{
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	L4_Word_t old;
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
	CHECK_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 13), L4_FpageLog2(X2_CHILD_UTCB, 8),
				 L4_nilthread, &old),
		 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrUtcbArea);
	CHECK_EQ(L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 12), L4_FpageLog2(X2_CHILD_UTCB, 14),
				 L4_nilthread, &old),
		 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrKipArea);
	CHECK_EQ(L4_SpaceControl(L4_GlobalId(NO_B, 1), 0, L4_FpageLog2(X2_KIP_AREA, 13),
				 L4_FpageLog2(X2_CHILD_UTCB, 14), L4_nilthread, &old),
		 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidSpace);
	/* Not activated until its space is configured: nothing runs. */
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_Pager(), (void *)X2_CHILD_UTCB));
	CHECK(L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 13), L4_FpageLog2(X2_CHILD_UTCB, 14),
			      L4_nilthread, &old));
	L4_Start_SpIp(t, x2_stack_top(), (L4_Word_t)set_done);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], t.raw);
	/* The space's KIP is where SpaceControl put it. */
	CHECK_EQ(x2_out[3], X2_KIP_AREA);
	CHECK_EQ(x2_out[4], 0x4be6344cul);
}

/* ---- IPC forms ----------------------------------------------------------------- */
/* Calls the root with MR1 = 7, then reports the reply. */
static void caller(void)
{
	L4_LoadMR(0, (0x55ul << 16) | 2);
	L4_LoadMR(1, 7);
	L4_LoadMR(2, 8);
	L4_MsgTag_t t = L4_Call(root);
	x2_out[0] = t.raw;
	L4_StoreMR(1, (L4_Word_t *)&x2_out[1]);
	x2_out[2] = L4_ErrorCode();
	x2_done = 1;
}

/* Loads a message of one untyped word, w (MR0: label 0, u = 1). */
static void load_word(L4_Word_t w)
{
	L4_LoadMR(0, 1);
	L4_LoadMR(1, w);
}

X2TEST(x2_call_wait_reply)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, caller), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, t.raw);
	CHECK_EQ(L4_Label(tag), 0x55);
	CHECK_EQ(L4_UntypedWords(tag), 2);
	L4_Word_t w;
	L4_StoreMR(2, &w);
	CHECK_EQ(w, 8);
	load_word(99);
	tag = L4_Reply(from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], 99);
	CHECK_EQ(x2_out[2], 0);
}

static void caller_loop(void)
{
	for (L4_Word_t i = 0; i < 3; i++) {
		load_word(i);
		L4_MsgTag_t t = L4_Call(root);
		L4_Word_t w;
		L4_StoreMR(1, &w);
		if (L4_IpcFailed(t) || w != i * 10)
			return;
		x2_out[0]++;
	}
	x2_done = 1;
}

X2TEST(x2_reply_wait_loop)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, caller_loop), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	for (int i = 0; i < 3; i++) {
		CHECK(L4_IpcSucceeded(tag));
		CHECK_EQ(from.raw, t.raw);
		L4_Word_t w;
		L4_StoreMR(1, &w);
		load_word(w * 10);
		if (i < 2)
			tag = L4_ReplyWait(from, &from);
		else
			tag = L4_Reply(from);
	}
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 3);
}

/* Sends MR1 = arg; then waits for an answer from the root. */
static void sender(void)
{
	load_word(0xabc);
	L4_MsgTag_t t = L4_Send(root);
	x2_out[0] = L4_IpcSucceeded(t);
	t = L4_Receive(root);
	x2_out[1] = L4_IpcSucceeded(t);
	L4_StoreMR(1, (L4_Word_t *)&x2_out[2]);
	x2_done = 1;
}

X2TEST(x2_send_receive)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, sender);
	L4_MsgTag_t tag = L4_Receive(t);
	CHECK(L4_IpcSucceeded(tag));
	L4_Word_t w;
	L4_StoreMR(1, &w);
	CHECK_EQ(w, 0xabc);
	/* Not a call: the answer is a plain send the thread receives. */
	load_word(0xdef);
	tag = L4_Send(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], 1);
	CHECK_EQ(x2_out[2], 0xdef);
}

static void send_b(void)
{
	load_word(L4_ThreadNo(L4_Myself()));
	L4_Send(root);
	x2_done2++;
}

X2TEST(x2_closed_receive_filters)
{
	root = L4_Myself();
	L4_ThreadId_t a = x2_spawn(NO_A, send_b), b = x2_spawn(NO_B, send_b), from;
	/* Both are blocked sending; take b's first. */
	for (int i = 0; i < 5; i++)
		L4_Yield();
	L4_MsgTag_t tag = L4_Receive(b);
	CHECK(L4_IpcSucceeded(tag));
	L4_Word_t w;
	L4_StoreMR(1, &w);
	CHECK_EQ(w, NO_B);
	tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, a.raw);
	L4_StoreMR(1, &w);
	CHECK_EQ(w, NO_A);
}

X2TEST(x2_lipc_forms)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, caller), from;
	L4_MsgTag_t tag = L4_Lipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, L4_Never), &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, t.raw);
	load_word(5);
	tag = L4_Lipc(from, L4_nilthread, L4_Timeouts(L4_ZeroTime, L4_Never), &from);
	CHECK(L4_IpcSucceeded(tag));
	/* Nobody sends again: wait with a zero timeout through L4_Ipc. */
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[1], 5);
	tag = L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
}

/* ---- timeouts ------------------------------------------------------------------ */
static void idle(void)
{
	x2_done = 1;
	L4_Receive_Timeout(L4_GlobalId(999, 1), L4_Never); /* a thread that does not exist */
	for (;;)
		L4_Receive(L4_Myself());
}

X2TEST(x2_send_zero_timeout)
{
	L4_ThreadId_t t = x2_spawn(NO_A, idle);
	CHECK(x2_wait(&x2_done));
	L4_LoadMR(0, 0);
	L4_MsgTag_t tag = L4_Send_Timeout(t, L4_ZeroTime);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrTimeout << 1); /* send phase */
	CHECK_EQ(L4_MsgTag().raw, tag.raw);
}

X2TEST(x2_send_period_timeout)
{
	L4_ThreadId_t t = x2_spawn(NO_A, idle);
	CHECK(x2_wait(&x2_done));
	L4_Clock_t a = L4_SystemClock();
	L4_LoadMR(0, 0);
	L4_MsgTag_t tag = L4_Send_Timeout(t, L4_TimePeriod(3000));
	L4_Clock_t b = L4_SystemClock();
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrTimeout << 1);
	CHECK(b.raw - a.raw >= 3000);
}

X2TEST(x2_receive_zero_timeout)
{
	L4_MsgTag_t tag = L4_Wait_Timeout(L4_ZeroTime, 0);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | L4_ErrRecvPhase);
}

X2TEST(x2_receive_period_timeout)
{
	L4_Clock_t a = L4_SystemClock();
	L4_ThreadId_t from;
	L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(2000), &from);
	L4_Clock_t b = L4_SystemClock();
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	CHECK(b.raw - a.raw >= 2000);
}

X2TEST(x2_receive_point_timeout)
{
	/* A time point: the next time the clock's low bits read m << e. */
	L4_Clock_t a = L4_SystemClock();
	L4_Time_t p;
	L4_Word_t at = a.raw + 4000;
	p.raw = (L4_Word16_t)(0x8000 | (2u << 11) | (((at >> 12) & 1) << 10) | ((at >> 2) & 0x3ff));
	L4_MsgTag_t tag = L4_Receive_Timeout(L4_anythread, p);
	L4_Clock_t b = L4_SystemClock();
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	CHECK(b.raw >= at - 4);
	CHECK(b.raw < a.raw + 4000 + 8192 + 1000);
}

static void call_no_reply(void)
{
	L4_LoadMR(0, 0);
	L4_MsgTag_t t = L4_Call_Timeouts(root, L4_Never, L4_TimePeriod(2000));
	x2_out[0] = L4_IpcFailed(t);
	x2_out[1] = L4_ErrorCode();
	x2_done = 1;
}

X2TEST(x2_call_receive_timeout)
{
	root = L4_Myself();
	L4_ThreadId_t from;
	x2_spawn(NO_A, call_no_reply);
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	/* No reply: the caller's receive phase times out. */
	L4_Clock_t start = L4_SystemClock();
	while (!x2_done && L4_SystemClock().raw < start.raw + 20000)
		L4_Yield();
	CHECK(x2_done);
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], (L4_ErrTimeout << 1) | 1);
	/* Its reply right is gone: the reply finds no partner. */
	L4_LoadMR(0, 0);
	tag = L4_Reply(from);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrNonExist << 1);
}

/* ---- errors ------------------------------------------------------------------------ */
X2TEST(x2_ipc_nonexistent)
{
	L4_LoadMR(0, 0);
	L4_MsgTag_t tag = L4_Send(L4_GlobalId(NO_C, 1));
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrNonExist << 1);
	tag = L4_Receive(L4_GlobalId(NO_C, 1));
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrNonExist << 1) | 1);
	tag = L4_Call(L4_GlobalId(NO_C, 7));
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrNonExist << 1);
	/* Too many words. */
	L4_LoadMR(0, 64);
	tag = L4_Send(L4_Myself());
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrMsgOverflow << 1);
}

static void echo_server(void)
{
	L4_ThreadId_t from;
	L4_MsgTag_t t = L4_Wait(&from);
	for (;;) {
		if (L4_IpcFailed(t)) {
			t = L4_Wait(&from);
			continue;
		}
		L4_Word_t w;
		L4_StoreMR(1, &w);
		load_word(w + 1);
		t = L4_ReplyWait(from, &from);
	}
}

static L4_Word_t call_echo(L4_ThreadId_t t, L4_Word_t v)
{
	load_word(v);
	L4_MsgTag_t tag = L4_Call(t);
	if (L4_IpcFailed(tag))
		return ~0ul;
	L4_StoreMR(1, &v);
	return v;
}

X2TEST(x2_dead_thread_ids)
{
	L4_ThreadId_t t = x2_spawn(NO_A, echo_server);
	CHECK_EQ(call_echo(t, 1), 2);
	CHECK(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK_EQ(call_echo(t, 1), ~0ul);
	CHECK_EQ(L4_ErrorCode(), L4_ErrNonExist << 1);
	/* The number again, another version: the old id stays dead. */
	L4_ThreadId_t t2 = L4_GlobalId(NO_A, 2);
	CHECK(L4_ThreadControl(t2, L4_Myself(), L4_Myself(), L4_Pager(),
			       (void *)(MICA_BOOT_UTCB_ADDR + 50 * MICA_UTCB_SIZE)));
	L4_Start_SpIp(t2, x2_stack_top(), (L4_Word_t)echo_server);
	CHECK_EQ(call_echo(t2, 5), 6);
	CHECK_EQ(call_echo(t, 5), ~0ul);
	CHECK_EQ(L4_ErrorCode(), L4_ErrNonExist << 1);
}

static void receive_forever(void)
{
	x2_done = 1;
	L4_MsgTag_t t = L4_Receive(root);
	x2_out[0] = L4_IpcFailed(t);
	x2_out[1] = L4_ErrorCode();
	x2_done2 = 1;
	for (;;)
		L4_Receive_Timeout(L4_Myself(), L4_Never);
}

X2TEST(x2_partner_deleted)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, echo_server);
	CHECK_EQ(call_echo(t, 1), 2);
	/* A thread waiting on a pair with a thread that goes is released. */
	L4_ThreadId_t r = x2_spawn(NO_B, receive_forever);
	CHECK(x2_wait(&x2_done));
	L4_Yield();
	L4_ThreadId_t c = L4_GlobalId(NO_C, 1);
	CHECK(L4_ThreadControl(c, L4_Myself(), L4_Myself(), L4_Pager(),
			       (void *)(MICA_BOOT_UTCB_ADDR + 51 * MICA_UTCB_SIZE)));
	(void)r;
	CHECK(L4_ThreadControl(c, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK_EQ(call_echo(t, 1), ~0ul);
}

X2TEST(x2_cross_space_call)
{
	L4_ThreadId_t t = x2_spawn_space(NO_A, echo_server);
	CHECK(!L4_IsNilThread(t));
	CHECK_EQ(call_echo(t, 41), 42);
	CHECK_EQ(call_echo(t, 1000), 1001);
}

/* ---- ExchangeRegisters ----------------------------------------------------------------- */
X2TEST(x2_exregs_cancel)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, receive_forever);
	CHECK(x2_wait(&x2_done));
	for (int i = 0; i < 5; i++)
		L4_Yield();
	L4_Word_t oc, osp, oip, ofl, oh;
	L4_ThreadId_t op;
	L4_ThreadId_t r = L4_ExchangeRegisters(t, L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &oc, &osp,
					       &oip, &ofl, &oh, &op);
	CHECK_EQ(r.raw, t.raw);
	CHECK(oc & L4_ExReg_AbortRecvIPC); /* it was receiving */
	CHECK_EQ(op.raw, L4_Pager().raw);
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], (L4_ErrCanceled << 1) | 1);
}

static void spin(void)
{
	for (;;) {
		x2_out[0]++;
		L4_Yield();
	}
}

static void land(void)
{
	x2_out[5] = 1;
	x2_done = 1;
}

X2TEST(x2_exregs_halt_resume_ip)
{
	L4_ThreadId_t t = x2_spawn(NO_A, spin);
	for (int i = 0; i < 5; i++)
		L4_Yield();
	CHECK(x2_out[0] > 0);
	L4_Stop(t);
	L4_Word_t n = x2_out[0];
	for (int i = 0; i < 5; i++)
		L4_Yield();
	CHECK_EQ(x2_out[0], n); /* halted */
	L4_Word_t oc, osp, oip, ofl, oh;
	L4_ThreadId_t op;
	L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &oc, &osp, &oip, &ofl, &oh, &op);
	CHECK(oc & 1); /* reports halted */
	CHECK(oip != 0 && osp != 0);
	L4_Start(t);
	for (int i = 0; i < 5; i++)
		L4_Yield();
	CHECK(x2_out[0] > n); /* runs again */
	/* A new ip and sp. */
	L4_Stop(t);
	L4_Start_SpIp(t, x2_stack_top(), (L4_Word_t)land);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[5], 1);
}

X2TEST(x2_exregs_user_handle)
{
	L4_Set_UserDefinedHandle(0x1234);
	CHECK_EQ(L4_UserDefinedHandle(), 0x1234);
	L4_ThreadId_t t = x2_spawn(NO_A, spin);
	L4_Word_t oc, osp, oip, ofl, oh;
	L4_ThreadId_t op;
	L4_ExchangeRegisters(t, L4_ExReg_UserDefinedHandle, 0, 0, 0, 77, L4_nilthread, &oc, &osp, &oip, &ofl,
			     &oh, &op);
	CHECK_EQ(oh, 0);
	L4_ExchangeRegisters(t, L4_ExReg_UserDefinedHandle, 0, 0, 0, 78, L4_nilthread, &oc, &osp, &oip, &ofl,
			     &oh, &op);
	CHECK_EQ(oh, 77);
	/* A thread that does not exist. */
	L4_ThreadId_t r = L4_ExchangeRegisters(L4_GlobalId(NO_C, 1), 0, 0, 0, 0, 0, L4_nilthread, &oc, &osp,
					       &oip, &ofl, &oh, &op);
	CHECK(L4_IsNilThread(r));
	/* Local ids work in the same space. */
	r = L4_ExchangeRegisters(L4_LocalIdOf(t), 0, 0, 0, 0, 0, L4_nilthread, &oc, &osp, &oip, &ofl, &oh,
				 &op);
	CHECK_EQ(r.raw, t.raw);
	CHECK_EQ(oh, 78);
}

static void start_by_message(void)
{
	x2_out[0] = L4_Myself().raw;
	x2_done = 1;
}

X2TEST(x2_start_protocol)
{
	/* Its pager is the root: it waits for the start message. */
	L4_ThreadId_t t = x2_create(NO_A, L4_Myself());
	CHECK(!L4_IsNilThread(t));
	for (int i = 0; i < 3; i++)
		L4_Yield();
	CHECK_EQ(x2_done, 0);
	L4_LoadMR(0, 2);
	L4_LoadMR(1, (L4_Word_t)start_by_message);
	L4_LoadMR(2, x2_stack_top());
	L4_MsgTag_t tag = L4_Send(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], t.raw);
}

/* ---- scheduling -------------------------------------------------------------------------- */
X2TEST(x2_schedule_and_switch)
{
	L4_ThreadId_t t = x2_spawn(NO_A, spin);
	L4_Word_t old;
	L4_Word_t st = L4_Schedule(t, ~0ul, ~0ul, 90, ~0ul, &old);
	if (st == 0)
		printf("# x2_schedule: error %lu\n", L4_ErrorCode());
	CHECK(st == L4_SCHEDRESULT_RUNNING || st == L4_SCHEDRESULT_INACTIVE);
	mica_word_t stats[3];
	CHECK_OK(mica_thread_stats(x2_thread_cap(t.raw), stats));
	CHECK_EQ(stats[1], 90);
	CHECK_EQ(L4_Set_Priority(t, 100), L4_SCHEDRESULT_RUNNING);
	/* A time slice. */
	CHECK(L4_Set_Timeslice(t, L4_TimePeriod(5000), L4_Never));
	CHECK_OK(mica_thread_stats(x2_thread_cap(t.raw), stats));
	CHECK(stats[2] >= 5000000 && stats[2] < 5100000);
	/* Above the ceiling, an unknown thread. */
	CHECK_EQ(L4_Set_Priority(t, 300), L4_SCHEDRESULT_ERROR);
	CHECK_EQ(L4_Set_Priority(L4_GlobalId(NO_C, 1), 50), L4_SCHEDRESULT_ERROR);
	/* ThreadSwitch gives it the CPU. */
	L4_Word_t n = x2_out[0];
	L4_ThreadSwitch(t);
	CHECK(x2_out[0] > n);
	n = x2_out[0];
	L4_Yield();
	CHECK(x2_out[0] > n);
}

/* ---- map and grant items ---------------------------------------------------------------- */
#define X2_PAGE_SRC 0x60000000ul /* the sender's page (from sigma0) */
#define X2_WINDOW 0x61000000ul	 /* the receiver's acceptor */

/* Gets a page from sigma0 at X2_PAGE_SRC, writes a word and sends it to
 * the root as a map item (x2_out[4] = 1: as a grant). */
static void mapper(void)
{
	L4_Fpage_t f = L4_Sigma0_GetAny(L4_GlobalId(48, 1), 12, L4_FpageLog2(X2_PAGE_SRC, 12));
	if (L4_IsNilFpage(f)) {
		x2_done = -1;
		return;
	}
	*(volatile L4_Word_t *)X2_PAGE_SRC = 0x5eed;
	L4_Fpage_t snd = L4_FpageLog2(X2_PAGE_SRC, 12);
	L4_Set_Rights(&snd, L4_ReadWriteOnly);
	L4_Msg_t m;
	L4_MsgClear(&m);
	if (x2_out[4])
		L4_MsgAppendGrantItem(&m, L4_GrantItem(snd, 0));
	else
		L4_MsgAppendMapItem(&m, L4_MapItem(snd, 0));
	L4_MsgLoad(&m);
	L4_MsgTag_t t = L4_Call(root);
	x2_out[0] = L4_IpcSucceeded(t);
	x2_out[1] = L4_ErrorCode();
	x2_done = 1;
	/* Unmap on request: the status says the root read the page. */
	L4_ThreadId_t from;
	t = L4_Wait(&from);
	if (L4_IpcSucceeded(t)) {
		L4_Fpage_t u = L4_UnmapFpage(L4_FpageAddRights(L4_FpageLog2(X2_PAGE_SRC, 12), 7));
		x2_out[2] = L4_Rights(u);
		L4_LoadMR(0, 0);
		L4_Reply(from);
	}
	x2_done2 = 1;
}

X2TEST(x2_map_into_acceptor)
{
	root = L4_Myself();
	L4_Accept(L4_MapGrantItems(L4_FpageLog2(X2_WINDOW, 16)));
	L4_ThreadId_t t = x2_spawn_space(NO_A, mapper), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, t.raw);
	CHECK_EQ(L4_TypedWords(tag), 2);
	L4_MapItem_t mi;
	L4_StoreMR(1, &mi.raw[0]);
	L4_StoreMR(2, &mi.raw[1]);
	CHECK(L4_IsMapItem(mi));
	/* A 4 KiB fpage into a 64 KiB window at send base 0: at its start. */
	CHECK_EQ(*(volatile L4_Word_t *)X2_WINDOW, 0x5eed);
	L4_LoadMR(0, 0);
	L4_Reply(from);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	/* The sender unmaps: the root loses the page (a read would fault). */
	L4_LoadMR(0, 0);
	tag = L4_Call(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(x2_wait(&x2_done2));
	CHECK(x2_out[2] & L4_Referenced);
	L4_Accept(L4_UntypedWordsAcceptor);
}

X2TEST(x2_grant_into_acceptor)
{
	root = L4_Myself();
	x2_out[4] = 1;
	L4_Accept(L4_MapGrantItems(L4_FpageLog2(X2_WINDOW, 12)));
	L4_ThreadId_t from;
	x2_spawn_space(NO_A, mapper);
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	L4_GrantItem_t gi;
	L4_StoreMR(1, &gi.raw[0]);
	L4_StoreMR(2, &gi.raw[1]);
	CHECK(L4_IsGrantItem(gi));
	CHECK_EQ(*(volatile L4_Word_t *)X2_WINDOW, 0x5eed);
	L4_LoadMR(0, 0);
	L4_Reply(from);
	CHECK(x2_wait(&x2_done));
	/* Granted: the sender's unmap finds nothing to revoke from us. */
	L4_LoadMR(0, 0);
	L4_Call(from);
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(*(volatile L4_Word_t *)X2_WINDOW, 0x5eed);
	L4_Flush(L4_FpageAddRights(L4_FpageLog2(X2_WINDOW, 12), 7));
	L4_Accept(L4_UntypedWordsAcceptor);
}

X2TEST(x2_map_without_acceptor)
{
	root = L4_Myself();
	L4_Accept(L4_UntypedWordsAcceptor);
	L4_ThreadId_t from;
	x2_spawn_space(NO_A, mapper);
	/* The item does not fit: the sender's call fails, we go on waiting. */
	L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(20000), &from);
	CHECK(L4_IpcFailed(tag));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 0);
	CHECK_EQ(x2_out[1], L4_ErrMsgOverflow << 1);
}

/* ---- the page-fault protocol --------------------------------------------------------------- */
#define X2_PF_ADDR 0x62000000ul
static _Alignas(4096) volatile L4_Word_t pf_page[512];

static void faulter(void)
{
	x2_out[0] = *(volatile L4_Word_t *)(X2_PF_ADDR + 8);
	*(volatile L4_Word_t *)(X2_PF_ADDR + 16) = 0x77;
	x2_done = 1;
}

X2TEST(x2_pagefault_protocol)
{
	pf_page[1] = 0xfa11;
	/* A thread in a new space whose pager is us. */
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	L4_Word_t old;
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
	CHECK(L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 13), L4_FpageLog2(X2_CHILD_UTCB, 14),
			      L4_nilthread, &old));
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)X2_CHILD_UTCB));
	/* The start message, then its faults. */
	L4_LoadMR(0, 2);
	L4_LoadMR(1, (L4_Word_t)faulter);
	L4_LoadMR(2, x2_stack_top());
	CHECK(L4_IpcSucceeded(L4_Send(t)));
	L4_MsgTag_t tag = L4_Receive(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(L4_IsPagefault(tag));
	CHECK_EQ(L4_UntypedWords(tag), 2);
	CHECK_EQ(L4_Label(tag) & 7, L4_Readable);
	L4_Word_t addr, ip;
	L4_StoreMR(1, &addr);
	L4_StoreMR(2, &ip);
	CHECK_EQ(addr, X2_PF_ADDR + 8);
	CHECK(ip >= (L4_Word_t)faulter && ip < (L4_Word_t)faulter + 64);
	/* Answer with a map item of our page (writable), at the fault's page. */
	L4_Fpage_t f = L4_FpageAddRights(L4_FpageLog2((L4_Word_t)pf_page, 12), L4_ReadWriteOnly);
	L4_Msg_t m;
	L4_MsgClear(&m);
	L4_MsgAppendMapItem(&m, L4_MapItem(f, addr));
	L4_MsgLoad(&m);
	tag = L4_Reply(t);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 0xfa11);
	CHECK_EQ(pf_page[2], 0x77);
}

X2TEST(x2_pagefault_error_reply)
{
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	L4_Word_t old;
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
	CHECK(L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 13), L4_FpageLog2(X2_CHILD_UTCB, 14),
			      L4_nilthread, &old));
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_Myself(), (void *)X2_CHILD_UTCB));
	L4_LoadMR(0, 2);
	L4_LoadMR(1, (L4_Word_t)faulter);
	L4_LoadMR(2, x2_stack_top());
	CHECK(L4_IpcSucceeded(L4_Send(t)));
	L4_MsgTag_t tag = L4_Receive(t);
	CHECK(L4_IsPagefault(tag));
	/* An empty reply retries the access: the fault comes again. */
	L4_LoadMR(0, 0);
	CHECK(L4_IpcSucceeded(L4_Reply(t)));
	tag = L4_Receive_Timeout(t, L4_TimePeriod(50000));
	CHECK(L4_IsPagefault(tag));
	L4_Word_t addr;
	L4_StoreMR(1, &addr);
	CHECK_EQ(addr, X2_PF_ADDR + 8);
	CHECK_EQ(x2_done, 0);
}

/* ---- the exception protocol ------------------------------------------------------------------ */
static void trapper(void)
{
	L4_Set_ExceptionHandler(root);
	x2_out[1] = L4_ExceptionHandler().raw;
	__asm__ volatile("int3");
	x2_out[0] = 1;
	x2_done = 1;
}

X2TEST(x2_exception_protocol)
{
	root = L4_Myself();
	L4_ThreadId_t t = x2_spawn(NO_A, trapper), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, t.raw);
	CHECK_EQ(L4_Label(tag), L4_EXCEPTION_LABEL);
	CHECK_EQ(L4_UntypedWords(tag), 22);
	L4_Word_t vec;
	L4_StoreMR(1, &vec);
	CHECK_EQ(vec, 3);
	/* Resume it unchanged. */
	L4_LoadMR(0, 0);
	CHECK(L4_IpcSucceeded(L4_Reply(from)));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[1], root.raw);
}

/* ---- interrupts -------------------------------------------------------------------------------- */
X2TEST(x2_interrupt_protocol)
{
	L4_ThreadId_t irq = L4_GlobalId(20, 1), from;
	CHECK(L4_AssociateInterrupt(irq, L4_Myself()));
	CHECK_OK(x2_irq_trigger(20));
	L4_MsgTag_t tag = L4_Receive(irq);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(L4_Label(tag), L4_INTERRUPT_LABEL);
	CHECK_EQ(L4_UntypedWords(tag), 0);
	L4_Word_t w;
	L4_StoreMR(0, &w);
	CHECK_EQ(w, tag.raw);
	/* The unmasking reply, then the next one as a call (pork's loop). */
	L4_LoadMR(0, 0);
	CHECK(L4_IpcSucceeded(L4_Send(irq)));
	CHECK_OK(x2_irq_trigger(20));
	L4_LoadMR(0, 0);
	tag = L4_Ipc(irq, L4_anythread, 0, &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, irq.raw);
	/* Firings before the message was taken coalesce. */
	CHECK_OK(x2_irq_trigger(20));
	CHECK_OK(x2_irq_trigger(20));
	tag = L4_Receive_Timeout(irq, L4_ZeroTime);
	CHECK(L4_IpcSucceeded(tag));
	tag = L4_Receive_Timeout(irq, L4_ZeroTime);
	CHECK(L4_IpcFailed(tag));
	CHECK(L4_DeassociateInterrupt(irq));
	/* Nothing after deassociation. */
	CHECK(x2_irq_trigger(20) != MICA_OK);
	tag = L4_Receive_Timeout(irq, L4_ZeroTime);
	CHECK(L4_IpcFailed(tag));
}

static void irq_handler_thread(void)
{
	L4_ThreadId_t irq = L4_GlobalId(21, 1);
	x2_done = 1;
	L4_MsgTag_t tag = L4_Receive(irq);
	x2_out[0] = L4_Label(tag);
	L4_LoadMR(0, 0);
	tag = L4_Call(irq);
	x2_out[1] = L4_Label(tag);
	x2_done2 = 1;
}

X2TEST(x2_interrupt_other_thread)
{
	L4_ThreadId_t irq = L4_GlobalId(21, 1);
	L4_ThreadId_t h = x2_spawn_space(NO_A, irq_handler_thread);
	CHECK(L4_AssociateInterrupt(irq, h));
	CHECK(x2_wait(&x2_done));
	CHECK_OK(x2_irq_trigger(21));
	for (int i = 0; i < 5; i++)
		L4_Yield();
	CHECK_OK(x2_irq_trigger(21));
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(x2_out[0], L4_INTERRUPT_LABEL);
	CHECK_EQ(x2_out[1], L4_INTERRUPT_LABEL);
	/* The handler's deletion drops the association. */
	CHECK(L4_ThreadControl(h, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK(L4_AssociateInterrupt(irq, L4_Myself()));
	CHECK(L4_DeassociateInterrupt(irq));
}

X2TEST(x2_interrupt_errors)
{
	/* Not an interrupt id, beyond the interrupts, version not 1. */
	CHECK_EQ(L4_AssociateInterrupt(L4_GlobalId(NO_A, 1), L4_Myself()), 0);
	CHECK_EQ(L4_AssociateInterrupt(L4_GlobalId(40, 1), L4_Myself()), 0);
	CHECK_EQ(L4_AssociateInterrupt(L4_GlobalId(20, 2), L4_Myself()), 0);
	/* An unknown handler. */
	CHECK_EQ(L4_AssociateInterrupt(L4_GlobalId(20, 1), L4_GlobalId(NO_C, 1)), 0);
	CHECK(L4_AssociateInterrupt(L4_GlobalId(20, 1), L4_Myself()));
	CHECK_EQ(L4_AssociateInterrupt(L4_GlobalId(20, 1), L4_Myself()), 0); /* twice */
	CHECK(L4_DeassociateInterrupt(L4_GlobalId(20, 1)));
	CHECK_EQ(L4_DeassociateInterrupt(L4_GlobalId(20, 1)), 0);
	/* A reply to an interrupt that is not ours. */
	L4_LoadMR(0, 0);
	L4_MsgTag_t tag = L4_Send(L4_GlobalId(20, 1));
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrNonExist << 1);
}

/* ---- sigma0 ------------------------------------------------------------------------------------ */
X2TEST(x2_sigma0_getpage)
{
	L4_ThreadId_t s0 = L4_GlobalId(48, 1);
	L4_Fpage_t f = L4_Sigma0_GetAny(s0, 12, L4_FpageLog2(X2_PAGE_SRC, 12));
	CHECK(!L4_IsNilFpage(f));
	CHECK_EQ(L4_SizeLog2(f), 12);
	*(volatile L4_Word_t *)X2_PAGE_SRC = 3;
	CHECK_EQ(*(volatile L4_Word_t *)X2_PAGE_SRC, 3);
	/* The same frame again: sigma0 gives each once. */
	L4_Fpage_t g = L4_Sigma0_GetPage_RcvWindow(s0, L4_FpageAddRights(L4_FpageLog2(L4_Address(f), 12), 6),
						   L4_FpageLog2(X2_PAGE_SRC + 0x1000, 12));
	CHECK(L4_IsNilFpage(g));
	/* Kernel memory: the first megabyte's kernel descriptor is refused. */
	void *kip = L4_GetKernelInterface();
	for (L4_Word_t n = 0; n < L4_NumMemoryDescriptors(kip); n++) {
		L4_MemoryDesc_t *d = L4_MemoryDesc(kip, n);
		if (L4_MemoryDescType(d) == L4_ReservedMemoryType && L4_MemoryDescLow(d) >= 0x100000) {
			g = L4_Sigma0_GetPage(s0,
					      L4_FpageAddRights(L4_FpageLog2(L4_MemoryDescLow(d), 12), 4));
			CHECK(L4_IsNilFpage(g));
			break;
		}
	}
	/* Not sigma0. */
	CHECK(L4_IsNilFpage(L4_Sigma0_GetAny(L4_Myself(), 12, L4_FpageLog2(X2_PAGE_SRC + 0x2000, 12))));
	L4_Flush(L4_FpageAddRights(L4_FpageLog2(X2_PAGE_SRC, 12), 7));
}

/* ---- KDB ---------------------------------------------------------------------------------------- */
X2TEST(x2_kdb_output)
{
	/* Output only: the line shows in the suite's log. */
	L4_KDB_PrintString("# x2: KDB output ");
	L4_KDB_PrintChar('o');
	L4_KDB_PrintChar('k');
	L4_KDB_PrintChar('\n');
	CHECK_EQ(L4_ErrorCode(), 0);
}

/* ---- the fast path against the general one ---------------------------------------------- */
X2TEST(x2_fast_and_general_path_agree)
{
	/* The same call with no timeouts (the fast path) and with a receive
	 * timeout (the general path): the same reply, sender and tag. */
	L4_ThreadId_t t = x2_spawn_space(NO_A, echo_server), from;
	CHECK_EQ(call_echo(t, 1), 2); /* first contact: the pair's gate */
	L4_Word_t res[2][3];
	for (int k = 0; k < 2; k++) {
		L4_LoadMR(0, (0x77ul << 16) | 1);
		L4_LoadMR(1, 10);
		L4_MsgTag_t tag = k == 0 ? L4_Ipc(t, t, 0, &from)
					 : L4_Ipc(t, t, L4_Timeouts(L4_Never, L4_TimePeriod(1000000)), &from);
		CHECK(L4_IpcSucceeded(tag));
		res[k][0] = tag.raw;
		res[k][1] = from.raw;
		L4_StoreMR(1, &res[k][2]);
	}
	CHECK_EQ(res[0][0], res[1][0]);
	CHECK_EQ(res[0][1], t.raw);
	CHECK_EQ(res[1][1], t.raw);
	CHECK_EQ(res[0][2], 11);
	CHECK_EQ(res[1][2], 11);
	CHECK_EQ(L4_MsgTag().raw, res[1][0]);
}

/* ---- exception reply with registers ---------------------------------------------------- */
static void ud2_thread(void)
{
	L4_Set_ExceptionHandler(root);
	__asm__ volatile("ud2");
	x2_out[0] = 0x5afe;
	x2_done = 1;
}

X2TEST(x2_exception_reply_sets_ip)
{
	root = L4_Myself();
	L4_ThreadId_t from;
	x2_spawn_space(NO_A, ud2_thread);
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(L4_Label(tag), L4_EXCEPTION_LABEL);
	L4_Word_t vec, ip;
	L4_StoreMR(1, &vec);
	L4_StoreMR(4, &ip); /* vector, error code, address, then rip */
	CHECK_EQ(vec, 6);   /* #UD */
	/* Past the two bytes of ud2. */
	L4_LoadMR(0, 4);
	L4_LoadMR(4, ip + 2);
	CHECK(L4_IpcSucceeded(L4_Reply(from)));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 0x5afe);
}

/* ---- a hostile client of the thread-id server ----------------------------------------- */
#include "../../x2/x2_priv.h"

static void hostile(void)
{
	mica_word_t *mr = mica_mr();
	/* Reconfigure the root thread from another space: refused. */
	mr[0] = root.raw;
	mr[1] = L4_ExReg_Halt;
	x2_out[0] = x2_server_call(X2_OP_EXREGS, 7);
	/* A pair between two threads that are not ours. */
	mr[0] = root.raw;
	mr[1] = L4_GlobalId(NO_C, 1).raw;
	x2_out[1] = x2_server_call(X2_OP_PAIR, 2);
	/* Privileged operations, unknown operations, too few words. */
	mr[0] = L4_GlobalId(NO_B, 1).raw;
	x2_out[2] = x2_server_call(X2_OP_THREAD_CONTROL, 1);
	x2_out[3] = x2_server_call((enum x2_op)99, 0);
	x2_out[4] = x2_server_call(X2_OP_SET_EXC, 0);
	x2_done = 1;
}

X2TEST(x2_id_server_hostile_client)
{
	root = L4_Myself();
	L4_ThreadId_t c = L4_GlobalId(NO_C, 1);
	CHECK(L4_ThreadControl(c, L4_Myself(), L4_Myself(), L4_Pager(),
			       (void *)(MICA_BOOT_UTCB_ADDR + 52 * MICA_UTCB_SIZE)));
	x2_spawn_space(NO_A, hostile);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], L4_ErrInvalidThread);
	CHECK_EQ(x2_out[1], L4_ErrNonExist);
	CHECK_EQ(x2_out[2], L4_ErrNoPrivilege);
	CHECK_EQ(x2_out[3], L4_ErrInvalidParam);
	CHECK(x2_out[4] != 0);
	/* The root thread was not halted and the server still answers. */
	L4_ThreadId_t t = x2_spawn(NO_B, echo_server);
	CHECK_EQ(call_echo(t, 3), 4);
}

/* ---- a server that calls another server before it answers ---------------------------- */
static L4_ThreadId_t backend;

static void middle_server(void)
{
	L4_ThreadId_t from;
	L4_Wait(&from);
	for (;;) {
		L4_Word_t w;
		L4_StoreMR(1, &w);
		/* Ask the backend first: our own call keeps what we owe. */
		L4_Word_t v = call_echo(backend, w);
		load_word(v * 2);
		L4_ReplyWait(from, &from);
	}
}

X2TEST(x2_nested_call)
{
	backend = x2_spawn_space(NO_B, echo_server);
	L4_ThreadId_t m = x2_spawn(NO_A, middle_server);
	CHECK_EQ(call_echo(m, 4), 10);
	CHECK_EQ(call_echo(m, 9), 20);
}

/* ---- processor and memory control: declared, and refused as documented ----------------- */
X2TEST(x2_processor_and_memory_control)
{
	CHECK_EQ(L4_ProcessorControl(0, 1000, ~0ul, ~0ul), 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrNoPrivilege);
	CHECK_EQ(L4_Set_ProcessorFrequency(0, 2000), 0);
	/* The default attributes are what every page has: a no-op. */
	L4_Fpage_t f = L4_FpageLog2(X2_PAGE_SRC, 12);
	CHECK_EQ(L4_Set_PageAttribute(f, L4_DefaultMemory), 1);
	CHECK_EQ(L4_ErrorCode(), 0);
	CHECK_EQ(L4_Set_PageAttribute(f, 2), 0);
	CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
}
