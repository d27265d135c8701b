/* smp_stress_ cases: many CPUs at one gate, one thread or one IRQ at
 * once, so that state shared between CPUs (a gate's queues, a thread's
 * IPC state, an IRQ's pending FIFO) is changed from several CPUs at the
 * same instant; a missing or misordered lock shows as a lost or doubled
 * message, a hang, or the invariant check the runner does after every
 * case. A case that needs N CPUs is a TAP skip on a smaller boot. */
#include <mica/error.h>

#include "servers.h"
#include "sched_util.h"
#include "smp_util.h"

#define CALLS 300ul
#define WAIT_STEPS 20000u /* about 2 s */

/* CALLS calls on k->cap with distinct words; out[2] counts the replies
 * that carry this client's word + 1 (a reply to another client's call,
 * or a lost one, is not counted). */
static void client(struct kthread *k)
{
	for (mica_word_t i = 0; i < CALLS; i++) {
		mica_word_t v = k->arg << 32 | i;
		mica_mr()[0] = v;
		mica_msgtag_t r = mica_call(k->cap, 1, 1);
		if (!mica_msgtag_is_error(r) && mica_mr()[0] == v + 1)
			k->out[2]++;
	}
}

/* n clients, two on each of the first `cpus` CPUs, calling gate g; true
 * once every one had all its replies. */
static int run_clients(mica_cap_t g, unsigned cpus, struct kthread **c, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		c[i] = kthread_new(KTASK, client, i + 1);
		if (!c[i])
			return 0;
		c[i]->cap = g;
		if (kplace(c[i], i % cpus) != MICA_OK)
			return 0;
	}
	for (unsigned i = 0; i < n; i++)
		if (kthread_go(c[i]) != MICA_OK)
			return 0;
	for (unsigned i = 0; i < n; i++)
		if (!kwait_flag(&c[i]->done, WAIT_STEPS) || c[i]->out[2] != CALLS)
			return 0;
	return 1;
}

/* An echo server (servers.h) in a closed wait on g, on cpu. */
static struct kthread *server_on(mica_cap_t g, unsigned cpu)
{
	struct kthread *k = kthread_new(KTASK, echo_server, 0);
	if (!k)
		return 0;
	k->cap = g;
	if (kplace(k, cpu) != MICA_OK || kthread_go(k) != MICA_OK ||
	    !kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS))
		return 0;
	return k;
}

KTEST(smp_stress_4_cpus_call_one_gate)
{
	NEED_CPUS(4);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = server_on(g, 1);
	CHECK(s);
	struct kthread *c[8];
	/* Two clients per CPU, one of them beside the server. */
	CHECK(run_clients(g, 4, c, 8));
	CHECK_EQ(s->out[1], 8 * CALLS);
}

KTEST(smp_stress_servers_on_3_cpus_take_from_one_gate)
{
	NEED_CPUS(4);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s[3];
	for (unsigned i = 0; i < 3; i++) {
		s[i] = server_on(g, i + 1);
		CHECK(s[i]);
	}
	struct kthread *c[8];
	CHECK(run_clients(g, 4, c, 8));
	/* Every call taken by exactly one server. */
	CHECK_EQ(s[0]->out[1] + s[1]->out[1] + s[2]->out[1], 8 * CALLS);
}

/* Sends on k->cap until an error: out[0] the error, out[1] the sends. */
static void send_until_error(struct kthread *k)
{
	for (;;) {
		mica_msgtag_t t = mica_send(k->cap, 1, 0);
		if (mica_msgtag_is_error(t)) {
			k->out[0] = mica_error(t);
			return;
		}
		k->out[1]++;
	}
}

/* Cancels the threads k->arg2 points at (k->arg of them), from its CPU. */
static void cancel_all(struct kthread *k)
{
	struct kthread **v = (struct kthread **)k->arg2;
	for (mica_word_t i = 0; i < k->arg; i++)
		k->out[0] += mica_thread_ex_regs(v[i]->sel, MICA_EXREGS_CANCEL, 0, 0) == MICA_OK;
}

