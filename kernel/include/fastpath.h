/* The IPC fast path: call and reply-and-wait between two threads on one
 * CPU with untyped words only, when the partner is already waiting.
 * Returns false, having changed nothing, for anything else; true when
 * the partner is the CPU's current thread. It reads the arguments from
 * the saved registers itself. Built only
 * with MICA_FASTPATH (make FASTPATH=0 leaves it out). */
#pragma once

#include <stdbool.h>

struct thread;
struct arch_regs;

#ifndef MICA_FASTPATH
#define MICA_FASTPATH 1
#endif

#if MICA_FASTPATH
bool fastpath_syscall(struct thread *self, const struct arch_regs *a);
#else
static inline bool fastpath_syscall(struct thread *self, const struct arch_regs *a)
{
	(void)self;
	(void)a;
	return false;
}
#endif
