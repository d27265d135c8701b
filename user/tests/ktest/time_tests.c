/* time_ and timeout_: the KIP clock, the timer behind it and IPC
 * timeouts. The suite runs under -icount, so time is deterministic: the
 * checks against the published precision are exact, not statistical. */
#include <boot_env.h>
#include <mica/layout.h>
#include <mica_clock.h>
#include <mica_image.h>

#include "ktest.h"
#include "sched_util.h"

KTEST(time_kip_clock_is_monotonic_and_advances)
{
	uint64_t first = know(), prev = first;
	for (unsigned i = 0; i < 2000; i++) {
		uint64_t t = know();
		CHECK(t >= prev);
		prev = t;
	}
	CHECK(prev > first);
}

KTEST(time_kip_clock_fields)
{
	const struct mica_kip_clock *c = &boot_kip->clock;
	CHECK(c->tsc_hz >= 1000000ul);
	CHECK(c->timer_hz > 0);
	CHECK(c->tsc_boot > 0 && c->tsc_boot <= mica_rdtsc());
	/* one second of ticks is one second, to the nanosecond */
	uint64_t ns = (uint64_t)(((unsigned __int128)c->tsc_hz * c->ns_mult) >> c->ns_shift);
	CHECK(ns >= 999999999ul && ns <= 1000000001ul);
	/* the precision is published, and better than a millisecond */
	CHECK(boot_kip->timeout_precision_ns > 0);
	CHECK(boot_kip->timeout_precision_ns < 1000000ul);
}

KTEST(time_clock_agrees_with_the_timer)
{
	/* A timeout is the timer's doing; the clock must see it take as long
	 * as asked, and no longer than the precision allows. */
	static const uint64_t waits[] = { 50000, 1000000, 3000000 };
	for (unsigned i = 0; i < 3; i++) {
		uint64_t t0 = know();
		CHECK_OK(ksleep(waits[i]));
		uint64_t took = know() - t0;
		CHECK(took >= waits[i]);
		CHECK(took <= waits[i] + kprecision() + KSLEEP_OVERHEAD_NS);
	}
}

KTEST(time_idle_time_counts_sleep)
{
	mica_word_t idle0, idle1;
	CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 0, &idle0));
	uint64_t t0 = know();
	CHECK_OK(ksleep(2000000));
	uint64_t took = know() - t0;
	CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 0, &idle1));
	/* nothing else runs: almost all of the sleep was idle */
	CHECK(idle1 - idle0 <= took);
	CHECK(idle1 - idle0 >= 2000000 - KSLEEP_OVERHEAD_NS);
	CHECK_ERR(mica_sched_idle_ns(MICA_CAP_SCHEDULER, kcpus_online(), &idle1), MICA_E_BAD_ARG);
}

KTEST(time_thread_cpu_time_counts_running_only)
{
	mica_word_t s0[3], s1[3];
	CHECK_OK(mica_thread_stats(MICA_CAP_THREAD, s0));
	kspin_ns(2000000);
	CHECK_OK(mica_thread_stats(MICA_CAP_THREAD, s1));
	CHECK(s1[0] - s0[0] >= 2000000);
	CHECK(s1[0] - s0[0] <= 2000000 + KSLEEP_OVERHEAD_NS);
	/* sleeping costs (almost) nothing */
	CHECK_OK(ksleep(3000000));
	CHECK_OK(mica_thread_stats(MICA_CAP_THREAD, s0));
	CHECK(s0[0] - s1[0] < KSLEEP_OVERHEAD_NS);
}

/* Waits on an empty gate with `to`; returns how late it ended against
 * deadline (ns since boot), or a negative error. */
static long wait_until(mica_cap_t g, uint32_t to, uint64_t deadline, int *err)
{
	mica_msgtag_t t = mica_wait(g, to, 0);
	uint64_t end = know();
	*err = mica_error(t);
	if (!(t.raw & MICA_TAG_RECV_PHASE))
		*err = -1;
	return (long)(end - deadline);
}

KTEST(timeout_relative_receive)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	int err;
	uint64_t t0 = know();
	long late = wait_until(g, mica_timeout_ns(500000), t0 + 500000, &err);
	CHECK_EQ(err, MICA_E_TIMEOUT);
	CHECK(late >= 0);
	CHECK(late <= (long)kprecision());
	CHECK_EQ(mica_utcb()->error, MICA_E_TIMEOUT);
}

KTEST(timeout_absolute_receive)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	int err;
	uint64_t deadline = know() + 700000;
	mica_utcb()->timeout_abs[1] = deadline;
	long late = wait_until(g, MICA_TIMEOUT_ABS, deadline, &err);
	CHECK_EQ(err, MICA_E_TIMEOUT);
	CHECK(late >= 0);
	CHECK(late <= (long)kprecision());
	/* the send TCR is the other one: a past send deadline fails at once */
	mica_utcb()->timeout_abs[0] = 1;
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ABS), MICA_E_TIMEOUT, 0);
}

KTEST(timeout_relative_and_absolute_send)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	uint64_t t0 = know();
	mica_msgtag_t t = mica_send_timeout(g, 1, 0, mica_timeout_ns(300000));
	uint64_t late = know() - (t0 + 300000);
	CHECK_TAG_ERR(t, MICA_E_TIMEOUT, 0);
	CHECK((long)late >= 0 && late <= kprecision());
	uint64_t deadline = know() + 400000;
	mica_utcb()->timeout_abs[0] = deadline;
	t = mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ABS);
	late = know() - deadline;
	CHECK_TAG_ERR(t, MICA_E_TIMEOUT, 0);
	CHECK((long)late >= 0 && late <= kprecision());
	/* the timed-out sender left the gate: a receiver finds nobody */
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
}

