/* smp_remote_ and smp_shootdown_: the kernel's remote requests (per-CPU
 * queues and IPIs) and the TLB shootdown built on them, driven through
 * the debug object. The shootdown cases need a CPU besides the caller's and
 * pass vacuously on one (the suite runs on 4 as well). */
#include <mica/error.h>
#include <mica/kdebug.h>

#include "mem.h"
#include "sched_util.h"
#include "smp_util.h"

#define A KALIAS

static int remote(unsigned cpu, unsigned op, mica_cap_t task, mica_word_t *out)
{
	return mica_kdebug_remote(MICA_CAP_KDEBUG, cpu, op, task, 0, out);
}

KTEST(smp_remote_request_runs_on_each_cpu)
{
	unsigned n = kcpus_online();
	for (unsigned cpu = 0; cpu < n; cpu++) {
		mica_word_t a[5], b[5];
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, a));
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, b));
		CHECK_EQ(a[0], cpu);
		CHECK_EQ(b[0], cpu);
		/* Another CPU counts each request it ran for us; our own CPU
		 * runs them directly. */
		CHECK_EQ(b[1] - a[1], cpu == 0 ? 0 : 1);
		CHECK_EQ(b[2], a[2]); /* no shootdown among them */
	}
}

KTEST(smp_remote_bad_arguments)
{
	mica_word_t out[5];
	unsigned n = kcpus_online();
	CHECK_ERR(remote(n, MICA_KDEBUG_REMOTE_PING, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(remote(64, MICA_KDEBUG_REMOTE_PING, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(remote(0, MICA_KDEBUG_REMOTE_RELAY + 1, 0, out), MICA_E_BAD_ARG);
	CHECK_ERR(mica_kdebug_remote(MICA_CAP_KDEBUG, 0, MICA_KDEBUG_REMOTE_RELAY, 0, n, out),
		  MICA_E_BAD_ARG);
	CHECK_ERR(remote(0, MICA_KDEBUG_REMOTE_READ, KTASK, out), MICA_E_BAD_ARG); /* ours */
	CHECK_ERR(remote(0, MICA_KDEBUG_REMOTE_LOAD, KTASK, out), MICA_E_BAD_ARG); /* ours */
	if (n > 1)
		CHECK_ERR(remote(n - 1, MICA_KDEBUG_REMOTE_LOAD, ksel(), out), MICA_E_INVALID_CAP);
	CHECK_ERR(remote(n - 1, MICA_KDEBUG_REMOTE_PROBE, MICA_CAP_KDEBUG, out), MICA_E_WRONG_TYPE);
}

KTEST(smp_remote_1000_requests_round_robin)
{
	unsigned n = kcpus_online();
	CHECK(n >= 1);
	if (!n)
		return;
	mica_word_t before[64], out[5];
	for (unsigned cpu = 0; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		before[cpu] = out[1];
	}
	for (unsigned i = 0; i < 1000; i++) {
		unsigned cpu = i % n;
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		CHECK_EQ(out[0], cpu);
	}
	/* Exactly one run per request: none lost, none run twice. */
	for (unsigned cpu = 1; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		CHECK_EQ(out[1] - before[cpu], 1000 / n + (cpu < 1000 % n) + 1);
	}
}

/* A child task with one page of ours mapped at A; its space is loaded on
 * the last CPU as if one of its threads had run there. */
static int loaded_child(mica_cap_t *t, unsigned page, unsigned cpu)
{
	mica_word_t out[5];
	int e;
	if (!(*t = ktask_create()))
		return -1;
	if ((e = kmap(*t, KTASK, KPAGE(page), A, 12, MICA_FPAGE_RW)) ||
	    (e = remote(cpu, MICA_KDEBUG_REMOTE_LOAD, *t, out)))
		return e;
	return out[3] == 1 && out[0] == cpu ? 0 : -1;
}

KTEST(smp_shootdown_reaches_only_cpus_holding_the_space)
{
	unsigned n = kcpus_online(), last = n - 1;
	if (n < 2)
		return;
	mica_cap_t t, other;
	CHECK_OK(loaded_child(&t, 0, last));
	CHECK(other = ktask_create());
	CHECK_OK(kmap(other, KTASK, KPAGE(1), A, 12, MICA_FPAGE_RW));
	mica_word_t shot[64], out[5];
	for (unsigned cpu = 0; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		shot[cpu] = out[2];
	}
	/* A task no other CPU ever loaded: no CPU is interrupted. */
	CHECK_OK(kunmap(other, A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	for (unsigned cpu = 0; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		CHECK_EQ(out[2], shot[cpu]);
	}
	/* The loaded one: the last CPU flushed before the unmap returned (a
	 * rights reduction first, then the removal), the others were left
	 * alone. */
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_W, MICA_UNMAP_FLUSH, 0));
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_PROBE, t, out));
	CHECK_EQ(out[2], shot[last] + 1);
	CHECK_EQ(out[3], 1);
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	for (unsigned cpu = 0; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		CHECK_EQ(out[2], shot[cpu] + (cpu == last ? 2 : 0));
	}
	mica_word_t v;
	CHECK_EQ(kprobe(t, A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(smp_shootdown_task_destruction_unloads_the_space)
{
	unsigned n = kcpus_online(), last = n - 1;
	if (n < 2)
		return;
	mica_cap_t t;
	CHECK_OK(loaded_child(&t, 2, last));
	mica_word_t out[5];
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_PING, 0, out));
	mica_word_t shot = out[2];
	CHECK_EQ(out[3], 1); /* the child's tables are what it runs on */
	/* Its tables are freed: no CPU may still walk them. */
	CHECK_OK(mica_task_destroy(t));
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_PING, 0, out));
	CHECK_EQ(out[3], 0);
	CHECK(out[2] > shot); /* the unmaps of the teardown, then the leave */
}

KTEST(smp_shootdown_space_loaded_again_after_it_was_left)
{
	/* A CPU drops its bit when a shootdown finds the space gone from it
	 * and sets it again when it loads the space: the next unmap still
	 * reaches it. */
	unsigned n = kcpus_online(), last = n - 1;
	if (n < 2)
		return;
	mica_cap_t t, u;
	mica_word_t out[5];
	CHECK_OK(loaded_child(&t, 3, last));
	CHECK_OK(loaded_child(&u, 4, last)); /* t is no longer loaded there */
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_PROBE, t, out));
	CHECK_EQ(out[3], 0);
	mica_word_t shot = out[2];
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_W, MICA_UNMAP_FLUSH, 0)); /* clears the bit there */
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_R, MICA_UNMAP_FLUSH, 0)); /* reaches nobody */
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_PROBE, t, out));
	CHECK_EQ(out[2], shot + 1);
	CHECK_OK(kmap(t, KTASK, KPAGE(3), A, 12, MICA_FPAGE_RW));
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_LOAD, t, out));
	shot = out[2];
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	CHECK_OK(remote(last, MICA_KDEBUG_REMOTE_PROBE, t, out));
	CHECK_EQ(out[2], shot + 1);
	CHECK_OK(mica_task_destroy(t));
	CHECK_OK(mica_task_destroy(u));
}

