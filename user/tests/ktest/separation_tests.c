/* sep_: the separation of tasks. Two child tasks that share no capabilities (they do
 * share this program's image, which is how their threads run the cases'
 * code, but no private page and no kernel object) cannot reach each
 * other: every selector of one task names nothing of the other, however
 * it is invoked, and the victim's objects are unchanged afterwards. A
 * task that exhausts its quota, floods IPC, faults or dies does not stop
 * another one from making progress, and a dead server leaves no client
 * blocked forever. */
#include <mica_clock.h>

#include "mem.h"
#include "sched_util.h"
#include "servers.h"

/* Every selector a task can name in these cases is below this. */
#define SWEEP_END 0x1000
/* A free selector in a child task, for objects the sweeper would make. */
#define SCRATCH_SEL 0xfff

enum sweep_op {
	SW_CALL,     /* an IPC call with zero timeouts */
	SW_THREAD,   /* halt, then exchange registers */
	SW_IRQ,	     /* trigger, detach, unmask */
	SW_FACTORY,  /* create a gate from it */
	SW_TASK,     /* map its memory to itself, then destroy it */
	SW_SCHEDULER /* raise a thread's priority */
};

/* Invokes selector s as op says; MICA_E_INVALID_CAP if s names nothing. */
static int sweep_one(enum sweep_op op, mica_cap_t s, mica_cap_t self)
{
	int e;
	switch (op) {
	case SW_CALL:
		return mica_error(mica_ipc(s, mica_msgtag(1, 0, 0, 0), MICA_IPC_CALL, 0,
					   MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, MICA_TIMEOUT_ZERO), 0));
	case SW_THREAD:
		e = mica_thread_halt_other(s);
		return e != MICA_E_INVALID_CAP ? e : mica_thread_ex_regs(s, 0, 0, 0);
	case SW_IRQ:
		e = mica_irq_trigger(s);
		if (e == MICA_E_INVALID_CAP)
			e = mica_irq_detach(s);
		return e != MICA_E_INVALID_CAP ? e : mica_irq_unmask(s);
	case SW_FACTORY:
		return mica_create_gate(s, SCRATCH_SEL, 0, 0);
	case SW_TASK:
		e = mica_task_map(s, s, mica_fpage_mem(KALIAS, 21, MICA_FPAGE_RWX), KALIAS + (1ul << 21),
				  MICA_ITEM_MAP);
		return e != MICA_E_INVALID_CAP ? e : mica_task_destroy(s);
	case SW_SCHEDULER:
		return mica_sched_run_thread(s, self, 200, 1000000, 0);
	}
	return MICA_E_BAD_ARG;
}

/* Sweeps every selector of its task except its own thread, the console
 * and k->cap / k->cap2 with the operation k->arg: out[0] counts results
 * other than MICA_E_INVALID_CAP, out[1] has the first such selector,
 * out[2] the number of selectors tried. */
static void sweeper(struct kthread *k)
{
	for (mica_cap_t s = 1; s < SWEEP_END; s++) {
		if (s == k->self || s == MICA_CAP_VCON || s == k->cap || s == k->cap2)
			continue;
		k->out[2]++;
		if (sweep_one((enum sweep_op)k->arg, s, k->self) != MICA_E_INVALID_CAP && !k->out[0]++)
			k->out[1] = s;
	}
}

/* Runs a sweeper in a new task that holds nothing but the console, its
 * thread and (own_task) a capability to itself at OWN_TASK_SEL; 1 if it
 * tried every other selector and none named anything. *task (if not 0)
 * gets the new task. */
#define OWN_TASK_SEL 0x50
static int sweep_from_new_task(enum sweep_op op, int own_task, mica_cap_t *task)
{
	mica_cap_t b = ktask_create();
	if (!b || (own_task && kgive(b, b, OWN_TASK_SEL) != MICA_OK))
		return 0;
	if (task)
		*task = b;
	struct kthread *k = kthread_new(b, sweeper, op);
	if (!k)
		return 0;
	k->cap = own_task ? OWN_TASK_SEL : 0;
	if (kthread_go(k) != MICA_OK || !KWAIT(k))
		return 0;
	if (k->out[0])
		printf("# sweep op %lu: selector 0x%lx answered\n", (unsigned long)op,
		       (unsigned long)k->out[1]);
	return k->out[0] == 0 && k->out[2] >= SWEEP_END - 4;
}

