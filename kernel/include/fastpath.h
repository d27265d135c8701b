/* The IPC fast path: call and reply-and-wait between two threads on one
 * CPU with untyped words only, when the partner is already waiting.
 * Returns false, having changed nothing, for anything else. Built only
 * with MICA_FASTPATH (make FASTPATH=0 leaves it out). */
#pragma once

#include <stdbool.h>

struct thread;
struct ipc_args;

#ifndef MICA_FASTPATH
#define MICA_FASTPATH 1
#endif

#if MICA_FASTPATH
bool fastpath_syscall(struct thread *self, const struct ipc_args *a);
#else
static inline bool fastpath_syscall(struct thread *self, const struct ipc_args *a)
{
	(void)self;
	(void)a;
	return false;
}
#endif
