/* ipc_: the phases of the system call, message transfer, timeouts and
 * error reporting. */
#include "servers.h"

KTEST(ipc_call_reply_within_task)
{
	mica_cap_t g;
	struct kthread *k = start_echo(KTASK, 1, &g);
	CHECK(k);
	kfill(1, 4);
	mica_word_t label = 99;
	mica_msgtag_t r = mica_ipc(g, mica_msgtag(10, 4, 0, 0), MICA_IPC_CALL, 0, 0, &label);
	CHECK_EQ(mica_error(r), MICA_OK);
	CHECK_EQ(mica_msgtag_label(r), 11);
	CHECK_EQ(mica_msgtag_u(r), 4);
	CHECK_EQ(label, 0); /* replies carry no label */
	mica_word_t *mr = mica_mr();
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(mr[i], 0x9e3779b97f4a7c15ul + i + 1);
	CHECK_EQ(k->out[1], 1);
}

KTEST(ipc_call_reply_between_tasks)
{
	mica_cap_t t = ktask_create(), g;
	CHECK(t);
	struct kthread *k = start_echo(t, 1, &g);
	CHECK(k);
	for (mica_word_t i = 0; i < 5; i++) {
		mica_mr()[0] = i * 100;
		mica_msgtag_t r = mica_call(g, 1, 1);
		CHECK_EQ(mica_error(r), MICA_OK);
		CHECK_EQ(mica_mr()[0], i * 100 + 1);
	}
	CHECK_EQ(k->out[1], 5);
}

KTEST(ipc_all_63_words)
{
	mica_cap_t g;
	CHECK(start_echo(KTASK, 1, &g));
	kfill(7, 63);
	mica_msgtag_t r = mica_call(g, 1, 63);
	CHECK_EQ(mica_msgtag_u(r), 63);
	mica_word_t *mr = mica_mr();
	for (unsigned i = 0; i < 63; i++)
		CHECK_EQ(mr[i], 7 * 0x9e3779b97f4a7c15ul + i + 1);
}

KTEST(ipc_words_beyond_u_not_touched)
{
	mica_cap_t g;
	CHECK(start_echo(KTASK, 1, &g));
	mica_word_t *mr = mica_mr();
	mr[0] = 1;
	mr[1] = 0xabcdef;
	mica_call(g, 1, 1);
	CHECK_EQ(mr[0], 2);
	CHECK_EQ(mr[1], 0xabcdef);
}

static void receiver_once(struct kthread *k)
{
	mica_word_t label;
	mica_msgtag_t r = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = r.raw;
	k->out[1] = label;
	k->out[2] = mica_mr()[0];
	k->out[3] = mica_utcb()->label;
}

KTEST(ipc_send_to_waiting_receiver)
{
	mica_cap_t g = ksel();
	struct kthread *k = kthread_new(KTASK, receiver_once, 0);
	CHECK(k);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	k->cap = g;
	CHECK_OK(kthread_go(k));
	kyield();
	mica_mr()[0] = 4242;
	mica_msgtag_t r = mica_send(g, 77, 1);
	CHECK_EQ(r.raw, 0);
	CHECK(KWAIT(k));
	CHECK_EQ(mica_msgtag_label((mica_msgtag_t){ k->out[0] }), 77);
	CHECK_EQ(k->out[2], 4242);
}

static void sender_once(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	k->out[0] = mica_send(k->cap, 5, 1).raw;
	k->out[1] = 1;
}

KTEST(ipc_send_blocks_until_received)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(sender_once, 31, &g);
	CHECK(k);
	CHECK_EQ(k->out[1], 0);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_SENDING);
	mica_msgtag_t r = mica_wait(g, MICA_TIMEOUT_NEVER, 0);
	CHECK_EQ(mica_error(r), MICA_OK);
	CHECK_EQ(mica_mr()[0], 31);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0);
}

KTEST(ipc_send_zero_timeout_without_receiver)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT, 0);
	CHECK_TAG_ERR(mica_call_timeout(g, 1, 0, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0)), MICA_E_TIMEOUT, 0);
}

