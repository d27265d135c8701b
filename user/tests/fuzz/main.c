/* The fuzzer's root task (make fuzz ITER=N SEED=S; boot argument "N S").
 * It builds the fuzzer task's ordinary, unprivileged environment: its
 * own task and threads, a factory of FZ_QUOTA bytes, a pager and a few
 * gates (fuzz.h), and nothing of the root's. Then it watches: each
 * progress report of the fuzzer runs the kernel's invariant checker
 * (which panics the kernel on a violation), and a fuzzer that reports
 * nothing for WATCHDOG_NS is a hang. The last line says
 * "fuzz: N invocations, M kernel failures" (tools/fuzz.sh prints it when
 * the kernel panicked instead). */
#include <boot_env.h>
#include <console.h>
#include <mica_clock.h>
#include <mica_image.h>
#include <stdlib.h>

#include "fuzz.h"

#define WATCHDOG_NS 2000000000ul /* guest time: 2e9 instructions under -icount */
#define LABEL_REPORT 1
#define LABEL_PAGER 2
#define STACK 16384

struct fz_shared fz;

static _Alignas(1ul << FZ_ARENA_LOG2) volatile uint8_t arena[1ul << FZ_ARENA_LOG2];
static _Alignas(16) uint8_t stacks[FZ_HELPERS + 2][STACK];

/* Selectors in the root. */
enum { R_FACTORY = 0x100, R_TASK, R_REPORT, R_PAGER, R_ECHO, R_THREADS, R_SCHED = 0x180 };

/* Runs in the fuzzer task, where MICA_CAP_THREAD is the main thread:
 * each thread halts itself by its own selector. */
