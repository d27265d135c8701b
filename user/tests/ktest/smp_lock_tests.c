/* smp_storm_, smp_threads_ and smp_checker_: shared kernel state under
 * concurrent use. The storms drive the locked kernel paths (capability
 * copies and deletions, map and unmap in one mapping tree, a factory's
 * quota, the frame allocator) from every online CPU at once through the
 * debug object, each CPU in its remote-request interrupt; the threads_
 * cases do the same through system calls from threads placed on every
 * CPU threads may be placed on (CPU 0 alone until placement lands: then
 * they run on one CPU and still must hold). The invariant checker runs
 * after each (and after every case, ktest's main.c). */
#include <mica/error.h>
#include <mica/kdebug.h>

#include "mem.h"
#include "sched_util.h"
#include "smp_util.h"

#define A KALIAS
#define PAGE 4096ul
#define STORM_BASE 0x20000ul /* 192 selectors no case uses */

static int storm(unsigned kind, mica_word_t n, mica_word_t a, mica_word_t b, mica_word_t c, mica_word_t *out)
{
	return mica_kdebug_storm(MICA_CAP_KDEBUG, kind, n, a, b, c, out);
}

static int check_kernel(void)
{
	return mica_kdebug_check(MICA_CAP_KDEBUG, 0, 0);
}

static mica_word_t handled_on(unsigned cpu)
{
	mica_word_t out[5];
	if (mica_kdebug_remote(MICA_CAP_KDEBUG, cpu, MICA_KDEBUG_REMOTE_PING, 0, 0, out) != MICA_OK)
		return ~0ul;
	return out[1];
}

static mica_word_t shootdowns_on(unsigned cpu)
{
	mica_word_t out[5];
	if (mica_kdebug_remote(MICA_CAP_KDEBUG, cpu, MICA_KDEBUG_REMOTE_PING, 0, 0, out) != MICA_OK)
		return ~0ul;
	return out[2];
}

KTEST(smp_storm_caps_copy_delete_from_every_cpu)
{
	unsigned n = kcpus_online();
	mica_word_t out[6];
	CHECK_OK(storm(MICA_KDEBUG_STORM_CAPS, 300, KF, STORM_BASE, 0, out));
	CHECK_EQ(out[0], n);			   /* every CPU took part */
	CHECK_EQ(out[1], 6 * 300 * n);		   /* every operation was done */
	CHECK_EQ(out[2], 0);			   /* none failed */
	CHECK_EQ(out[4], out[3]);		   /* KF has as many capabilities as before */
	CHECK(out[5] >= 1 && out[5] <= 300ul * n); /* the shared slot was filled, never twice at once */
	CHECK_OK(check_kernel());
	for (unsigned i = 0; i < 192; i++)
		CHECK_ERR(mica_cap_delete(KTASK, STORM_BASE + i), MICA_E_INVALID_CAP); /* all empty again */
}

KTEST(smp_storm_caps_of_a_gate_in_rounds)
{
	/* A gate's capabilities, with a label: five rounds of different
	 * lengths, the checker after each. */
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0x1abe1));
	mica_word_t out[6];
	for (unsigned r = 1; r <= 5; r++) {
		CHECK_OK(storm(MICA_KDEBUG_STORM_CAPS, 17ul * r, g, STORM_BASE, 0, out));
		CHECK_EQ(out[2], 0);
		CHECK_EQ(out[3], 1);
		CHECK_EQ(out[4], 1);
		CHECK_OK(check_kernel());
	}
	CHECK_OK(mica_cap_delete(KTASK, g));
}

