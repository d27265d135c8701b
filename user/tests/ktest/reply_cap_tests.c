/* Reply capabilities (docs/abi.md 5.7): a server saves callers' reply
 * rights into slots, answers them in any order, each exactly once, and a
 * right dropped unused (deleted, its task destroyed) releases its caller
 * with MICA_E_ABORTED. */
#include "mem.h"
#include "servers.h"

/* A caller of k->cap with MR0 = arg (label 3): out[0] the result tag,
 * out[1] the reply's MR0, out[2] the error TCR. */
static void caller(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	mica_msgtag_t r = mica_call_timeout(k->cap, 3, 1, MICA_TIMEOUTS(0, (uint32_t)k->arg2));
	k->out[0] = r.raw;
	k->out[1] = mica_mr()[0];
	k->out[2] = mica_utcb()->error;
}

/* A caller started on gate g, given the chance to block in its call. */
static struct kthread *call_in(mica_cap_t g, mica_word_t arg)
{
	struct kthread *k = kthread_new(KTASK, caller, arg);
	if (!k)
		return 0;
	k->cap = g;
	if (kthread_go(k) != MICA_OK)
		return 0;
	kyield();
	return k;
}

static mica_msgtag_t reply_through(mica_cap_t r, mica_word_t v)
{
	mica_mr()[0] = v;
	return mica_ipc(r, mica_msgtag(0, 1, 0, 0), MICA_IPC_SEND, 0, 0, 0);
}

static mica_word_t type_of(mica_cap_t sel)
{
	mica_word_t type = 0, rights;
	if (mica_cap_info(KTASK, sel, &type, &rights) != MICA_OK)
		return MICA_OBJ_NONE;
	return type;
}

KTEST(reply_cap_out_of_order)
{
	mica_cap_t g = ksel(), r1 = ksel(), r2 = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c1 = call_in(g, 1), *c2 = call_in(g, 2), *c3 = call_in(g, 3);
	CHECK(c1 && c2 && c3);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 1);
	/* The first caller's right goes to r1 as the second call arrives. */
	CHECK_EQ(mica_error(mica_save_wait(r1, g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 2);
	CHECK_EQ(type_of(r1), MICA_OBJ_REPLY);
	CHECK_EQ(mica_error(mica_save_wait(r2, g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 3);
	/* Answered last first; the implicit right (c3) is untouched. */
	CHECK_EQ(reply_through(r2, 20).raw, 0);
	CHECK(KWAIT(c2));
	CHECK_EQ(c2->out[0], mica_msgtag(0, 1, 0, 0).raw);
	CHECK_EQ(c2->out[1], 20);
	CHECK(!c1->done);
	mica_mr()[0] = 30;
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK(KWAIT(c3));
	CHECK_EQ(c3->out[1], 30);
	CHECK_EQ(reply_through(r1, 10).raw, 0);
	CHECK(KWAIT(c1));
	CHECK_EQ(c1->out[0], mica_msgtag(0, 1, 0, 0).raw);
	CHECK_EQ(c1->out[1], 10);
	/* Used up: the slots are empty again. */
	CHECK_EQ(type_of(r1), MICA_OBJ_NONE);
	CHECK_EQ(type_of(r2), MICA_OBJ_NONE);
}

KTEST(reply_cap_used_twice_refused)
{
	mica_cap_t g = ksel(), r = ksel(), copy = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c = call_in(g, 1);
	CHECK(c);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	/* The implicit right moved: a plain reply has nobody to answer. */
	CHECK_TAG_ERR(mica_reply(mica_msgtag(0, 0, 0, 0)), MICA_E_NO_PARTNER, 0);
	CHECK_OK(mica_cap_copy(KTASK, r, copy, MICA_RIGHTS_ALL, 0));
	CHECK_EQ(reply_through(r, 7).raw, 0);
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[1], 7);
	CHECK_TAG_ERR(reply_through(r, 8), MICA_E_INVALID_CAP, 0);
	/* A copy names the same right, already used: refused, and emptied. */
	CHECK_TAG_ERR(reply_through(copy, 9), MICA_E_NO_PARTNER, 0);
	CHECK_EQ(type_of(copy), MICA_OBJ_NONE);
	CHECK_EQ(c->out[1], 7);
}

KTEST(reply_cap_deleted_aborts_caller)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c = call_in(g, 1);
	CHECK(c);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	CHECK(!c->done);
	CHECK_OK(mica_cap_delete(KTASK, r));
	CHECK(KWAIT(c));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_E_ABORTED);
	CHECK(c->out[0] & MICA_TAG_RECV_PHASE);
	CHECK_EQ(c->out[2], MICA_E_ABORTED);
}

