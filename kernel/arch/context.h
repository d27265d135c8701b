/* A thread's architecture-specific user context beyond the saved
 * registers, and entering user mode. Every architecture defines in
 * <machine/context.h>:
 *   struct arch_thread, held in each thread, with at least
 *     void *fpu: the thread's FPU state area (arch/fpu.h), which the core
 *     sets when it creates the thread. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <machine/context.h>

#include "arch/regs.h"
#include "arch/vm.h"

/* Sets up the registers of a thread that has not yet run. */
void arch_thread_init_user(struct arch_regs *r, struct arch_thread *a, uint64_t ip, uint64_t sp,
			   uint64_t arg0, uint64_t arg1, uint64_t utcb);

/* The exception message (mica/fpage.h, enum mica_exc_word) from a
 * thread's saved state; addr goes to MICA_EXC_ADDR. */
void arch_exception_message(const struct arch_regs *r, const struct arch_thread *a, uint64_t addr,
			    uint64_t *w);

/* Writes back the first n words of an exception reply (n <=
 * MICA_EXC_WORDS; words 0-2 are ignored, RFLAGS keeps its system bits).
 * False, with nothing changed, if an address is not a user address. */
bool arch_exception_apply(struct arch_regs *r, struct arch_thread *a, const volatile uint64_t *w, unsigned n);

/* Whether the words of r that no entry from user mode writes hold what
 * the exits need (x86-64: CS and SS, which the syscall entry leaves as
 * they are, hold the user selectors, or r is still all zero: a thread
 * never started). For the invariant checker. */
bool arch_regs_consistent(const struct arch_regs *r);

/* Makes the thread's state current on this CPU and returns to it. */
__attribute__((noreturn)) void arch_enter_user(struct arch_regs *r, const struct arch_thread *a,
					       struct vm_space *vm);
