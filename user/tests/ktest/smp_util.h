/* Helpers the smp_ cases share: skipping on too few CPUs, placing a
 * thread on a CPU, waiting for what another CPU does, and a remote read. */
#pragma once

#include "sched_util.h"

/* A case that needs n CPUs is a TAP skip on a boot with fewer. */
#define NEED_CPUS(n)                                                                                         \
	do {                                                                                                 \
		if (kcpus_online() < (n)) {                                                                  \
			ktest_skip("needs " #n " CPUs");                                                     \
			return;                                                                              \
		}                                                                                            \
	} while (0)

/* Places k on cpu at the default priority and the suite's slice. */
int kplace(struct kthread *k, unsigned cpu);

/* A thread of task running fn, placed on cpu and started; 0 on failure. */
struct kthread *kstart_on(mica_cap_t task, void (*fn)(struct kthread *), mica_word_t arg, unsigned cpu);

/* Sleeps in 100 us steps, at most steps of them, until *flag is set;
 * returns *flag. */
int kwait_flag(volatile int *flag, unsigned steps);

/* Sleeps in 100 us steps, at most steps of them, until k's thread is in
 * state st (MICA_THREAD_*); 1 if it got there. */
int kwait_state(struct kthread *k, mica_word_t st, unsigned steps);

/* What the task's thread on cpu would read at addr (through the debug
 * object's remote request): 0 and *v, or KPROBE_FAULT, or the error. */
int kremote_read(unsigned cpu, mica_cap_t task, mica_word_t addr, mica_word_t *v);
