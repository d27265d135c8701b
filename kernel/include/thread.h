/* A thread: an execution context bound to a task. */
#pragma once

#include <mica/utcb.h>

#include "arch/context.h"
#include "arch/regs.h"

struct task;

enum thread_state {
	THREAD_READY,	/* on a run queue */
	THREAD_RUNNING, /* the current thread of its CPU */
	THREAD_HALTED,	/* stopped by request; may be resumed */
	THREAD_DEAD,	/* stopped by an unhandled exception */
};

struct thread {
	/* First, and 16-byte aligned: the entry code saves the user
	 * registers here (see entry.S). Owned by the thread's CPU. */
	struct arch_regs regs;
	struct arch_thread arch;
	struct task *task;
	enum thread_state state;
	unsigned id;
	unsigned cpu;
	struct thread *rq_next; /* run queue link, while READY */
	uint64_t utcb_addr;	/* user address of the UTCB */
	struct mica_utcb *utcb; /* the kernel's own mapping of it */
} __attribute__((aligned(16)));

struct thread *thread_create(struct task *task, uint64_t utcb_addr, uint64_t utcb_phys);

const char *thread_state_name(enum thread_state s);
