/* The in-system test suite: a root task that runs each case with a fresh
 * factory (so leaks show up as charged bytes), its own selectors and its
 * own helper threads and tasks, and prints TAP.
 *
 * A case is `KTEST(group_name) { ... }`; CHECK* macros end the case on
 * the first failure. Helper threads (in this task or in child tasks that
 * share this program's memory) record failures with the same macros;
 * those end only the helper. */
#pragma once

#include <console.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdint.h>

struct ktest {
	const char *name;
	void (*fn)(void);
};

#define KTEST(n)                                                                                             \
	static void n(void);                                                                                 \
	static const struct ktest ktest_##n                                                                  \
		__attribute__((used, section("ktest_cases"), aligned(8))) = { #n, n };                       \
	static void n(void)

void ktest_fail(const char *file, int line, const char *what, long got, long want);
/* The case does not apply here (e.g. it needs more CPUs): it is reported
 * as a TAP skip with the reason, counted apart from the passes. The case
 * returns after calling it. */
void ktest_skip(const char *why);
extern volatile int ktest_failed;

#define CHECK(c)                                                                                             \
	do {                                                                                                 \
		if (!(c)) {                                                                                  \
			ktest_fail(__FILE__, __LINE__, #c, 0, 0);                                            \
			return;                                                                              \
		}                                                                                            \
	} while (0)
#define CHECK_EQ(a, b)                                                                                       \
	do {                                                                                                 \
		long _a = (long)(a), _b = (long)(b);                                                         \
		if (_a != _b) {                                                                              \
			ktest_fail(__FILE__, __LINE__, #a " == " #b, _a, _b);                                \
			return;                                                                              \
		}                                                                                            \
	} while (0)
#define CHECK_OK(e) CHECK_EQ((e), MICA_OK)
#define CHECK_ERR(e, want) CHECK_EQ((e), (want))
/* A result tag's error and phase. */
#define CHECK_TAG_ERR(tag, want, recv_phase)                                                                 \
	do {                                                                                                 \
		mica_msgtag_t _t = (tag);                                                                    \
		CHECK_EQ(mica_error(_t), (want));                                                            \
		CHECK_EQ(!!(_t.raw & MICA_TAG_RECV_PHASE), !!(recv_phase));                                  \
		CHECK_EQ(mica_utcb()->error, (want));                                                        \
	} while (0)

/* Per-case resources, all released after the case. */
#define KF ((mica_cap_t)0x100) /* the case's factory */
#define KTASK MICA_CAP_TASK
mica_cap_t ksel(void); /* a fresh selector in this task */
mica_cap_t kirq(void); /* a new IRQ object (from the case's factory) at a fresh selector, or 0 */
#define KTEST_QUOTA (1024 * 1024ul)

mica_word_t kf_used(void); /* bytes charged to the case's factory */

/* The runner's scheduling parameters, restored after every case. */
#define KTEST_SLICE_NS 10000000ul

/* Helper threads. fn runs with the thread's UTCB; when it returns the
 * thread halts itself and `done` is set. */
struct kthread {
	mica_cap_t sel;	 /* the thread, in this (the root) task */
	mica_cap_t self; /* the thread, in its own task */
	void (*fn)(struct kthread *);
	mica_word_t arg, arg2;
	mica_cap_t cap, cap2; /* selectors for fn to use, in its task */
	volatile mica_word_t out[8];
	volatile int done;
};

/* A thread in this task (task = KTASK) or in a child task made by
 * ktask_create; created, bound and started. */
struct kthread *kthread_start(mica_cap_t task, void (*fn)(struct kthread *), mica_word_t arg);
/* Created and bound, not started: ktest code starts it. */
struct kthread *kthread_new(mica_cap_t task, void (*fn)(struct kthread *), mica_word_t arg);
/* Starts it; one that has no scheduling parameters yet gets the
 * defaults (MICA_SCHED_DEFAULT_PRIO, 10 ms) from the root's scheduler. */
int kthread_go(struct kthread *k);
/* START alone, as a task without a scheduler would: MICA_E_NOT_SCHEDULED
 * unless the thread was placed (mica/scheduler.h RUN_THREAD). */
int kthread_go_raw(struct kthread *k);

/* Lets other threads run until cond holds or nothing else can run for a
 * while; false if cond never held. */
int kwait_cond(volatile int *flag);
#define KWAIT(k) kwait_cond(&(k)->done)
void kyield(void);

/* A child task sharing this program's image (code, data, stacks): its
 * threads can run any function here. Returns its selector in this task. */
mica_cap_t ktask_create(void);
/* Copies a capability of ours into a task at dst (full rights mask). */
int kgive(mica_cap_t task, mica_cap_t ours, mica_cap_t dst);
/* A thread in a new child task running fn, whose pager and/or exception
 * handler (which: MICA_THREAD_CTL_PAGER / _EXC) is a new gate *g here
 * with label; *task (if not 0) gets the task. Not started. */
struct kthread *kfaulter_new(void (*fn)(struct kthread *), mica_word_t arg, mica_word_t which,
			     mica_word_t label, mica_cap_t *g, mica_cap_t *task);

/* For the child tasks' UTCB areas. */
#define KCHILD_UTCB 0x7fff00000000ul
#define KCHILD_UTCB_LOG2 14

/* Fills MR[0..n-1] with a pattern, checks one. */
void kfill(mica_word_t seed, unsigned n);
int kcheck_fill(mica_word_t seed, unsigned n);