KTEST(smp_stress_cancel_and_delete_gate_with_senders_on_3_cpus)
{
	NEED_CPUS(4);
	mica_word_t used0 = kf_used();
	for (unsigned round = 0; round < 3; round++) { /* 7 threads a round (ktest: 24 a case) */
		mica_cap_t g = ksel();
		CHECK_OK(mica_create_gate(KF, g, 0, 0));
		struct kthread *snd[6];
		for (unsigned i = 0; i < 6; i++) {
			snd[i] = kthread_new(KTASK, send_until_error, 0);
			CHECK(snd[i]);
			snd[i]->cap = g;
			CHECK_OK(kplace(snd[i], 1 + i % 3));
			CHECK_OK(kthread_go(snd[i]));
		}
		for (unsigned i = 0; i < 6; i++)
			CHECK(kwait_state(snd[i], MICA_THREAD_SENDING, WAIT_STEPS));
		/* Half of them canceled from CPU 3 while this CPU deletes the
		 * gate: each sender ends once, canceled or aborted. */
		struct kthread *x = kthread_new(KTASK, cancel_all, 3);
		CHECK(x);
		x->arg2 = (mica_word_t)&snd[round % 2 ? 3 : 0];
		CHECK_OK(kplace(x, 3));
		CHECK_OK(kthread_go(x));
		CHECK_OK(mica_cap_delete(KTASK, g));
		CHECK(kwait_flag(&x->done, WAIT_STEPS));
		CHECK(x->out[0] <= 3); /* an ended sender may refuse */
		for (unsigned i = 0; i < 6; i++) {
			CHECK(kwait_flag(&snd[i]->done, WAIT_STEPS));
			CHECK(snd[i]->out[0] == MICA_E_CANCELED || snd[i]->out[0] == MICA_E_ABORTED);
			CHECK_EQ(snd[i]->out[1], 0);
			CHECK_OK(mica_cap_delete(KTASK, snd[i]->sel));
		}
		CHECK_OK(mica_cap_delete(KTASK, x->sel));
	}
	CHECK_EQ(kf_used(), used0);
}

/* Open waits: out[label] counts the messages of each label (1..3). */
static void irq_counter(struct kthread *k)
{
	for (;;) {
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
		if (!mica_msgtag_is_error(t) && label >= 1 && label <= 4)
			k->out[label]++;
		else
			k->out[0]++; /* anything else: an error */
	}
}

#define TRIGGERS 200ul

/* Triggers IRQ k->cap TRIGGERS times, each after the receiver (k->arg2)
 * has counted the one before: every firing must arrive exactly once. */
static void trigger_in_step(struct kthread *k)
{
	struct kthread *r = (struct kthread *)k->arg2;
	for (mica_word_t i = 1; i <= TRIGGERS; i++) {
		if (mica_irq_trigger(k->cap) != MICA_OK)
			return;
		/* The receiver's CPU may not be run for a while (QEMU runs
		 * virtual CPUs in turn, and the spinning ones take whole
		 * turns): after a spin, sleep in steps, up to 2 s. */
		for (unsigned spin = 0; r->out[k->arg] < i && spin < 2000000; spin++)
			;
		for (unsigned n = 0; r->out[k->arg] < i; n++)
			if (n > 20000 || ksleep(100000) != MICA_OK)
				return; /* lost: out[1] stays short */
		k->out[1] = i;
	}
}

/* Triggers the shared IRQ k->cap TRIGGERS times, as fast as it can. */
static void trigger_fast(struct kthread *k)
{
	for (mica_word_t i = 0; i < TRIGGERS; i++)
		k->out[1] += mica_irq_trigger(k->cap) == MICA_OK;
}

