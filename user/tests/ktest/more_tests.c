/* Further cases across the groups: the server library, fast-path
 * fallbacks, restarts, and capabilities naming their own holders. */
#include <mica/layout.h>
#include <mica_server.h>

#include "servers.h"

void ipc_caller_for_more(struct kthread *k);
void cap_child_copies(struct kthread *k);
void factory_child_creates(struct kthread *k);

/* ---- the server loop of user/lib ---- */

struct counter_obj {
	mica_word_t value;
};

static mica_msgtag_t counter_handler(struct mica_server *s, void *obj, mica_word_t op, mica_msgtag_t tag)
{
	struct counter_obj *c = obj;
	switch (op) {
	case 1: /* add MR0 */
		if (mica_msgtag_u(tag) < 1)
			return mica_error_tag(MICA_E_BAD_TAG);
		c->value += mica_mr()[0];
		mica_mr()[0] = c->value;
		return mica_msgtag(0, 1, 0, 0);
	case 2: /* stop */
		s->stop = 1;
		return mica_msgtag(0, 0, 0, 0);
	default:
		return mica_error_tag(MICA_E_UNKNOWN_OP);
	}
}

static struct counter_obj counters[2];

static void counter_server(struct kthread *k)
{
	struct mica_server_object objs[] = { { 100, &counters[0], counter_handler },
					     { 200, &counters[1], counter_handler } };
	struct mica_server s = { objs, 2, 0, 0 };
	k->out[0] = (mica_word_t)mica_server_loop(&s);
}

KTEST(ipc_server_loop_dispatches_on_label_and_opcode)
{
	counters[0].value = counters[1].value = 0;
	struct kthread *k = kthread_new(KTASK, counter_server, 0);
	CHECK(k);
	mica_cap_t g = ksel(), a = ksel(), b = ksel(), x = ksel();
	CHECK_OK(mica_create_gate(KF, g, k->sel, 0));
	CHECK_OK(mica_cap_copy(KTASK, g, a, MICA_GATE_R_SEND, 100));
	CHECK_OK(mica_cap_copy(KTASK, g, b, MICA_GATE_R_SEND, 200));
	CHECK_OK(mica_cap_copy(KTASK, g, x, MICA_GATE_R_SEND, 300));
	CHECK_OK(kthread_go(k));
	kyield();
	mica_mr()[0] = 5;
	CHECK_EQ(mica_error(mica_call(a, 1, 1)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 5);
	mica_mr()[0] = 7;
	CHECK_EQ(mica_error(mica_call(b, 1, 1)), MICA_OK);
	mica_mr()[0] = 1;
	CHECK_EQ(mica_error(mica_call(a, 1, 1)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 6);
	CHECK_EQ(counters[1].value, 7);
	CHECK_TAG_ERR(mica_call(a, 9, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(a, 1, 0), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_call(x, 1, 0), MICA_E_INVALID_CAP, 0); /* no such object */
	CHECK_EQ(mica_error(mica_call(b, 2, 0)), MICA_OK);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0);
}

KTEST(ipc_server_loop_reports_canceled_wait)
{
	struct kthread *k = kthread_new(KTASK, counter_server, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_E_CANCELED);
}

KTEST(ipc_call_to_halted_server_waits_for_resume)
{
	/* The partner waits but is halted: the fast path must step aside, and
	 * the call completes once it is resumed. */
	mica_cap_t g;
	struct kthread *s = start_echo(KTASK, 1, &g);
	CHECK(s);
	CHECK_OK(mica_thread_halt_other(s->sel));
	struct kthread *c = kthread_start(KTASK, ipc_caller_for_more, 1);
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
	struct kthread *c1 = kthread_start(KTASK, ipc_caller_for_more, 1);
	struct kthread *c2 = kthread_start(KTASK, ipc_caller_for_more, 2);
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

void ipc_caller_for_more(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	k->out[0] = mica_call(k->cap, 1, 1).raw;
	k->out[1] = mica_mr()[0];
}

/* ---- threads ---- */

static void crash_once(struct kthread *k)
{
	k->out[0]++;
	if (k->out[0] == 1)
		__asm__ volatile("ud2");
}

KTEST(thread_restart_after_exception)
{
	struct kthread *k = kthread_start(KTASK, crash_once, 0);
	CHECK(k);
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_OK(kthread_go(k)); /* START brings a dead thread back */
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 2);
}

KTEST(thread_reads_its_own_registers)
{
	struct mica_exregs me;
	CHECK_OK(mica_thread_ex_regs(MICA_CAP_THREAD, 0, 0, &me));
	CHECK_EQ(me.state, MICA_THREAD_READY);
	CHECK(me.sp > MICA_BOOT_STACK_TOP - MICA_BOOT_STACK_SIZE && me.sp <= MICA_BOOT_STACK_TOP);
	CHECK(me.ip >= 0x400000 && me.ip < 0x800000);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(MICA_CAP_THREAD, info));
	CHECK_EQ(info[1], 1);
	CHECK_EQ(info[4], 0);
}

KTEST(thread_methods_on_wrong_types)
{
	/* thread labels sent to a gate are just messages; to a factory they
	 * are that factory's methods */
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_TAG_ERR(mica_call_timeout(g, MICA_THREAD_INFO, 0, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0)),
		      MICA_E_TIMEOUT, 0);
	mica_word_t info[5];
	CHECK_ERR(mica_thread_info(KF, info), MICA_E_UNKNOWN_OP);
	CHECK_ERR(mica_thread_control(ksel(), 0, 0, 0, 0, 0), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_thread_yield(KF), MICA_E_UNKNOWN_OP);
	CHECK_ERR(mica_thread_yield(MICA_CAP_VCON), MICA_E_UNKNOWN_OP);
}