/* Takes one call and replies only after the caller has given up. */
static void late_replier(struct kthread *k)
{
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[0] = 1;
	ksleep(2000000);
	k->out[1] = (mica_word_t)mica_error(mica_reply(mica_msgtag(0, 0, 0, 0)));
}

KTEST(timeout_call_waits_for_reply_only_so_long)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, late_replier, 0);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kthread_go(k));
	uint64_t t0 = know();
	mica_msgtag_t t = mica_ipc(g, mica_msgtag(1, 0, 0, 0), MICA_IPC_CALL, 0,
				   MICA_TIMEOUTS(MICA_TIMEOUT_NEVER, mica_timeout_ns(1000000)), 0);
	uint64_t took = know() - t0;
	/* delivered, then the reply wait timed out */
	CHECK_EQ(k->out[0], 1);
	CHECK_TAG_ERR(t, MICA_E_TIMEOUT, 1);
	CHECK(took >= 1000000 && took <= 1000000 + kprecision() + KSLEEP_OVERHEAD_NS);
	CHECK_OK(ksleep(2000000));
	CHECK(k->done);
	CHECK_EQ(k->out[1], MICA_E_NO_PARTNER);
}

static void send_after(struct kthread *k)
{
	ksleep(k->arg);
	k->out[0] = (mica_word_t)mica_error(mica_send(k->cap, 7, 0));
}

KTEST(timeout_message_before_the_deadline_wins)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, send_after, 1000000);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kthread_go(k));
	uint64_t t0 = know();
	mica_msgtag_t t = mica_wait(g, mica_timeout_ns(5000000), 0);
	uint64_t took = know() - t0;
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_msgtag_label(t), 7);
	CHECK(took >= 1000000 && took < 5000000);
	CHECK(KWAIT(k));
	CHECK_OK(k->out[0]);
	/* the old deadline is gone: a new wait ends at its own */
	uint64_t t1 = know();
	CHECK_OK(ksleep(6000000));
	CHECK(know() - t1 >= 6000000);
}

static void timed_wait(struct kthread *k)
{
	mica_utcb()->timeout_abs[1] = k->arg;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_ABS, 0);
	k->out[0] = know();
	k->out[1] = (mica_word_t)mica_error(t);
}

KTEST(timeout_several_expire_in_deadline_order)
{
	static const uint64_t after[] = { 3000000, 1000000, 2000000 };
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k[3];
	uint64_t t0 = know() + 500000;
	for (unsigned i = 0; i < 3; i++) {
		CHECK(k[i] = kthread_new(KTASK, timed_wait, t0 + after[i]));
		k[i]->cap = g;
		CHECK_OK(kthread_go(k[i]));
	}
	CHECK_OK(ksleep(4000000));
	for (unsigned i = 0; i < 3; i++) {
		CHECK(k[i]->done);
		CHECK_EQ(k[i]->out[1], MICA_E_TIMEOUT);
		CHECK(k[i]->out[0] >= t0 + after[i]);
		CHECK(k[i]->out[0] <= t0 + after[i] + kprecision());
	}
	CHECK(k[1]->out[0] < k[2]->out[0] && k[2]->out[0] < k[0]->out[0]);
}

KTEST(timeout_huge_relative_waits_for_the_message)
{
	/* m * 2^e far beyond 2^64 ns saturates: a very long wait, not zero */
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, send_after, 500000);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kthread_go(k));
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_REL(0xffffff, 63), 0);
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_msgtag_label(t), 7);
}

static void wait_long(struct kthread *k)
{
	mica_msgtag_t t = mica_wait(k->cap, mica_timeout_ns(5000000), 0);
	k->out[0] = (mica_word_t)mica_error(t);
	/* the canceled wait's deadline must not end this one */
	uint64_t t0 = know();
	t = mica_wait(k->cap, mica_timeout_ns(8000000), 0);
	k->out[1] = (mica_word_t)mica_error(t);
	k->out[2] = know() - t0;
}

KTEST(timeout_canceled_wait_leaves_no_deadline)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, wait_long, 0);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kthread_go(k));
	CHECK_OK(ksleep(1000000));
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK_OK(ksleep(12000000));
	CHECK(k->done);
	CHECK_EQ(k->out[0], MICA_E_CANCELED);
	CHECK_EQ(k->out[1], MICA_E_TIMEOUT);
	CHECK(k->out[2] >= 8000000);
}

static void read_clock(struct kthread *k)
{
	k->out[0] = know();
	k->out[1] = boot_kip->timeout_precision_ns;
}

KTEST(time_clock_is_the_same_in_every_task)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	/* as a loader does: the KIP, read-only, where boot_kip points */
	CHECK_OK(mica_map_range(t, MICA_CAP_TASK, MICA_BOOT_KIP_ADDR, MICA_BOOT_KIP_ADDR, MICA_KIP_SIZE,
				MICA_FPAGE_R));
	uint64_t before = know();
	struct kthread *k = kthread_start(t, read_clock, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	uint64_t after = know();
	CHECK(k->out[0] >= before && k->out[0] <= after);
	CHECK_EQ(k->out[1], kprecision());
}

KTEST(time_short_sleeps_stay_within_the_precision)
{
	static const uint64_t waits[] = { 1000, 10000, 30000, 100000 };
	for (unsigned i = 0; i < 4; i++) {
		uint64_t t0 = know();
		CHECK_OK(ksleep(waits[i]));
		uint64_t took = know() - t0;
		CHECK(took >= waits[i]);
		CHECK(took <= waits[i] + kprecision() + KSLEEP_OVERHEAD_NS);
	}
}
