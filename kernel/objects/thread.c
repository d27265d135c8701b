/* Threads: creation, binding to a task and its UTCB, killing and release. */
#include "objects/thread.h"

#include "arch/fpu.h"
#include "objects/gate.h"
#include "ipc/ipc.h"
#include "objects/irq.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/vcpu.h"

static unsigned next_thread_id = 1;

struct thread *thread_create(struct factory *f)
{
	struct thread *t = kobj_alloc(f, MICA_OBJ_THREAD);
	if (!t)
		return 0;
	t->state = THREAD_INACTIVE;
	t->id = __atomic_fetch_add(&next_thread_id, 1, __ATOMIC_RELAXED);
	t->cpu = 0;
	sched_init_thread(t);
	arch_fpu_init_state(t->fpu);
	t->arch.fpu = t->fpu;
	return t;
}

void thread_bind(struct thread *t, struct task *task, uint64_t utcb_addr)
{
	t->task = task;
	t->task_prev = 0;
	t->task_next = task->threads;
	if (task->threads)
		task->threads->task_prev = t;
	task->threads = t;
	t->utcb_addr = utcb_addr;
	t->utcb = task_utcb_kva(task, utcb_addr);
	t->utcb->self = utcb_addr;
	/* Valid user registers from now on: ex_regs may resume it. */
	arch_thread_init_user(&t->regs, &t->arch, 0, 0, 0, 0, utcb_addr);
}

static void unbind(struct thread *t)
{
	struct task *task = t->task;
	if (!task)
		return;
	if (t->task_prev)
		t->task_prev->task_next = t->task_next;
	else
		task->threads = t->task_next;
	if (t->task_next)
		t->task_next->task_prev = t->task_prev;
	t->task = 0;
	t->task_next = t->task_prev = 0;
	t->utcb = 0;
}

void thread_kill(struct thread *t)
{
	ipc_thread_gone(t);
	irq_thread_gone(t);
	while (t->bound_gates)
		gate_server_gone(t->bound_gates);
	sched_remove(t);
	if (t->vcpu)
		vcpu_release(t);
	unbind(t);
	t->state = THREAD_DEAD;
}

void thread_release(struct thread *t)
{
	thread_kill(t);
	arch_fpu_forget(t->fpu);
}

enum mica_thread_state thread_abi_state(const struct thread *t)
{
	switch (t->state) {
	case THREAD_INACTIVE:
		return MICA_THREAD_INACTIVE;
	case THREAD_READY:
		return MICA_THREAD_READY;
	case THREAD_BLOCKED:
		return t->wait == WAIT_SEND ? MICA_THREAD_SENDING : MICA_THREAD_RECEIVING;
	case THREAD_DEAD:
		break;
	}
	return MICA_THREAD_DEAD;
}

void thread_control(struct thread *t, const struct thread_control_args *a)
{
	if (a->flags & MICA_THREAD_CTL_BIND)
		thread_bind(t, a->task, a->utcb);
	if (a->flags & MICA_THREAD_CTL_PAGER)
		t->pager = a->pager;
	if (a->flags & MICA_THREAD_CTL_EXC)
		t->exc_handler = a->exc_handler;
	if (a->flags & MICA_THREAD_CTL_HANDLE)
		t->user_handle = a->user_handle;
}

static void resume(struct thread *t)
{
	t->halted = false;
	if (t->state == THREAD_INACTIVE)
		t->state = THREAD_READY;
	if (t->state == THREAD_READY)
		sched_ready(t);
}

void thread_ex_regs(struct thread *t, const struct thread_regs_args *a, mica_word_t old[4])
{
	mica_word_t f = a->flags;
	sched_sync_registers(t);
	old[0] = regs_ip(&t->regs);
	old[1] = regs_sp(&t->regs);
	old[2] = regs_flags(&t->regs);
	old[3] = t->user_handle;
	if (f & MICA_EXREGS_SET_IP)
		regs_set_ip(&t->regs, a->ip);
	if (f & MICA_EXREGS_SET_SP)
		regs_set_sp(&t->regs, a->sp);
	if (f & MICA_EXREGS_SET_FLAGS)
		regs_set_user_flags(&t->regs, a->user_flags);
	if (f & MICA_EXREGS_SET_HANDLE)
		t->user_handle = a->user_handle;
	if (f & MICA_EXREGS_CANCEL)
		ipc_abort(t, MICA_E_CANCELED);
	if (f & MICA_EXREGS_HALT)
		t->halted = true;
	if (f & MICA_EXREGS_RESUME)
		resume(t);
}

void thread_start(struct thread *t, uint64_t ip, uint64_t sp, uint64_t arg)
{
	arch_thread_init_user(&t->regs, &t->arch, ip, sp, arg, 0, t->utcb_addr);
	t->state = THREAD_INACTIVE;
	resume(t);
}
