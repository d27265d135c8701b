/* Entering a thread's user context from core code, inline because every
 * thread switch (core_resume, the IPC fast path) ends here. Every
 * architecture defines in <machine/switch.h>:
 *   arch_switch_to_user(cpu, regs, arch, vm): loads what differs from the
 *     CPU's current state (address space, FPU, per-thread registers) and
 *     returns to user mode; it does not return. The thread's return
 *     address must be canonical: sysret and iret to any other fault in
 *     ring 0 (Intel's SYSRET hazard). It is, for every thread, without a
 *     test here: an address the CPU saved at the thread's last entry lies
 *     in user memory or just past an instruction there, and the last user
 *     page is never mapped (mica/layout.h, MICA_USER_END), so a system
 *     call's return address stays below the end of the lower half; every
 *     address the kernel writes (exchange-registers, START, an exception
 *     reply, a vCPU resume) is checked against MICA_USER_END first. The
 *     general path's exit (arch_enter_user) asserts it once more; the
 *     fast paths, whose partners either wait in a system call of their
 *     own or had their address checked just before (an exception reply),
 *     pay nothing for it.
 *   arch_switch_to_syscall(cpu, regs, arch, vm): the same for a thread
 *     whose registers are those a system call of its own saved (it waits
 *     in that call): the exit need not look at how it entered. */
#pragma once

#include <machine/switch.h>
