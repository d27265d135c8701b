#include "arch/context.h"

#include <string.h>

#include "fpu_regs.h"
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
	struct arch_percpu *ap = &cpu->arch;
	/* The next entry from user mode saves registers into r. */
	uint64_t top = (uint64_t)(r + 1);
	cpu->regs_top = top;
	ap->tss.rsp[0] = top;
	if (vm->io_bitmap || ap->tss.iomap_base != IO_BITMAP_NONE)
		vm_io_activate(ap, vm);
	uint64_t root = vm->root;
	if (ap->active_pml4 != root) {
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
	if (a->fpu)
		fpu_switch(ap, a->fpu);
	arch_return_to_user(r);
}