KTEST(ipc_receive_zero_timeout)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	CHECK_TAG_ERR(mica_wait(0, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	/* with a sender waiting, a zero timeout still receives */
	struct kthread *k = kthread_new(KTASK, sender_once, 8);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, 0)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 8);
}

KTEST(ipc_reply_without_caller)
{
	CHECK_TAG_ERR(mica_reply(mica_msgtag(0, 0, 0, 0)), MICA_E_NO_PARTNER, 0);
	/* reply-and-wait with nobody to answer just waits */
	CHECK_TAG_ERR(mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_REPLY_WAIT, 0,
			       MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), 0),
		      MICA_E_TIMEOUT, 1);
}

static void caller_once(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	mica_msgtag_t r = mica_call(k->cap, 3, 1);
	k->out[0] = r.raw;
	k->out[1] = mica_mr()[0];
	k->out[2] = mica_utcb()->error;
}

KTEST(ipc_reply_is_one_shot)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(caller_once, 5, &g);
	CHECK(k);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	mica_mr()[0] = 6;
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK_TAG_ERR(mica_reply(mica_msgtag(0, 1, 0, 0)), MICA_E_NO_PARTNER, 0);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[1], 6);
}

KTEST(ipc_bad_phase_flags)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(0, 0, 0, 0), 0, 0, 0, 0), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(0, 0, 0, 0), 16, 0, 0, 0), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(0, 0, 0, 0), MICA_IPC_SEND | MICA_IPC_REPLY, 0, 0, 0),
		      MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(0, 0, 0, 0), ~0ul, 0, 0, 0), MICA_E_BAD_ARG, 0);
}

KTEST(ipc_malformed_tags)
{
	mica_cap_t g;
	CHECK(start_echo(KTASK, 1, &g));
	/* reserved flag bits */
	CHECK_TAG_ERR(mica_ipc(g, (mica_msgtag_t){ 1ul << 12 }, MICA_IPC_CALL, 0, 0, 0), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_ipc(g, (mica_msgtag_t){ MICA_TAG_RECV_PHASE }, MICA_IPC_CALL, 0, 0, 0),
		      MICA_E_BAD_TAG, 0);
	/* more words than MRs */
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(1, 63, 2, 0), MICA_IPC_CALL, 0, 0, 0), MICA_E_BAD_TAG, 0);
	/* typed items come in pairs of words, and each must be well formed */
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(1, 1, 3, 0), MICA_IPC_CALL, 0, 0, 0), MICA_E_BAD_TAG, 0);
	mica_mr()[1] = 0x7; /* kind 7 */
	mica_mr()[2] = mica_fpage_mem(0x400000, 12, MICA_FPAGE_R);
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(1, 1, 2, 0), MICA_IPC_CALL, 0, 0, 0), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(0, mica_msgtag(1, 60, 10, 0), MICA_IPC_REPLY, 0, 0, 0), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_ipc(MICA_CAP_VCON, mica_msgtag(1, 1, 1, 0), MICA_IPC_CALL, 0, 0, 0),
		      MICA_E_BAD_TAG, 0);
}

KTEST(ipc_timeout_encodings)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, 5), MICA_E_BAD_ARG, 0); /* kind 0 but not 0 */
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ZERO | 1), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ABS | 1), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ABS | (1u << 24), 0), MICA_E_BAD_ARG, 1);
	CHECK_TAG_ERR(mica_wait(g, 7, 0), MICA_E_BAD_ARG, 1);
	/* relative 0 and an absolute deadline already past act as zero */
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_REL(0, 5), 0), MICA_E_TIMEOUT, 1);
	mica_utcb()->timeout_abs[0] = 0;
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ABS), MICA_E_TIMEOUT, 0);
}

static void error_replier(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_reply(mica_error_tag(MICA_E_NO_MEMORY));
}

