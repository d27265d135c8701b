/* sched_ and yield_: fixed priorities with preemption, round robin with
 * time slices, the scheduler object's ceiling, CPU-time accounting, and
 * thread_switch (yield, donation). This runner is at priority
 * MICA_SCHED_DEFAULT_PRIO; the suite restores it after every case. */
#include "ktest.h"
#include "sched_util.h"
#include "smp_util.h"

#define HIGH 150
#define LOW 50

static void recv_and_stamp(struct kthread *k)
{
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, 0);
	k->out[0] = know();
	k->out[1] = (mica_word_t)mica_error(t);
}

KTEST(sched_higher_priority_preempts_at_ipc)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, recv_and_stamp, 0);
	CHECK(k);
	k->cap = g;
	CHECK_OK(kprio(k->sel, HIGH, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	kyield(); /* it runs at once anyway, and blocks */
	CHECK(!k->done);
	/* A send-only: the receiver is higher, so it runs before we go on. */
	CHECK_OK(mica_error(mica_send(g, 1, 0)));
	CHECK(k->done);
	CHECK_OK(k->out[1]);
}

KTEST(sched_equal_priority_does_not_preempt_at_ipc)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_start(KTASK, recv_and_stamp, 0);
	CHECK(k);
	k->cap = g;
	kyield();
	CHECK_OK(mica_error(mica_send(g, 1, 0)));
	CHECK(!k->done); /* queued behind us */
	kyield();
	CHECK(k->done);
}

static void sleep_and_stamp(struct kthread *k)
{
	mica_utcb()->timeout_abs[1] = k->arg;
	mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ABS, 0);
	k->out[0] = know();
}