KTEST(smp_stress_virq_from_3_cpus_at_one_thread)
{
	NEED_CPUS(4);
	struct kthread *r = kstart_on(KTASK, irq_counter, 0, 0);
	CHECK(r);
	CHECK(kwait_state(r, MICA_THREAD_RECEIVING, WAIT_STEPS));
	/* Three IRQs, one per CPU, fired in step: exact counts. */
	struct kthread *t[3];
	for (unsigned i = 0; i < 3; i++) {
		mica_cap_t q = kirq();
		CHECK(q);
		CHECK_OK(mica_irq_attach(q, r->sel, i + 1));
		t[i] = kthread_new(KTASK, trigger_in_step, i + 1);
		CHECK(t[i]);
		t[i]->cap = q;
		t[i]->arg2 = (mica_word_t)r;
		CHECK_OK(kplace(t[i], i + 1));
	}
	for (unsigned i = 0; i < 3; i++)
		CHECK_OK(kthread_go(t[i]));
	for (unsigned i = 0; i < 3; i++) {
		CHECK(kwait_flag(&t[i]->done, WAIT_STEPS));
		CHECK_EQ(t[i]->out[1], TRIGGERS);
		CHECK_EQ(r->out[i + 1], TRIGGERS);
	}
	/* One IRQ fired from three CPUs at once: firings not yet taken
	 * absorb each other, so at least one and at most all arrive, and
	 * one fired after all of them still arrives. */
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_irq_attach(q, r->sel, 4));
	struct kthread *f[3];
	for (unsigned i = 0; i < 3; i++) {
		f[i] = kthread_new(KTASK, trigger_fast, 0);
		CHECK(f[i]);
		f[i]->cap = q;
		CHECK_OK(kplace(f[i], i + 1));
	}
	for (unsigned i = 0; i < 3; i++)
		CHECK_OK(kthread_go(f[i]));
	for (unsigned i = 0; i < 3; i++) {
		CHECK(kwait_flag(&f[i]->done, WAIT_STEPS));
		CHECK_EQ(f[i]->out[1], TRIGGERS);
	}
	CHECK(kwait_state(r, MICA_THREAD_RECEIVING, WAIT_STEPS));
	mica_word_t got = r->out[4];
	CHECK(got >= 1 && got <= 3 * TRIGGERS);
	CHECK_OK(mica_irq_trigger(q));
	for (int i = 0; i < 20000 && r->out[4] == got; i++)
		ksleep(100000);
	CHECK_EQ(r->out[4], got + 1);
	CHECK_EQ(r->out[0], 0);
}

KTEST(smp_stress_4_cpus_call_a_gate_bound_to_a_server_elsewhere)
{
	NEED_CPUS(4);
	/* The server takes the calls in its open wait: a sender that finds
	 * it busy joins its list of pending gates, on the server's CPU. */
	mica_cap_t g;
	struct kthread *s = new_echo(KTASK, 1, &g);
	CHECK(s);
	CHECK_OK(kplace(s, 3));
	CHECK_OK(kthread_go(s));
	CHECK(kwait_state(s, MICA_THREAD_RECEIVING, WAIT_STEPS));
	struct kthread *c[8];
	CHECK(run_clients(g, 4, c, 8));
	CHECK_EQ(s->out[1], 8 * CALLS);
}

/* The storm's targets: [0] the server it moves, [1..8] the clients it
 * halts and resumes. */
static struct kthread *storm_on[9];
static volatile int storm_stop;

/* Until told to stop: moves the server among CPUs 1-3, and halts and
 * resumes a client (its registers read on whatever CPU it runs or
 * blocks); out[0] counts failures, out[1] rounds. */
static void exregs_migrate_storm(struct kthread *k)
{
	struct mica_exregs r;
	for (mica_word_t i = 0; !storm_stop; i++) {
		k->out[0] += kplace(storm_on[0], 1 + i % 3) != MICA_OK;
		mica_cap_t c = storm_on[1 + i % 8]->sel;
		k->out[0] += mica_thread_ex_regs(c, MICA_EXREGS_HALT, 0, &r) != MICA_OK;
		k->out[0] += mica_thread_ex_regs(c, MICA_EXREGS_RESUME, 0, &r) != MICA_OK;
		k->out[1]++;
	}
}

KTEST(smp_stress_exregs_and_migrate_during_ipc)
{
	NEED_CPUS(4);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = server_on(g, 1);
	CHECK(s);
	storm_on[0] = s;
	storm_stop = 0;
	struct kthread *c[8];
	for (unsigned i = 0; i < 8; i++) {
		c[i] = kthread_new(KTASK, client, i + 1);
		CHECK(c[i]);
		c[i]->cap = g;
		CHECK_OK(kplace(c[i], i % 4));
		storm_on[1 + i] = c[i];
	}
	for (unsigned i = 0; i < 8; i++)
		CHECK_OK(kthread_go(c[i]));
	/* Halting and resuming delays a call but never loses or doubles
	 * one; a move takes the server with its IPC state. */
	struct kthread *x = kstart_on(KTASK, exregs_migrate_storm, 0, 2);
	CHECK(x);
	for (unsigned i = 0; i < 8; i++) {
		CHECK(kwait_flag(&c[i]->done, WAIT_STEPS));
		CHECK_EQ(c[i]->out[2], CALLS);
	}
	storm_stop = 1;
	CHECK(kwait_flag(&x->done, WAIT_STEPS));
	CHECK_EQ(x->out[0], 0);
	CHECK(x->out[1] > 0);
	CHECK_EQ(s->out[1], 8 * CALLS);
}