KTEST(reply_cap_caller_killed)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c = call_in(g, 1);
	CHECK(c);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	CHECK_OK(mica_cap_delete(KTASK, c->sel));
	CHECK_EQ(type_of(r), MICA_OBJ_REPLY);
	CHECK_TAG_ERR(reply_through(r, 1), MICA_E_NO_PARTNER, 0);
	CHECK_EQ(type_of(r), MICA_OBJ_NONE);
}

KTEST(reply_cap_caller_timeout)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c = kthread_new(KTASK, caller, 1);
	CHECK(c);
	c->cap = g;
	c->arg2 = MICA_TIMEOUT_REL(1000, 10); /* about 1 ms for the reply */
	CHECK_OK(kthread_go(c));
	kyield();
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	/* Sleep past the caller's deadline: a receive nobody sends to. */
	mica_cap_t idle = ksel();
	CHECK_OK(mica_create_gate(KF, idle, 0, 0));
	CHECK_TAG_ERR(mica_wait(idle, MICA_TIMEOUT_REL(4000, 10), 0), MICA_E_TIMEOUT, 1);
	CHECK(KWAIT(c));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_E_TIMEOUT);
	/* The reply finds nobody, and a reply-and-wait through it still waits. */
	mica_mr()[0] = 5;
	CHECK_TAG_ERR(mica_ipc(r, mica_msgtag(0, 1, 0, 0), MICA_IPC_SEND | MICA_IPC_RECV, g,
			       MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), 0),
		      MICA_E_TIMEOUT, 1);
	CHECK_EQ(type_of(r), MICA_OBJ_NONE);
}

/* Answers through the reply capability k->cap2 (a selector in its own
 * task) with MR0 = arg. */
static void replier(struct kthread *k)
{
	k->out[0] = reply_through(k->cap2, k->arg).raw;
}

KTEST(reply_cap_passed_to_another_thread)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c = call_in(g, 1);
	CHECK(c);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	/* Into another task: the worker there answers. */
	mica_cap_t task = ktask_create();
	CHECK(task);
	CHECK_OK(kgive(task, r, 0x40));
	CHECK_OK(mica_cap_delete(KTASK, r));
	CHECK(!c->done); /* the worker's capability keeps the right alive */
	struct kthread *w = kthread_new(task, replier, 44);
	CHECK(w);
	w->cap2 = 0x40;
	CHECK_OK(kthread_go(w));
	CHECK(KWAIT(w));
	CHECK_EQ(w->out[0], 0);
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[0], mica_msgtag(0, 1, 0, 0).raw);
	CHECK_EQ(c->out[1], 44);
}

/* Receives one call on k->cap, saves its right at k->cap2 (in its own
 * task) and waits for ever. */
static void saver(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[0] = mica_save_reply(k->cap2).raw;
	k->out[1] = 1;
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
}

KTEST(reply_cap_server_task_destroyed)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	mica_cap_t task = ktask_create();
	CHECK(task);
	CHECK_OK(kgive(task, g, 0x40));
	struct kthread *s = kthread_new(task, saver, 0);
	CHECK(s);
	s->cap = 0x40;
	s->cap2 = 0x41;
	CHECK_OK(kthread_go(s));
	kyield();
	struct kthread *c = call_in(g, 1);
	CHECK(c);
	CHECK(s->out[1]);
	CHECK_EQ(s->out[0], 0);
	CHECK(!c->done);
	/* The server's thread goes: the saved right stays with its task. */
	CHECK_OK(mica_cap_delete(KTASK, s->sel));
	kyield();
	CHECK(!c->done);
	CHECK_OK(mica_task_destroy(task));
	CHECK(KWAIT(c));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_E_ABORTED);
}

