/* destroy_: what a task's destruction does to the threads blocked with
 * it, to its own threads, and to the quota, exactly. */
#include "mem.h"
#include "servers.h"

/* Receives one call on k->cap and never answers: blocks on a gate
 * nobody sends to. */
static void take_call_and_sleep(struct kthread *k)
{
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[0] = mica_msgtag_is_error(t) ? 0 : 1;
	mica_wait(k->cap2, MICA_TIMEOUT_NEVER, 0);
}

static void call_gate(struct kthread *k)
{
	mica_msgtag_t t = mica_call(k->cap, 5, 0);
	k->out[0] = (mica_word_t)mica_error(t);
	k->out[1] = !!(t.raw & MICA_TAG_RECV_PHASE);
}

static void send_gate(struct kthread *k)
{
	mica_msgtag_t t = mica_send(k->cap, 5, 0);
	k->out[0] = (mica_word_t)mica_error(t);
}

KTEST(destroy_releases_caller_of_its_server)
{
	mica_cap_t c = ktask_create(), g = ksel(), idle = ksel();
	CHECK(c);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(mica_create_gate(KF, idle, 0, 0));
	CHECK_OK(kgive(c, g, 0x30));
	CHECK_OK(kgive(c, idle, 0x31));
	struct kthread *server = kthread_new(c, take_call_and_sleep, 0);
	CHECK(server);
	server->cap = 0x30;
	server->cap2 = 0x31;
	CHECK_OK(kthread_go(server));
	struct kthread *client = kthread_new(KTASK, call_gate, 0);
	CHECK(client);
	client->cap = g;
	CHECK_OK(kthread_go(client));
	CHECK(kwait_cond((volatile int *)&server->out[0]));
	CHECK(!client->done);
	CHECK_OK(mica_task_destroy(c));
	CHECK(KWAIT(client));
	CHECK_EQ(client->out[0], MICA_E_ABORTED);
	CHECK_EQ(client->out[1], 1); /* in the receive phase: the call had been delivered */
}

/* A gate whose last capability was in the task goes with it; a sender
 * blocked on it is released. */
KTEST(destroy_deletes_gate_and_releases_sender)
{
	mica_cap_t c = ktask_create(), g = ksel();
	CHECK(c);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *sender = kthread_new(KTASK, send_gate, 0);
	CHECK(sender);
	sender->cap = g;
	CHECK_OK(kthread_go(sender));
	kyield();
	CHECK(!sender->done);
	/* Only the child holds the gate now. */
	CHECK_OK(kgive(c, g, 0x30));
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(!sender->done);
	CHECK_OK(mica_task_destroy(c));
	CHECK(KWAIT(sender));
	CHECK_EQ(sender->out[0], MICA_E_ABORTED);
}

/* A thread of a child blocked sending to our gate is gone afterwards:
 * nobody is left to receive from. */
KTEST(destroy_removes_its_blocked_sender)
{
	mica_cap_t c = ktask_create(), g = ksel();
	CHECK(c);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(kgive(c, g, 0x30));
	struct kthread *k = kthread_new(c, send_gate, 0);
	CHECK(k);
	k->cap = 0x30;
	CHECK_OK(kthread_go(k));
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_SENDING);
	CHECK_OK(mica_task_destroy(c));
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_TAG_ERR(mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_WAIT, g,
			       MICA_TIMEOUTS(0, MICA_TIMEOUT_ZERO), 0),
		      MICA_E_TIMEOUT, 1);
	/* A dead thread's task is gone: it cannot be started again. */
	CHECK(mica_thread_start(k->sel, 0x400000, 0x500000, 0) != MICA_OK);
}

static void destroy_own_task(struct kthread *k)
{
	k->out[0] = 1;
	mica_task_destroy(MICA_CAP_TASK);
	k->out[0] = 2; /* never */
}

KTEST(destroy_by_its_own_thread)
{
	mica_cap_t c = ktask_create();
	CHECK(c);
	CHECK_OK(kgive(c, c, MICA_CAP_TASK));
	struct kthread *k = kthread_start(c, destroy_own_task, 0);
	CHECK(k);
	CHECK(kwait_cond((volatile int *)&k->out[0]));
	kyield();
	CHECK_EQ(k->out[0], 1);
	/* Every capability that named it is gone, ours too. */
	mica_word_t type = 9, rights;
	CHECK_ERR(mica_cap_info(KTASK, c, &type, &rights), MICA_OK);
	CHECK_EQ(type, MICA_OBJ_NONE);
}

/* Create and destroy a populated task again and again: threads, gates,
 * capability tables, page tables at spread addresses, mapping nodes,
 * I/O bitmap; the factory is back to the byte each time. */
KTEST(destroy_cycles_leave_quota_exact)
{
	mica_word_t before = kf_used();
	for (unsigned round = 0; round < 4; round++) {
		mica_cap_t c = ktask_create(), g = ksel();
		CHECK(c);
		CHECK(kthread_new(c, send_gate, 0));
		CHECK(kthread_new(c, send_gate, 0));
		CHECK_OK(mica_create_gate(KF, g, 0, 0));
		CHECK_OK(kgive(c, g, 0x30));
		CHECK_OK(kgive(c, g, 0x123456)); /* a far capability table */
		CHECK_OK(kmap(c, KTASK, KPAGE(2), 0x10000000ul, 12, MICA_FPAGE_R));
		CHECK_OK(kmap(c, KTASK, KPAGE(3), 0x7f0000000000ul, 12, MICA_FPAGE_R));
		CHECK_OK(mica_task_map(c, KTASK, mica_fpage_io(0x3f8, 3), mica_item_unit(0x3f8, 0),
				       MICA_ITEM_MAP));
		CHECK(kf_used() > before);
		CHECK_OK(mica_cap_delete(KTASK, g));
		CHECK_OK(mica_task_destroy(c)); /* our capability to it goes too */
		mica_word_t type = 9, rights;
		CHECK_OK(mica_cap_info(KTASK, c, &type, &rights));
		CHECK_EQ(type, MICA_OBJ_NONE);
		/* What is left: the (dead) threads, whose capabilities are ours. */
		CHECK_EQ(kf_used(), before + (round + 1ul) * 2 * MICA_OBJ_COST);
	}
}
