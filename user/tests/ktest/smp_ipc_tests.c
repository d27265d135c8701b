/* smp_ IPC, migration, destruction and interrupt cases across CPUs:
 * the same semantics as on one CPU with the partners on different CPUs.
 * A case that needs N CPUs is a TAP skip (ktest_skip) on a boot with
 * fewer; the suite's 4-CPU boot (tests/ktest.sh) runs them all. */
#include <mica/error.h>
#include <string.h>
#include <uart16550.h>
#include <x86_port.h>

#include "mem.h"
#include "servers.h"
#include "sched_util.h"
#include "smp_util.h"

#define PRIO MICA_SCHED_DEFAULT_PRIO
#define MS 1000000ul
#define WAIT_STEPS 10000u /* about 1 s */

/* A thread of this task running fn with k->cap = cap, placed on cpu
 * and started. */
static struct kthread *start_with_cap(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t cap,
				      unsigned cpu)
{
	struct kthread *k = kthread_new(KTASK, fn, arg);
	if (!k)
		return 0;
	k->cap = cap;
	if (kplace(k, cpu) != MICA_OK || kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

/* Sleeps until counter reaches n (at most about 1 s). */
static int wait_count(volatile mica_word_t *counter, mica_word_t n)
{
	for (int i = 0; i < 10000 && *counter < n; i++)
		ksleep(100000);
	return *counter >= n;
}

static mica_word_t cpu_of(struct kthread *k)
{
	mica_word_t info[5];
	return mica_thread_info(k->sel, info) == MICA_OK ? info[2] : ~0ul;
}

/* An echo server (servers.h) in task on cpu, waiting on a new gate
 * (bound to it for an open wait, else a closed one) when this returns. */
static struct kthread *echo_on(mica_cap_t task, int bound, mica_cap_t *gate, unsigned cpu)
{
	struct kthread *k = new_echo(task, bound, gate);
	if (!k || kplace(k, cpu) != MICA_OK || kthread_go(k) != MICA_OK ||
	    !kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS))
		return 0;
	return k;
}

/* Takes one call on k->cap and never replies: out[0] = 1 once it has it. */
static void take_call_and_hold(struct kthread *k)
{
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[1] = t.raw;
	k->out[0] = 1;
	mica_cap_t none = k->cap2; /* a gate nobody sends to */
	for (;;)
		mica_wait(none, MICA_TIMEOUT_NEVER, 0);
}

/* A server in task (KTASK or a child) that holds the call it takes; g
 * its gate, in this task. */
static struct kthread *holder_in(mica_cap_t task, mica_cap_t *g, unsigned cpu)
{
	*g = ksel();
	mica_cap_t quiet = ksel();
	if (mica_create_gate(KF, *g, 0, 0) != MICA_OK || mica_create_gate(KF, quiet, 0, 0) != MICA_OK)
		return 0;
	struct kthread *k = kthread_new(task, take_call_and_hold, 0);
	if (!k)
		return 0;
	k->cap = *g;
	k->cap2 = quiet;
	if (task != KTASK) {
		k->cap = 0x30;
		k->cap2 = 0x31;
		if (kgive(task, *g, k->cap) != MICA_OK || kgive(task, quiet, k->cap2) != MICA_OK)
			return 0;
	}
	if (kplace(k, cpu) != MICA_OK || kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

static struct kthread *holder_on(mica_cap_t *g, unsigned cpu)
{
	return holder_in(KTASK, g, cpu);
}

/* Calls k->cap once with MR0 = arg: out[0] = the tag, out[1] = MR0. */
static void call_once(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	k->out[0] = mica_call(k->cap, 1, 1).raw;
	k->out[1] = mica_mr()[0];
}

static void count_forever(struct kthread *k)
{
	for (;;)
		k->out[0]++;
}

KTEST(smp_ping_pong_10000_round_trips)
{
	NEED_CPUS(2);
	mica_cap_t t = ktask_create(), g;
	CHECK(t);
	struct kthread *k = echo_on(t, 0, &g, 1);
	CHECK(k);
	for (mica_word_t i = 0; i < 10000; i++) {
		mica_mr()[0] = i * 3;
		mica_msgtag_t r = mica_call(g, 7, 1);
		CHECK_EQ(mica_error(r), MICA_OK);
		CHECK_EQ(mica_msgtag_label(r), 8);
		CHECK_EQ(mica_mr()[0], i * 3 + 1);
	}
	CHECK_EQ(k->out[1], 10000);
	CHECK_EQ(cpu_of(k), 1);
}

KTEST(smp_ping_pong_open_wait_server)
{
	NEED_CPUS(3);
	mica_cap_t g;
	struct kthread *k = echo_on(KTASK, 1, &g, 2);
	CHECK(k);
	kfill(3, 20);
	for (unsigned i = 0; i < 200; i++) {
		kfill(i, 20);
		mica_msgtag_t r = mica_call(g, 1, 20);
		CHECK_EQ(mica_error(r), MICA_OK);
		CHECK_EQ(mica_msgtag_u(r), 20);
		for (unsigned w = 0; w < 20; w++)
			CHECK_EQ(mica_mr()[w], i * 0x9e3779b97f4a7c15ul + w + 1); /* kfill's words + 1 */
	}
	CHECK_EQ(k->out[1], 200);
}

/* 500 calls with distinct words; out[2] counts the good replies. */
static void client_loop(struct kthread *k)
{
	for (mica_word_t i = 0; i < 500; i++) {
		mica_word_t v = k->arg * 1000000 + i;
		mica_mr()[0] = v;
		mica_msgtag_t r = mica_call(k->cap, 1, 1);
		if (!mica_msgtag_is_error(r) && mica_mr()[0] == v + 1)
			k->out[2]++;
	}
}

KTEST(smp_many_clients_on_3_cpus_one_server)
{
	NEED_CPUS(4);
	mica_cap_t g;
	struct kthread *srv = echo_on(KTASK, 0, &g, 3);
	CHECK(srv);
	struct kthread *c[6];
	for (unsigned i = 0; i < 6; i++) {
		c[i] = kthread_new(KTASK, client_loop, i + 1);
		CHECK(c[i]);
		c[i]->cap = g;
		CHECK_OK(kplace(c[i], i % 3));
	}
	for (unsigned i = 0; i < 6; i++)
		CHECK_OK(kthread_go(c[i]));
	for (unsigned i = 0; i < 6; i++) {
		CHECK(kwait_flag(&c[i]->done, WAIT_STEPS));
		CHECK_EQ(c[i]->out[2], 500);
	}
	CHECK_EQ(srv->out[1], 3000);
}

KTEST(smp_reply_timeout_while_server_on_other_cpu)
{
	NEED_CPUS(2);
	mica_cap_t g;
	struct kthread *k = holder_on(&g, 1);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	uint64_t t0 = know();
	mica_msgtag_t r =
		mica_call_timeout(g, 1, 0, MICA_TIMEOUTS(MICA_TIMEOUT_NEVER, mica_timeout_ns(2 * MS)));
	CHECK_TAG_ERR(r, MICA_E_TIMEOUT, 1);
	CHECK(know() - t0 >= 2 * MS);
	CHECK_EQ(k->out[0], 1); /* it had the call */
}

static void wait_with_timeout(struct kthread *k)
{
	uint64_t t0 = know();
	k->out[0] = mica_wait(k->cap, mica_timeout_ns(k->arg), 0).raw;
	k->out[1] = know() - t0;
}

KTEST(smp_receive_timeout_on_its_own_cpu)
{
	NEED_CPUS(3);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(wait_with_timeout, 3 * MS, g, 2);
	CHECK(k);
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	mica_msgtag_t t = { k->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_TIMEOUT);
	CHECK(k->out[1] >= 3 * MS);
}

static void send_with_timeout(struct kthread *k)
{
	k->out[0] = mica_send_timeout(k->cap, 1, 0, mica_timeout_ns(k->arg)).raw;
}

KTEST(smp_send_timeout_on_its_own_cpu)
{
	NEED_CPUS(4);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(send_with_timeout, 2 * MS, g, 3);
	CHECK(k);
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	mica_msgtag_t t = { k->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_TIMEOUT);
	CHECK(!(t.raw & MICA_TAG_RECV_PHASE));
}

static void wait_forever(struct kthread *k)
{
	k->out[0] = mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0).raw;
}

KTEST(smp_cancel_receiver_on_other_cpu)
{
	NEED_CPUS(2);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(wait_forever, 0, g, 1);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	mica_msgtag_t t = { k->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_CANCELED);
}

KTEST(smp_cancel_caller_waiting_for_server_on_other_cpu)
{
	NEED_CPUS(3);
	mica_cap_t g;
	struct kthread *s = holder_on(&g, 1);
	CHECK(s);
	struct kthread *c = start_with_cap(call_once, 5, g, 2);
	CHECK(c);
	CHECK(wait_count(&s->out[0], 1));
	CHECK(kwait_state(c, MICA_THREAD_RECEIVING, WAIT_STEPS)); /* waits for the reply */
	CHECK_OK(mica_thread_ex_regs(c->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(kwait_flag(&c->done, WAIT_STEPS));
	mica_msgtag_t t = { c->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_CANCELED);
	CHECK(t.raw & MICA_TAG_RECV_PHASE);
}

static void send_forever(struct kthread *k)
{
	k->out[0] = mica_send(k->cap, 1, 0).raw;
}

KTEST(smp_deleted_gate_aborts_sender_on_other_cpu)
{
	NEED_CPUS(2);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(send_forever, 0, g, 1);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_SENDING, WAIT_STEPS));
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	mica_msgtag_t t = { k->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_ABORTED);
}

KTEST(smp_deleted_server_aborts_caller_on_other_cpu)
{
	NEED_CPUS(3);
	mica_cap_t g;
	struct kthread *s = holder_on(&g, 2);
	CHECK(s);
	struct kthread *c = start_with_cap(call_once, 5, g, 1);
	CHECK(c);
	CHECK(wait_count(&s->out[0], 1));
	CHECK_OK(mica_cap_delete(KTASK, s->sel));
	CHECK(kwait_flag(&c->done, WAIT_STEPS));
	mica_msgtag_t t = { c->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_ABORTED);
}

KTEST(smp_destroyed_server_task_aborts_caller_on_other_cpu)
{
	NEED_CPUS(3);
	mica_cap_t task = ktask_create(), g;
	CHECK(task);
	struct kthread *s = holder_in(task, &g, 2);
	CHECK(s);
	struct kthread *c = start_with_cap(call_once, 5, g, 1);
	CHECK(c);
	CHECK(wait_count(&s->out[0], 1)); /* the server holds the call */
	CHECK_OK(mica_task_destroy(task));
	CHECK(kwait_flag(&c->done, WAIT_STEPS));
	mica_msgtag_t t = { c->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_ABORTED);
	CHECK(t.raw & MICA_TAG_RECV_PHASE);
}

/* Takes one call, replies, then replies again (no partner any more). */
static void reply_twice(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_mr()[0] += 10;
	k->out[0] = mica_reply(mica_msgtag(2, 1, 0, 0)).raw;
	k->out[1] = mica_reply(mica_msgtag(3, 1, 0, 0)).raw;
}

KTEST(smp_one_shot_reply_across_cpus)
{
	NEED_CPUS(2);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(reply_twice, 0, g, 1);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	mica_mr()[0] = 5;
	mica_msgtag_t r = mica_call(g, 1, 1);
	CHECK_EQ(mica_msgtag_label(r), 2);
	CHECK_EQ(mica_mr()[0], 15);
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	CHECK_EQ(k->out[0], 0);
	mica_msgtag_t t = { k->out[1] };
	CHECK_EQ(mica_error(t), MICA_E_NO_PARTNER);
}

static void receive_label(struct kthread *k)
{
	mica_word_t label = 0;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = label;
	k->out[1] = mica_msgtag_label(t);
	k->out[2] = mica_mr()[0];
}

KTEST(smp_send_with_gate_label_to_other_cpu)
{
	NEED_CPUS(4);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0x5a5a));
	struct kthread *k = start_with_cap(receive_label, 0, g, 3);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	mica_mr()[0] = 77;
	CHECK_EQ(mica_send(g, 9, 1).raw, 0);
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	CHECK_EQ(k->out[0], 0x5a5a);
	CHECK_EQ(k->out[1], 9);
	CHECK_EQ(k->out[2], 77);
}