/* Waits (sleeping, so that timeouts can expire) until *flag is set or
 * about ms milliseconds have passed; 1 if it was set. */
static int kwait_ms(volatile int *flag, unsigned ms)
{
	for (unsigned i = 0; i < ms * 10 && !*flag; i++)
		ksleep(100000);
	return *flag;
}

/* Counts in out[0] until arg2 is set, sleeping 20 us between counts. */
static void ticker(struct kthread *k)
{
	while (!k->arg2) {
		k->out[0]++;
		mica_wait(MICA_CAP_INVALID, mica_timeout_ns(20000), 0);
	}
}

/* 1 if the ticker is still counting. */
static int ticking(struct kthread *k)
{
	mica_word_t before = k->out[0];
	for (int i = 0; i < 50 && k->out[0] == before; i++)
		ksleep(20000);
	return k->out[0] != before;
}

/* What task holds, apart from the selectors listed (0-terminated). */
static mica_cap_t first_other_cap(mica_cap_t task, const mica_cap_t *expected)
{
	for (mica_cap_t s = 1; s < SWEEP_END; s++) {
		mica_word_t type = 0, rights;
		if (mica_cap_info(task, s, &type, &rights) != MICA_OK || type == MICA_OBJ_NONE)
			continue;
		const mica_cap_t *e = expected;
		while (*e && *e != s)
			e++;
		if (!*e)
			return s;
	}
	return 0;
}

KTEST(sep_tasks_hold_only_what_they_were_given)
{
	mica_cap_t a = ktask_create(), b = ktask_create(), g = ksel();
	CHECK(a && b);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(kgive(a, g, 0x30));
	struct kthread *ka = kthread_new(a, ticker, 0), *kb = kthread_new(b, ticker, 0);
	CHECK(ka && kb);
	/* A new task starts with an empty capability space: the console and
	 * its thread are what ktask_create and kthread_new gave. */
	mica_cap_t in_a[] = { MICA_CAP_VCON, ka->self, 0x30, 0 };
	mica_cap_t in_b[] = { MICA_CAP_VCON, kb->self, 0 };
	CHECK_EQ(first_other_cap(a, in_a), 0);
	CHECK_EQ(first_other_cap(b, in_b), 0);
	/* The only object they both name is the console. */
	int same = 1;
	mica_cap_t t_a = ksel(), t_b = ksel();
	CHECK_OK(mica_cap_copy(KTASK, ka->sel, t_a, MICA_RIGHTS_ALL, 0));
	CHECK_OK(mica_cap_copy(KTASK, kb->sel, t_b, MICA_RIGHTS_ALL, 0));
	CHECK_OK(mica_cap_same(KTASK, t_a, t_b, &same));
	CHECK_EQ(same, 0);
}