KTEST(ipc_error_reply_reaches_caller)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(error_replier, 0, &g);
	CHECK(k);
	mica_utcb()->error = 0;
	/* a user server's error looks exactly like a kernel object's */
	CHECK_TAG_ERR(mica_call(g, 1, 0), MICA_E_NO_MEMORY, 0);
}

KTEST(ipc_tag_label_and_gate_label)
{
	mica_cap_t g = ksel(), c = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, g, c, MICA_GATE_R_SEND, 0x5eed));
	struct kthread *k = kthread_new(KTASK, receiver_once, 0);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kthread_go(k));
	kyield();
	mica_mr()[0] = 1;
	CHECK_EQ(mica_send(c, MICA_TAG_LABEL_MAX, 1).raw, 0);
	CHECK(KWAIT(k));
	CHECK_EQ(mica_msgtag_label((mica_msgtag_t){ k->out[0] }), MICA_TAG_LABEL_MAX);
	CHECK_EQ(k->out[1], 0x5eed);
	CHECK_EQ(k->out[3], 0x5eed);
}

KTEST(ipc_closed_wait_takes_only_its_gate)
{
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(mica_create_gate(KF, a, 0, 1));
	CHECK_OK(mica_create_gate(KF, b, 0, 2));
	struct kthread *k = kthread_new(KTASK, sender_once, 3);
	CHECK(k);
	k->cap = a;
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_TAG_ERR(mica_wait(b, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	mica_word_t label;
	CHECK_EQ(mica_error(mica_wait(a, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(label, 1);
}

KTEST(ipc_receive_source_errors)
{
	mica_cap_t g = ksel(), s = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, g, s, MICA_GATE_R_SEND, 0));
	CHECK_TAG_ERR(mica_wait(s, MICA_TIMEOUT_ZERO, 0), MICA_E_NO_RIGHTS, 1);
	CHECK_TAG_ERR(mica_wait(ksel(), MICA_TIMEOUT_ZERO, 0), MICA_E_INVALID_CAP, 1);
	CHECK_TAG_ERR(mica_wait(MICA_CAP_VCON, MICA_TIMEOUT_ZERO, 0), MICA_E_WRONG_TYPE, 1);
}

KTEST(ipc_send_needs_send_right)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK(start_echo(KTASK, 1, &g));
	CHECK_OK(mica_cap_copy(KTASK, g, r, MICA_GATE_R_RECV, 0));
	CHECK_TAG_ERR(mica_call(r, 1, 0), MICA_E_NO_RIGHTS, 0);
	CHECK_TAG_ERR(mica_send(r, 1, 0), MICA_E_NO_RIGHTS, 0);
}

static void middle_server(struct kthread *k)
{
	/* Receives a call, calls the back end, then answers the first caller:
	 * its own call must not cost it the reply right. */
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_word_t v = mica_mr()[0];
	mica_mr()[0] = v * 10;
	mica_call(k->cap2, 1, 1);
	mica_word_t w = mica_mr()[0];
	mica_mr()[0] = w + 1000;
	k->out[0] = mica_reply(mica_msgtag(0, 1, 0, 0)).raw;
}

KTEST(ipc_nested_calls_keep_reply_rights)
{
	mica_cap_t back, front = ksel();
	CHECK(start_echo(KTASK, 1, &back));
	CHECK_OK(mica_create_gate(KF, front, 0, 0));
	struct kthread *m = kthread_new(KTASK, middle_server, 0);
	CHECK(m);
	m->cap = front;
	m->cap2 = back;
	CHECK_OK(kthread_go(m));
	kyield();
	mica_mr()[0] = 4;
	CHECK_EQ(mica_error(mica_call(front, 1, 1)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 1041);
	CHECK(KWAIT(m));
	CHECK_EQ(m->out[0], 0);
}

static void forgetful_server(struct kthread *k)
{
	/* Takes two calls without answering the first. */
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_mr()[0] = 2;
	mica_reply(mica_msgtag(0, 1, 0, 0));
}

KTEST(ipc_new_call_aborts_unanswered_one)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = kthread_new(KTASK, forgetful_server, 0);
	struct kthread *c1 = kthread_new(KTASK, caller_once, 1);
	struct kthread *c2 = kthread_new(KTASK, caller_once, 2);
	CHECK(s && c1 && c2);
	s->cap = c1->cap = c2->cap = g;
	CHECK_OK(kthread_go(s));
	kyield();
	CHECK_OK(kthread_go(c1));
	kyield();
	CHECK_OK(kthread_go(c2));
	CHECK(KWAIT(c1));
	CHECK(KWAIT(c2));
	CHECK_EQ(mica_error((mica_msgtag_t){ c1->out[0] }), MICA_E_ABORTED);
	CHECK(c1->out[0] & MICA_TAG_RECV_PHASE);
	CHECK_EQ(c2->out[0], mica_msgtag(0, 1, 0, 0).raw);
	CHECK_EQ(c2->out[1], 2);
}

KTEST(ipc_senders_queue_in_order)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k[4];
	for (unsigned i = 0; i < 4; i++) {
		k[i] = kthread_new(KTASK, sender_once, 100 + i);
		CHECK(k[i]);
		k[i]->cap = g;
		CHECK_OK(kthread_go(k[i]));
	}
	kyield();
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, 0)), MICA_OK);
		CHECK_EQ(mica_mr()[0], 100 + i);
	}
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
}

