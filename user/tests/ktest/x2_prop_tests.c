/* In-system cases of the X.2 personality's propagation (docs/x2.md): a
 * send with the propagate bit on behalf of a thread of the sender's space
 * arrives from that thread with L4_ActualSender naming the sender; a
 * virtual sender of another space, or a forged one, is not honoured. */
#include <mica_sys.h>
#include <x2_mica.h>

#include "../../x2/x2_priv.h"
#include "x2_util.h"

#define NO_V 120
#define NO_P 220
#define NO_W 320

static L4_ThreadId_t root, virt;

/* Does nothing but exist (the virtual sender). */
static void idle_thread(void)
{
	for (;;)
		L4_Receive(L4_Myself());
}

/* Sends MR1 = 0x5150 to the root on behalf of `virt` (propagated); calls
 * if x2_out[8] says so. x2_out[0] = success, x2_out[1] the reply's MR1. */
static void propagator(void)
{
	L4_Set_VirtualSender(virt);
	x2_out[2] = L4_VirtualSender().raw;
	L4_MsgTag_t t = { .raw = 0 };
	t.X.u = 1;
	L4_Set_Propagation(&t);
	L4_LoadMR(0, t.raw);
	L4_LoadMR(1, 0x5150);
	t = x2_out[8] ? L4_Call(root) : L4_Send(root);
	x2_out[0] = L4_IpcSucceeded(t);
	L4_Word_t w = 0;
	L4_StoreMR(1, &w);
	x2_out[1] = w;
	x2_done = 1;
	idle_thread();
}

static L4_Word_t word1(void)
{
	L4_Word_t w = 0;
	L4_StoreMR(1, &w);
	return w;
}

X2TEST(x2_propagate_on_behalf_of_local_thread)
{
	root = L4_Myself();
	virt = x2_spawn(NO_V, idle_thread);
	x2_out[8] = 0;
	L4_ThreadId_t p = x2_spawn(NO_P, propagator), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, virt.raw);
	CHECK(L4_IpcPropagated(tag));
	CHECK_EQ(L4_UntypedWords(tag), 1);
	CHECK_EQ(word1(), 0x5150);
	CHECK_EQ(L4_ActualSender().raw, p.raw);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[2], virt.raw);
}

X2TEST(x2_propagated_call_is_answered)
{
	/* The reply to a propagated call goes to the thread that called
	 * (docs/x2.md: the virtual sender's receive is not redirected). */
	root = L4_Myself();
	virt = x2_spawn(NO_V, idle_thread);
	x2_out[8] = 1;
	L4_ThreadId_t p = x2_spawn(NO_P, propagator), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK(L4_IpcPropagated(tag));
	CHECK_EQ(from.raw, virt.raw);
	CHECK_EQ(L4_ActualSender().raw, p.raw);
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 0x77);
	CHECK(L4_IpcSucceeded(L4_Reply(from)));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	CHECK_EQ(x2_out[1], 0x77);
}

X2TEST(x2_propagate_other_space_not_allowed)
{
	/* The propagator is in a space of its own; its virtual sender is in
	 * the root's: the bit is dropped, the message is its own. */
	root = L4_Myself();
	virt = x2_spawn(NO_V, idle_thread);
	x2_out[8] = 0;
	L4_ThreadId_t p = x2_spawn_space(NO_P, propagator), from;
	L4_MsgTag_t tag = L4_Wait(&from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, p.raw);
	CHECK(!L4_IpcPropagated(tag));
	CHECK_EQ(L4_UntypedWords(tag), 1);
	CHECK_EQ(word1(), 0x5150);
}

/* In a space of its own: reports two messages (from, propagated, MR1). */
static void reporter(void)
{
	for (unsigned i = 0; i < 2; i++) {
		L4_ThreadId_t from = L4_nilthread;
		L4_MsgTag_t t = L4_Wait(&from);
		x2_out[3ul * i] = L4_IpcSucceeded(t) ? from.raw : 0;
		x2_out[3ul * i + 1] = L4_IpcPropagated(t);
		x2_out[3ul * i + 2] = word1();
	}
	x2_done = 1;
	idle_thread();
}

X2TEST(x2_propagate_forged_is_the_senders_own)
{
	/* The root sends through the pair's propagating capability itself,
	 * naming a thread of the receiver's space: the receiver checks the
	 * rule against the kernel's label and sees the root. */
	root = L4_Myself();
	L4_ThreadId_t w = x2_spawn_space(NO_W, reporter);
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 1);
	CHECK(L4_IpcSucceeded(L4_Send(w)));
	int ri = x2_find(root.raw), wi = x2_find(w.raw);
	CHECK(ri >= 0 && wi >= 0);
	mica_word_t *mr = mica_mr();
	mr[0] = w.raw;
	mr[1] = 0x99;
	mica_msgtag_t t = mica_ipc(X2_SEL_SEND(X2_PAIR((unsigned)ri, (unsigned)wi), X2_SEND_PROP),
				   mica_msgtag(0, 2, 0, 0), MICA_IPC_SEND, 0, 0, 0);
	CHECK_OK(mica_error(t));
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], root.raw);
	CHECK_EQ(x2_out[1], 0);
	CHECK_EQ(x2_out[2], 1);
	CHECK_EQ(x2_out[3], root.raw);
	CHECK_EQ(x2_out[4], 0);
	CHECK_EQ(x2_out[5], 0x99);
}