KTEST(sep_memory_of_another_task_is_unreachable)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	karena[5][0] = 0x5ec7e7;
	CHECK_OK(kmap(a, KTASK, KPAGE(5), KALIAS, 12, MICA_FPAGE_RW));
	mica_word_t v = 0;
	CHECK_EQ(kprobe(a, KALIAS, 0, &v), 0);
	CHECK_EQ(v, 0x5ec7e7);
	/* The same address in b: nothing there, for reading or writing. */
	CHECK_EQ(kprobe(b, KALIAS, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	v = 0xbad;
	CHECK_EQ(kprobe(b, KALIAS, 1, &v), KPROBE_FAULT | MICA_FPAGE_W);
	CHECK_EQ(karena[5][0], 0x5ec7e7);
	/* A third task, given its own task capability, maps from every
	 * selector it has: only its own space answers, and it has nothing at
	 * that address to map. */
	mica_cap_t c;
	CHECK(sweep_from_new_task(SW_TASK, 1, &c));
	CHECK_OK(mica_task_map(c, c, mica_fpage_mem(KALIAS, 12, MICA_FPAGE_RW), KALIAS + 0x1000,
			       MICA_ITEM_MAP));
	CHECK_EQ(kprobe(c, KALIAS + 0x1000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* a's page is still a's. */
	CHECK_EQ(kprobe(a, KALIAS, 0, &v), 0);
	CHECK_EQ(v, 0x5ec7e7);
}

KTEST(sep_cannot_send_to_another_tasks_server)
{
	mica_cap_t a = ktask_create(), g_open, g_closed;
	CHECK(a);
	struct kthread *open = start_echo(a, 1, &g_open), *closed = start_echo(a, 0, &g_closed);
	CHECK(open && closed);
	CHECK(sweep_from_new_task(SW_CALL, 0, 0));
	CHECK_EQ(open->out[1], 0);
	CHECK_EQ(closed->out[1], 0);
	/* They were listening all along. */
	CHECK_EQ(mica_error(mica_call(g_open, 1, 0)), MICA_OK);
	CHECK_EQ(mica_error(mica_call(g_closed, 1, 0)), MICA_OK);
	CHECK_EQ(open->out[1], 1);
	CHECK_EQ(closed->out[1], 1);
}

KTEST(sep_cannot_touch_another_tasks_threads)
{
	mica_cap_t a = ktask_create();
	CHECK(a);
	struct kthread *t = kthread_start(a, ticker, 0);
	CHECK(t);
	CHECK(ticking(t));
	struct mica_exregs before, after;
	CHECK(sweep_from_new_task(SW_THREAD, 0, 0));
	CHECK(sweep_from_new_task(SW_SCHEDULER, 0, 0));
	CHECK(ticking(t));
	mica_word_t stats[3];
	CHECK_OK(mica_thread_stats(t->sel, stats));
	CHECK_EQ(stats[1], MICA_SCHED_DEFAULT_PRIO);
	/* Its handle, set by us, is as we left it. */
	before.handle = 0x7e57;
	CHECK_OK(mica_thread_ex_regs(t->sel, MICA_EXREGS_SET_HANDLE, &before, 0));
	CHECK(sweep_from_new_task(SW_THREAD, 0, 0));
	CHECK_OK(mica_thread_ex_regs(t->sel, 0, 0, &after));
	CHECK_EQ(after.handle, 0x7e57);
	t->arg2 = 1;
	CHECK(KWAIT(t));
}

/* Receives IRQ messages in open wait, counting them in out[0]. */
static void irq_receiver(struct kthread *k)
{
	for (;;) {
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
		if (!mica_msgtag_is_error(t))
			k->out[0]++;
	}
}

KTEST(sep_cannot_touch_another_tasks_irq)
{
	mica_cap_t a = ktask_create(), q = kirq();
	CHECK(a && q);
	struct kthread *r = kthread_start(a, irq_receiver, 0);
	CHECK(r);
	CHECK_OK(kgive(a, q, 0x40));
	CHECK_OK(mica_irq_attach(q, r->sel, 0x1a));
	kyield();
	CHECK(sweep_from_new_task(SW_IRQ, 0, 0));
	kyield();
	CHECK_EQ(r->out[0], 0);
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[1], 1); /* still attached */
	CHECK_EQ(info[2], 0); /* nothing pending */
	CHECK_OK(mica_irq_trigger(q));
	kyield();
	CHECK_EQ(r->out[0], 1);
}

KTEST(sep_cannot_spend_another_tasks_quota)
{
	mica_cap_t a = ktask_create(), fa = ksel();
	CHECK(a);
	CHECK_OK(mica_create_factory(KF, fa, 64 * 1024ul));
	CHECK_OK(kgive(a, fa, 0x40));
	mica_cap_t b;
	CHECK(sweep_from_new_task(SW_FACTORY, 0, &b));
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(fa, &limit, &used));
	CHECK_EQ(used, 0);
	CHECK_EQ(limit, 64 * 1024ul);
	mica_word_t type = 9, rights;
	CHECK_OK(mica_cap_info(b, SCRATCH_SEL, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
}

/* Creates gates from the factory at k->cap into selectors 0x100.. until
 * it fails (out[0] = how many, out[1] = the error, out[2] = 1), then
 * keeps asking for more, spinning, until arg2 is set. */
static void quota_hog(struct kthread *k)
{
	mica_cap_t s = 0x100;
	int e;
	while ((e = mica_create_gate(k->cap, s, 0, 0)) == MICA_OK && s < SWEEP_END)
		s++;
	k->out[0] = s - 0x100;
	k->out[1] = (mica_word_t)e;
	k->out[2] = 1;
	while (!k->arg2)
		k->out[3] += mica_create_gate(k->cap, s, 0, 0) == MICA_E_NO_MEMORY;
}

/* Creates and deletes a gate from the factory at k->cap arg times
 * (its task's own capability at k->cap2); out[0] counts successes. */
static void gate_churn(struct kthread *k)
{
	for (mica_word_t i = 0; i < k->arg; i++) {
		if (mica_create_gate(k->cap, 0x100, 0, 0) != MICA_OK ||
		    mica_cap_delete(k->cap2, 0x100) != MICA_OK)
			return;
		k->out[0]++;
	}
}

KTEST(sep_quota_exhaustion_does_not_stop_a_peer)
{
	mica_cap_t a = ktask_create(), b = ktask_create(), fa = ksel(), fb = ksel();
	CHECK(a && b);
	CHECK_OK(mica_create_factory(KF, fa, 8 * MICA_OBJ_COST));
	CHECK_OK(mica_create_factory(KF, fb, 8 * MICA_OBJ_COST));
	CHECK_OK(kgive(a, fa, 0x40));
	CHECK_OK(kgive(b, fb, 0x40));
	CHECK_OK(kgive(b, b, 0x41));
	struct kthread *hog = kthread_new(a, quota_hog, 0), *peer = kthread_new(b, gate_churn, 100);
	CHECK(hog && peer);
	hog->cap = 0x40;
	peer->cap = 0x40;
	peer->cap2 = 0x41;
	CHECK_OK(kthread_go(hog));
	CHECK(kwait_cond((volatile int *)&hog->out[2]));
	CHECK_EQ(hog->out[1], MICA_E_NO_MEMORY);
	CHECK(hog->out[0] >= 1 && hog->out[0] <= 8);
	/* The hog keeps asking, at the same priority; the peer still gets
	 * its hundred gates from its own quota. */
	CHECK_OK(kthread_go(peer));
	CHECK(KWAIT(peer));
	CHECK_EQ(peer->out[0], 100);
	CHECK(hog->out[3] > 0);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(fb, &limit, &used));
	CHECK_EQ(used, 0);
	CHECK_OK(mica_factory_info(fa, &limit, &used));
	CHECK(used <= limit);
	hog->arg2 = 1;
	CHECK(KWAIT(hog));
}

/* Calls the gate at k->cap until arg2 is set, counting replies in out[0]
 * (arg: 1 = with zero timeouts, to a gate nobody serves). */
static void flooder(struct kthread *k)
{
	mica_word_t to = k->arg ? MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, MICA_TIMEOUT_ZERO) : 0;
	while (!k->arg2) {
		kfill(k->out[0], 8);
		mica_msgtag_t t = mica_ipc(k->cap, mica_msgtag(1, 8, 0, 0), MICA_IPC_CALL, 0, to, 0);
		k->out[0] += !mica_msgtag_is_error(t);
		k->out[1] += mica_error(t) == MICA_E_TIMEOUT;
	}
}

/* Calls the gate at k->cap arg times; out[0] counts the right replies. */
static void steady_client(struct kthread *k)
{
	for (mica_word_t i = 0; i < k->arg; i++) {
		mica_mr()[0] = i;
		mica_msgtag_t t = mica_call(k->cap, 7, 1);
		if (mica_msgtag_is_error(t) || mica_mr()[0] != i + 1)
			return;
		k->out[0]++;
	}
}

KTEST(sep_ipc_flood_does_not_stop_a_peer)
{
	mica_cap_t a = ktask_create(), b = ktask_create(), ga, gb, idle = ksel();
	CHECK(a && b);
	CHECK_OK(mica_create_gate(KF, idle, 0, 0));
	CHECK_OK(kgive(a, idle, 0x31));
	struct kthread *sa = start_echo(a, 0, &ga), *sb = start_echo(b, 0, &gb);
	CHECK(sa && sb);
	/* Two flooders in a: calls to its own server, and zero-timeout calls
	 * to a gate nobody serves. */
	struct kthread *f1 = kthread_new(a, flooder, 0), *f2 = kthread_new(a, flooder, 1);
	CHECK(f1 && f2);
	f1->cap = 0x30;
	f2->cap = 0x31;
	CHECK_OK(kthread_go(f1));
	CHECK_OK(kthread_go(f2));
	struct kthread *c = kthread_new(b, steady_client, 200);
	CHECK(c);
	c->cap = 0x30;
	CHECK_OK(kthread_go(c));
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[0], 200);
	CHECK_EQ(sb->out[1], 200);
	/* The flood went on meanwhile. */
	CHECK(f1->out[0] > 0);
	CHECK(f2->out[1] > 0);
	f1->arg2 = f2->arg2 = 1;
	CHECK(KWAIT(f1) && KWAIT(f2));
}