KTEST(ipc_many_clients_one_gate)
{
	mica_cap_t g;
	struct kthread *srv = start_echo(KTASK, 0, &g);
	CHECK(srv);
	struct kthread *k[10];
	for (unsigned i = 0; i < 10; i++) {
		k[i] = kthread_start(KTASK, caller_once, 1000ul * i);
		CHECK(k[i]);
		k[i]->cap = g;
	}
	for (unsigned i = 0; i < 10; i++) {
		CHECK(KWAIT(k[i]));
		CHECK_EQ(mica_error((mica_msgtag_t){ k[i]->out[0] }), MICA_OK);
		CHECK_EQ(k[i]->out[1], 1000 * i + 1);
	}
	CHECK_EQ(srv->out[1], 10);
}

KTEST(ipc_several_servers_one_gate)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s[3];
	for (unsigned i = 0; i < 3; i++) {
		s[i] = kthread_new(KTASK, echo_server, 0);
		CHECK(s[i]);
		s[i]->cap = g;
		CHECK_OK(kthread_go(s[i]));
	}
	kyield();
	struct kthread *c[6];
	for (unsigned i = 0; i < 6; i++) {
		c[i] = kthread_new(KTASK, caller_once, i);
		CHECK(c[i]);
		c[i]->cap = g;
		CHECK_OK(kthread_go(c[i]));
	}
	for (unsigned i = 0; i < 6; i++) {
		CHECK(KWAIT(c[i]));
		CHECK_EQ(c[i]->out[1], i + 1);
	}
	unsigned total = 0, busy = 0;
	for (unsigned i = 0; i < 3; i++) {
		total += s[i]->out[1];
		busy += s[i]->out[1] != 0;
	}
	CHECK_EQ(total, 6);
	CHECK(busy > 1); /* the waiting servers shared the work */
}

KTEST(ipc_call_with_zero_receive_timeout)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(receiver_once, 0, &g);
	CHECK(k);
	/* delivered, then no reply at once: a receive-phase timeout */
	mica_mr()[0] = 12;
	CHECK_TAG_ERR(mica_call_timeout(g, 1, 1, MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO)), MICA_E_TIMEOUT, 1);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 12);
}

KTEST(ipc_kernel_objects_answer_send_and_call)
{
	mica_msgtag_t a =
		mica_ipc(MICA_CAP_VCON, mica_msgtag(MICA_VCON_GET_ATTR, 0, 0, 0), MICA_IPC_SEND, 0, 0, 0);
	CHECK_EQ(mica_error(a), MICA_OK);
	CHECK_EQ(mica_msgtag_u(a), 3);
	mica_msgtag_t b =
		mica_ipc(MICA_CAP_VCON, mica_msgtag(MICA_VCON_GET_ATTR, 0, 0, 0), MICA_IPC_CALL, 0, 0, 0);
	CHECK_EQ(a.raw, b.raw);
}