KTEST(smp_shootdown_read_on_another_cpu_faults_right_after_unmap)
{
	/* The other CPU reads the page through its TLB before and after the
	 * unmap: without the shootdown it would still see the old frame. */
	unsigned n = kcpus_online(), last = n - 1;
	if (n < 2)
		return;
	mica_cap_t t;
	CHECK_OK(loaded_child(&t, 5, last));
	mica_word_t v = 0;
	for (unsigned i = 0; i < 100; i++) {
		karena[5][0] = 0x5eed0000 + i;
		CHECK_EQ(kremote_read(last, t, A, &v), 0);
		CHECK_EQ(v, 0x5eed0000 + i);
	}
	/* A rights reduction keeps the page readable there... */
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_W, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kremote_read(last, t, A, &v), 0);
	/* ...the unmap does not, from the moment it returns. */
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kremote_read(last, t, A, &v), KPROBE_FAULT);
	CHECK_EQ(kremote_read(last, t, A + 8, &v), KPROBE_FAULT);
	/* Mapped again (another frame), it reads the new one. */
	karena[6][0] = 0xfeed;
	CHECK_OK(kmap(t, KTASK, KPAGE(6), A, 12, MICA_FPAGE_RW));
	CHECK_EQ(kremote_read(last, t, A, &v), 0);
	CHECK_EQ(v, 0xfeed);
	CHECK_OK(mica_task_destroy(t));
}

KTEST(smp_remote_requests_between_every_pair_of_cpus)
{
	/* CPU a asks CPU b, while the caller's CPU waits for a. With b the
	 * caller's CPU, both wait for each other with interrupts off: each
	 * runs its own queue while it waits, or this never returns. */
	unsigned n = kcpus_online();
	mica_word_t out[5];
	for (unsigned a = 0; a < n; a++)
		for (unsigned b = 0; b < n; b++) {
			out[0] = out[4] = 99;
			CHECK_OK(mica_kdebug_remote(MICA_CAP_KDEBUG, a, MICA_KDEBUG_REMOTE_RELAY, 0, b, out));
			CHECK_EQ(out[0], a);
			CHECK_EQ(out[4], b);
		}
}

KTEST(smp_shootdown_reaches_every_cpu_that_read_the_page)
{
	/* Every CPU but ours has read the page through its TLB; after the
	 * unmap none of them can, and each was asked exactly once. */
	unsigned n = kcpus_online();
	if (n < 2)
		return;
	mica_cap_t t;
	CHECK(t = ktask_create());
	karena[7][0] = 0xabc;
	CHECK_OK(kmap(t, KTASK, KPAGE(7), A, 12, MICA_FPAGE_RW));
	mica_word_t v, shot[64], out[5];
	for (unsigned cpu = 1; cpu < n; cpu++) {
		CHECK_EQ(kremote_read(cpu, t, A, &v), 0);
		CHECK_EQ(v, 0xabc);
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		shot[cpu] = out[2];
	}
	CHECK_OK(kunmap(t, A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	for (unsigned cpu = 1; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		CHECK_EQ(out[2], shot[cpu] + 1);
		CHECK_EQ(kremote_read(cpu, t, A, &v), KPROBE_FAULT);
	}
	CHECK_OK(mica_task_destroy(t));
	for (unsigned cpu = 1; cpu < n; cpu++) {
		CHECK_OK(remote(cpu, MICA_KDEBUG_REMOTE_PING, 0, out));
		CHECK_EQ(out[3], 0); /* every one left the space before its tables went */
	}
}