KTEST(smp_sender_waits_for_receiver_on_other_cpu)
{
	NEED_CPUS(2);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(send_forever, 0, g, 1);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_SENDING, WAIT_STEPS));
	mica_msgtag_t t = mica_wait(g, mica_timeout_ns(100 * MS), 0);
	CHECK_EQ(mica_error(t), MICA_OK);
	CHECK_EQ(mica_msgtag_label(t), 1);
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	CHECK_EQ(k->out[0], 0);
}

KTEST(smp_sleep_on_every_cpu)
{
	NEED_CPUS(2);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k[4];
	unsigned n = kcpus_online() < 4 ? kcpus_online() : 4;
	for (unsigned i = 0; i < n; i++) {
		k[i] = kthread_new(KTASK, wait_with_timeout, (i + 1) * MS);
		CHECK(k[i]);
		k[i]->cap = g;
		CHECK_OK(kplace(k[i], i));
		CHECK_OK(kthread_go(k[i]));
	}
	for (unsigned i = 0; i < n; i++) {
		CHECK(kwait_flag(&k[i]->done, WAIT_STEPS));
		CHECK_EQ(mica_error((mica_msgtag_t){ k[i]->out[0] }), MICA_E_TIMEOUT);
		CHECK(k[i]->out[1] >= (i + 1) * MS);
	}
}

