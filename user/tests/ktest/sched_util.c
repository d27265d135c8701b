/* The time and scheduling helpers of sched_util.h. */
#include "sched_util.h"

int ksleep(uint64_t ns)
{
	int e = mica_error(mica_wait(MICA_CAP_INVALID, mica_timeout_ns(ns), 0));
	return e == MICA_E_TIMEOUT ? MICA_OK : e ? e : -1;
}

void kspin_ns(uint64_t ns)
{
	uint64_t end = know() + ns;
	while (know() < end)
		__asm__ volatile("pause");
}

int kprio(mica_cap_t thread, unsigned prio, uint64_t slice_ns)
{
	return mica_sched_run_thread(MICA_CAP_SCHEDULER, thread, prio, slice_ns, 0);
}
