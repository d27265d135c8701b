/* ipc_server_loop_: the server loop of user/lib (mica_server_loop,
 * mica_server.h): dispatch on the gate label and the opcode, errors,
 * and how it ends. */
#include <mica_server.h>

#include "ktest.h"

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