/* Open waits counting IRQ messages: out[0] the count, out[1] the label. */
static void irq_receiver(struct kthread *k)
{
	for (;;) {
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
		if (!mica_msgtag_is_error(t)) {
			k->out[1] = label;
			k->out[0]++;
		}
	}
}

KTEST(smp_virq_reaches_thread_on_other_cpu)
{
	NEED_CPUS(3);
	mica_cap_t q = kirq();
	CHECK(q);
	struct kthread *k = kstart_on(KTASK, irq_receiver, 0, 2);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_OK(mica_irq_attach(q, k->sel, 0x77));
	for (mica_word_t i = 1; i <= 100; i++) {
		CHECK_OK(mica_irq_trigger(q));
		CHECK(wait_count(&k->out[0], i));
	}
	CHECK_EQ(k->out[0], 100);
	CHECK_EQ(k->out[1], 0x77);
}

KTEST(smp_virq_from_every_cpu)
{
	NEED_CPUS(4);
	mica_cap_t q = kirq();
	CHECK(q);
	struct kthread *k = kstart_on(KTASK, irq_receiver, 0, 0);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_OK(mica_irq_attach(q, k->sel, 0x99));
	/* Triggers from this thread moved to each CPU in turn. */
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, MICA_CAP_THREAD, PRIO, KTEST_SLICE_NS,
					       cpu));
		CHECK_OK(mica_irq_trigger(q));
		CHECK(wait_count(&k->out[0], cpu + 1));
	}
	CHECK_EQ(k->out[1], 0x99);
}

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182ul