KTEST(ipc_open_wait_gets_early_sender)
{
	/* The sender arrives before the bound thread waits. */
	struct kthread *r = kthread_new(KTASK, receiver_once, 0);
	CHECK(r);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, r->sel, 0x77));
	struct kthread *s = kthread_start(KTASK, sender_once, 55);
	CHECK(s);
	s->cap = g;
	kyield();
	CHECK_EQ(s->done, 0);
	r->cap = 0;
	CHECK_OK(kthread_go(r));
	CHECK(KWAIT(r));
	CHECK(KWAIT(s));
	CHECK_EQ(r->out[1], 0x77);
	CHECK_EQ(r->out[2], 55);
}

KTEST(ipc_reply_to_vanished_caller)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c = kthread_start(KTASK, caller_once, 1);
	CHECK(c);
	c->cap = g;
	kyield();
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_OK(mica_cap_delete(KTASK, c->sel));
	CHECK_TAG_ERR(mica_reply(mica_msgtag(0, 0, 0, 0)), MICA_E_NO_PARTNER, 0);
}

KTEST(ipc_call_to_halted_server_waits_for_resume)
{
	/* The partner waits but is halted: the fast path must step aside, and
	 * the call completes once it is resumed. */
	mica_cap_t g;
	struct kthread *s = start_echo(KTASK, 1, &g);
	CHECK(s);
	CHECK_OK(mica_thread_halt_other(s->sel));
	struct kthread *c = kthread_start(KTASK, call_with_arg, 1);
	CHECK(c);
	c->cap = g;
	kyield();
	CHECK_EQ(c->done, 0);
	CHECK_EQ(s->out[1], 0);
	CHECK_OK(mica_thread_ex_regs(s->sel, MICA_EXREGS_RESUME, 0, 0));
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[1], 2);
}

static void sender_of_error_tag(struct kthread *k)
{
	k->out[0] = mica_ipc(k->cap, mica_error_tag(MICA_E_BAD_ARG), MICA_IPC_SEND, 0, 0, 0).raw;
}

KTEST(ipc_error_flag_passes_through_gates)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(sender_of_error_tag, 0, &g);
	CHECK(k);
	mica_msgtag_t r = mica_wait(g, MICA_TIMEOUT_ZERO, 0);
	CHECK_EQ(mica_error(r), MICA_E_BAD_ARG);
	CHECK_EQ(r.raw & MICA_TAG_RECV_PHASE, 0); /* the sender's, not a failed receive */
	CHECK_EQ(mica_utcb()->error, MICA_E_BAD_ARG);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0);
}

KTEST(ipc_reply_wait_takes_queued_caller)
{
	/* Two callers queue up; one reply-and-wait answers the first and
	 * returns at once with the second. */
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0)); /* bound to us */
	struct kthread *c1 = kthread_start(KTASK, call_with_arg, 1);
	struct kthread *c2 = kthread_start(KTASK, call_with_arg, 2);
	CHECK(c1 && c2);
	c1->cap = c2->cap = g;
	kyield();
	mica_word_t label;
	CHECK_EQ(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 1);
	mica_mr()[0] = 10;
	mica_msgtag_t r = mica_ipc(0, mica_msgtag(0, 1, 0, 0), MICA_IPC_REPLY_WAIT, 0,
				   MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), &label);
	CHECK_EQ(mica_error(r), MICA_OK);
	CHECK_EQ(mica_mr()[0], 2);
	mica_mr()[0] = 20;
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK(KWAIT(c1));
	CHECK(KWAIT(c2));
	CHECK_EQ(c1->out[1], 10);
	CHECK_EQ(c2->out[1], 20);
}