KTEST(reply_cap_reply_and_wait)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *c1 = call_in(g, 1), *c2 = call_in(g, 2);
	CHECK(c1 && c2);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	/* Reply through r, then receive the queued second call. */
	mica_mr()[0] = 11;
	mica_msgtag_t t = mica_ipc(r, mica_msgtag(0, 1, 0, 0), MICA_IPC_SEND | MICA_IPC_RECV, g, 0, 0);
	CHECK_EQ(mica_error(t), MICA_OK);
	CHECK_EQ(mica_mr()[0], 2);
	CHECK(KWAIT(c1));
	CHECK_EQ(c1->out[1], 11);
	mica_mr()[0] = 22;
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK(KWAIT(c2));
	CHECK_EQ(c2->out[1], 22);
}

KTEST(reply_cap_save_errors)
{
	mica_cap_t g = ksel(), r = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	/* SAVE names the slot with the selector: not with a send phase, nor
	 * with REPLY. */
	CHECK_TAG_ERR(mica_ipc(r, mica_msgtag(0, 0, 0, 0), MICA_IPC_SAVE | MICA_IPC_SEND, 0, 0, 0),
		      MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_ipc(r, mica_msgtag(0, 0, 0, 0), MICA_IPC_SAVE | MICA_IPC_REPLY, 0, 0, 0),
		      MICA_E_BAD_ARG, 0);
	/* Nothing to save: alone, an error; before a receive, it waits. */
	CHECK_TAG_ERR(mica_save_reply(r), MICA_E_NO_PARTNER, 0);
	CHECK_TAG_ERR(mica_save_wait(r, g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	CHECK_EQ(type_of(r), MICA_OBJ_NONE);
	CHECK_TAG_ERR(mica_save_reply(0), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_save_reply(MICA_CAP_SELECTORS), MICA_E_BAD_ARG, 0);

	struct kthread *c = call_in(g, 1);
	CHECK(c);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_NEVER, 0)), MICA_OK);
	/* An occupied slot fails before the receive, and keeps the right. */
	CHECK_TAG_ERR(mica_save_wait(g, g, MICA_TIMEOUT_ZERO, 0), MICA_E_EXISTS, 0);
	CHECK_EQ(type_of(g), MICA_OBJ_GATE);
	mica_mr()[0] = 3;
	CHECK_EQ(mica_reply(mica_msgtag(0, 1, 0, 0)).raw, 0);
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[1], 3);
}

/* A page fault's reply right saved and answered later with the map item
 * (the pager answers in any order too). */

static void toucher(struct kthread *k)
{
	k->out[0] = *(volatile mica_word_t *)k->arg;
}

KTEST(reply_cap_page_fault_answered_later)
{
	mica_cap_t pg, task, r = ksel();
	struct kthread *f = kfaulter_new(toucher, KALIAS + 8, MICA_THREAD_CTL_PAGER, 9, &pg, &task);
	CHECK(f);
	CHECK_OK(kthread_go(f));
	mica_msgtag_t t = mica_wait(pg, MICA_TIMEOUT_NEVER, 0);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[0], KALIAS + 8);
	CHECK_EQ(mica_save_reply(r).raw, 0);
	karena[0][1] = 0x5eed;
	mica_word_t *mr = mica_mr();
	mr[0] = mica_item_mem(KALIAS + 8, MICA_ITEM_MAP);
	mr[1] = mica_fpage_mem(KPAGE(0), 12, MICA_FPAGE_R);
	CHECK_EQ(mica_ipc(r, mica_msgtag(0, 0, MICA_ITEM_WORDS, 0), MICA_IPC_SEND, 0, 0, 0).raw, 0);
	CHECK(KWAIT(f));
	CHECK_EQ(f->out[0], 0x5eed);
}
