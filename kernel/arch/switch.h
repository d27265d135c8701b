/* Entering a thread's user context from core code, inline because every
 * thread switch (core_resume, the IPC fast path) ends here. Every
 * architecture defines in <machine/switch.h>:
 *   arch_switch_to_user(cpu, regs, arch, vm): loads what differs from the
 *     CPU's current state (address space, FPU, per-thread registers) and
 *     returns to user mode; it does not return. */
#pragma once

#include <machine/switch.h>
