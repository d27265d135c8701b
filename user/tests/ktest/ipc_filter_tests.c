/* ipc_filter_: the filtered open wait (MICA_IPC_FILTER, docs/abi.md 5.1):
 * only senders whose capability's label matches the (mask, value) pair
 * are taken, the others keep their places for a later wait, IRQs stay
 * pending, and the descriptor, the timeouts and canceling behave as the
 * ABI says, on one CPU and across CPUs. */
#include <mica/irq.h>
#include <mica_clock.h>

#include "servers.h"
#include "smp_util.h"

#define MS 1000000ul
#define WAIT_STEPS 10000u /* about 1 s */

/* A filtered wait (with REPLY first if flags say so) for label & mask ==
 * value. */
static mica_msgtag_t filtered(mica_word_t flags, mica_word_t mask, mica_word_t value, uint32_t rto,
			      mica_word_t *label)
{
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_FILTER_MASK] = mask;
	br[MICA_BR_FILTER_VALUE] = value;
	return mica_ipc(0, mica_msgtag(0, 0, 0, 0), flags | MICA_IPC_RECV | MICA_IPC_FILTER, 0,
			MICA_TIMEOUTS(0, rto), label);
}

/* Sends MR0 = k->arg through k->cap (label 5); out[0] = the result. */
static void send_arg(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	k->out[0] = mica_send(k->cap, 5, 1).raw;
}

/* Calls k->cap with MR0 = k->arg: out[0] the result, out[1] the reply's
 * MR0. */
static void call_arg(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	k->out[0] = mica_call(k->cap, 1, 1).raw;
	k->out[1] = mica_mr()[0];
}

/* A gate bound to us, and a send capability to it with label lbl. */
static mica_cap_t labeled(mica_cap_t g, mica_word_t lbl)
{
	mica_cap_t s = ksel();
	return mica_cap_copy(KTASK, g, s, MICA_GATE_R_SEND, lbl) == MICA_OK ? s : 0;
}

/* A thread of ours that sends arg through cap and is queued when this
 * returns (it runs until it blocks). */
static struct kthread *queued_sender(mica_cap_t cap, mica_word_t arg, void (*fn)(struct kthread *))
{
	struct kthread *k = kthread_new(KTASK, fn, arg);
	if (!k)
		return 0;
	k->cap = cap;
	if (kthread_go(k) != MICA_OK)
		return 0;
	kyield();
	return k;
}

static mica_word_t state_of(struct kthread *k)
{
	mica_word_t info[5];
	return mica_thread_info(k->sel, info) == MICA_OK ? info[0] : ~0ul;
}

KTEST(ipc_filter_takes_matching_sender_first)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0));
	mica_cap_t a = labeled(g, 0x1100), b = labeled(g, 0x2200);
	CHECK(a && b);
	struct kthread *sa = queued_sender(a, 1, send_arg), *sb = queued_sender(b, 2, send_arg);
	CHECK(sa && sb);
	mica_word_t label = 0;
	mica_msgtag_t r = filtered(0, 0xff00, 0x2200, MICA_TIMEOUT_ZERO, &label);
	CHECK_OK(mica_error(r));
	CHECK_EQ(mica_msgtag_label(r), 5);
	CHECK_EQ(label, 0x2200);
	CHECK_EQ(mica_utcb()->label, 0x2200);
	CHECK_EQ(mica_mr()[0], 2);
	CHECK(KWAIT(sb));
	CHECK_EQ(sb->out[0], 0);
	/* The earlier sender kept its place for the next wait. */
	CHECK_EQ(sa->done, 0);
	CHECK_EQ(state_of(sa), MICA_THREAD_SENDING);
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x1100);
	CHECK_EQ(mica_mr()[0], 1);
	CHECK(KWAIT(sa));
}