KTEST(smp_storm_map_unmap_one_tree_from_every_cpu)
{
	unsigned n = kcpus_online();
	mica_cap_t t;
	CHECK(t = ktask_create());
	karena[3][0] = 0x5707;
	mica_word_t out[6];
	CHECK_OK(storm(MICA_KDEBUG_STORM_MAP, 200, t, KPAGE(3), A, out));
	CHECK_EQ(out[0], n);
	CHECK_EQ(out[2], 0);
	CHECK_EQ(out[5], 200 * n); /* the shared page, mapped over 200 times by each */
	CHECK(out[1] >= 3ul * 200 * n);
	CHECK_OK(check_kernel());
	/* Nothing is left mapped in the child, and our page is intact. */
	static const unsigned pages[] = { 0, 1, 2, 3, 64 }; /* the CPUs' own and the shared one */
	for (unsigned i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		mica_word_t v;
		CHECK(kprobe(t, A + pages[i] * PAGE, 0, &v) & KPROBE_FAULT);
	}
	CHECK_EQ(karena[3][0], 0x5707);
	CHECK_OK(mica_task_destroy(t));
}

KTEST(smp_storm_map_into_the_callers_space_shoots_down_its_cpu)
{
	/* The destination is this task, loaded on this CPU: every unmap the
	 * other CPUs make interrupts it, while it maps and unmaps itself. */
	unsigned n = kcpus_online();
	mica_word_t before = shootdowns_on(0), out[6];
	karena[4][0] = 0x4444;
	CHECK_OK(storm(MICA_KDEBUG_STORM_MAP, 100, KTASK, KPAGE(4), A, out));
	CHECK_EQ(out[0], n);
	CHECK_EQ(out[2], 0);
	if (n > 1)
		CHECK(shootdowns_on(0) > before);
	CHECK_OK(check_kernel());
	mica_word_t v;
	CHECK(kprobe(KTASK, A, 0, &v) & KPROBE_FAULT); /* unmapped here too */
	CHECK(kprobe(KTASK, A + 64 * PAGE, 0, &v) & KPROBE_FAULT);
	CHECK_EQ(karena[4][0], 0x4444);
}

KTEST(smp_storm_quota_exact_from_every_cpu)
{
	unsigned n = kcpus_online();
	mica_word_t used = kf_used(), out[6];
	CHECK_OK(storm(MICA_KDEBUG_STORM_QUOTA, 500, KF, 0, 0, out));
	CHECK_EQ(out[0], n);
	CHECK_EQ(out[3], used);
	CHECK_EQ(out[4], used); /* refunded to the byte */
	CHECK(out[1] >= 2ul * 500 * n);
	CHECK_EQ(kf_used(), used);
	CHECK_OK(check_kernel());
}

KTEST(smp_storm_quota_at_its_limit)
{
	/* A factory of exactly three frames beyond its own: charges from all
	 * CPUs at once never take more than it has. */
	mica_cap_t f = ksel();
	CHECK_OK(mica_create_factory(KF, f, 3 * PAGE));
	mica_word_t out[6];
	CHECK_OK(storm(MICA_KDEBUG_STORM_QUOTA, 300, f, 0, 0, out));
	CHECK_EQ(out[3], 0);
	CHECK_EQ(out[4], 0);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK_EQ(limit, 3 * PAGE);
	CHECK_EQ(used, 0);
	CHECK_OK(check_kernel());
	CHECK_OK(mica_cap_delete(KTASK, f));
}

KTEST(smp_storm_frame_allocator_from_every_cpu)
{
	unsigned n = kcpus_online();
	mica_word_t out[6];
	CHECK_OK(storm(MICA_KDEBUG_STORM_FRAMES, 1000, 0, 0, 0, out));
	CHECK_EQ(out[0], n);
	CHECK_EQ(out[2], 0);
	CHECK_EQ(out[4], out[3]); /* every frame back */
	CHECK_OK(check_kernel());
}

