/* The vCPU thread mode: events that enter a thread as upcalls at the
 * address its state area names, instead of as messages it blocks for, and
 * the resume into its own task or into a user task it holds (docs/abi.md
 * §6.9). */
#pragma once

#include <mica/msgtag.h>
#include <mica/vcpu.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/context.h"
#include "arch/svm.h"

struct thread;
struct task;

struct vcpu {
	struct thread *thread;
	volatile struct mica_vcpu_state *state; /* the kernel's view of the state area */
	uint64_t state_addr;			/* ... and its user address */
	struct task *user_task;			/* while it runs in user mode */
	struct vcpu *user_next, *user_prev;	/* in user_task->vcpu_users */
	uint64_t kfs;				/* its own FS base, while in user mode */
	bool user;
	void *vmcb; /* guest mode (objects/vm.c): its VMCB, 0 until it first runs a VM */
	uint64_t vmcb_phys;
	struct arch_svm_gprs gprs; /* the guest's registers the VMCB does not hold */
};

/* MICA_THREAD_VCPU_CONTROL, checked (t bound, not a vCPU, addr a 4 KiB
 * page of its task's UTCB area). False if out of quota. */
bool vcpu_create(struct thread *t, uint64_t addr);

/* t is killed: user mode ends, the vCPU data goes back to the quota. */
void vcpu_release(struct thread *t);

/* MICA_THREAD_VCPU_RESUME, checked: t (the caller) goes on with r and a
 * in its own task, or in user (not 0) with MICA_VCPU_F_USER. */
__attribute__((noreturn)) void vcpu_resume(struct thread *t, const struct arch_regs *r,
					   const struct arch_thread *a, struct task *user);

/* A message or IRQ now waits for t (a vCPU) outside a receive. irq: the
 * caller is done with t's registers if t is the current thread (an IRQ
 * firing never blocks the thread that fires it). */
void vcpu_kick(struct thread *t, bool irq);

/* core_resume is about to run t (a vCPU, the current thread): a due
 * upcall is made, and a vCPU in user mode enters its user task (does not
 * return). False if t cannot run now (stopped). */
bool vcpu_enter(struct thread *t);

/* The current thread t (a vCPU) raised an exception or page fault in
 * regs: true if that became an upcall (user mode or events enabled). */
bool vcpu_exception(struct thread *t, const struct arch_regs *regs);

/* A system call from a vCPU's user mode: an upcall. */
__attribute__((noreturn)) void vcpu_user_syscall(struct thread *t);

/* task is being destroyed: every vCPU that runs in it leaves with an
 * upcall (MICA_VCPU_EV_TASK_GONE). */
void vcpu_task_gone(struct task *task);

/* An exit of t's guest that is the monitor's: an upcall. */
void vcpu_vm_exit(struct thread *t, uint64_t code, uint64_t info1, uint64_t info2, uint64_t int_info);

/* The methods' decoders, for thread_methods. */
struct invoke_call;
mica_msgtag_t vcpu_control_decode(struct invoke_call *c);
mica_msgtag_t vcpu_resume_decode(struct invoke_call *c);