KTEST(ipc_filter_no_match_stays_queued_for_plain_wait)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0));
	mica_cap_t a = labeled(g, 0x10), b = labeled(g, 0x11);
	CHECK(a && b);
	struct kthread *s1 = queued_sender(a, 7, send_arg), *s2 = queued_sender(b, 8, send_arg);
	CHECK(s1 && s2);
	mica_word_t label = 0;
	CHECK_TAG_ERR(filtered(0, 0xff, 0x12, MICA_TIMEOUT_ZERO, &label), MICA_E_TIMEOUT, 1);
	CHECK_TAG_ERR(filtered(0, 0xf0, 0x20, mica_timeout_ns(2 * MS), &label), MICA_E_TIMEOUT, 1);
	CHECK_EQ(state_of(s1), MICA_THREAD_SENDING);
	CHECK_EQ(state_of(s2), MICA_THREAD_SENDING);
	/* Both are delivered, in their order, to plain waits. */
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x10);
	CHECK_EQ(mica_mr()[0], 7);
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x11);
	CHECK_EQ(mica_mr()[0], 8);
	CHECK(KWAIT(s1));
	CHECK(KWAIT(s2));
	CHECK_TAG_ERR(mica_wait(0, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
}

KTEST(ipc_filter_keeps_order_of_matching_senders)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0));
	mica_cap_t in = labeled(g, 0x301), out = labeled(g, 0x402);
	CHECK(in && out);
	struct kthread *k[4];
	for (unsigned i = 0; i < 4; i++)
		CHECK((k[i] = queued_sender(i & 1 ? out : in, i, send_arg)));
	mica_word_t label;
	/* Matching 0x3..: senders 0 and 2, in that order. */
	CHECK_OK(mica_error(filtered(0, 0xf00, 0x300, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(mica_mr()[0], 0);
	CHECK_OK(mica_error(filtered(0, 0xf00, 0x300, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(mica_mr()[0], 2);
	CHECK_TAG_ERR(filtered(0, 0xf00, 0x300, MICA_TIMEOUT_ZERO, &label), MICA_E_TIMEOUT, 1);
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(mica_mr()[0], 1);
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(mica_mr()[0], 3);
	for (unsigned i = 0; i < 4; i++)
		CHECK(KWAIT(k[i]));
}

KTEST(ipc_filter_several_gates)
{
	/* Three gates bound to us with senders on each; the filter picks
	 * across gates, the rest stay pending on theirs. */
	mica_cap_t g[3];
	mica_cap_t c[3];
	struct kthread *k[3];
	for (unsigned i = 0; i < 3; i++) {
		g[i] = ksel();
		CHECK_OK(mica_create_gate(KF, g[i], MICA_CAP_THREAD, 0));
		CHECK((c[i] = labeled(g[i], (i + 1) << 8 | 0x5)));
	}
	for (unsigned i = 0; i < 3; i++)
		CHECK((k[i] = queued_sender(c[i], 10 + i, send_arg)));
	mica_word_t label;
	CHECK_OK(mica_error(filtered(0, 0xf00, 0x300, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x305);
	CHECK_EQ(mica_mr()[0], 12);
	CHECK_OK(mica_error(filtered(0, 0xf00, 0x200, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x205);
	CHECK_TAG_ERR(filtered(0, 0xf00, 0x200, MICA_TIMEOUT_ZERO, &label), MICA_E_TIMEOUT, 1);
	/* Mask 0 takes anything through a gate. */
	CHECK_OK(mica_error(filtered(0, 0, 0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x105);
	for (unsigned i = 0; i < 3; i++)
		CHECK(KWAIT(k[i]));
	CHECK_TAG_ERR(mica_wait(0, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
}

/* Waits (filtered, for k->arg in label bits 15..8) with no timeout:
 * out[0] the result, out[1] the label, out[2] MR0. */
static void filtered_waiter(struct kthread *k)
{
	mica_word_t label = 0;
	k->out[0] = filtered(0, 0xff00, k->arg << 8, MICA_TIMEOUT_NEVER, &label).raw;
	k->out[1] = label;
	k->out[2] = mica_mr()[0];
}

KTEST(ipc_filter_waiting_receiver_gets_only_matching_send)
{
	struct kthread *r = kthread_new(KTASK, filtered_waiter, 0x42);
	CHECK(r);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, r->sel, 0));
	mica_cap_t other = labeled(g, 0x4100), match = labeled(g, 0x4201);
	CHECK(other && match);
	CHECK_OK(kthread_go(r));
	kyield();
	CHECK_EQ(state_of(r), MICA_THREAD_RECEIVING);
	/* Not for it: no receiver, so a zero send timeout fails ... */
	CHECK_TAG_ERR(mica_send_timeout(other, 1, 0, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT, 0);
	/* ... and a blocking sender queues (a call: the fast path too). */
	struct kthread *s = queued_sender(other, 9, call_arg);
	CHECK(s);
	CHECK_EQ(state_of(s), MICA_THREAD_SENDING);
	CHECK_EQ(state_of(r), MICA_THREAD_RECEIVING);
	mica_mr()[0] = 33;
	CHECK_EQ(mica_send(match, 6, 1).raw, 0);
	CHECK(KWAIT(r));
	CHECK_OK(mica_error((mica_msgtag_t){ r->out[0] }));
	CHECK_EQ(r->out[1], 0x4201);
	CHECK_EQ(r->out[2], 33);
	CHECK_EQ(state_of(s), MICA_THREAD_SENDING);
	/* The gate goes with its last capability: the caller is released. */
	CHECK_OK(mica_cap_delete(KTASK, other));
	CHECK_OK(mica_cap_delete(KTASK, match));
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(KWAIT(s));
	CHECK_EQ(mica_error((mica_msgtag_t){ s->out[0] }), MICA_E_ABORTED);
}

KTEST(ipc_filter_call_and_reply_wait)
{
	/* A server answers with REPLY|RECV|FILTER: the caller gets its reply,
	 * and only the matching caller is taken next. */
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0));
	mica_cap_t a = labeled(g, 0xa0), b = labeled(g, 0xb0);
	CHECK(a && b);
	struct kthread *c1 = queued_sender(a, 1, call_arg), *c2 = queued_sender(b, 2, call_arg),
		       *c3 = queued_sender(a, 3, call_arg);
	CHECK(c1 && c2 && c3);
	mica_word_t label;
	CHECK_OK(mica_error(filtered(0, 0xf0, 0xa0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(mica_mr()[0], 1);
	mica_mr()[0] = 100;
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_FILTER_MASK] = 0xf0;
	br[MICA_BR_FILTER_VALUE] = 0xa0;
	mica_msgtag_t r = mica_ipc(0, mica_msgtag(0, 1, 0, 0), MICA_IPC_REPLY_WAIT | MICA_IPC_FILTER, 0,
				   MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), &label);
	CHECK_OK(mica_error(r));
	CHECK_EQ(label, 0xa0);
	CHECK_EQ(mica_mr()[0], 3);
	CHECK(KWAIT(c1));
	CHECK_EQ(c1->out[1], 100);
	/* The reply right saved, then a filtered wait that finds nothing. */
	mica_cap_t rc = ksel();
	br[MICA_BR_FILTER_MASK] = 0xf0;
	br[MICA_BR_FILTER_VALUE] = 0xc0;
	r = mica_ipc(rc, mica_msgtag(0, 0, 0, 0), MICA_IPC_SAVE_WAIT | MICA_IPC_FILTER, 0,
		     MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), &label);
	CHECK_TAG_ERR(r, MICA_E_TIMEOUT, 1);
	mica_mr()[0] = 300;
	CHECK_EQ(mica_ipc(rc, mica_msgtag(0, 1, 0, 0), MICA_IPC_SEND, 0, 0, 0).raw, 0);
	CHECK(KWAIT(c3));
	CHECK_EQ(c3->out[1], 300);
	CHECK_EQ(state_of(c2), MICA_THREAD_SENDING);
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0xb0);
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK(KWAIT(c2));
}

KTEST(ipc_filter_bad_descriptors)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0));
	mica_cap_t s = labeled(g, 0x10);
	CHECK(s);
	volatile mica_word_t *br = mica_utcb()->br;
	/* A value that can never match. */
	CHECK_TAG_ERR(filtered(0, 0xf0, 0x01, MICA_TIMEOUT_ZERO, 0), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(filtered(0, 0, 1ul << 63, MICA_TIMEOUT_ZERO, 0), MICA_E_BAD_ARG, 0);
	br[MICA_BR_FILTER_MASK] = 0xf0;
	br[MICA_BR_FILTER_VALUE] = 0x10;
	/* A closed wait, a call, a send, or no receive at all. */
	CHECK_TAG_ERR(mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_RECV | MICA_IPC_FILTER, g,
			       MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), 0),
		      MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(s, mica_msgtag(0, 0, 0, 0), MICA_IPC_CALL | MICA_IPC_FILTER, 0,
			       MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, MICA_TIMEOUT_ZERO), 0),
		      MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(s, mica_msgtag(0, 0, 0, 0), MICA_IPC_SEND | MICA_IPC_FILTER, 0,
			       MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0), 0),
		      MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_FILTER, 0, 0, 0), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_REPLY | MICA_IPC_FILTER, 0, 0, 0),
		      MICA_E_BAD_ARG, 0);
	/* A bad receive timeout is the receive phase's, as without a filter. */
	CHECK_TAG_ERR(filtered(0, 0xf0, 0x10, MICA_TIMEOUT_ABS | 1, 0), MICA_E_BAD_ARG, 1);
	/* A reply-and-wait with a bad descriptor does nothing: the caller
	 * still waits for its reply. */
	struct kthread *c = queued_sender(s, 4, call_arg);
	CHECK(c);
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, 0)));
	CHECK_TAG_ERR(filtered(MICA_IPC_REPLY, 0x0f, 0xf0, MICA_TIMEOUT_ZERO, 0), MICA_E_BAD_ARG, 0);
	CHECK_EQ(state_of(c), MICA_THREAD_RECEIVING);
	mica_mr()[0] = 44;
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[1], 44);
}