KTEST(smp_hardware_irq_delivered_to_thread_on_cpu_2)
{
	NEED_CPUS(3);
	mica_cap_t q = kirq();
	CHECK(q);
	mica_word_t gsi;
	CHECK_OK(mica_icu_bind(MICA_CAP_ICU, q, 0, MICA_ICU_ISA, &gsi));
	struct kthread *k = kstart_on(KTASK, irq_receiver, 0, 2);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_OK(mica_irq_attach(q, k->sel, 0xabc));
	for (mica_word_t i = 1; i <= 3; i++) {
		CHECK_OK(mica_irq_unmask(q));
		/* Channel 0, mode 0: one edge after ~500 us. */
		unsigned count = (unsigned)(PIT_HZ * 500 / 1000000);
		outb(PIT_CMD, 0x30);
		outb(PIT_CH0, count & 0xff);
		outb(PIT_CH0, (count >> 8) & 0xff);
		CHECK(wait_count(&k->out[0], i));
		CHECK_EQ(k->out[1], 0xabc);
	}
	CHECK_EQ(cpu_of(k), 2);
}

KTEST(smp_migrate_ready_thread)
{
	NEED_CPUS(4);
	struct kthread *k = kstart_on(KTASK, count_forever, 0, 1);
	CHECK(k);
	for (unsigned cpu = 2; cpu < 4; cpu++) {
		mica_word_t before = k->out[0];
		CHECK_OK(kplace(k, cpu));
		CHECK_EQ(cpu_of(k), cpu);
		CHECK(wait_count(&k->out[0], before + 1000));
	}
	CHECK_OK(kplace(k, 0)); /* onto this CPU, at our priority: it shares it */
	CHECK_EQ(cpu_of(k), 0);
	mica_word_t before = k->out[0];
	kyield();
	CHECK(k->out[0] > before);
	CHECK_OK(mica_thread_halt_other(k->sel));
}

KTEST(smp_migrate_running_thread_between_cpus)
{
	NEED_CPUS(3);
	struct kthread *k = kstart_on(KTASK, count_forever, 0, 1);
	CHECK(k);
	for (unsigned round = 0; round < 20; round++) {
		unsigned cpu = 1 + round % 2;
		CHECK_OK(kplace(k, cpu));
		mica_word_t before = k->out[0];
		CHECK(wait_count(&k->out[0], before + 100));
		CHECK_EQ(cpu_of(k), cpu);
	}
	CHECK_OK(mica_thread_halt_other(k->sel));
}

