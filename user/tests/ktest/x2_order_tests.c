/* x2_ cases of replies in any order (a server takes several calls and
 * answers them in another order: Mica's reply capabilities underneath)
 * and of closed receives from one interrupt. */
#include <x2_mica.h>

#include "x2_util.h"

#define NO_A 100
#define NO_B 200
#define NO_C 300

static L4_ThreadId_t server;

/* Calls the server with MR1 = w; reports the result tag, the reply's MR1
 * and ErrorCode in x2_out[base..base+2], then sets *done. */
static void call_and_report(L4_Word_t w, unsigned base, volatile int *done)
{
	L4_LoadMR(0, 1);
	L4_LoadMR(1, w);
	L4_MsgTag_t t = L4_Call(server);
	x2_out[base] = t.raw;
	L4_StoreMR(1, (L4_Word_t *)&x2_out[base + 1]);
	x2_out[base + 2] = L4_ErrorCode();
	*done = 1;
}

static void caller_a(void)
{
	call_and_report(1, 0, &x2_done);
}

static void caller_b(void)
{
	call_and_report(2, 4, &x2_done2);
}

/* Receives the next call; its MR1 and sender. */
static L4_Word_t take_call(L4_ThreadId_t *from)
{
	L4_MsgTag_t tag = L4_Wait(from);
	L4_Word_t w = ~0ul;
	if (L4_IpcSucceeded(tag))
		L4_StoreMR(1, &w);
	return w;
}

static L4_MsgTag_t answer(L4_ThreadId_t to, L4_Word_t w)
{
	L4_LoadMR(0, 1);
	L4_LoadMR(1, w);
	return L4_Reply(to);
}

X2TEST(x2_replies_in_any_order)
{
	server = L4_Myself();
	L4_ThreadId_t a = x2_spawn(NO_A, caller_a), b = x2_spawn_space(NO_B, caller_b), f1, f2;
	CHECK_EQ(take_call(&f1), 1);
	CHECK_EQ(f1.raw, a.raw);
	/* A second call before the first is answered: the first waits on. */
	CHECK_EQ(take_call(&f2), 2);
	CHECK_EQ(f2.raw, b.raw);
	CHECK(!x2_done);
	/* The first caller first, then the second. */
	CHECK(L4_IpcSucceeded(answer(a, 10)));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], 10);
	CHECK_EQ(x2_out[2], 0);
	CHECK(!x2_done2);
	CHECK(L4_IpcSucceeded(answer(b, 20)));
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(x2_out[4], 1);
	CHECK_EQ(x2_out[5], 20);
	/* Each once: a second answer is a plain send with a zero timeout to
	 * a thread that waits for nobody (X.2's reply), which times out. */
	L4_MsgTag_t tag = answer(a, 11);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), L4_ErrTimeout << 1);
	CHECK_EQ(x2_out[1], 10);
}

X2TEST(x2_replies_last_first_with_reply_wait)
{
	server = L4_Myself();
	L4_ThreadId_t a = x2_spawn_space(NO_A, caller_a), b = x2_spawn(NO_B, caller_b), f;
	CHECK_EQ(take_call(&f), 1);
	CHECK_EQ(take_call(&f), 2);
	CHECK_EQ(f.raw, b.raw);
	/* The last caller first (the right Mica gave last), then the saved
	 * one by reply-and-wait, which waits on with nothing to come. */
	CHECK(L4_IpcSucceeded(answer(b, 20)));
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(x2_out[5], 20);
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 10);
	L4_MsgTag_t tag = L4_ReplyWait_Timeout(a, L4_ZeroTime, &f);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1); /* the receive phase */
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], 10);
}

static void caller_c(void)
{
	call_and_report(3, 8, &x2_done);
}

/* Takes two calls, answers neither, reports, and waits to be deleted. */
static void forgetful(void)
{
	L4_ThreadId_t f;
	x2_out[12] = take_call(&f);
	x2_out[13] = take_call(&f);
	x2_out[14] = 1;
	L4_Receive(L4_GlobalId(NO_C + 1, 1));
}

X2TEST(x2_deleted_server_aborts_saved_and_owed_callers)
{
	server = x2_spawn_space(NO_C, forgetful);
	x2_spawn(NO_A, caller_c);
	x2_spawn(NO_B, caller_b);
	CHECK(x2_wait((volatile int *)&x2_out[14]));
	CHECK(!x2_done && !x2_done2);
	CHECK(L4_ThreadControl(server, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
	CHECK(x2_wait(&x2_done));
	CHECK(x2_wait(&x2_done2));
	/* Both calls end: the one whose right was saved and the one owed. */
	CHECK(x2_out[8] & 0x8000);
	CHECK(x2_out[4] & 0x8000);
	CHECK_EQ(x2_out[10] >> 1, L4_ErrAborted);
	CHECK_EQ(x2_out[6] >> 1, L4_ErrAborted);
}

/* Sends one message to the server. */
static void one_send(void)
{
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 0x5e);
	x2_out[0] = L4_IpcSucceeded(L4_Send(server));
	x2_done = 1;
}

X2TEST(x2_closed_receive_from_one_interrupt)
{
	server = L4_Myself();
	L4_ThreadId_t i20 = L4_GlobalId(20, 1), i21 = L4_GlobalId(21, 1), from;
	CHECK(L4_AssociateInterrupt(i20, L4_Myself()));
	CHECK(L4_AssociateInterrupt(i21, L4_Myself()));
	/* A thread's message and interrupt 21 come first; a receive from
	 * 20 takes neither. */
	L4_ThreadId_t t = x2_spawn(NO_A, one_send);
	for (int i = 0; i < 5; i++)
		L4_Yield();
	CHECK_OK(x2_irq_trigger(21));
	L4_MsgTag_t tag = L4_Receive_Timeout(i20, L4_ZeroTime);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrTimeout << 1) | 1);
	CHECK_OK(x2_irq_trigger(20));
	tag = L4_Ipc(L4_nilthread, i20, 0, &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, i20.raw);
	CHECK_EQ(L4_Label(tag), L4_INTERRUPT_LABEL);
	/* Then 21 by name, then the thread's message. */
	tag = L4_Ipc(L4_nilthread, i21, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, i21.raw);
	tag = L4_Wait_Timeout(L4_ZeroTime, &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, t.raw);
	CHECK(x2_wait(&x2_done));
	/* An interrupt that is not ours cannot be received from. */
	CHECK(L4_DeassociateInterrupt(i21));
	tag = L4_Receive_Timeout(i21, L4_ZeroTime);
	CHECK(L4_IpcFailed(tag));
	CHECK_EQ(L4_ErrorCode(), (L4_ErrNonExist << 1) | 1);
	CHECK(L4_DeassociateInterrupt(i20));
}
