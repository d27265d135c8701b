/* The system-call entry: every `syscall` from user mode arrives here
 * (arch entry code calls core_syscall). The fast paths (ipc/fastpath.h)
 * get the first try; whatever they leave goes to the general path
 * (syscall_general in ipc/ipc.c); with more than one CPU online, after
 * taking this CPU's lock (core_syscall_smp). Nothing here returns: the
 * file is compiled without the callee-saved registers that the entry
 * leaves in the CPU unsaved and with the others call-used (Makefile,
 * SYSCALL_PATH_CFLAGS); those it left are stored
 * (arch_syscall_save_preserved) before the general path, a switch to
 * another thread, or a wait for the CPU's lock. */
#include "arch/trap.h"
#include "ipc/fastpath.h"
#include "ipc/ipc.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/vcpu.h"

void core_syscall(mica_word_t sel, mica_word_t tag, mica_word_t flags, struct arch_regs *regs)
{
	struct percpu *cpu = this_cpu();
	struct thread *self = cpu->current;
	/* A vCPU in user mode: the call is its vCPU's upcall, never its own
	 * (the only fault a thread can make a call with). */
	if (__builtin_expect(self->fault != FAULT_NONE, 0)) {
		arch_syscall_save_preserved(regs);
		vcpu_user_syscall(self);
	}
	fastpath(cpu, self, regs, sel, tag, flags);
	arch_syscall_save_preserved(regs);
	syscall_general(cpu, self, regs, 0);
}

void core_syscall_smp(mica_word_t sel, mica_word_t tag, mica_word_t flags, struct arch_regs *regs)
{
	struct percpu *cpu = this_cpu();
	/* While it waits (running remote requests), the thread may be
	 * stopped or moved to another CPU (sched_evict), which redoes the
	 * call there; the wait does not return then. */
	if (!cpu_trylock(cpu, cpu->id)) {
		/* Another CPU may read or change the registers meanwhile. */
		arch_syscall_save_preserved(regs);
		cpu_lock_own_contended(cpu, true);
	}
	/* The wait returned: nothing reached into the registers meanwhile
	 * (sel, tag and flags are still theirs). */
	/* One copy of the inline fast paths: two would not all be inlined. */
	core_syscall(sel, tag, flags, regs);
}
