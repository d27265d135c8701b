/* gate_: gates, their labels, binding, and destruction with threads
 * blocked on them. */
#include "servers.h"

static void receive_one(struct kthread *k)
{
	mica_word_t label;
	mica_msgtag_t r = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = r.raw;
	k->out[1] = label;
}

static void send_one(struct kthread *k)
{
	k->out[0] = mica_send(k->cap, 1, 0).raw;
}

static void call_one(struct kthread *k)
{
	k->out[0] = mica_call(k->cap, 1, 0).raw;
	k->out[1] = mica_utcb()->error;
}

KTEST(gate_create_and_rights)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, g, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_GATE);
	CHECK_EQ(rights, MICA_GATE_R_SEND | MICA_GATE_R_RECV | MICA_GATE_R_MAP);
}

KTEST(gate_labels_identify_capabilities)
{
	mica_cap_t g = ksel(), a = ksel(), b = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, g, a, MICA_GATE_R_SEND, 11));
	CHECK_OK(mica_cap_copy(KTASK, g, b, MICA_GATE_R_SEND, 22));
	mica_word_t label;
	struct kthread *k1 = kthread_start(KTASK, send_one, 0), *k2 = kthread_start(KTASK, send_one, 0);
	CHECK(k1 && k2);
	k1->cap = a;
	k2->cap = b;
	kyield();
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(label, 11);
	CHECK_EQ(mica_utcb()->label, 11);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(label, 22);
}

KTEST(gate_label_cannot_be_changed)
{
	mica_cap_t g = ksel(), a = ksel(), b = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, g, a, MICA_GATE_R_SEND, 11));
	CHECK_ERR(mica_cap_copy(KTASK, a, b, MICA_GATE_R_SEND, 12), MICA_E_NO_RIGHTS);
	/* a copy without a new label keeps the old one */
	CHECK_OK(mica_cap_copy(KTASK, a, b, MICA_GATE_R_SEND, 0));
	struct kthread *k = kthread_start(KTASK, send_one, 0);
	CHECK(k);
	k->cap = b;
	kyield();
	mica_word_t label;
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(label, 11);
}

static void relabel_then_send(struct kthread *k)
{
	/* cap2: our own task (with WRITE); cap: the labeled gate */
	k->out[1] = mica_cap_copy(k->cap2, k->cap, 0x41, MICA_RIGHTS_ALL, 0xbad);
	mica_word_t type, rights;
	k->out[2] = mica_cap_info(k->cap2, k->cap, &type, &rights);
	mica_mr()[0] = k->cap;
	k->out[3] = mica_msgtag_u(mica_call(k->cap2, MICA_TASK_CAP_INFO, 1));
	mica_utcb()->label = 0xbad; /* the TCR is the receiver's to read, not ours to forge */
	k->out[0] = mica_send(k->cap, 0xbad, 0).raw;
}

KTEST(gate_label_unforgeable_by_sender)
{
	/* A client in another task holds a labeled send-only capability: the
	 * tag's label it picks never changes what the server sees. */
	mica_cap_t t = ktask_create(), g = ksel();
	CHECK(t);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(mica_cap_copy(t, g, 0x40, MICA_GATE_R_SEND, 0xc11e));
	CHECK_OK(mica_cap_copy(t, t, 0x42, MICA_TASK_R_READ | MICA_TASK_R_WRITE, 0));
	struct kthread *k = kthread_new(t, relabel_then_send, 0);
	CHECK(k);
	k->cap = 0x40;
	k->cap2 = 0x42;
	CHECK_OK(kthread_go(k));
	kyield();
	mica_word_t label;
	mica_msgtag_t r = mica_wait(g, MICA_TIMEOUT_ZERO, &label);
	CHECK_EQ(mica_error(r), MICA_OK);
	CHECK_EQ(label, 0xc11e);
	CHECK_EQ(mica_msgtag_label(r), 0xbad); /* the method label is the sender's */
	/* it could neither relabel its capability nor read the label */
	CHECK_EQ(k->out[1], MICA_E_NO_RIGHTS);
	CHECK_EQ(k->out[2], MICA_OK);
	CHECK_EQ(k->out[3], 2); /* type and rights only */
}

KTEST(gate_full_width_label)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, ~0ul));
	struct kthread *k = kthread_start(KTASK, send_one, 0);
	CHECK(k);
	k->cap = g;
	kyield();
	mica_word_t label = 0;
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(label, ~0ul);
}