KTEST(smp_storm_bad_arguments)
{
	mica_word_t out[6];
	CHECK_ERR(storm(4, 1, 0, 0, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_FRAMES, 0, 0, 0, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_FRAMES, 100001, 0, 0, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_CAPS, 1, 0xfff0, STORM_BASE, 0, out), MICA_E_INVALID_CAP);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_CAPS, 1, KF, 0, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_CAPS, 1, KF, MICA_CAP_SELECTORS - 100, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_MAP, 1, KF, KPAGE(0), A, out), MICA_E_WRONG_TYPE);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_MAP, 1, KTASK, KPAGE(0) + 8, A, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_MAP, 1, KTASK, KPAGE(0), A + 8, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_MAP, 1, KTASK, KPAGE(0), 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_MAP, 1, KTASK, KPAGE(0), MICA_USER_END - PAGE, out),
		  MICA_E_BAD_ARG);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_QUOTA, 1, KTASK, 0, 0, out), MICA_E_WRONG_TYPE);
	CHECK_ERR(storm(MICA_KDEBUG_STORM_QUOTA, 1, 0xfff0, 0, 0, out), MICA_E_INVALID_CAP);
}

KTEST(smp_checker_parks_every_other_cpu_once)
{
	/* The checker parks each other CPU with one remote request, and it
	 * finds every request posted to a CPU run there. */
	unsigned n = kcpus_online();
	mica_word_t h[64];
	for (unsigned c = 1; c < n && c < 64; c++)
		h[c] = handled_on(c);
	CHECK_OK(check_kernel());
	for (unsigned c = 1; c < n && c < 64; c++)
		CHECK_EQ(handled_on(c), h[c] + 2); /* the parking request and this ping */
}

/* ---- threads on every CPU threads may be placed on ------------------- */

#define WORKERS 4

static unsigned placeable(void)
{
	mica_word_t info[5];
	if (mica_sched_info(MICA_CAP_SCHEDULER, info) != MICA_OK || !info[2])
		return 1;
	return (unsigned)info[2];
}

/* Starts fn on WORKERS threads of this task, worker i on CPU i modulo
 * the placeable ones; waits until all are done. */
static int run_workers(void (*fn)(struct kthread *), struct kthread **k)
{
	unsigned cpus = placeable();
	for (unsigned i = 0; i < WORKERS; i++) {
		if (!(k[i] = kthread_new(KTASK, fn, i)))
			return -1;
		int e = mica_sched_run_thread(MICA_CAP_SCHEDULER, k[i]->sel, MICA_SCHED_DEFAULT_PRIO,
					      KTEST_SLICE_NS, i % cpus);
		if (e != MICA_OK)
			return e;
	}
	for (unsigned i = 0; i < WORKERS; i++)
		if (kthread_go(k[i]) != MICA_OK)
			return -1;
	for (unsigned tries = 0; tries < 2000; tries++) {
		unsigned done = 0;
		for (unsigned i = 0; i < WORKERS; i++)
			done += k[i]->done != 0;
		if (done == WORKERS)
			return MICA_OK;
		ksleep(1000000);
	}
	return -2;
}

static void copy_delete(struct kthread *k)
{
	mica_cap_t mine = STORM_BASE + k->arg, shared = STORM_BASE + 64;
	for (unsigned i = 0; i < 300; i++) {
		k->out[1] += mica_cap_copy(KTASK, KF, mine, MICA_RIGHTS_ALL, 0) != MICA_OK;
		k->out[1] += mica_cap_copy(KTASK, mine, mine + 128, MICA_RIGHTS_ALL, 0) != MICA_OK;
		k->out[1] += mica_cap_delete(KTASK, mine) != MICA_OK;
		k->out[1] += mica_cap_delete(KTASK, mine + 128) != MICA_OK;
		if (mica_cap_copy(KTASK, KF, shared, MICA_RIGHTS_ALL, 0) == MICA_OK) {
			k->out[2]++;
			mica_cap_delete(KTASK, shared);
		}
		k->out[0]++;
	}
}

KTEST(smp_threads_copy_and_delete_caps_in_one_task)
{
	struct kthread *k[WORKERS];
	CHECK_OK(run_workers(copy_delete, k));
	for (unsigned i = 0; i < WORKERS; i++) {
		CHECK_EQ(k[i]->out[0], 300);
		CHECK_EQ(k[i]->out[1], 0);
	}
	for (unsigned i = 0; i < 192; i++)
		CHECK_ERR(mica_cap_delete(KTASK, STORM_BASE + i), MICA_E_INVALID_CAP);
	CHECK_OK(check_kernel());
}

