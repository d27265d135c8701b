/* The helpers of smp_util.h the smp_ cases share. */
#include "smp_util.h"

#include <mica/error.h>
#include <mica/kdebug.h>

#include "mem.h"

int kplace(struct kthread *k, unsigned cpu)
{
	return mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, MICA_SCHED_DEFAULT_PRIO, KTEST_SLICE_NS,
				     cpu);
}

struct kthread *kstart_on(mica_cap_t task, void (*fn)(struct kthread *), mica_word_t arg, unsigned cpu)
{
	struct kthread *k = kthread_new(task, fn, arg);
	if (!k || kplace(k, cpu) != MICA_OK || kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

int kwait_flag(volatile int *flag, unsigned steps)
{
	for (unsigned i = 0; i < steps && !*flag; i++)
		ksleep(100000);
	return *flag;
}

int kwait_state(struct kthread *k, mica_word_t st, unsigned steps)
{
	mica_word_t info[5];
	for (unsigned i = 0; i < steps; i++) {
		if (mica_thread_info(k->sel, info) == MICA_OK && info[0] == st)
			return 1;
		ksleep(100000);
	}
	return 0;
}

int kremote_read(unsigned cpu, mica_cap_t task, mica_word_t addr, mica_word_t *v)
{
	mica_word_t out[5];
	int e = mica_kdebug_remote(MICA_CAP_KDEBUG, cpu, MICA_KDEBUG_REMOTE_READ, task, addr, out);
	if (e)
		return e;
	*v = out[4];
	return out[3] ? KPROBE_FAULT : 0;
}
