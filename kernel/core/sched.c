#include "sched.h"

#include "arch/cpu.h"
#include "arch/platform.h"
#include "arch/trap.h"
#include "config.h"
#include "fault.h"
#include "kobj.h"
#include "kprintf.h"
#include "percpu.h"
#include "task.h"

static void enqueue(struct percpu *cpu, struct thread *t, bool front)
{
	if (t->on_rq)
		return;
	t->on_rq = true;
	if (front) {
		t->rq_next = cpu->rq_head;
		cpu->rq_head = t;
		if (!cpu->rq_tail)
			cpu->rq_tail = t;
		return;
	}
	t->rq_next = 0;
	if (cpu->rq_tail)
		cpu->rq_tail->rq_next = t;
	else
		cpu->rq_head = t;
	cpu->rq_tail = t;
}

void sched_ready(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	t->state = THREAD_READY;
	if (!t->halted && cpu->current != t)
		enqueue(cpu, t, false);
}

void sched_switch_to(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	t->state = THREAD_READY;
	if (t->halted || cpu != this_cpu()) {
		sched_ready(t);
		return;
	}
	struct thread *cur = cpu->current;
	if (cur && sched_runnable(cur))
		enqueue(cpu, cur, false);
	cpu->current = t;
}

void sched_yield(struct thread *next)
{
	struct percpu *cpu = this_cpu();
	struct thread *cur = cpu->current;
	if (next && next != cur && sched_runnable(next) && next->cpu == cur->cpu) {
		/* Move it to the front: it may already be queued further back. */
		sched_remove(next);
		next->state = THREAD_READY;
		enqueue(cpu, next, true);
	}
	if (cur && sched_runnable(cur) && cpu->rq_head) {
		enqueue(cpu, cur, false);
		cpu->current = 0;
	}
}

void sched_remove(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	if (cpu->current == t)
		cpu->current = 0;
	if (!t->on_rq)
		return;
	struct thread **p = &cpu->rq_head, *prev = 0;
	while (*p != t) {
		prev = *p;
		p = &(*p)->rq_next;
	}
	*p = t->rq_next;
	if (cpu->rq_tail == t)
		cpu->rq_tail = prev;
	t->on_rq = false;
	t->rq_next = 0;
}

static struct thread *take_ready(struct percpu *cpu)
{
	while (cpu->rq_head) {
		struct thread *t = cpu->rq_head;
		cpu->rq_head = t->rq_next;
		if (!cpu->rq_head)
			cpu->rq_tail = 0;
		t->rq_next = 0;
		t->on_rq = false;
		if (sched_runnable(t))
			return t;
	}
	return 0;
}

/* Nothing to run. In test mode the run is over when no thread can ever
 * become ready again: without timeouts (the IRQ/time issue) only a running
 * thread can wake a blocked one, so an empty run queue means exactly that. */
static __attribute__((noreturn)) void idle(struct percpu *cpu)
{
	cpu->current = 0;
	if (kernel_test_mode) {
		kprintf("mica: no runnable threads; test run ends (%lu IPCs took the fast path)\n",
			cpu->fastpath_ipcs);
		arch_platform_exit(EXIT_IDLE);
	}
	for (;;) {
		arch_idle_wait();
		if (cpu->rq_head)
			core_resume();
	}
}

void core_resume(void)
{
	for (;;) {
		kobj_reap();
		struct percpu *cpu = this_cpu();
		struct thread *t = cpu->current;
		if (!t || !sched_runnable(t)) {
			t = take_ready(cpu);
			if (!t)
				idle(cpu);
			cpu->current = t;
		}
		if (t->fault != FAULT_EXC_PENDING)
			arch_enter_user(&t->regs, &t->arch, &t->task->vm);
		fault_raise_pending(t);
	}
}