static void filtered_with_timeout(struct kthread *k)
{
	uint64_t t0 = know();
	k->out[0] = filtered(0, 0xff, 0x77, mica_timeout_ns(k->arg), 0).raw;
	k->out[1] = know() - t0;
}

KTEST(ipc_filter_timeout_and_cancel)
{
	mica_cap_t g = ksel();
	struct kthread *r = kthread_new(KTASK, filtered_with_timeout, 3 * MS);
	CHECK(r);
	CHECK_OK(mica_create_gate(KF, g, r->sel, 0));
	mica_cap_t s = labeled(g, 0x76);
	CHECK(s);
	struct kthread *snd = queued_sender(s, 1, send_arg);
	CHECK(snd);
	CHECK_OK(kthread_go(r));
	CHECK(kwait_flag(&r->done, WAIT_STEPS));
	CHECK_TAG_ERR(((mica_msgtag_t){ r->out[0] }), MICA_E_TIMEOUT, 1);
	CHECK(r->out[1] >= 3 * MS);
	CHECK_EQ(state_of(snd), MICA_THREAD_SENDING);
	/* Canceled while it waits. */
	struct kthread *w = kthread_new(KTASK, filtered_waiter, 0x99);
	CHECK(w);
	mica_cap_t g2 = ksel();
	CHECK_OK(mica_create_gate(KF, g2, w->sel, 0));
	CHECK_OK(kthread_go(w));
	kyield();
	CHECK_EQ(state_of(w), MICA_THREAD_RECEIVING);
	CHECK_OK(mica_thread_ex_regs(w->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(KWAIT(w));
	mica_msgtag_t t = { w->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_CANCELED);
	CHECK(t.raw & MICA_TAG_RECV_PHASE);
	CHECK_OK(mica_cap_delete(KTASK, s));
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(KWAIT(snd));
	CHECK_EQ(mica_error((mica_msgtag_t){ snd->out[0] }), MICA_E_ABORTED);
}

KTEST(ipc_filter_irq_stays_pending)
{
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 0x123));
	CHECK_OK(mica_irq_trigger(q));
	/* Even a filter that the IRQ's label would match: IRQs wait. */
	CHECK_TAG_ERR(filtered(0, 0xfff, 0x123, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	CHECK_TAG_ERR(filtered(0, 0, 0, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	mica_word_t label;
	CHECK_OK(mica_error(mica_wait(0, MICA_TIMEOUT_ZERO, &label)));
	CHECK_EQ(label, 0x123);
	CHECK_OK(mica_irq_detach(q));
}

KTEST(ipc_filter_sender_on_other_cpu)
{
	NEED_CPUS(2);
	/* The receiver waits filtered on CPU 1; from here (CPU 0) a
	 * non-matching call queues and a matching send is delivered there. */
	struct kthread *r = kthread_new(KTASK, filtered_waiter, 0x5);
	CHECK(r);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, r->sel, 0));
	mica_cap_t other = labeled(g, 0x600), match = labeled(g, 0x5ff);
	CHECK(other && match);
	CHECK_OK(kplace(r, 1));
	CHECK_OK(kthread_go(r));
	CHECK(kwait_state(r, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_TAG_ERR(mica_call_timeout(other, 1, 0, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0)), MICA_E_TIMEOUT, 0);
	struct kthread *s = kthread_new(KTASK, call_arg, 17);
	CHECK(s);
	s->cap = other;
	CHECK_OK(kplace(s, 2 % kcpus_online()));
	CHECK_OK(kthread_go(s));
	CHECK(kwait_state(s, MICA_THREAD_SENDING, WAIT_STEPS));
	CHECK_EQ(state_of(r), MICA_THREAD_RECEIVING);
	mica_mr()[0] = 71;
	CHECK_EQ(mica_send(match, 2, 1).raw, 0);
	CHECK(kwait_flag(&r->done, WAIT_STEPS));
	CHECK_OK(mica_error((mica_msgtag_t){ r->out[0] }));
	CHECK_EQ(r->out[1], 0x5ff);
	CHECK_EQ(r->out[2], 71);
	CHECK_EQ(state_of(s), MICA_THREAD_SENDING);
	CHECK_OK(mica_cap_delete(KTASK, other));
	CHECK_OK(mica_cap_delete(KTASK, match));
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(kwait_flag(&s->done, WAIT_STEPS));
	CHECK_EQ(mica_error((mica_msgtag_t){ s->out[0] }), MICA_E_ABORTED);
}

/* Receives filtered on its own CPU from senders queued on others:
 * out[0] the count of matching messages it took. */
static void filtered_counter(struct kthread *k)
{
	mica_word_t label;
	for (unsigned i = 0; i < k->arg; i++) {
		mica_msgtag_t t = filtered(0, 0xf000, 0x1000, MICA_TIMEOUT_NEVER, &label);
		if (mica_error(t) != MICA_OK || (label & 0xf000) != 0x1000)
			return;
		k->out[0]++;
	}
}

static void send_many(struct kthread *k)
{
	for (unsigned i = 0; i < 50; i++) {
		mica_mr()[0] = i;
		if (mica_error(mica_send(k->cap, 1, 1)) != MICA_OK)
			return;
		k->out[0]++;
	}
}

KTEST(ipc_filter_many_senders_on_4_cpus)
{
	NEED_CPUS(4);
	struct kthread *r = kthread_new(KTASK, filtered_counter, 100);
	CHECK(r);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, r->sel, 0));
	mica_cap_t m1 = labeled(g, 0x1001), m2 = labeled(g, 0x1002), o = labeled(g, 0x2001);
	CHECK(m1 && m2 && o);
	CHECK_OK(kplace(r, 1));
	CHECK_OK(kthread_go(r));
	struct kthread *s1 = kthread_new(KTASK, send_many, 0), *s2 = kthread_new(KTASK, send_many, 0),
		       *s3 = kthread_new(KTASK, send_many, 0);
	CHECK(s1 && s2 && s3);
	s1->cap = m1;
	s2->cap = m2;
	s3->cap = o;
	CHECK_OK(kplace(s1, 2));
	CHECK_OK(kplace(s2, 3));
	CHECK_OK(kplace(s3, 0));
	CHECK_OK(kthread_go(s3));
	CHECK_OK(kthread_go(s1));
	CHECK_OK(kthread_go(s2));
	CHECK(kwait_flag(&r->done, 4 * WAIT_STEPS));
	CHECK_EQ(r->out[0], 100);
	CHECK(kwait_flag(&s1->done, WAIT_STEPS));
	CHECK(kwait_flag(&s2->done, WAIT_STEPS));
	/* The other sender's first message is still queued. */
	CHECK_EQ(s3->out[0], 0);
	CHECK_EQ(state_of(s3), MICA_THREAD_SENDING);
	for (unsigned i = 0; i < 50; i++) {
		mica_word_t label;
		CHECK_OK(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, &label)));
		CHECK_EQ(label, 0x2001);
		CHECK_EQ(mica_mr()[0], i);
	}
	CHECK(kwait_flag(&s3->done, WAIT_STEPS));
	CHECK_EQ(s3->out[0], 50);
}