KTEST(sched_higher_priority_preempts_at_timeout)
{
	uint64_t deadline = know() + 1000000;
	struct kthread *k = kthread_new(KTASK, sleep_and_stamp, deadline);
	CHECK(k);
	CHECK_OK(kprio(k->sel, HIGH, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	/* We spin through its deadline; its timeout takes the CPU from us. */
	kspin_ns(3000000);
	CHECK(k->done);
	CHECK(k->out[0] >= deadline && k->out[0] <= deadline + kprecision());
}

static void count_forever(struct kthread *k)
{
	for (;;)
		k->out[0]++;
}

KTEST(sched_lower_priority_waits_while_higher_runs)
{
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	kyield();
	kspin_ns(2000000);
	CHECK_EQ(k->out[0], 0);
	/* once we block, it runs */
	CHECK_OK(ksleep(1000000));
	CHECK(k->out[0] > 0);
}

/* Two spinners at one priority above ours, each counting and noting
 * when the other one ran in between (a switch). */
static volatile int last_runner;
static void spin_and_note(struct kthread *k)
{
	for (;;) {
		if (last_runner != (int)k->arg) {
			last_runner = (int)k->arg;
			k->out[1]++;
		}
		k->out[0]++;
	}
}

static int run_pair(struct kthread **k, uint64_t slice_ns, uint64_t for_ns)
{
	last_runner = -1;
	/* Above them we can start both, sleep and come back to stop them. */
	if (kprio(MICA_CAP_THREAD, HIGH + 1, KTEST_SLICE_NS))
		return -1;
	for (unsigned i = 0; i < 2; i++) {
		if (!(k[i] = kthread_new(KTASK, spin_and_note, i)) || kprio(k[i]->sel, HIGH, slice_ns) ||
		    kthread_go(k[i]))
			return -1;
	}
	if (ksleep(for_ns))
		return -1;
	for (unsigned i = 0; i < 2; i++)
		if (mica_thread_halt_other(k[i]->sel))
			return -1;
	return 0;
}

KTEST(sched_round_robin_shares_fairly)
{
	struct kthread *k[2];
	CHECK_OK(run_pair(k, 1000000, 40000000));
	mica_word_t s0[3], s1[3];
	CHECK_OK(mica_thread_stats(k[0]->sel, s0));
	CHECK_OK(mica_thread_stats(k[1]->sel, s1));
	/* each had about half of the 40 ms, within 10% of each other */
	CHECK(s0[0] > 15000000 && s1[0] > 15000000);
	CHECK(s0[0] * 10 <= s1[0] * 11 && s1[0] * 10 <= s0[0] * 11);
	CHECK(k[0]->out[0] * 10 <= k[1]->out[0] * 11 && k[1]->out[0] * 10 <= k[0]->out[0] * 11);
}

/* Fails a reply-and-wait at once, again and again (its receive source
 * is a thread, not a gate): a spinner that lives in system calls. */
static void spin_in_failing_waits(struct kthread *k)
{
	for (;;) {
		mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_REPLY_WAIT, k->self,
			 MICA_TIMEOUTS(0, MICA_TIMEOUT_REL(1000, 10)), 0);
		k->out[0]++;
	}
}

KTEST(sched_system_call_spinner_is_preempted)
{
	if (kprio(MICA_CAP_THREAD, HIGH + 1, KTEST_SLICE_NS))
		CHECK(0);
	struct kthread *a = kthread_new(KTASK, spin_in_failing_waits, 0),
		       *b = kthread_new(KTASK, spin_and_note, 1);
	CHECK(a && b);
	CHECK_OK(kprio(a->sel, HIGH, 1000000));
	CHECK_OK(kprio(b->sel, HIGH, 1000000));
	CHECK_OK(kthread_go(a));
	CHECK_OK(kthread_go(b));
	CHECK_OK(ksleep(20000000));
	CHECK_OK(mica_thread_halt_other(a->sel));
	CHECK_OK(mica_thread_halt_other(b->sel));
	mica_word_t sa[3], sb[3];
	CHECK_OK(mica_thread_stats(a->sel, sa));
	CHECK_OK(mica_thread_stats(b->sel, sb));
	CHECK(a->out[0] > 0);
	CHECK(sa[0] > 7000000 && sb[0] > 7000000);
}

KTEST(sched_time_slice_expiry_switches)
{
	/* 2 ms slices over 40 ms: about 20 turns between the two */
	struct kthread *k[2];
	CHECK_OK(run_pair(k, 2000000, 40000000));
	mica_word_t turns = k[0]->out[1] + k[1]->out[1];
	CHECK(turns >= 18 && turns <= 22);
	/* 10 ms slices: about 4 */
	CHECK_OK(run_pair(k, 10000000, 40000000));
	turns = k[0]->out[1] + k[1]->out[1];
	CHECK(turns >= 3 && turns <= 5);
}

KTEST(sched_thread_stats_and_parameters)
{
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	mica_word_t s[3];
	CHECK_OK(mica_thread_stats(k->sel, s));
	CHECK_EQ(s[0], 0);
	CHECK_EQ(s[1], MICA_SCHED_DEFAULT_PRIO);
	CHECK(s[2] >= 9999000 && s[2] <= 10001000);
	CHECK_OK(kprio(k->sel, 77, 3000000));
	CHECK_OK(mica_thread_stats(k->sel, s));
	CHECK_EQ(s[1], 77);
	CHECK(s[2] >= 2999000 && s[2] <= 3001000);
	/* reading needs READ, nothing more */
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, ro, MICA_THREAD_R_READ, 0));
	CHECK_OK(mica_thread_stats(ro, s));
	mica_cap_t none = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, none, MICA_THREAD_R_WRITE, 0));
	CHECK_ERR(mica_thread_stats(none, s), MICA_E_NO_RIGHTS);
}

KTEST(sched_thread_stats_return_the_slice_as_set)
{
	/* In nanoseconds exactly as given, not converted to clock ticks and
	 * back (which made 10 ms read 9,999,998 ns). */
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	mica_word_t s[3], info[5];
	CHECK_OK(mica_sched_info(MICA_CAP_SCHEDULER, info));
	CHECK_OK(mica_thread_stats(k->sel, s));
	CHECK_EQ(s[2], info[3]); /* the default slice */
	CHECK_EQ(s[2], 10000000);
	mica_word_t slices[] = { 10000000, 1234567, MICA_SCHED_MIN_SLICE_NS, MICA_SCHED_MAX_SLICE_NS };
	for (unsigned i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		CHECK_OK(kprio(k->sel, MICA_SCHED_DEFAULT_PRIO, slices[i]));
		CHECK_OK(mica_thread_stats(k->sel, s));
		CHECK_EQ(s[2], slices[i]);
	}
}

