/* The system-call entry: every `syscall` from user mode arrives here
 * (arch entry code calls core_syscall). The fast paths (ipc/fastpath.h)
 * get the first try; whatever they leave goes to the general path
 * (syscall_general in ipc/ipc.c). Compiled without callee-saved registers
 * (Makefile, NORETURN_PATH_CFLAGS): nothing here returns. */
#include "arch/trap.h"
#include "ipc/fastpath.h"
#include "ipc/ipc.h"
#include "sched/kernel_lock.h"
#include "sched/percpu.h"
#include "sched/sched.h"

void core_syscall(struct arch_regs *regs)
{
	struct percpu *cpu = this_cpu();
	struct thread *self = cpu->current;
	if (cpus_online > 1) {
		kernel_lock_contended(cpu);
		/* While it waited, the thread may have been stopped or moved to
		 * another CPU (sched_evict), which redoes the call there. */
		if (cpu->current != self)
			core_resume();
	}
	fastpath(cpu, self, regs);
	syscall_general(cpu, self, regs, 0);
}