/* Receives one call on k->cap and never answers (waits on k->cap2). */
static void take_one_call(struct kthread *k)
{
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[0] = mica_msgtag_is_error(t) ? 2 : 1;
	mica_wait(k->cap2, MICA_TIMEOUT_NEVER, 0);
}

/* One call to k->cap with timeouts arg (0: none); out[0] = the error,
 * out[1] = 1 if it ended in the receive phase, out[2] = 1 when done. */
static void one_call(struct kthread *k)
{
	mica_msgtag_t t = mica_ipc(k->cap, mica_msgtag(3, 0, 0, 0), MICA_IPC_CALL, 0, k->arg, 0);
	k->out[0] = (mica_word_t)mica_error(t);
	k->out[1] = !!(t.raw & MICA_TAG_RECV_PHASE);
}

/* A client in its own task calling the gate g (given to it at 0x30). */
static struct kthread *client_in_new_task(mica_cap_t g, mica_word_t timeouts)
{
	mica_cap_t c = ktask_create();
	if (!c || kgive(c, g, 0x30) != MICA_OK)
		return 0;
	struct kthread *k = kthread_new(c, one_call, timeouts);
	if (!k)
		return 0;
	k->cap = 0x30;
	return kthread_go(k) == MICA_OK ? k : 0;
}

