/* vCPU threads: upcalls into the state area's entry, the resume from
 * them, user mode in another task, and what happens to pending events,
 * killed threads and destroyed user tasks. */
#include "objects/vcpu.h"

#include <mica/layout.h>

#include "arch/trap.h"
#include "arch/vm.h"
#include "klib/kprintf.h"
#include "objects/factory.h"
#include "objects/gate.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/vm.h"
#include "sched/percpu.h"
#include "sched/remote.h"
#include "sched/sched.h"

bool vcpu_create(struct thread *t, uint64_t addr)
{
	uint64_t phys;
	if (!quota_alloc_frame(t->hdr.quota, &phys))
		return false;
	struct vcpu *v = phys_to_virt(phys);
	v->thread = t;
	v->state = task_utcb_kva(t->task, addr);
	v->state_addr = addr;
	t->vcpu = v;
	return true;
}

static void enter_user(struct vcpu *v, struct task *task)
{
	v->user = true;
	v->user_task = task;
	v->user_prev = 0;
	v->user_next = task->vcpu_users;
	if (task->vcpu_users)
		task->vcpu_users->user_prev = v;
	task->vcpu_users = v;
}

static void leave_user(struct vcpu *v)
{
	struct task *task = v->user_task;
	if (v->user_prev)
		v->user_prev->user_next = v->user_next;
	else
		task->vcpu_users = v->user_next;
	if (v->user_next)
		v->user_next->user_prev = v->user_prev;
	v->user_next = v->user_prev = 0;
	v->user_task = 0;
	v->user = false;
	struct thread *t = v->thread;
	t->arch.fs_base = v->kfs;
	t->arch.gs_base = t->utcb_addr;
}

void vcpu_release(struct thread *t)
{
	struct vcpu *v = t->vcpu;
	if (v->user)
		leave_user(v);
	vm_vcpu_release(t);
	t->vcpu = 0;
	quota_free_frame(t->hdr.quota, virt_to_phys(v));
}

static bool events_enabled(const struct vcpu *v)
{
	return v->user || (v->state->state & MICA_VCPU_F_EVENTS);
}

/* An IRQ fired, or a bound gate has a sender (the pending list is
 * cleaned lazily by receives, so it may name gates whose senders left). */
static bool has_pending(const struct thread *t)
{
	if (t->irq_head)
		return true;
	for (const struct gate *g = t->pend_head; g; g = g->pend_next)
		if (g->send_head)
			return true;
	return false;
}

/* Saves t's registers in the state area and sends it to the entry with
 * events disabled, in its own task. False (t stopped) if the entry is not
 * a user address. */
static bool upcall(struct thread *t, enum mica_vcpu_event ev, uint64_t i0, uint64_t i1)
{
	struct vcpu *v = t->vcpu;
	volatile struct mica_vcpu_state *s = v->state;
	mica_word_t w[MICA_EXC_WORDS];
	arch_exception_message(&t->regs, &t->arch, ev == MICA_VCPU_EV_PAGE_FAULT ? i0 : 0, w);
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		s->regs[i] = w[i];
	s->saved_state = v->user ? MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER : s->state & MICA_VCPU_F_EVENTS;
	s->state = 0;
	s->event = ev;
	s->info[0] = i0;
	s->info[1] = i1;
	s->info[2] = s->info[3] = 0;
	if (ev == MICA_VCPU_EV_IPC)
		s->sticky &= ~MICA_VCPU_S_PENDING;
	if (v->user)
		leave_user(v);
	t->fault = FAULT_NONE;
	uint64_t ip = s->entry_ip, sp = s->entry_sp; /* read once, then checked */
	if (ip >= MICA_USER_END || sp >= MICA_USER_END) {
		kprintf("mica: task '%s' thread %u stopped: vCPU upcall (event %u) to a bad entry ip 0x%lx "
			"sp "
			"0x%lx\n",
			t->task->name, t->id, (unsigned)ev, ip, sp);
		t->state = THREAD_DEAD;
		sched_remove(t);
		return false;
	}
	uint64_t fs = t->arch.fs_base;
	arch_thread_init_user(&t->regs, &t->arch, ip, sp, v->state_addr, 0, t->utcb_addr);
	t->arch.fs_base = fs;
	return true;
}

