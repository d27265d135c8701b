/* The hostile-user fuzzer (make fuzz): a root task (main.c) that builds
 * an ordinary, unprivileged environment for a fuzzer task and watches it,
 * and the fuzzer's threads (ops.c), which issue random and mutated
 * invocations. Everything is determined by the seed: under QEMU's
 * -icount the same ITER and SEED replay the same run. */
#pragma once

#include <mica_obj.h>
#include <mica_sys.h>
#include <stdint.h>

/* The fuzzer task's capability space. 1-15 are its environment, which
 * the fuzzer keeps (it never deletes, copies or re-targets them: losing
 * them would stop the run, not test the kernel); 16-127 hold what it makes. */
#define FZ_TASK MICA_CAP_TASK
#define FZ_THREAD MICA_CAP_THREAD   /* the main fuzzer thread */
#define FZ_FACTORY MICA_CAP_FACTORY /* its quota: FZ_QUOTA bytes */
#define FZ_REPORT 4		    /* gate to the root: progress reports */
#define FZ_PAGER 6		    /* gate to the root: its threads' pager */
#define FZ_ECHO 7		    /* a gate its echo thread serves */
#define FZ_HELPER(i) (8 + (i))	    /* its helper threads */
#define FZ_SCHED 12		    /* a scheduler with ceiling FZ_SCHED_CEILING */
#define FZ_SEL_FIRST 16
#define FZ_SEL_END 128
#define FZ_HELPERS 3
#define FZ_QUOTA (1024 * 1024ul)

/* The fuzzer's own memory it may map, grant and unmap freely (and
 * receive into): FZ_ARENA_PAGES pages at FZ_ARENA in its space. */
#define FZ_ARENA 0x40000000ul
#define FZ_ARENA_LOG2 18

/* The fuzzer task's UTCB area: its threads' UTCBs from slot 0 (main,
 * helpers, echo), slots from FZ_UTCB_FREE for threads it makes. */
#define FZ_UTCB 0x7fff00000000ul
#define FZ_UTCB_LOG2 14
#define FZ_UTCB_FREE 8

/* A progress report (to FZ_REPORT): label, and MR2 = the magic, which
 * random messages to the root's gates do not carry. */
#define FZ_PROGRESS 0xf0
#define FZ_MAGIC 0x66757a7a72657074ul

/* Invocations (of all threads) between two reports of the main thread;
 * the root runs the kernel's invariant checker at each report. */
#define FZ_REPORT_EVERY 500
#define FZ_REPORT_TSC 50000000ul /* or this many TSC ticks (50 ms under -icount) */
/* The fuzzer threads' time slice (the root sets it): short, so that a
 * thread spinning through its slice delays the others little. */
#define FZ_SLICE_NS 1000000ul
/* Its scheduler's ceiling: the threads it makes run no higher than its
 * own (MICA_SCHED_DEFAULT_PRIO), so none can starve the fuzzer. */
#define FZ_SCHED_CEILING 100

/* Shared between the root and the fuzzer's threads (the same image). */
struct fz_shared {
	uint64_t seed;
	uint64_t iterations;
	volatile uint64_t ops;	     /* invocations issued so far, all threads */
	volatile uint64_t succeeded; /* raw and method invocations that returned no error */
	volatile int stop;
	/* For hang reports, per thread: the kind of its last operation, its
	 * last raw system call (sel, tag, flags, src, timeouts) and its
	 * longest operation (TSC ticks, index, kind). */
	volatile unsigned last[FZ_HELPERS + 1];
	volatile uint64_t last_ipc[FZ_HELPERS + 1][5];
	volatile uint64_t longest[FZ_HELPERS + 1][3];
};
extern struct fz_shared fz;

/* A fuzzer thread's loop; helper i (or the main thread for i < 0). */
void fz_thread(long i);
void fz_echo(void);