KTEST(smp_migrate_blocked_receiver)
{
	NEED_CPUS(3);
	mica_cap_t g;
	struct kthread *k = echo_on(KTASK, 0, &g, 1);
	CHECK(k);
	CHECK_OK(kplace(k, 2));
	CHECK_EQ(cpu_of(k), 2);
	mica_mr()[0] = 41;
	CHECK_EQ(mica_error(mica_call(g, 1, 1)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 42);
	CHECK_OK(kplace(k, 0)); /* and onto this CPU: the fast path's case */
	mica_mr()[0] = 1;
	CHECK_EQ(mica_error(mica_call(g, 1, 1)), MICA_OK);
	CHECK_EQ(mica_mr()[0], 2);
	CHECK_EQ(k->out[1], 2);
}

/* Takes one call, waits until out[2] is set, then replies MR0 + 1. */
static void reply_when_told(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_word_t v = mica_mr()[0];
	k->out[0] = 1;
	while (!k->out[2])
		ksleep(100000);
	mica_mr()[0] = v + 1;
	k->out[1] = mica_reply(mica_msgtag(0, 1, 0, 0)).raw;
	k->done = 1;
	for (;;)
		ksleep(1000 * MS);
}

KTEST(smp_migrate_caller_blocked_on_server_on_other_cpu)
{
	NEED_CPUS(4);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = start_with_cap(reply_when_told, 0, g, 2);
	CHECK(s);
	struct kthread *c = start_with_cap(call_once, 500, g, 1);
	CHECK(c);
	CHECK(wait_count(&s->out[0], 1));
	CHECK(kwait_state(c, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_OK(kplace(c, 3)); /* it waits for the reply on CPU 3 now */
	CHECK_EQ(cpu_of(c), 3);
	s->out[2] = 1;
	CHECK(kwait_flag(&c->done, WAIT_STEPS));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_OK);
	CHECK_EQ(c->out[1], 501);
	CHECK_EQ(s->out[1], 0);
	CHECK_EQ(cpu_of(c), 3);
}

/* The CPU time of c and the idle time of CPU 1 across `wait` ns (a
 * sleep, or a spin that keeps this CPU busy): c's stands still, CPU 1's
 * grows by the wait. */
static void times_across(struct kthread *c, uint64_t wait, int spin, mica_word_t *c0, mica_word_t *c1)
{
	mica_word_t st[3], idle0, idle1;
	CHECK_OK(mica_thread_stats(c->sel, st));
	*c0 = st[0];
	CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 1, &idle0));
	uint64_t t0 = know();
	if (spin)
		kspin_ns(wait);
	else
		CHECK_OK(ksleep(wait));
	uint64_t took = know() - t0;
	CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 1, &idle1));
	CHECK_OK(mica_thread_stats(c->sel, st));
	*c1 = st[0];
	CHECK_EQ(*c1, *c0);
	/* CPU 1 idled all the while (1 us: two clock readings' rounding). */
	CHECK(idle1 - idle0 + 1000 >= took);
	CHECK(idle1 - idle0 <= took + KSLEEP_OVERHEAD_NS);
}

/* A caller's CPU idles while the caller waits for a server on another
 * CPU. The cross-CPU fast path books that idle spell only when it ends
 * if it ends in the poll that follows (sched.c idle_open); this CPU
 * looks first while that poll may still go on (it spins: under
 * -icount's round robin CPU 1 polls a turn whenever this one's ends),
 * then across a sleep. Throughout, CPU 1's idle time grows and the
 * caller's CPU time stands still, also once the caller moves away
 * (`move`), and the reply adds none of the wait to it. */
static void times_while_waiting(int move)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = start_with_cap(reply_when_told, 0, g, 2);
	CHECK(s);
	CHECK(kwait_state(s, MICA_THREAD_RECEIVING, WAIT_STEPS));
	struct kthread *c = start_with_cap(call_once, 500, g, 1);
	CHECK(c);
	while (!s->out[0])
		;
	mica_word_t ct[6] = { 0 };
	times_across(c, 20000, 1, &ct[0], &ct[1]);
	CHECK(!ktest_failed);
	CHECK(kwait_state(c, MICA_THREAD_RECEIVING, WAIT_STEPS));
	times_across(c, 3 * MS, 0, &ct[2], &ct[3]);
	CHECK(!ktest_failed);
	if (move) {
		/* c waits on CPU 0 (this one) now, CPU 1 idles on. */
		CHECK_OK(kplace(c, 0));
		CHECK_EQ(cpu_of(c), 0);
	}
	times_across(c, 3 * MS, 0, &ct[4], &ct[5]);
	CHECK(!ktest_failed);
	CHECK_EQ(ct[2], ct[1]); /* nothing in between either */
	CHECK_EQ(ct[4], ct[3]);
	s->out[2] = 1;
	CHECK(kwait_flag(&c->done, WAIT_STEPS));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_OK);
	CHECK_EQ(c->out[1], 501);
	mica_word_t after[3];
	CHECK_OK(mica_thread_stats(c->sel, after));
	CHECK(after[0] - ct[5] < KSLEEP_OVERHEAD_NS);
}

KTEST(smp_times_while_a_caller_waits_on_another_cpu)
{
	NEED_CPUS(3);
	times_while_waiting(0);
}

KTEST(smp_times_while_a_moved_caller_waits_on_another_cpu)
{
	NEED_CPUS(3);
	times_while_waiting(1);
}

/* Round trips to an echo server on CPU 1: this CPU idles while each
 * call waits, a spell the reply ends in its poll (booked at its end,
 * sched.c idle_end). Each moment of this CPU is this thread's or idle,
 * so this thread's CPU time and this CPU's idle time add up to the time
 * that passed, to the reads' own cost. */