static void halt_self(mica_cap_t self)
{
	mica_thread_halt_other(self);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

static void fuzzer_main(long i)
{
	fz_thread(i);
	halt_self(i < 0 ? FZ_THREAD : FZ_HELPER(i));
}

static void echo_main(long unused)
{
	(void)unused;
	fz_echo();
	halt_self(FZ_HELPER(FZ_HELPERS));
}

static int give(mica_cap_t ours, mica_cap_t dst, mica_word_t rights)
{
	return mica_cap_copy(R_TASK, ours, dst, rights, 0);
}

/* The CPUs threads may be placed on (the scheduler's INFO). */
static unsigned placeable(void)
{
	mica_word_t info[5];
	if (mica_sched_info(MICA_CAP_SCHEDULER, info) != MICA_OK || !info[2])
		return 1;
	return (unsigned)info[2];
}

/* Thread n of the fuzzer task (0: main, 1..FZ_HELPERS: helpers, then the
 * echo thread) at selector sel there, running fn(arg), on CPU n modulo
 * the placeable ones: with several, the fuzzer's threads hit the kernel
 * from every CPU at once. */
static int start_thread(unsigned n, mica_cap_t sel, void (*fn)(long), long arg)
{
	mica_cap_t t = R_THREADS + n;
	int e = mica_create_thread(MICA_CAP_FACTORY, t);
	if (e == MICA_OK)
		e = mica_thread_control(t, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER, R_TASK,
					FZ_UTCB + n * MICA_UTCB_SIZE, FZ_PAGER, 0);
	if (e == MICA_OK)
		e = give(t, sel, MICA_RIGHTS_ALL);
	if (e == MICA_OK)
		e = mica_sched_run_thread(MICA_CAP_SCHEDULER, t, MICA_SCHED_DEFAULT_PRIO, FZ_SLICE_NS,
					  n % placeable());
	if (e == MICA_OK)
		e = mica_thread_start(t, (mica_word_t)fn, (mica_word_t)&stacks[n][STACK] - 8,
				      (mica_word_t)arg);
	return e;
}

static int build(void)
{
	int e = mica_create_factory(MICA_CAP_FACTORY, R_FACTORY, FZ_QUOTA);
	if (e == MICA_OK)
		e = mica_create_task(MICA_CAP_FACTORY, R_TASK, FZ_UTCB, FZ_UTCB_LOG2);
	if (e == MICA_OK)
		e = mica_share_image(R_TASK);
	if (e == MICA_OK)
		e = mica_task_map(R_TASK, MICA_CAP_TASK,
				  mica_fpage_mem((mica_word_t)arena, FZ_ARENA_LOG2, MICA_FPAGE_RW), FZ_ARENA,
				  MICA_ITEM_MAP);
	if (e == MICA_OK)
		e = mica_create_gate(MICA_CAP_FACTORY, R_REPORT, MICA_CAP_THREAD, LABEL_REPORT);
	if (e == MICA_OK)
		e = mica_create_gate(MICA_CAP_FACTORY, R_PAGER, MICA_CAP_THREAD, LABEL_PAGER);
	if (e == MICA_OK)
		e = mica_create_gate(MICA_CAP_FACTORY, R_ECHO, 0, 0);
	if (e == MICA_OK)
		e = give(R_TASK, FZ_TASK, MICA_RIGHTS_ALL);
	if (e == MICA_OK)
		e = give(R_FACTORY, FZ_FACTORY, MICA_RIGHTS_ALL);
	if (e == MICA_OK)
		e = give(R_REPORT, FZ_REPORT, MICA_GATE_R_SEND);
	if (e == MICA_OK)
		e = give(R_PAGER, FZ_PAGER, MICA_GATE_R_SEND);
	if (e == MICA_OK)
		e = give(R_ECHO, FZ_ECHO, MICA_RIGHTS_ALL);
	if (e == MICA_OK)
		e = give(MICA_CAP_VCON, MICA_CAP_VCON, MICA_RIGHTS_ALL);
	/* Charged to the root, not to the fuzzer's quota. */
	if (e == MICA_OK)
		e = mica_sched_create(MICA_CAP_SCHEDULER, MICA_CAP_FACTORY, R_SCHED, FZ_SCHED_CEILING);
	if (e == MICA_OK)
		e = give(R_SCHED, FZ_SCHED, MICA_RIGHTS_ALL);
	if (e == MICA_OK)
		e = start_thread(FZ_HELPERS + 1, FZ_HELPER(FZ_HELPERS), echo_main, 0);
	for (long i = 0; e == MICA_OK && i < FZ_HELPERS; i++)
		e = start_thread(1 + (unsigned)i, FZ_HELPER(i), fuzzer_main, i);
	if (e == MICA_OK)
		e = start_thread(0, FZ_THREAD, fuzzer_main, -1);
	return e;
}

static void check_kernel(void)
{
	/* A violation panics the kernel: this returns only if all holds. */
	int e = mica_kdebug_check(MICA_CAP_KDEBUG, 0, 0);
	if (e != MICA_OK)
		printf("fuzz: cannot run the kernel's invariant checker: error %d\n", e);
}

int main(void)
{
	char *end;
	fz.iterations = strtoul(boot_args(), &end, 0);
	fz.seed = strtoul(end, 0, 0);
	if (!fz.iterations)
		fz.iterations = 20000;
	printf("fuzz: %lu invocations, seed %lu\n", fz.iterations, fz.seed);
	mica_touch_image();
	int e = build();
	if (e != MICA_OK) {
		printf("fuzz: cannot build the fuzzer's environment: error %d\n", e);
		return 1;
	}
	unsigned long failures = 0, reports = 0, done = 0, ops = 0;
	while (!done) {
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, mica_timeout_ns(WATCHDOG_NS), &label);
		/* The wait's own timeout (the kernel marks the receive phase),
		 * not a message that carries the error, as the fuzzer sends. */
		if (mica_error(t) == MICA_E_TIMEOUT && (t.raw & MICA_TAG_RECV_PHASE)) {
			printf("fuzz: hang: no progress report for %lu ms after %lu invocations (seed %lu)\n",
			       WATCHDOG_NS / 1000000, ops, fz.seed);
			failures++;
			check_kernel();
			for (unsigned n = 0; n <= FZ_HELPERS + 1; n++) {
				mica_word_t info[5] = { 0 };
				struct mica_exregs regs = { 0 };
				mica_thread_info(R_THREADS + n, info);
				mica_thread_ex_regs(R_THREADS + n, 0, 0, &regs);
				printf("fuzz: thread %u: state %lu, halted %lu, ip 0x%lx, operation %lu "
				       "(kind %u)\n",
				       n, info[0], info[4], regs.ip, regs.handle,
				       n <= FZ_HELPERS ? fz.last[n] : 0);
				if (n <= FZ_HELPERS)
					printf("fuzz:   longest operation: %lu ticks, operation %lu (kind "
					       "%lu)\n",
					       fz.longest[n][0], fz.longest[n][1], fz.longest[n][2]);
				if (n <= FZ_HELPERS)
					printf("fuzz:   last raw call: sel 0x%lx tag 0x%lx flags 0x%lx src "
					       "0x%lx timeouts "
					       "0x%lx\n",
					       fz.last_ipc[n][0], fz.last_ipc[n][1], fz.last_ipc[n][2],
					       fz.last_ipc[n][3], fz.last_ipc[n][4]);
			}
			break;
		}
		mica_word_t *mr = mica_mr();
		if (label == LABEL_REPORT && mica_msgtag_label(t) == FZ_PROGRESS && mica_msgtag_u(t) == 3 &&
		    mr[2] == FZ_MAGIC) {
			ops = mr[0];
			done = mr[1];
			check_kernel();
			if (++reports % 20 == 0 || done)
				printf("fuzz: %lu invocations, kernel invariants hold\n", ops);
			mica_reply(mica_msgtag(0, 0, 0, 0));
		} else {
			/* Page faults and random messages: refused. */
			mica_reply(mica_error_tag(MICA_E_BAD_ARG));
		}
	}
	fz.stop = 1;
	e = mica_task_destroy(R_TASK);
	if (e != MICA_OK)
		printf("fuzz: destroying the fuzzer task failed: error %d\n", e);
	check_kernel();
	mica_word_t limit, used;
	mica_factory_info(R_FACTORY, &limit, &used);
	printf("fuzz: %lu invocations returned no error; the fuzzer's factory holds %lu bytes after its task "
	       "is gone "
	       "(objects that only capabilities in the tasks it made still name)\n",
	       fz.succeeded, used);
	printf("fuzz: %lu invocations, %lu kernel failures\n", ops, failures);
	return 0;
}