/* A server in a task of its own (*task) that takes one call on a gate
 * bound to its thread (*gate, ours) and then never answers. */
static struct kthread *start_one_call_server(mica_cap_t *task, mica_cap_t *gate)
{
	mica_cap_t idle = ksel();
	*task = ktask_create();
	*gate = ksel();
	if (!*task || mica_create_gate(KF, idle, 0, 0) != MICA_OK || kgive(*task, idle, 0x31) != MICA_OK)
		return 0;
	struct kthread *server = kthread_new(*task, take_one_call, 0);
	/* Bound to its thread: it serves the gate in open wait. */
	if (!server || mica_create_gate(KF, *gate, server->sel, 0) != MICA_OK)
		return 0;
	server->cap2 = 0x31;
	if (kthread_go(server) != MICA_OK)
		return 0;
	kyield();
	return server;
}

KTEST(sep_server_death_releases_its_clients)
{
	mica_cap_t s, g;
	struct kthread *server = start_one_call_server(&s, &g);
	CHECK(server);
	/* Two clients, each in a task of its own: the first call is taken
	 * (its client waits for the reply), the second queues on the gate. */
	struct kthread *c1 = client_in_new_task(g, 0);
	CHECK(c1);
	CHECK(kwait_cond((volatile int *)&server->out[0]));
	CHECK_EQ(server->out[0], 1);
	struct kthread *c2 = client_in_new_task(g, 0);
	CHECK(c2);
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(c1->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_RECEIVING);
	CHECK_OK(mica_thread_info(c2->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_SENDING);
	/* The gate itself lives on (the clients and we hold it); its server
	 * does not. Both clients are released with an error. */
	CHECK_OK(mica_task_destroy(s));
	CHECK(KWAIT(c1) && KWAIT(c2));
	CHECK_EQ(c1->out[0], MICA_E_ABORTED);
	CHECK_EQ(c1->out[1], 1);
	CHECK_EQ(c2->out[0], MICA_E_ABORTED);
	CHECK_EQ(c2->out[1], 0);
}

KTEST(sep_timeouts_bound_the_wait_on_a_dead_server)
{
	mica_cap_t s, g;
	struct kthread *server = start_one_call_server(&s, &g);
	CHECK(server);
	mica_word_t to = MICA_TIMEOUTS(mica_timeout_ns(2000000), mica_timeout_ns(2000000));
	/* The server takes the call and never answers: the receive timeout. */
	struct kthread *c1 = client_in_new_task(g, to);
	CHECK(c1);
	CHECK(kwait_ms(&c1->done, 50));
	CHECK_EQ(server->out[0], 1);
	CHECK_EQ(c1->out[0], MICA_E_TIMEOUT);
	CHECK_EQ(c1->out[1], 1);
	/* The server is busy for good: the send timeout. */
	struct kthread *c2 = client_in_new_task(g, to);
	CHECK(c2);
	CHECK(kwait_ms(&c2->done, 50));
	CHECK_EQ(c2->out[0], MICA_E_TIMEOUT);
	CHECK_EQ(c2->out[1], 0);
	/* The server's task is gone, the gate is not: the send timeout again. */
	CHECK_OK(mica_task_destroy(s));
	struct kthread *c3 = client_in_new_task(g, to);
	CHECK(c3);
	CHECK(kwait_ms(&c3->done, 50));
	CHECK_EQ(c3->out[0], MICA_E_TIMEOUT);
	CHECK_EQ(c3->out[1], 0);
}

static void undefined_opcode(struct kthread *k)
{
	k->out[0] = 1;
	__asm__ volatile("ud2");
	k->out[0] = 2; /* never */
}

KTEST(sep_a_fault_stops_only_the_faulting_thread)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	struct kthread *ta = kthread_start(a, ticker, 0), *tb = kthread_start(b, ticker, 0);
	CHECK(ta && tb);
	/* No exception handler: the thread stops. */
	struct kthread *bad = kthread_start(a, undefined_opcode, 0);
	CHECK(bad);
	CHECK(kwait_cond((volatile int *)&bad->out[0]));
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(bad->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_EQ(bad->out[0], 1);
	/* Its task's other thread and the other task go on. */
	CHECK(ticking(ta));
	CHECK(ticking(tb));
	ta->arg2 = tb->arg2 = 1;
	CHECK(KWAIT(ta) && KWAIT(tb));
}

KTEST(sep_destroying_a_task_leaves_its_peer_intact)
{
	mica_cap_t a = ktask_create(), b = ktask_create(), gb;
	CHECK(a && b);
	karena[6][0] = 0x600d;
	CHECK_OK(kmap(a, KTASK, KPAGE(6), KALIAS, 12, MICA_FPAGE_RW));
	CHECK_OK(kmap(b, KTASK, KPAGE(6), KALIAS, 12, MICA_FPAGE_RW));
	struct kthread *sb = start_echo(b, 1, &gb), *ta = kthread_start(a, ticker, 0);
	CHECK(sb && ta);
	CHECK_OK(mica_task_destroy(a));
	/* b still has its page (the same frame a had), its server, its thread. */
	mica_word_t v = 0;
	CHECK_EQ(kprobe(b, KALIAS, 0, &v), 0);
	CHECK_EQ(v, 0x600d);
	CHECK_EQ(mica_error(mica_call(gb, 1, 0)), MICA_OK);
	CHECK_EQ(sb->out[1], 1);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(ta->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
}