KTEST(smp_round_trips_split_time_between_caller_and_idle)
{
	NEED_CPUS(2);
	mica_cap_t g;
	struct kthread *k = echo_on(KTASK, 1, &g, 1);
	CHECK(k);
	mica_word_t st0[3], st1[3], idle0, idle1;
	CHECK_OK(mica_thread_stats(MICA_CAP_THREAD, st0));
	CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 0, &idle0));
	uint64_t t0 = know();
	for (unsigned i = 0; i < 2000; i++) {
		mica_msgtag_t r = mica_call(g, 1, 0);
		CHECK_EQ(mica_error(r), MICA_OK);
	}
	uint64_t took = know() - t0;
	CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 0, &idle1));
	CHECK_OK(mica_thread_stats(MICA_CAP_THREAD, st1));
	uint64_t sum = (st1[0] - st0[0]) + (idle1 - idle0);
	CHECK(idle1 - idle0 > took / 10); /* it did idle */
	CHECK(sum >= took);
	CHECK(sum <= took + KSLEEP_OVERHEAD_NS);
	CHECK_EQ(k->out[1], 2000);
}

KTEST(smp_migrate_sleeping_thread_keeps_its_timeout)
{
	NEED_CPUS(3);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = start_with_cap(wait_with_timeout, 5 * MS, g, 1);
	CHECK(k);
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS));
	CHECK_OK(kplace(k, 2));
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	CHECK_EQ(mica_error((mica_msgtag_t){ k->out[0] }), MICA_E_TIMEOUT);
	CHECK(k->out[1] >= 5 * MS);
	CHECK(k->out[1] < 50 * MS);
}

/* Keeps a value in xmm0 and checks it survives: out[1] counts failures. */
static void fpu_keeper(struct kthread *k)
{
	for (;;) {
		mica_word_t v = k->out[0] + 0x1234567;
		mica_word_t back;
		__asm__ volatile("movq %1, %%xmm0\n\t"
				 "pause\n\tpause\n\tpause\n\tpause\n\t"
				 "movq %%xmm0, %0"
				 : "=r"(back)
				 : "r"(v)
				 : "xmm0");
		if (back != v)
			k->out[1]++;
		k->out[0]++;
	}
}

KTEST(smp_fpu_state_moves_with_the_thread)
{
	NEED_CPUS(4);
	struct kthread *a = kstart_on(KTASK, fpu_keeper, 0, 1);
	struct kthread *b = kstart_on(KTASK, fpu_keeper, 0, 2);
	CHECK(a && b);
	for (unsigned round = 0; round < 30; round++) {
		CHECK_OK(kplace(a, 1 + round % 3));
		CHECK_OK(kplace(b, 1 + (round + 1) % 3));
		mica_word_t before = a->out[0];
		CHECK(wait_count(&a->out[0], before + 50));
	}
	CHECK_OK(mica_thread_halt_other(a->sel));
	CHECK_OK(mica_thread_halt_other(b->sel));
	CHECK_EQ(a->out[1], 0);
	CHECK_EQ(b->out[1], 0);
}

KTEST(smp_task_destroyed_while_its_threads_run_on_3_cpus)
{
	NEED_CPUS(4);
	mica_word_t used0 = 0;
	mica_cap_t task = ktask_create();
	CHECK(task);
	struct kthread *k[3];
	for (unsigned i = 0; i < 3; i++) {
		k[i] = kstart_on(task, count_forever, 0, i + 1);
		CHECK(k[i]);
	}
	for (unsigned i = 0; i < 3; i++)
		CHECK(wait_count(&k[i]->out[0], 1000));
	CHECK_OK(mica_task_destroy(task));
	for (unsigned i = 0; i < 3; i++) {
		mica_word_t info[5];
		CHECK_OK(mica_thread_info(k[i]->sel, info));
		CHECK_EQ(info[0], MICA_THREAD_DEAD);
		mica_word_t c = k[i]->out[0];
		ksleep(MS);
		CHECK_EQ(k[i]->out[0], c); /* stopped */
	}
	/* The runner's leak check after the case: every byte refunded. */
	(void)used0;
}

KTEST(smp_thread_deleted_while_running_on_other_cpu)
{
	NEED_CPUS(2);
	mica_word_t used0 = kf_used();
	for (unsigned i = 0; i < 10; i++) {
		struct kthread *k = kstart_on(KTASK, count_forever, 0, 1 + i % (kcpus_online() - 1));
		CHECK(k);
		CHECK(wait_count(&k->out[0], 100));
		CHECK_OK(mica_cap_delete(KTASK, k->sel));
		mica_word_t c = k->out[0];
		ksleep(200000);
		CHECK_EQ(k->out[0], c);
	}
	CHECK_EQ(kf_used(), used0);
}

static void return_at_once(struct kthread *k)
{
	k->out[0] = 1;
}

