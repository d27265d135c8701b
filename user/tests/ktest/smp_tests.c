/* The multiprocessor bring-up as user level sees it: the KIP's CPU
 * table, the idle time of every online CPU, and threads placed on every
 * online CPU. The suite runs on 1 and on 4
 * CPUs (tests/ktest.sh), so every case holds for any number. */
#include <mica/error.h>
#include <mica/kip.h>

#include "ktest.h"
#include "sched_util.h"

#define LOW 50

static void count_forever(struct kthread *k)
{
	for (;;)
		k->out[0]++;
}

KTEST(smp_kip_lists_every_online_cpu)
{
	const struct mica_kip_cpu *c = mica_kip_at(boot_kip, boot_kip->cpu_offset);
	CHECK(boot_kip->cpu_count >= 1 && boot_kip->cpu_count <= MICA_KIP_CPU_MAX);
	CHECK(boot_kip->cpu_offset + boot_kip->cpu_count * sizeof(*c) <= boot_kip->mem_offset);
	unsigned online = 0, boot = 0;
	uint64_t ids_seen = 0;
	for (unsigned i = 0; i < boot_kip->cpu_count; i++) {
		if (!(c[i].flags & MICA_KIP_CPU_ONLINE)) {
			CHECK_EQ(c[i].id, MICA_KIP_CPU_NO_ID);
			CHECK(!(c[i].flags & MICA_KIP_CPU_BOOT));
			continue;
		}
		online++;
		CHECK(c[i].id < 64 && !(ids_seen & (1ul << c[i].id))); /* each id once */
		ids_seen |= 1ul << c[i].id;
		if (c[i].flags & MICA_KIP_CPU_BOOT) {
			boot++;
			CHECK_EQ(c[i].id, 0);
		}
		/* Every CPU runs at the boot CPU's rates (copied from it). */
		CHECK_EQ(c[i].tsc_khz, boot_kip->clock.tsc_hz / 1000);
		CHECK_EQ(c[i].timer_khz, boot_kip->clock.timer_hz / 1000);
		for (unsigned j = 0; j < i; j++)
			CHECK(c[j].apic_id != c[i].apic_id);
	}
	CHECK_EQ(boot, 1);
	CHECK_EQ(kcpus_online(), online);
	/* The ids are 0 .. online - 1. */
	CHECK_EQ(ids_seen, online == 64 ? ~0ul : (1ul << online) - 1);
}

KTEST(smp_idle_time_of_every_online_cpu)
{
	unsigned n = kcpus_online();
	mica_word_t before[MICA_KIP_CPU_MAX], after[MICA_KIP_CPU_MAX];
	for (unsigned i = 0; i < n; i++)
		CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, i, &before[i]));
	uint64_t t0 = know();
	CHECK_OK(ksleep(2000000));
	uint64_t took = know() - t0;
	for (unsigned i = 0; i < n; i++) {
		CHECK_OK(mica_sched_idle_ns(MICA_CAP_SCHEDULER, i, &after[i]));
		/* Each one idled for (almost) all of the sleep: no thread may
		 * run on the other CPUs, and this one slept. */
		CHECK(after[i] - before[i] <= took + KSLEEP_OVERHEAD_NS);
		CHECK(after[i] - before[i] >= 2000000 - KSLEEP_OVERHEAD_NS);
	}
	CHECK_ERR(mica_sched_idle_ns(MICA_CAP_SCHEDULER, n, &after[0]), MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_idle_ns(MICA_CAP_SCHEDULER, 64, &after[0]), MICA_E_BAD_ARG);
}

KTEST(smp_threads_are_placed_on_every_online_cpu)
{
	unsigned n = kcpus_online();
	mica_word_t info[5];
	CHECK_OK(mica_sched_info(MICA_CAP_SCHEDULER, info));
	CHECK_EQ(info[2], n);
	CHECK_ERR(mica_sched_run_thread(MICA_CAP_SCHEDULER, MICA_CAP_THREAD, LOW, KTEST_SLICE_NS, n),
		  MICA_E_BAD_ARG);
	CHECK_ERR(mica_sched_run_thread(MICA_CAP_SCHEDULER, MICA_CAP_THREAD, LOW, KTEST_SLICE_NS, 64),
		  MICA_E_BAD_ARG);
	for (unsigned cpu = 0; cpu < n; cpu++) {
		struct kthread *k = kthread_new(KTASK, count_forever, 0);
		CHECK(k);
		CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, LOW, KTEST_SLICE_NS, cpu));
		CHECK_OK(kthread_go(k));
		/* It runs while this thread sleeps. */
		unsigned slept = 0;
		while (k->out[0] == 0 && slept++ < 1000)
			CHECK_OK(ksleep(100000));
		CHECK(k->out[0] > 0);
		CHECK_OK(mica_thread_halt_other(k->sel));
		mica_word_t st[5];
		CHECK_OK(mica_thread_info(k->sel, st));
		CHECK_EQ(st[2], cpu); /* its CPU */
	}
}
