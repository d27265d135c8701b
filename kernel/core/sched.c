#include "sched.h"

#include "arch/cpu.h"
#include "arch/platform.h"
#include "arch/trap.h"
#include "config.h"
#include "kprintf.h"
#include "percpu.h"
#include "task.h"

void sched_make_ready(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	t->state = THREAD_READY;
	t->rq_next = 0;
	if (cpu->rq_tail)
		cpu->rq_tail->rq_next = t;
	else
		cpu->rq_head = t;
	cpu->rq_tail = t;
}

static struct thread *take_ready(struct percpu *cpu)
{
	struct thread *t = cpu->rq_head;
	if (t) {
		cpu->rq_head = t->rq_next;
		if (!cpu->rq_head)
			cpu->rq_tail = 0;
		t->rq_next = 0;
	}
	return t;
}

void sched_stop_current(enum thread_state why)
{
	struct thread *t = this_cpu()->current;
	if (t)
		t->state = why;
}

/* Nothing to run. In test mode the run is over when no thread can ever
 * become ready again; threads cannot yet wait for anything (IPC and
 * timeouts come later), so an empty run queue means exactly that. */
static __attribute__((noreturn)) void idle(struct percpu *cpu)
{
	cpu->current = 0;
	if (kernel_test_mode) {
		kprintf("mica: no runnable threads; test run ends\n");
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
	struct percpu *cpu = this_cpu();
	struct thread *t = cpu->current;
	if (!t || t->state != THREAD_RUNNING) {
		t = take_ready(cpu);
		if (!t)
			idle(cpu);
		t->state = THREAD_RUNNING;
		cpu->current = t;
	}
	arch_enter_user(&t->regs, &t->arch, &t->task->vm);
}

void core_user_exception(struct arch_regs *regs)
{
	struct thread *t = this_cpu()->current;
	char what[160];
	arch_describe_exception(regs, what, sizeof(what));
	/* The exception-handler protocol (a message to the thread's handler)
	 * comes with the memory issue; until then the thread stops. */
	kprintf("mica: task '%s' thread %u stopped: %s\n", t->task->name, t->id, what);
	sched_stop_current(THREAD_DEAD);
	core_resume();
}
