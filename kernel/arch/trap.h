/* What the architecture's trap code asks of the core, and what it offers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "arch/regs.h"

/* Core: a user thread raised a CPU exception (regs are its saved state). */
__attribute__((noreturn)) void core_user_exception(struct arch_regs *regs);

/* Core: a user thread made a system call (one CPU online; with more,
 * core_syscall_smp, which takes the CPU's own lock first). sel, tag and
 * flags are its first arguments, as syscall_arg_selector/tag/flags read
 * them from regs: the entry passes them in registers too (on x86-64
 * they arrive in the C convention's first three), so that the fast
 * paths' first tests need not load them. */
__attribute__((noreturn)) void core_syscall(mica_word_t sel, mica_word_t tag, mica_word_t flags,
					    struct arch_regs *regs);
__attribute__((noreturn)) void core_syscall_smp(mica_word_t sel, mica_word_t tag, mica_word_t flags,
						struct arch_regs *regs);

/* Arch: this CPU's system calls enter core_syscall_smp from now on. */
void arch_syscall_entry_smp(void);

#ifdef MICA_DEBUG
/* Core (the kernel debugger's IPC trace, debug/kdb/trace.c): a system
 * call while the trace is on, on the general path only, where it
 * records; the fast paths stay as they are and pay nothing for it. */
__attribute__((noreturn)) void core_syscall_traced(struct arch_regs *regs);
/* Arch: this CPU's system calls enter core_syscall_traced (on), or
 * again the entry they used before (off). */
void arch_syscall_entry_traced(bool on);
#endif

/* Core: continue with the current thread, or another if it cannot run. */
__attribute__((noreturn)) void core_resume(void);

/* Arch: one line describing an exception, e.g.
 * "#PF page fault at ip 0x401000 (addr 0x0: read, not present)". */
void arch_describe_exception(uint64_t vector, uint64_t error, uint64_t addr, uint64_t ip, char *buf,
			     size_t size);

/* Arch: the name of an exception vector, e.g. "#GP general protection". */
const char *arch_exception_name(uint64_t vector);

/* Arch: whether the saved exception is a page fault; if so its address
 * and the access that failed (MICA_FPAGE_R/W/X, | MICA_PF_PRESENT when the
 * page was there but lacked the right). */
bool arch_page_fault(const struct arch_regs *regs, uint64_t *addr, uint64_t *access);

/* Arch: returns from the system call being handled to the thread that
 * made it, with the result tag and label (syscall_set_result's, which
 * go to their registers straight, not through regs), reloading only the
 * registers C code may change. Only for the system-call entry's own
 * file (ipc/syscall.c), which is compiled without the callee-saved
 * registers the entry leaves in the CPU (Makefile, SYSCALL_PATH_CFLAGS). */
__attribute__((noreturn)) void arch_return_to_caller(struct arch_regs *regs, mica_word_t tag,
						     mica_word_t label);

/* Arch: returns to user mode with these registers. */
__attribute__((noreturn)) void arch_return_to_user(struct arch_regs *regs);

/* Arch: if regs were saved by a system-call entry, makes the thread
 * execute the system-call instruction again when it next runs (a call
 * abandoned before it began: its thread moved to another CPU). */
void arch_restart_syscall(struct arch_regs *regs);
/* Undoes arch_restart_syscall (the call goes on after all). */
void arch_unrestart_syscall(struct arch_regs *regs);
/* Whether regs were saved by a system-call entry. */
bool arch_in_syscall(const struct arch_regs *regs);
