/* Helper threads and child tasks for the cases. */
#include <mica/layout.h>
#include <mica_image.h>
#include <string.h>

#include "ktest.h"

#define MAX_THREADS 24
#define STACK_SIZE 8192

static struct kthread threads[MAX_THREADS];
static _Alignas(16) uint8_t stacks[MAX_THREADS][STACK_SIZE];
static unsigned used_threads;
/* UTCB slots: in the root task slot 0 is the initial thread's; child
 * tasks have their own areas. */
static unsigned root_utcb_next, child_utcb_next;

void kthread_reset(void)
{
	used_threads = 0;
	root_utcb_next = 1;
	child_utcb_next = 0;
	memset(threads, 0, sizeof(threads));
}

static void trampoline(struct kthread *k)
{
	k->fn(k);
	k->done = 1;
	/* Halt; should the selector be gone (a thread that outlived its case),
	 * block for good instead of spinning: nothing preempts a spinner. */
	mica_thread_halt_other(k->self);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

struct kthread *kthread_new(mica_cap_t task, void (*fn)(struct kthread *), mica_word_t arg)
{
	if (used_threads == MAX_THREADS)
		return 0;
	struct kthread *k = &threads[used_threads];
	k->fn = fn;
	k->arg = arg;
	k->sel = ksel();
	uint64_t utcb;
	if (task == KTASK) {
		utcb = MICA_BOOT_UTCB_ADDR + root_utcb_next++ * MICA_UTCB_SIZE;
		k->self = k->sel;
	} else {
		utcb = KCHILD_UTCB + (child_utcb_next++ % 16) * MICA_UTCB_SIZE;
		k->self = 0x10 + used_threads;
	}
	if (mica_create_thread(KF, k->sel) != MICA_OK ||
	    mica_thread_control(k->sel, MICA_THREAD_CTL_BIND, task, utcb, 0, 0) != MICA_OK)
		return 0;
	if (task != KTASK && kgive(task, k->sel, k->self) != MICA_OK)
		return 0;
	used_threads++;
	return k;
}

int kthread_go_raw(struct kthread *k)
{
	uint64_t top = (uint64_t)&stacks[k - threads][STACK_SIZE];
	/* As if called: the return address slot keeps the ABI's alignment. */
	return mica_thread_start(k->sel, (mica_word_t)trampoline, top - 8, (mica_word_t)k);
}

int kthread_go(struct kthread *k)
{
	/* A case may have placed the thread already (its priority stands);
	 * one that has no parameters gets the defaults from the root's
	 * scheduler (a refused START changed nothing). */
	int e = kthread_go_raw(k);
	if (e == MICA_E_NOT_SCHEDULED &&
	    (e = mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, MICA_SCHED_DEFAULT_PRIO,
				       MICA_SCHED_DEFAULT_SLICE_NS, 0)) == MICA_OK)
		e = kthread_go_raw(k);
	return e;
}

struct kthread *kthread_start(mica_cap_t task, void (*fn)(struct kthread *), mica_word_t arg)
{
	struct kthread *k = kthread_new(task, fn, arg);
	if (k && kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

void kyield(void)
{
	mica_thread_yield(MICA_CAP_THREAD);
}

int kwait_cond(volatile int *flag)
{
	for (int i = 0; i < 200 && !*flag; i++)
		kyield();
	return *flag;
}

mica_cap_t ktask_create(void)
{
	mica_cap_t t = ksel();
	if (mica_create_task(KF, t, KCHILD_UTCB, KCHILD_UTCB_LOG2) != MICA_OK)
		return 0;
	if (mica_share_image(t) != MICA_OK)
		return 0;
	if (kgive(t, MICA_CAP_VCON, MICA_CAP_VCON) != MICA_OK)
		return 0;
	return t;
}

int kgive(mica_cap_t task, mica_cap_t ours, mica_cap_t dst)
{
	return mica_cap_copy(task, ours, dst, MICA_RIGHTS_ALL, 0);
}

void kfill(mica_word_t seed, unsigned n)
{
	mica_word_t *mr = mica_mr();
	for (unsigned i = 0; i < n; i++)
		mr[i] = seed * 0x9e3779b97f4a7c15ul + i;
}

int kcheck_fill(mica_word_t seed, unsigned n)
{
	mica_word_t *mr = mica_mr();
	for (unsigned i = 0; i < n; i++)
		if (mr[i] != seed * 0x9e3779b97f4a7c15ul + i)
			return 0;
	return 1;
}

mica_cap_t kirq(void)
{
	mica_cap_t q = ksel();
	return q && mica_create_irq(KF, q) == MICA_OK ? q : 0;
}

struct kthread *kfaulter_new(void (*fn)(struct kthread *), mica_word_t arg, mica_word_t which,
			     mica_word_t label, mica_cap_t *g, mica_cap_t *task)
{
	mica_cap_t t = ktask_create();
	if (!t)
		return 0;
	*g = ksel();
	mica_cap_t cg = 0x240;
	if (mica_create_gate(KF, *g, 0, label) != MICA_OK || kgive(t, *g, cg) != MICA_OK)
		return 0;
	struct kthread *k = kthread_new(t, fn, arg);
	if (!k)
		return 0;
	k->cap = cg;
	if (mica_thread_control(k->sel, which, 0, 0, (which & MICA_THREAD_CTL_PAGER) ? cg : 0,
				(which & MICA_THREAD_CTL_EXC) ? cg : 0) != MICA_OK)
		return 0;
	if (task)
		*task = t;
	return k;
}