KTEST(smp_quota_refunded_after_1000_cross_cpu_create_destroy)
{
	NEED_CPUS(2);
	mica_word_t used0 = kf_used();
	unsigned n = kcpus_online();
	mica_cap_t t = ksel();
	for (unsigned i = 0; i < 1000; i++) {
		CHECK_OK(mica_create_thread(KF, t));
		CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, t, PRIO, KTEST_SLICE_NS, 1 + i % (n - 1)));
		CHECK_OK(mica_cap_delete(KTASK, t));
		CHECK_EQ(kf_used(), used0);
	}
	/* And with threads that ran there. */
	for (unsigned i = 0; i < 20; i++) {
		struct kthread *k = kstart_on(KTASK, return_at_once, 0, 1 + i % (n - 1));
		CHECK(k);
		CHECK(kwait_flag(&k->done, WAIT_STEPS));
		CHECK_OK(mica_cap_delete(KTASK, k->sel));
	}
	CHECK_EQ(kf_used(), used0);
}

/* ---- page-fault and exception messages across CPUs ---- */

#define FAULT_GATE_LABEL 0x5eed
#define FAULT_DONE 0xd0e

/* A thread of a new child task running fn on cpu, whose pager or
 * exception handler (which) is a new gate *g here (this thread, CPU 0,
 * answers). */
static struct kthread *faulter_on(void (*fn)(struct kthread *), mica_word_t arg, mica_word_t which,
				  mica_cap_t *g, unsigned cpu)
{
	struct kthread *k = kfaulter_new(fn, arg, which, FAULT_GATE_LABEL, g, 0);
	if (!k || kplace(k, cpu) != MICA_OK || kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

static void read_and_report(struct kthread *k)
{
	mica_mr()[0] = *(volatile mica_word_t *)(k->arg);
	mica_send(k->cap, FAULT_DONE, 1);
}

KTEST(smp_page_fault_to_pager_on_other_cpu)
{
	NEED_CPUS(3);
	mica_cap_t g;
	karena[0][1] = 0xfeed;
	struct kthread *k = faulter_on(read_and_report, KALIAS + 8, MICA_THREAD_CTL_PAGER, &g, 2);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_msgtag_u(t), MICA_PF_WORDS);
	CHECK_EQ(label, FAULT_GATE_LABEL);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[0], KALIAS + 8);
	CHECK_EQ(mr[2], MICA_FPAGE_R);
	/* A map item (typed) back across the CPUs. */
	mr[0] = mica_item_mem(KALIAS + 8, MICA_ITEM_MAP);
	mr[1] = mica_fpage_mem(KPAGE(0), 12, MICA_FPAGE_RW);
	CHECK_EQ(mica_error(mica_reply(mica_msgtag(0, 0, 2, 0))), MICA_OK);
	t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), FAULT_DONE);
	CHECK_EQ(mica_mr()[0], 0xfeed);
	CHECK_EQ(cpu_of(k), 2);
}

static void ud_and_report(struct kthread *k)
{
	mica_word_t rax = 1;
	__asm__ volatile("ud2" : "+a"(rax));
	mica_mr()[0] = rax;
	mica_send(k->cap, FAULT_DONE, 1);
}

KTEST(smp_exception_to_handler_on_other_cpu)
{
	NEED_CPUS(4);
	mica_cap_t g;
	struct kthread *k = faulter_on(ud_and_report, 0, MICA_THREAD_CTL_EXC, &g, 3);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_msgtag_u(t), MICA_EXC_WORDS);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[MICA_EXC_VECTOR], 6);
	CHECK_EQ(mr[MICA_EXC_RAX], 1);
	mr[MICA_EXC_IP] += 2;
	mr[MICA_EXC_RAX] = 42;
	CHECK_EQ(mica_error(mica_reply(mica_msgtag(0, MICA_EXC_WORDS, 0, 0))), MICA_OK);
	t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), FAULT_DONE);
	CHECK_EQ(mica_mr()[0], 42);
}

/* ---- Vcon READ wake-ups across CPUs ---- */

/* Input through COM1's loopback mode, as vcon_input_tests.c makes it. */
static void smp_uart_inject(const char *s)
{
	uint8_t mcr = inb(UART_COM1 + UART_MCR);
	outb(UART_COM1 + UART_MCR, mcr | UART_MCR_LOOP);
	for (; *s; s++) {
		while (!(inb(UART_COM1 + UART_LSR) & UART_LSR_TX_EMPTY))
			;
		outb(UART_COM1 + UART_DATA, (uint8_t)*s);
	}
	while (!(inb(UART_COM1 + UART_LSR) & UART_LSR_TX_EMPTY))
		;
	outb(UART_COM1 + UART_MCR, mcr);
}

/* Reads until k->arg bytes came or a read fails: out[0] the error,
 * out[1] the count, the bytes in out[2..]. */
