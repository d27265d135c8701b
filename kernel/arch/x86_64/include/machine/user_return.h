/* The last step out of the kernel (entry.S) and the invariant it needs.
 * For the architecture directory and arch/switch.h. */
#pragma once

#include <machine/regs.h>
#include "klib/panic.h"

/* Pops the registers and leaves by sysret (entered by syscall) or iret. */
__attribute__((noreturn)) void arch_return_to_user_asm(struct arch_regs *regs);

/* The same for the current thread's frame (that regs_top ends). */
__attribute__((noreturn)) void arch_return_to_current(void);

/* The same for a current thread's frame that the syscall entry saved
 * (sysret, with no test). */
__attribute__((noreturn)) void arch_return_by_sysret(void);

/* iret or sysret to a non-canonical RIP faults in ring 0; the kernel
 * sets RIP only to checked user addresses, so this is an invariant. */
static inline __attribute__((always_inline)) void arch_check_user_rip(const struct arch_regs *r)
{
	PANIC_IF(r->rip >= 0x0000800000000000ul, "return to non-canonical rip 0x%lx", r->rip);
}

/* The system-call entry (entry.S) leaves RBX, RBP, R12 and R13 in the
 * CPU: this stores them into the frame. Only for code compiled without
 * them (ipc/syscall.c, SYSCALL_PATH_CFLAGS), where they still hold the
 * user's values. */
static inline __attribute__((always_inline)) void arch_syscall_save_preserved(struct arch_regs *r)
{
	__asm__ volatile("mov %%rbx, %0\n\tmov %%rbp, %1\n\tmov %%r12, %2\n\tmov %%r13, %3"
			 : "=m"(r->rbx), "=m"(r->rbp), "=m"(r->r12), "=m"(r->r13));
}