KTEST(gate_one_open_wait_serves_all_bound_gates)
{
	struct kthread *srv = kthread_new(KTASK, echo_server, 0);
	CHECK(srv);
	mica_cap_t g1 = ksel(), g2 = ksel(), g3 = ksel();
	CHECK_OK(mica_create_gate(KF, g1, srv->sel, 1));
	CHECK_OK(mica_create_gate(KF, g2, srv->sel, 2));
	CHECK_OK(mica_create_gate(KF, g3, srv->sel, 3));
	srv->cap = 0;
	CHECK_OK(kthread_go(srv));
	kyield();
	mica_cap_t order[] = { g2, g1, g3, g2 };
	mica_word_t want[] = { 2, 1, 3, 2 };
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(mica_error(mica_call(order[i], 1, 0)), MICA_OK);
		CHECK_EQ(srv->out[2], want[i]);
	}
}

KTEST(gate_bound_gate_senders_wait_for_open_wait)
{
	struct kthread *srv = kthread_new(KTASK, echo_server, 0);
	CHECK(srv);
	mica_cap_t g1 = ksel(), g2 = ksel();
	CHECK_OK(mica_create_gate(KF, g1, srv->sel, 1));
	CHECK_OK(mica_create_gate(KF, g2, srv->sel, 2));
	struct kthread *c1 = kthread_start(KTASK, call_one, 0), *c2 = kthread_start(KTASK, call_one, 0);
	CHECK(c1 && c2);
	c1->cap = g2;
	c2->cap = g1;
	kyield();
	CHECK_EQ(c1->done + c2->done, 0);
	srv->cap = 0;
	CHECK_OK(kthread_go(srv));
	CHECK(KWAIT(c1));
	CHECK(KWAIT(c2));
	CHECK_EQ(srv->out[1], 2);
	CHECK_EQ(mica_error((mica_msgtag_t){ c1->out[0] }), MICA_OK);
}

KTEST(gate_bind_checks)
{
	mica_cap_t th = ksel(), ro = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_OK(mica_cap_copy(KTASK, th, ro, MICA_THREAD_R_READ | MICA_THREAD_R_WRITE, 0));
	CHECK_ERR(mica_create_gate(KF, ksel(), ro, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_create_gate(KF, ksel(), KF, 0), MICA_E_WRONG_TYPE);
	CHECK_ERR(mica_create_gate(KF, ksel(), ksel(), 0), MICA_E_INVALID_CAP);
	CHECK_OK(mica_create_gate(KF, ksel(), th, 0));
}

KTEST(gate_delete_aborts_blocked_senders)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = kthread_start(KTASK, send_one, 0), *c = kthread_start(KTASK, call_one, 0);
	CHECK(s && c);
	s->cap = c->cap = g;
	kyield();
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(KWAIT(s));
	CHECK(KWAIT(c));
	CHECK_EQ(mica_error((mica_msgtag_t){ s->out[0] }), MICA_E_ABORTED);
	CHECK_EQ(s->out[0] & MICA_TAG_RECV_PHASE, 0);
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_E_ABORTED);
	CHECK_EQ(c->out[1], MICA_E_ABORTED);
}

KTEST(gate_delete_aborts_receivers)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *r1 = kthread_start(KTASK, receive_one, 0), *r2 = kthread_start(KTASK, receive_one, 0);
	CHECK(r1 && r2);
	r1->cap = r2->cap = g;
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(r1->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_RECEIVING);
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(KWAIT(r1));
	CHECK(KWAIT(r2));
	CHECK_EQ(mica_error((mica_msgtag_t){ r1->out[0] }), MICA_E_ABORTED);
	CHECK(r1->out[0] & MICA_TAG_RECV_PHASE);
	CHECK_EQ(mica_error((mica_msgtag_t){ r2->out[0] }), MICA_E_ABORTED);
}

static void slow_replier(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[0] = 1;
	mica_thread_yield(MICA_CAP_THREAD); /* the gate is deleted meanwhile */
	mica_mr()[0] = 9;
	k->out[1] = mica_reply(mica_msgtag(0, 1, 0, 0)).raw;
}

KTEST(gate_delete_keeps_pending_reply)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = kthread_new(KTASK, slow_replier, 0), *c = kthread_new(KTASK, call_one, 0);
	CHECK(s && c);
	s->cap = c->cap = g;
	CHECK_OK(kthread_go(s));
	kyield();
	CHECK_OK(kthread_go(c));
	kyield();
	CHECK_EQ(s->out[0], 1);
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(KWAIT(c));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_OK); /* the reply right is not the gate's */
	CHECK(KWAIT(s));
	CHECK_EQ(s->out[1], 0);
}