static void vcon_reader(struct kthread *k)
{
	char *buf = (char *)&k->out[2];
	unsigned got = 0;
	int e = MICA_OK;
	while (got < k->arg && e == MICA_OK) {
		unsigned n = 0;
		e = mica_vcon_read(MICA_CAP_VCON, buf + got, (unsigned)k->arg - got, mica_timeout_ns(k->arg2),
				   &n);
		got += e == MICA_OK ? n : 0;
	}
	k->out[1] = got;
	k->out[0] = (mica_word_t)e;
}

KTEST(smp_vcon_read_woken_by_input_on_other_cpu)
{
	NEED_CPUS(3);
	char junk[32];
	unsigned n;
	while (mica_vcon_read(MICA_CAP_VCON, junk, sizeof(junk), MICA_TIMEOUT_ZERO, &n) == MICA_OK)
		; /* nothing left over */
	struct kthread *k = kthread_new(KTASK, vcon_reader, 4);
	CHECK(k);
	k->arg2 = 200 * MS;
	CHECK_OK(kplace(k, 2));
	CHECK_OK(kthread_go(k));
	CHECK(kwait_state(k, MICA_THREAD_RECEIVING, WAIT_STEPS)); /* blocked in READ */
	smp_uart_inject("smp!");
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	CHECK_EQ(k->out[0], MICA_OK);
	CHECK_EQ(k->out[1], 4);
	CHECK(memcmp((const char *)&k->out[2], "smp!", 4) == 0);
}

KTEST(smp_vcon_read_timeout_on_other_cpu)
{
	NEED_CPUS(4);
	struct kthread *k = kthread_new(KTASK, vcon_reader, 4);
	CHECK(k);
	k->arg2 = 3 * MS;
	CHECK_OK(kplace(k, 3));
	uint64_t t0 = know();
	CHECK_OK(kthread_go(k));
	CHECK(kwait_flag(&k->done, WAIT_STEPS));
	CHECK_EQ(k->out[0], MICA_E_TIMEOUT);
	CHECK(know() - t0 >= 3 * MS);
}

/* Takes a call, saves its reply right into k->cap2, and once told to
 * (out[7]) answers through it with MR0 + 10; then takes a second call
 * and saves that right into k->arg, which the case deletes. */
static void save_then_reply(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	mica_word_t v = mica_mr()[0];
	k->out[0] = mica_save_reply(k->cap2).raw;
	k->out[1] = 1;
	while (!k->out[7])
		ksleep(100000);
	mica_mr()[0] = v + 10;
	k->out[2] = mica_ipc(k->cap2, mica_msgtag(2, 1, 0, 0), MICA_IPC_SEND, 0, 0, 0).raw;
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[3] = mica_save_reply(k->arg).raw;
	k->out[4] = 1;
}

/* A reply right saved by a server on CPU 1 for a caller on CPU 2: the
 * reply through the capability reaches the caller there, and deleting
 * the capability (from CPU 0) releases a caller waiting there. */
KTEST(smp_reply_cap_caller_on_other_cpu)
{
	NEED_CPUS(3);
	mica_cap_t g = ksel(), r = ksel(), r2 = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *s = kthread_new(KTASK, save_then_reply, r2);
	CHECK(s);
	s->cap = g;
	s->cap2 = r;
	CHECK_OK(kplace(s, 1));
	CHECK_OK(kthread_go(s));
	CHECK(kwait_state(s, MICA_THREAD_RECEIVING, WAIT_STEPS));
	struct kthread *c = start_with_cap(call_once, 5, g, 2);
	CHECK(c);
	CHECK(wait_count(&s->out[1], 1));
	CHECK_EQ(s->out[0], 0);
	CHECK(!c->done);
	s->out[7] = 1;
	CHECK(kwait_flag(&c->done, WAIT_STEPS));
	CHECK_EQ(mica_msgtag_label((mica_msgtag_t){ c->out[0] }), 2);
	CHECK_EQ(c->out[1], 15);
	CHECK(wait_count(&s->out[1], 1));
	struct kthread *c2 = start_with_cap(call_once, 7, g, 2);
	CHECK(c2);
	CHECK(wait_count(&s->out[4], 1));
	CHECK_EQ(s->out[2], 0);
	CHECK_EQ(s->out[3], 0);
	CHECK(!c2->done);
	CHECK_OK(mica_cap_delete(KTASK, r2));
	CHECK(kwait_flag(&c2->done, WAIT_STEPS));
	mica_msgtag_t t = { c2->out[0] };
	CHECK_EQ(mica_error(t), MICA_E_ABORTED);
	CHECK(t.raw & MICA_TAG_RECV_PHASE);
	CHECK(kwait_flag(&s->done, WAIT_STEPS));
}
