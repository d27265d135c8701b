#include "arch/context.h"

#include <string.h>

#include "arch/fpu.h"
#include "arch/trap.h"
#include "layout.h"
#include "percpu.h"
#include "x86.h"

#define USER_RFLAGS (RFLAGS_IF | 0x2) /* bit 1 is always set */

void arch_thread_init_user(struct arch_regs *r, struct arch_thread *a, uint64_t ip, uint64_t sp,
			   uint64_t arg0, uint64_t arg1, uint64_t utcb)
{
	memset(r, 0, sizeof(*r));
	r->rip = ip;
	r->rsp = sp;
	r->rdi = arg0;
	r->rsi = arg1;
	r->cs = SEL_UCODE;
	r->ss = SEL_UDATA;
	r->rflags = USER_RFLAGS;
	r->vector = 0; /* not a syscall frame: the first entry uses iret */
	a->fs_base = 0;
	a->gs_base = utcb;
}

void arch_enter_user(struct arch_regs *r, const struct arch_thread *a, const struct vm_space *vm)
{
	struct percpu *cpu = this_cpu();
	/* The next entry from user mode saves registers into r. */
	cpu->regs_top = (uint64_t)(r + 1);
	cpu->arch.tss.rsp[0] = cpu->regs_top;
	vm_activate(vm);
	/* While in the kernel, the user's GS base waits in KERNEL_GS_BASE;
	 * the swapgs on the way out installs it. */
	if (cpu->arch.user_gs != a->gs_base) {
		wrmsr(MSR_KERNEL_GS_BASE, a->gs_base);
		cpu->arch.user_gs = a->gs_base;
	}
	if (cpu->arch.user_fs != a->fs_base) {
		wrmsr(MSR_FS_BASE, a->fs_base);
		cpu->arch.user_fs = a->fs_base;
	}
	if (a->fpu)
		arch_fpu_switch_to(a->fpu);
	arch_return_to_user(r);
}