KTEST(gate_bound_thread_deleted)
{
	struct kthread *srv = kthread_new(KTASK, echo_server, 0);
	CHECK(srv);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, srv->sel, 0));
	CHECK_OK(mica_cap_delete(KTASK, srv->sel));
	/* unbound now: nobody waits, but a closed wait can serve it */
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT, 0);
	struct kthread *k = kthread_start(KTASK, send_one, 0);
	CHECK(k);
	k->cap = g;
	kyield();
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, 0)), MICA_OK);
}

KTEST(gate_costs_quota)
{
	mica_word_t before = kf_used();
	mica_cap_t g[4];
	for (unsigned i = 0; i < 4; i++) {
		g[i] = ksel();
		CHECK_OK(mica_create_gate(KF, g[i], 0, i));
	}
	CHECK_EQ(kf_used(), before + 4 * MICA_OBJ_COST);
	for (unsigned i = 0; i < 4; i++)
		CHECK_OK(mica_cap_delete(KTASK, g[i]));
	CHECK_EQ(kf_used(), before);
}

KTEST(gate_closed_wait_on_bound_gate)
{
	/* Another thread may still receive from a bound gate by naming it. */
	struct kthread *owner = kthread_new(KTASK, echo_server, 0);
	CHECK(owner);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, owner->sel, 4));
	struct kthread *k = kthread_start(KTASK, send_one, 0);
	CHECK(k);
	k->cap = g;
	kyield();
	mica_word_t label;
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, &label)), MICA_OK);
	CHECK_EQ(label, 4);
	CHECK(KWAIT(k));
	/* and the owner's open wait finds nothing left */
	owner->cap = 0;
	CHECK_OK(kthread_go(owner));
	kyield();
	CHECK_EQ(owner->out[1], 0);
}

KTEST(gate_servers_in_several_tasks)
{
	mica_cap_t t1 = ktask_create(), t2 = ktask_create(), g = ksel();
	CHECK(t1 && t2);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(kgive(t1, g, 0x30));
	CHECK_OK(kgive(t2, g, 0x30));
	struct kthread *s1 = kthread_new(t1, echo_server, 0), *s2 = kthread_new(t2, echo_server, 0);
	CHECK(s1 && s2);
	s1->cap = s2->cap = 0x30;
	CHECK_OK(kthread_go(s1));
	CHECK_OK(kthread_go(s2));
	kyield();
	struct kthread *c[4];
	for (unsigned i = 0; i < 4; i++) {
		c[i] = kthread_start(KTASK, call_with_arg, i);
		CHECK(c[i]);
		c[i]->cap = g;
	}
	for (unsigned i = 0; i < 4; i++) {
		CHECK(KWAIT(c[i]));
		CHECK_EQ(c[i]->out[1], i + 1);
	}
	CHECK_EQ(s1->out[1] + s2->out[1], 4);
	CHECK(s1->out[1] && s2->out[1]);
}

KTEST(gate_closed_wait_goes_before_open_wait)
{
	/* The owner waits open, another thread closed on the same gate: a
	 * call goes to the closed waiter (the fast call takes the owner
	 * without the gate's lock only when nobody waits closed). */
	struct kthread *owner = kthread_new(KTASK, echo_server, 0);
	CHECK(owner);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, owner->sel, 7));
	owner->cap = 0;
	CHECK_OK(kthread_go(owner));
	kyield();
	struct kthread *closed = kthread_new(KTASK, echo_server, 0);
	CHECK(closed);
	closed->cap = g;
	CHECK_OK(kthread_go(closed));
	kyield();
	for (mica_word_t i = 1; i <= 3; i++) {
		mica_mr()[0] = 10 * i;
		mica_msgtag_t t = mica_call(g, 1, 1);
		CHECK_EQ(mica_error(t), MICA_OK);
		CHECK_EQ(mica_mr()[0], 10 * i + 1);
		CHECK_EQ(closed->out[1], i);
		CHECK_EQ(closed->out[2], 7);
		CHECK_EQ(owner->out[1], 0);
	}
	/* With the closed waiter gone, the owner serves the gate. */
	CHECK_OK(mica_cap_delete(KTASK, closed->sel));
	mica_mr()[0] = 40;
	CHECK_EQ(mica_error(mica_call(g, 1, 1)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 41);
	CHECK_EQ(owner->out[1], 1);
}