KTEST(sched_cpu_time_of_a_spinner)
{
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	uint64_t t0 = know();
	CHECK_OK(ksleep(3000000));
	uint64_t took = know() - t0;
	CHECK_OK(mica_thread_halt_other(k->sel));
	mica_word_t s[3];
	CHECK_OK(mica_thread_stats(k->sel, s));
	/* it had the CPU for all of our sleep, and not more */
	CHECK(s[0] <= took);
	CHECK(s[0] + KSLEEP_OVERHEAD_NS >= took);
}

KTEST(sched_info)
{
	mica_word_t info[5];
	CHECK_OK(mica_sched_info(MICA_CAP_SCHEDULER, info));
	CHECK_EQ(info[0], MICA_SCHED_PRIOS - 1);
	CHECK_EQ(info[1], MICA_SCHED_PRIOS);
	CHECK_EQ(info[2], kcpus_online()); /* threads may be placed on every online CPU */
	CHECK_EQ(info[3], 10000000);
	CHECK_EQ(info[4], MICA_SCHED_DEFAULT_PRIO);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, MICA_CAP_SCHEDULER, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_SCHEDULER);
}

KTEST(sched_ceiling_is_enforced)
{
	mica_cap_t s = ksel(), s2 = ksel();
	CHECK_OK(mica_sched_create(MICA_CAP_SCHEDULER, KF, s, 150));
	mica_word_t info[5];
	CHECK_OK(mica_sched_info(s, info));
	CHECK_EQ(info[0], 150);
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	CHECK_OK(mica_sched_run_thread(s, k->sel, 150, 1000000, 0));
	CHECK_ERR(mica_sched_run_thread(s, k->sel, 151, 1000000, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_sched_run_thread(s, k->sel, 255, 1000000, 0), MICA_E_NO_RIGHTS);
	/* nor can it make a scheduler above itself */
	CHECK_ERR(mica_sched_create(s, KF, s2, 151), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_sched_create(s, KF, s2, 100));
	CHECK_ERR(mica_sched_run_thread(s2, k->sel, 101, 1000000, 0), MICA_E_NO_RIGHTS);
	mica_word_t st[3];
	CHECK_OK(mica_thread_stats(k->sel, st));
	CHECK_EQ(st[1], 150);
}

KTEST(sched_cpu_set_is_enforced)
{
	mica_cap_t s = ksel(), s2 = ksel();
	unsigned n = kcpus_online();
	mica_word_t all = n >= 64 ? ~0ul : (1ul << n) - 1, cpus;
	CHECK_OK(mica_sched_cpus(MICA_CAP_SCHEDULER, &cpus));
	CHECK_EQ(cpus, all);
	/* no online CPU in the set */
	CHECK_ERR(mica_sched_create_on(MICA_CAP_SCHEDULER, KF, s, 100, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_create_on(MICA_CAP_SCHEDULER, KF, s, 100, 1ul << 63), MICA_E_BAD_ARG);
	/* the last CPU only; a scheduler made from it cannot widen it */
	unsigned last = n - 1;
	CHECK_OK(mica_sched_create_on(MICA_CAP_SCHEDULER, KF, s, 100, 1ul << last));
	CHECK_OK(mica_sched_cpus(s, &cpus));
	CHECK_EQ(cpus, 1ul << last);
	CHECK_OK(mica_sched_create_on(s, KF, s2, 100, ~0ul));
	CHECK_OK(mica_sched_cpus(s2, &cpus));
	CHECK_EQ(cpus, 1ul << last);
	CHECK_OK(mica_sched_create(s, KF, s2, 90)); /* not sent: the same set */
	CHECK_OK(mica_sched_cpus(s2, &cpus));
	CHECK_EQ(cpus, 1ul << last);
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	CHECK_OK(mica_sched_run_thread(s, k->sel, 10, 1000000, last));
	for (unsigned c = 0; c < last; c++)
		CHECK_ERR(mica_sched_run_thread(s2, k->sel, 10, 1000000, c), MICA_E_BAD_ARG);
	mica_word_t st[5];
	CHECK_OK(mica_thread_info(k->sel, st));
	CHECK_EQ(st[2], last); /* a refused move moves nothing */
}

KTEST(sched_bad_arguments)
{
	struct kthread *k = kthread_new(KTASK, count_forever, 0);
	CHECK(k);
	mica_cap_t S = MICA_CAP_SCHEDULER;
	CHECK_ERR(mica_sched_run_thread(S, k->sel, 256, 1000000, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_run_thread(S, k->sel, 10, MICA_SCHED_MIN_SLICE_NS - 1, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_run_thread(S, k->sel, 10, MICA_SCHED_MAX_SLICE_NS + 1, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_run_thread(S, k->sel, 10, 1000000, kcpus_online()), MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_run_thread(S, KF, 10, 1000000, 0), MICA_E_WRONG_TYPE);
	/* the thread's CONTROL right and the scheduler's WRITE right */
	mica_cap_t weak = ksel(), ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, weak, MICA_THREAD_R_READ | MICA_THREAD_R_WRITE, 0));
	CHECK_ERR(mica_sched_run_thread(S, weak, 10, 1000000, 0), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_cap_copy(KTASK, S, ro, MICA_SCHED_R_READ, 0));
	CHECK_ERR(mica_sched_run_thread(ro, k->sel, 10, 1000000, 0), MICA_E_NO_RIGHTS);
	mica_word_t info[5];
	CHECK_OK(mica_sched_info(ro, info));
	CHECK_ERR(mica_sched_create(S, KF, ksel(), 256), MICA_E_BAD_ARG);
	CHECK_EQ(mica_error(mica_call(S, 99, 0)), MICA_E_UNKNOWN_OP);
	mica_word_t st[3];
	CHECK_OK(mica_thread_stats(k->sel, st));
	CHECK_EQ(st[1], MICA_SCHED_DEFAULT_PRIO); /* nothing changed */
}

static void set_flag(struct kthread *k)
{
	k->out[0] = 1;
	mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
}

KTEST(yield_runs_an_equal_thread)
{
	struct kthread *k = kthread_start(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_EQ(k->out[0], 0);
	CHECK_OK(mica_thread_yield(MICA_CAP_THREAD));
	CHECK_EQ(k->out[0], 1);
}

KTEST(yield_alone_returns_at_once)
{
	uint64_t t0 = know();
	for (unsigned i = 0; i < 10; i++)
		CHECK_OK(mica_thread_yield(MICA_CAP_THREAD));
	CHECK(know() - t0 < 100000);
	/* a lower thread does not get the CPU from a plain yield */
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	CHECK_OK(mica_thread_yield(MICA_CAP_THREAD));
	CHECK_EQ(k->out[0], 0);
}

KTEST(yield_donates_to_a_lower_thread)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	CHECK_EQ(k->out[0], 0);
	/* switching to it runs it now, on our priority, until it blocks */
	CHECK_OK(mica_thread_yield(k->sel));
	CHECK_EQ(k->out[0], 1);
}

static void count_then_yield_back(struct kthread *k)
{
	for (;;) {
		k->out[0]++;
		mica_thread_yield(k->cap);
	}
}

KTEST(yield_donation_ends_when_it_yields)
{
	/* The lower thread yields back at once each time: it runs exactly
	 * once per donation. */
	struct kthread *k = kthread_new(KTASK, count_then_yield_back, 0);
	CHECK(k);
	k->cap = MICA_CAP_THREAD; /* ours, in the shared task */
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	for (unsigned i = 1; i <= 5; i++) {
		CHECK_OK(mica_thread_yield(k->sel));
		CHECK_EQ(k->out[0], i);
	}
	kspin_ns(1000000);
	CHECK_EQ(k->out[0], 5);
}

KTEST(yield_needs_the_write_right)
{
	struct kthread *k = kthread_start(KTASK, set_flag, 0);
	CHECK(k);
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, ro, MICA_THREAD_R_READ, 0));
	CHECK_ERR(mica_thread_yield(ro), MICA_E_NO_RIGHTS);
	/* to a blocked thread: a plain yield */
	CHECK_OK(mica_thread_yield(k->sel));
	CHECK_EQ(k->out[0], 1);
	CHECK_OK(mica_thread_yield(k->sel));
}

/* The order in which helper threads ran: each notes its arg, then
 * blocks for good. */
static volatile unsigned ran_order[4], ran_n;

static void note_and_block(struct kthread *k)
{
	ran_order[ran_n++] = (unsigned)k->arg;
	mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
}

/* Three equal threads queued behind us (k1 k2 k3); a yield to `to`
 * runs it, and we go behind the rest: the others run in their order. */
static int yield_into_queue(unsigned to, const unsigned want[3])
{
	struct kthread *k[3];
	ran_n = 0;
	for (unsigned i = 0; i < 3; i++)
		if (!(k[i] = kthread_start(KTASK, note_and_block, i + 1)))
			return -1;
	if (ran_n != 0 || mica_thread_yield(k[to - 1]->sel) != MICA_OK || ran_n != 3)
		return -1;
	for (unsigned i = 0; i < 3; i++)
		if (ran_order[i] != want[i])
			return -1;
	return 0;
}

KTEST(yield_to_the_last_queued_takes_its_place)
{
	/* The fast path's swap (sched_swap_current): we take k3's place. */
	static const unsigned want[3] = { 3, 1, 2 };
	CHECK_OK(yield_into_queue(3, want));
}

KTEST(yield_to_a_middle_thread_keeps_the_others_in_order)
{
	static const unsigned want[3] = { 2, 1, 3 };
	CHECK_OK(yield_into_queue(2, want));
}

KTEST(yield_to_a_halted_thread_is_a_plain_yield)
{
	/* k2 is queued behind k1, then halted: it stays queued (the
	 * scheduler drops it only when it reaches the front, sched.h), but
	 * must not run; the yield is a plain one, and k1 runs. */
	ran_n = 0;
	struct kthread *k1 = kthread_start(KTASK, note_and_block, 1),
		       *k2 = kthread_start(KTASK, note_and_block, 2);
	CHECK(k1 && k2);
	CHECK_OK(mica_thread_halt_other(k2->sel));
	CHECK_EQ(ran_n, 0);
	CHECK_OK(mica_thread_yield(k2->sel));
	CHECK_EQ(ran_n, 1);
	CHECK_EQ(ran_order[0], 1);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k2->sel, info));
	CHECK_EQ(info[4], 1);
}

