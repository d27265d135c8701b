/* The thread protocol. The method is the tag's label. */
#pragma once

enum {
	/* Stops the thread until it is resumed (ex_regs RESUME or START). An
	 * IPC it is blocked in goes on; the thread just does not run. Right:
	 * WRITE. With nothing left to run, a test-mode kernel ends the run. */
	MICA_THREAD_HALT = 1,
	/* MR0 = which of the following to set (MICA_THREAD_CTL_*), MR1 = task
	 * selector (BIND; needs the task's WRITE right), MR2 = UTCB address
	 * (BIND: 1 KiB aligned inside the task's UTCB area), MR3 = pager
	 * selector, MR4 = exception-handler selector (both looked up in the
	 * thread's task when used), MR5 = user handle (CTL_HANDLE; u >= 6). A
	 * thread is bound once. Right: CONTROL. */
	MICA_THREAD_CONTROL = 2,
	/* Exchange registers. MR0 = MICA_EXREGS_* flags, MR1 = ip, MR2 = sp,
	 * MR3 = flags (only the arithmetic flags can be set), MR4 = user handle
	 * -> MR0..MR3 = the old ip, sp, flags and handle, MR4 = enum
	 * mica_thread_state. Right: READ with no flags, else WRITE. */
	MICA_THREAD_EX_REGS = 3,
	/* MR0 = ip, MR1 = sp, MR2 = first argument (rdi): sets them and
	 * resumes the (bound) thread. The thread must have scheduling
	 * parameters (mica/scheduler.h RUN_THREAD), else MICA_E_NOT_SCHEDULED
	 * and nothing changes. Right: WRITE. */
	MICA_THREAD_START = 4,
	/* The caller gives up the rest of its turn; if the invoked thread is
	 * ready on the same CPU it runs next (the X.2 ThreadSwitch). Right:
	 * WRITE. */
	MICA_THREAD_YIELD = 5,
	/* -> MR0 = enum mica_thread_state, MR1 = 1 if bound to a task, MR2 =
	 * CPU, MR3 = user handle, MR4 = 1 if halted. Right: READ. */
	MICA_THREAD_INFO = 6,
	/* -> MR0 = CPU time consumed (ns), MR1 = priority, MR2 = time slice
	 * (ns). Right: READ. */
	MICA_THREAD_STATS = 7,
	/* 8 and 9: the vCPU methods, in mica/vcpu.h. */
};

#define MICA_THREAD_CTL_BIND (1ul << 0)
#define MICA_THREAD_CTL_PAGER (1ul << 1)
#define MICA_THREAD_CTL_EXC (1ul << 2)
#define MICA_THREAD_CTL_HANDLE (1ul << 3)

#define MICA_EXREGS_SET_IP (1ul << 0)
#define MICA_EXREGS_SET_SP (1ul << 1)
#define MICA_EXREGS_SET_FLAGS (1ul << 2)
#define MICA_EXREGS_SET_HANDLE (1ul << 3)
/* End a send or receive the thread is blocked in: it returns
 * MICA_E_CANCELED (the X.2 S and R bits, which are one operation here: a
 * transfer is never half done). */
#define MICA_EXREGS_CANCEL (1ul << 4)
#define MICA_EXREGS_HALT (1ul << 5)
/* Resuming a never-started thread starts it: it needs scheduling
 * parameters as START does (MICA_E_NOT_SCHEDULED). */
#define MICA_EXREGS_RESUME (1ul << 6)
#define MICA_EXREGS_FLAGS 0x7ful

enum mica_thread_state {
	MICA_THREAD_INACTIVE = 0, /* not yet started (or unbound) */
	MICA_THREAD_READY = 1,	  /* running or runnable */
	MICA_THREAD_SENDING = 2,  /* blocked in a send phase */
	MICA_THREAD_RECEIVING = 3,
	MICA_THREAD_DEAD = 4, /* stopped by an exception or its task's destruction */
};