/* ---- capabilities ---- */

KTEST(cap_task_holding_itself_needs_destroy)
{
	/* A task holding a capability to itself is a cycle: deleting our
	 * capability does not end it, destroying it does. */
	mica_cap_t t = ktask_create(), keep = ksel();
	CHECK(t);
	CHECK_OK(kgive(t, t, 50));
	CHECK_OK(kgive(KTASK, t, keep));
	mica_word_t used = kf_used();
	CHECK_OK(mica_cap_delete(KTASK, t));
	CHECK_EQ(kf_used(), used);
	CHECK_OK(mica_task_destroy(keep));
	CHECK(kf_used() < used);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, keep, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
}

KTEST(cap_copy_within_child_from_its_own_task_cap)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(kgive(t, t, 60));
	struct kthread *k = kthread_start(t, cap_child_copies, 0);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[3], 0); /* it destroyed its own task, and so itself */
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, t, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
	CHECK_EQ(k->out[0], MICA_OK);
	CHECK_EQ(k->out[1], MICA_OBJ_VCON);
	CHECK_EQ(k->out[2], MICA_E_INVALID_CAP); /* the root's selectors mean nothing there */
}

void cap_child_copies(struct kthread *k)
{
	k->out[0] = (mica_word_t)mica_cap_copy(60, MICA_CAP_VCON, 61, MICA_VCON_R_WRITE, 0);
	mica_word_t type = 0, rights;
	mica_cap_info(60, 61, &type, &rights);
	k->out[1] = type;
	k->out[2] = (mica_word_t)mica_cap_copy(60, KF, 62, MICA_RIGHTS_ALL, 0);
	mica_task_destroy(60); /* ends this thread too */
	k->out[3] = 1;
}

/* ---- factories and gates ---- */

KTEST(factory_create_in_child_task_space)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(mica_cap_copy(t, KF, 70, MICA_RIGHTS_ALL, 0));
	struct kthread *k = kthread_start(t, factory_child_creates, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_OK);
	CHECK_EQ(k->out[1], MICA_OK);
}

void factory_child_creates(struct kthread *k)
{
	k->out[0] = (mica_word_t)mica_create_gate(70, 71, 0, 0);
	k->out[1] =
		(mica_word_t)mica_error(mica_wait(71, MICA_TIMEOUT_ZERO, 0)) == MICA_E_TIMEOUT ? MICA_OK : 1;
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
		c[i] = kthread_start(KTASK, ipc_caller_for_more, i);
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

KTEST(thread_control_sets_user_handle)
{
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_THREAD_CTL_HANDLE;
	mr[5] = 0xabc;
	CHECK_TAG_ERR(mica_call(th, MICA_THREAD_CONTROL, 5), MICA_E_BAD_TAG, 0); /* the handle is MR5 */
	mr[0] = MICA_THREAD_CTL_HANDLE;
	mr[5] = 0xabc;
	CHECK_EQ(mica_error(mica_call(th, MICA_THREAD_CONTROL, 6)), MICA_OK);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(th, info));
	CHECK_EQ(info[3], 0xabc);
	CHECK_EQ(info[1], 0); /* nothing else changed */
}
