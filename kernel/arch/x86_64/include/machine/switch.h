/* Entering a thread's user context, inline: core_resume (through
 * arch_enter_user) and the IPC fast path both end here, on every thread
 * switch. Only the state that differs from what the CPU holds is
 * loaded. The caller knows the thread's RIP is canonical (arch/switch.h
 * says why the fast paths need no check). */
#pragma once

#include "arch/context.h"
#include <machine/fpu_regs.h>
#include <machine/user_return.h>
#include <machine/x86.h>
#include "sched/percpu.h" /* the core's struct percpu, whose arch part is machine/cpu.h */

/* Whether bit is set in *mask: one `test` with memory (the compiler makes
 * it a load and an `and`), on every switch to another address space. */
static inline __attribute__((always_inline)) bool in_mask(const uint64_t *mask, uint64_t bit)
{
	bool set;
	__asm__("test %2, %1" : "=@ccnz"(set) : "m"(*mask), "r"(bit));
	return set;
}

/* Everything of arch_switch_to_user but the exit. */
static inline __attribute__((always_inline)) void
load_user_state(struct percpu *cpu, struct arch_regs *r, const struct arch_thread *a, struct vm_space *vm)
{
	struct arch_percpu *ap = &cpu->arch;
	/* The next entry from user mode saves registers into r. */
	uint64_t top = (uint64_t)(r + 1);
	cpu->regs_top = top;
	ap->tss.rsp[0] = top;
	uint64_t root = vm->root;
	if (ap->active_pml4 != root) {
		/* Before the load: a shootdown that misses the bit comes after
		 * it, so its page-table change is what this load walks. */
		if (__builtin_expect(!in_mask(&vm->cpus, ap->cpu_bit), 0))
			__atomic_fetch_or(&vm->cpus, ap->cpu_bit, __ATOMIC_SEQ_CST);
		write_cr3(root);
		ap->active_pml4 = root;
	}
	/* While in the kernel, the user's GS base waits in KERNEL_GS_BASE;
	 * the swapgs on the way out installs it. */
	uint64_t gs = a->gs_base, fs = a->fs_base;
	if (ap->user_gs != gs) {
		wrmsr(MSR_KERNEL_GS_BASE, gs);
		ap->user_gs = gs;
	}
	if (ap->user_fs != fs) {
		wrmsr(MSR_FS_BASE, fs);
		ap->user_fs = fs;
	}
	void *fpu = a->fpu; /* every thread has its area */
	if (ap->fpu_owner != fpu) {
		fpu_save_restore(ap->fpu_owner, fpu);
		ap->fpu_owner = fpu;
	}
	/* The I/O permissions: the space's bitmap in the TSS, or none. */
	if (ap->io_space != (vm->io_bitmap ? vm : 0))
		vm_io_activate(ap, vm);
}

static inline __attribute__((always_inline, noreturn)) void
arch_switch_to_user(struct percpu *cpu, struct arch_regs *r, const struct arch_thread *a, struct vm_space *vm)
{
	load_user_state(cpu, r, a, vm);
	arch_return_to_current();
}

static inline __attribute__((always_inline, noreturn)) void
arch_switch_to_syscall(struct percpu *cpu, struct arch_regs *r, const struct arch_thread *a,
		       struct vm_space *vm)
{
	load_user_state(cpu, r, a, vm);
	arch_return_by_sysret();
}
