/* In-system cases of the X.2 personality's closed receive from
 * L4_anylocalthread (docs/x2.md): exact on Mica's filtered open wait
 * (docs/abi.md 5.1), so a message from another space or an interrupt
 * never satisfies it and stays for a later receive. */
#include <x2_mica.h>

#include "x2_util.h"

static L4_ThreadId_t root;

#define NO_A 110ul
#define NO_B 210ul
#define NO_C 310ul

static void load_word(L4_Word_t w)
{
	L4_LoadMR(0, 1);
	L4_LoadMR(1, w);
}

/* Sends its thread number to the root (blocks until taken). */
static void send_no(void)
{
	load_word(L4_ThreadNo(L4_Myself()));
	L4_MsgTag_t t = L4_Send(root);
	x2_out[L4_ThreadNo(L4_Myself()) == NO_A ? 0 : 1] = L4_IpcSucceeded(t);
	x2_done2++;
}

/* Calls the root with its thread number; x2_out[2 + (A? 0 : 1)] = reply. */
static void call_no(void)
{
	load_word(L4_ThreadNo(L4_Myself()));
	L4_MsgTag_t t = L4_Call(root);
	L4_Word_t w = 0;
	L4_StoreMR(1, &w);
	x2_out[L4_ThreadNo(L4_Myself()) == NO_A ? 2 : 3] = L4_IpcSucceeded(t) ? w : ~0ul;
	x2_done2++;
}

static L4_Word_t word1(void)
{
	L4_Word_t w = 0;
	L4_StoreMR(1, &w);
	return w;
}

static void let_run(void)
{
	for (int i = 0; i < 5; i++)
		L4_Yield();
}

X2TEST(x2_anylocal_ignores_other_space)
{
	root = L4_Myself();
	/* A thread of another space sends first and waits. */
	L4_ThreadId_t a = x2_spawn_space(NO_A, send_no), from = L4_nilthread;
	CHECK(!L4_IsNilThread(a));
	let_run();
	L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	/* A period timeout as well: it is still not for us. */
	tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_TimePeriod(2000)), &from);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	/* A local sender satisfies it, though it came second. */
	L4_ThreadId_t b = x2_spawn(NO_B, send_no);
	let_run();
	tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_Never), &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, b.raw);
	CHECK_EQ(word1(), NO_B);
	/* The other space's message kept its place for an open receive. */
	tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, a.raw);
	CHECK_EQ(word1(), NO_A);
	let_run();
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], 1);
}

X2TEST(x2_anylocal_calls_and_replies)
{
	/* Both call; the local caller is served first by anylocalthread
	 * (a reply-and-wait would reply to it), the other space's after. */
	root = L4_Myself();
	L4_ThreadId_t a = x2_spawn_space(NO_A, call_no), from;
	let_run();
	L4_ThreadId_t b = x2_spawn(NO_B, call_no);
	let_run();
	L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_Never), &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, b.raw);
	/* Receiving again (anylocalthread) while owing b its reply: nothing
	 * local is left, and the reply right is kept. */
	tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	load_word(NO_B * 2);
	CHECK(L4_IpcSucceeded(L4_Reply(b)));
	tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, a.raw);
	CHECK_EQ(word1(), NO_A);
	load_word(NO_A * 2);
	CHECK(L4_IpcSucceeded(L4_Reply(a)));
	x2_done2 = 0;
	for (int i = 0; i < 50 && (x2_out[2] != NO_A * 2 || x2_out[3] != NO_B * 2); i++)
		L4_Yield();
	CHECK_EQ(x2_out[2], NO_A * 2);
	CHECK_EQ(x2_out[3], NO_B * 2);
}

X2TEST(x2_anylocal_takes_no_interrupt)
{
	L4_ThreadId_t irq = L4_GlobalId(22, 1), from;
	CHECK(L4_AssociateInterrupt(irq, L4_Myself()));
	CHECK_OK(x2_irq_trigger(22));
	L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	/* The interrupt is still there for an open receive. */
	tag = L4_Wait_Timeout(L4_ZeroTime, &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, irq.raw);
	CHECK_EQ(L4_Label(tag), L4_INTERRUPT_LABEL);
	CHECK(L4_DeassociateInterrupt(irq));
}

/* In a space of its own: receives from anylocalthread once, reporting
 * who sent (x2_out[4], x2_out[5] the word), then from anythread
 * (x2_out[6], x2_out[7]). */
static void local_receiver(void)
{
	L4_ThreadId_t from = L4_nilthread;
	x2_done = 1;
	L4_MsgTag_t t = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_Never), &from);
	x2_out[4] = L4_IpcSucceeded(t) ? from.raw : 0;
	x2_out[5] = word1();
	t = L4_Wait(&from);
	x2_out[6] = L4_IpcSucceeded(t) ? from.raw : 0;
	x2_out[7] = word1();
	x2_done2 = 1;
}

static L4_ThreadId_t receiver_c;

/* A second thread in the receiver's space: sends it its number. */
static void local_sibling(void)
{
	load_word(L4_ThreadNo(L4_Myself()));
	L4_Send(receiver_c);
	for (;;)
		L4_Receive(L4_Myself());
}

X2TEST(x2_anylocal_in_another_space)
{
	/* The receiver waits in its space; the root's (another space's)
	 * message does not reach it, a thread of the receiver's space does. */
	receiver_c = L4_GlobalId(NO_C, 1);
	x2_done = x2_done2 = 0;
	L4_ThreadId_t c = x2_spawn_space(NO_C, local_receiver);
	CHECK_EQ(c.raw, receiver_c.raw);
	CHECK(x2_wait(&x2_done));
	let_run();
	/* Not for it: a zero send timeout finds no receiver. */
	load_word(1);
	L4_MsgTag_t tag = L4_Send_Timeout(c, L4_ZeroTime);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrTimeout << 1);
	/* A sibling in its space: ThreadControl with the receiver as space. */
	L4_ThreadId_t s = L4_GlobalId(NO_C + 1, 1);
	CHECK(L4_ThreadControl(s, c, L4_Myself(), L4_Pager(), (void *)(X2_CHILD_UTCB + 8ul * 1024)));
	L4_Start_SpIp(s, x2_stack_top(), (L4_Word_t)local_sibling);
	CHECK(x2_wait(&x2_done2) || x2_out[4]);
	CHECK_EQ(x2_out[4], s.raw);
	CHECK_EQ(x2_out[5], NO_C + 1);
	/* Now an open receive there: the root's message. */
	load_word(0x77);
	CHECK(L4_IpcSucceeded(L4_Send(c)));
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(x2_out[6], L4_Myself().raw);
	CHECK_EQ(x2_out[7], 0x77);
}