void vcpu_resume(struct thread *t, const struct arch_regs *r, const struct arch_thread *a, struct task *user)
{
	struct vcpu *v = t->vcpu;
	uint64_t kfs = t->arch.fs_base;
	if (v->user)
		leave_user(v); /* not reached: a vCPU in user mode makes no calls */
	t->regs = *r;
	t->arch = *a;
	if (user) {
		v->kfs = kfs;
		t->arch.gs_base = 0;
		enter_user(v, user);
		t->fault = FAULT_VCPU;
	}
	/* A pending event comes at once (vcpu_enter), from the state just
	 * loaded. */
	core_resume();
}

void vcpu_kick(struct thread *t, bool irq)
{
	struct vcpu *v = t->vcpu;
	v->state->sticky |= MICA_VCPU_S_PENDING;
	if (t->state != THREAD_READY || !events_enabled(v))
		return; /* blocked: when it next runs through core_resume */
	struct percpu *c = percpu_by_id[t->cpu];
	if (c->current == t && c != this_cpu()) {
		/* Running there: its CPU enters the kernel and then passes
		 * core_resume, which makes the upcall. */
		arch_send_remote_ipi(c);
		return;
	}
	if (t->fault != FAULT_NONE)
		return; /* in user mode or due already: core_resume enters it through vcpu_enter */
	/* Not running, or this CPU's thread finishing an IRQ trigger: the
	 * way out is then core_resume (sched_keeps_running refuses a
	 * faulting thread, the fast paths do not switch to one). A current
	 * thread in any other call may still block in it, so it learns at
	 * its next exit through core_resume (or from the sticky bit).
	 * PARTIAL (issue 25): that exit can be a timer tick away. */
	if (c->current != t || irq)
		t->fault = FAULT_VCPU;
}

bool vcpu_enter(struct thread *t)
{
	struct vcpu *v = t->vcpu;
	if (t->fault != FAULT_NONE && t->fault != FAULT_VCPU)
		return true; /* a deferred exception: core_resume raises it */
	if (events_enabled(v) && has_pending(t) && !upcall(t, MICA_VCPU_EV_IPC, 0, 0))
		return false;
	if (!v->user) {
		t->fault = FAULT_NONE;
		return true;
	}
	t->fault = FAULT_VCPU;
	if (v->user_task->is_vm)
		vm_run(t);
	arch_enter_user(&t->regs, &t->arch, &v->user_task->vm);
}

void vcpu_vm_exit(struct thread *t, uint64_t code, uint64_t info1, uint64_t info2, uint64_t int_info)
{
	if (!upcall(t, MICA_VCPU_EV_VM_EXIT, code, info1))
		return;
	t->vcpu->state->info[2] = info2;
	t->vcpu->state->info[3] = int_info;
}

bool vcpu_exception(struct thread *t, const struct arch_regs *regs)
{
	struct vcpu *v = t->vcpu;
	if (!events_enabled(v))
		return false;
	uint64_t addr, access;
	if (arch_page_fault(regs, &addr, &access)) {
		upcall(t, MICA_VCPU_EV_PAGE_FAULT, addr, access);
	} else {
		mica_word_t w[MICA_EXC_WORDS];
		arch_exception_message(regs, &t->arch, 0, w);
		upcall(t, MICA_VCPU_EV_EXCEPTION, w[MICA_EXC_VECTOR], w[MICA_EXC_ERROR]);
	}
	return true;
}

void vcpu_user_syscall(struct thread *t)
{
	upcall(t, MICA_VCPU_EV_SYSCALL, 0, 0);
	core_resume();
}

void vcpu_task_gone(struct task *task)
{
	while (task->vcpu_users) {
		struct thread *t = task->vcpu_users->thread;
		/* If it runs on another CPU, that CPU holds it in the kernel
		 * (registers saved) until this one lets the lock go; what it
		 * entered for then finds it back in its own task. */
		sched_sync_registers(t);
		upcall(t, MICA_VCPU_EV_TASK_GONE, 0, 0);
	}
}