static mica_cap_t map_child;

static void map_unmap(struct kthread *k)
{
	mica_word_t mine = A + k->arg * PAGE, shared = A + 64 * PAGE;
	for (unsigned i = 0; i < 200; i++) {
		k->out[1] += kmap(map_child, KTASK, KPAGE(5), mine, 12, MICA_FPAGE_RW) != MICA_OK;
		k->out[1] += kmap(map_child, KTASK, KPAGE(5), shared, 12, MICA_FPAGE_R) != MICA_OK;
		if (i % 16 == 15)
			k->out[1] += kunmap(KTASK, KPAGE(5), 12, MICA_FPAGE_W, 0, 0) != MICA_OK;
		k->out[1] += kunmap(map_child, mine, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0) != MICA_OK;
		k->out[0]++;
	}
}

KTEST(smp_threads_map_and_unmap_one_tree)
{
	CHECK(map_child = ktask_create());
	karena[5][0] = 0x55;
	struct kthread *k[WORKERS];
	CHECK_OK(run_workers(map_unmap, k));
	for (unsigned i = 0; i < WORKERS; i++) {
		CHECK_EQ(k[i]->out[0], 200);
		CHECK_EQ(k[i]->out[1], 0);
	}
	CHECK_OK(check_kernel());
	mica_word_t v;
	CHECK_EQ(kprobe(map_child, A + 64 * PAGE, 0, &v), 0);
	CHECK_EQ(v, 0x55);
	CHECK(kprobe(map_child, A, 0, &v) & KPROBE_FAULT);
	CHECK_OK(kunmap(KTASK, KPAGE(5), 12, MICA_FPAGE_RWX, 0, 0)); /* the whole tree below */
	CHECK(kprobe(map_child, A + 64 * PAGE, 0, &v) & KPROBE_FAULT);
	CHECK_OK(check_kernel());
	CHECK_OK(mica_task_destroy(map_child));
}

static mica_cap_t quota_factory;

static void create_destroy(struct kthread *k)
{
	mica_cap_t sel = STORM_BASE + k->arg;
	for (unsigned i = 0; i < 250; i++) {
		int e = (i % 3) ? mica_create_gate(quota_factory, sel, 0, i)
				: mica_create_irq(quota_factory, sel);
		k->out[1] += e != MICA_OK;
		k->out[1] += mica_cap_delete(KTASK, sel) != MICA_OK;
		k->out[0]++;
	}
}

KTEST(smp_quota_exact_after_1000_create_destroy_cycles)
{
	quota_factory = ksel();
	CHECK_OK(mica_create_factory(KF, quota_factory, 64 * PAGE));
	struct kthread *k[WORKERS];
	CHECK_OK(run_workers(create_destroy, k));
	unsigned cycles = 0;
	for (unsigned i = 0; i < WORKERS; i++) {
		cycles += (unsigned)k[i]->out[0];
		CHECK_EQ(k[i]->out[1], 0);
	}
	CHECK_EQ(cycles, 1000);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(quota_factory, &limit, &used));
	CHECK_EQ(used, 0); /* every object's frame refunded */
	CHECK_OK(check_kernel());
	/* The sub-factory's own frame and quota go back to the case's. */
	mica_word_t kf = kf_used();
	CHECK_OK(mica_cap_delete(KTASK, quota_factory));
	CHECK_EQ(kf_used(), kf - 64 * PAGE - PAGE);
}

/* ---- shootdown: unmap, grant and rights reduction, seen from threads -- */

static void read_loop(struct kthread *k)
{
	for (;;) {
		(void)*(volatile mica_word_t *)k->arg;
		k->out[0]++;
	}
}

