/* A thread's user context on x86-64: its first registers, the segment
 * bases it runs with, and the switch into it. */
#include "arch/context.h"

#include <string.h>

#include "arch/switch.h"
#include "arch/trap.h"
#include "layout.h"
#include "sched/percpu.h"
#include <machine/x86.h>

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

bool arch_regs_consistent(const struct arch_regs *r)
{
	return (r->cs == SEL_UCODE && r->ss == SEL_UDATA) || (r->cs == 0 && r->ss == 0);
}

void arch_enter_user(struct arch_regs *r, const struct arch_thread *a, struct vm_space *vm)
{
	/* The general path's exit, where every kernel write of a RIP
	 * (exchange-registers, start, an exception reply, a vCPU resume)
	 * leaves: each checked its address, and this checks the invariant
	 * once more where it costs no fast path anything. */
	arch_check_user_rip(r);
	arch_switch_to_user(this_cpu(), r, a, vm);
}

/* entry.S's arch_return_by_sysret finds the frame below regs_top. */
_Static_assert(sizeof(struct arch_regs) == (size_t)(REGS_SIZE), "layout.h's REGS_SIZE");