KTEST(yield_to_a_thread_queued_on_another_cpu_is_a_plain_yield)
{
	NEED_CPUS(2);
	/* CPU 1 runs a higher spinner, so k waits in CPU 1's queue. */
	struct kthread *spin = kthread_new(KTASK, count_forever, 0),
		       *k = kthread_new(KTASK, count_forever, 0);
	CHECK(spin && k);
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, spin->sel, HIGH, KTEST_SLICE_NS, 1));
	CHECK_OK(kthread_go(spin));
	CHECK_OK(kplace(k, 1));
	CHECK_OK(kthread_go(k));
	CHECK_OK(mica_thread_yield(k->sel));
	kspin_ns(200000);
	CHECK_EQ(k->out[0], 0); /* it did not come here to run */
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[2], 1);
	CHECK_OK(mica_thread_halt_other(spin->sel));
	CHECK_OK(mica_thread_halt_other(k->sel));
}

KTEST(sched_raising_a_ready_thread_preempts_at_once)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(k->out[0], 0); /* ready, but below us */
	CHECK_OK(kprio(k->sel, HIGH, KTEST_SLICE_NS));
	CHECK_EQ(k->out[0], 1); /* it ran before the call returned */
}

KTEST(sched_lowering_oneself_lets_a_higher_thread_run)
{
	struct kthread *k = kthread_start(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_EQ(k->out[0], 0); /* ready, our equal, behind us */
	CHECK_OK(kprio(MICA_CAP_THREAD, LOW, KTEST_SLICE_NS));
	CHECK_EQ(k->out[0], 1);
	mica_word_t s[3];
	CHECK_OK(mica_thread_stats(MICA_CAP_THREAD, s));
	CHECK_EQ(s[1], LOW);
}

KTEST(yield_donates_across_tasks)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	struct kthread *k = kthread_new(t, set_flag, 0);
	CHECK(k);
	CHECK_OK(kprio(k->sel, LOW, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	kspin_ns(200000);
	CHECK_EQ(k->out[0], 0);
	CHECK_OK(mica_thread_yield(k->sel));
	CHECK_EQ(k->out[0], 1);
}