KTEST(smp_threads_reader_on_another_cpu_faults_right_after_unmap)
{
	/* A thread of a child task reads a page in a loop on CPU 1 (CPU 0
	 * on one CPU); once the unmap returns, it has read the page at most
	 * once more (a read begun before), and its next read faults. */
	mica_cap_t t, g, cg;
	CHECK(t = ktask_create());
	karena[6][0] = 0x6666;
	CHECK_OK(kmap(t, KTASK, KPAGE(6), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kgate_for(t, &g, &cg));
	struct kthread *k = kthread_new(t, read_loop, A);
	CHECK(k);
	CHECK_OK(mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, cg, cg));
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, MICA_SCHED_DEFAULT_PRIO, KTEST_SLICE_NS,
				       1 % placeable()));
	CHECK_OK(kthread_go(k));
	for (unsigned i = 0; i < 200 && k->out[0] < 1000; i++)
		ksleep(1000000);
	CHECK(k->out[0] >= 1000);
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	mica_word_t after = k->out[0];
	mica_word_t label;
	mica_msgtag_t tag = mica_wait(g, mica_timeout_ns(200000000), &label);
	CHECK_EQ(mica_msgtag_label(tag), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[0], A);
	CHECK(k->out[0] <= after + 1);
	/* Refused by pager and handler: the reader stops. */
	mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	tag = mica_wait(g, mica_timeout_ns(200000000), &label);
	CHECK_EQ(mica_msgtag_label(tag), MICA_LABEL_EXCEPTION);
	mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	CHECK_OK(check_kernel());
	CHECK_OK(mica_task_destroy(t));
}

KTEST(smp_shootdown_grant_drops_the_granters_translation)
{
	/* The granter's space is loaded on the last CPU, which has read the
	 * page: after the grant returns, that CPU faults there, and the
	 * receiver has the page. */
	unsigned n = kcpus_online();
	if (n < 2)
		return;
	unsigned last = n - 1;
	mica_cap_t from, to;
	CHECK(from = ktask_create());
	CHECK(to = ktask_create());
	karena[7][0] = 0x7777;
	CHECK_OK(kmap(from, KTASK, KPAGE(7), A, 12, MICA_FPAGE_RW));
	mica_word_t v, shot = shootdowns_on(last);
	CHECK_EQ(kremote_read(last, from, A, &v), 0);
	CHECK_EQ(v, 0x7777);
	CHECK_OK(kgrant(to, from, A, A + PAGE, 12));
	CHECK_EQ(shootdowns_on(last), shot + 1);
	CHECK_EQ(kremote_read(last, from, A, &v), KPROBE_FAULT);
	CHECK_EQ(kremote_read(last, to, A + PAGE, &v), 0);
	CHECK_EQ(v, 0x7777);
	CHECK_OK(mica_task_destroy(from));
	CHECK_OK(mica_task_destroy(to));
}

KTEST(smp_shootdown_rights_reduction_reaches_the_reader_once)
{
	/* Write access taken from a page another CPU has cached: one
	 * shootdown there; the page stays readable. A CPU that never loaded
	 * the space is not interrupted. The page comes through a task no
	 * CPU ever loaded (resetting its own status bits interrupts no one). */
	unsigned n = kcpus_online();
	if (n < 3)
		return;
	mica_cap_t mid, t;
	CHECK(mid = ktask_create());
	CHECK(t = ktask_create());
	karena[8][0] = 0x8888;
	CHECK_OK(kmap(mid, KTASK, KPAGE(8), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kmap(t, mid, A, A, 12, MICA_FPAGE_RW));
	mica_word_t v;
	CHECK_EQ(kremote_read(1, t, A, &v), 0);
	mica_word_t s1 = shootdowns_on(1), s2 = shootdowns_on(2);
	CHECK_OK(kunmap(mid, A, 12, MICA_FPAGE_W, 0, 0)); /* from everything derived */
	CHECK_EQ(shootdowns_on(1), s1 + 1);
	CHECK_EQ(shootdowns_on(2), s2);
	CHECK_EQ(kremote_read(1, t, A, &v), 0);
	CHECK_EQ(v, 0x8888);
	CHECK_OK(mica_task_destroy(t));
	CHECK_OK(mica_task_destroy(mid));
}
