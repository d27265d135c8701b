/* Time: clock_gettime from the KIP clock (mica_clock.h) with no kernel
 * entry, CLOCK_REALTIME as that clock plus the wall-clock time of boot
 * the kernel read from the RTC (the KIP's wall_boot_ns, docs/abi.md §7;
 * counted from boot if the KIP has none), and nanosleep and
 * clock_nanosleep as an IPC timeout: a closed wait on a gate of the
 * program's that nothing sends to, repeated until the clock has passed
 * the deadline, so a sleep never ends early. CPU-time clocks are EINVAL. */
#include <errno.h>
#include <mica/env.h>
#include <mica/program.h>
#include <mica_clock.h>
#include <mica_obj.h>
#include <sys/auxv.h>
#include <time.h>

#include "posix.h"

#define NS 1000000000u

static const struct mica_kip *kip;
static mica_cap_t sleep_gate;
static posix_mutex_t gate_lock;

static const struct mica_kip *the_kip(void)
{
	if (!kip)
		kip = (const struct mica_kip *)getauxval(MICA_AT_KIP);
	return kip;
}

uint64_t posix_now_ns(void)
{
	const struct mica_kip *k = the_kip();
	return k ? mica_clock_ns(k) : 0;
}

static int known_clock(long clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return 1;
	default:
		return 0;
	}
}

static int is_realtime(long clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE;
}

uint64_t posix_clock_to_boot(long clk, uint64_t ns)
{
	const struct mica_kip *k = the_kip();
	if (is_realtime(clk) && k)
		ns = ns > k->wall_boot_ns ? ns - k->wall_boot_ns : 0;
	return ns > posix_now_ns() ? ns : 0;
}

long posix_clock_gettime(long clk, long ts)
{
	if (!known_clock(clk))
		return -EINVAL;
	const struct mica_kip *k = the_kip();
	if (!k)
		return -ENOSYS;
	uint64_t ns = mica_clock_ns(k);
	if (is_realtime(clk))
		ns += k->wall_boot_ns;
	struct timespec *t = (struct timespec *)ts;
	t->tv_sec = (time_t)(ns / NS);
	t->tv_nsec = (long)(ns % NS);
	return 0;
}

long posix_clock_getres(long clk, long ts)
{
	if (!known_clock(clk))
		return -EINVAL;
	if (ts) {
		struct timespec *t = (struct timespec *)ts;
		t->tv_sec = 0;
		t->tv_nsec = 1;
	}
	return 0;
}

long posix_nanosleep(long clk, long flags, long req, long rem)
{
	const struct timespec *r = (const struct timespec *)req;
	if (!known_clock(clk))
		return -EINVAL;
	if (r->tv_sec < 0 || r->tv_nsec < 0 || r->tv_nsec >= (long)NS)
		return -EINVAL;
	uint64_t ns = (uint64_t)r->tv_sec * NS + (uint64_t)r->tv_nsec;
	uint64_t deadline = flags & TIMER_ABSTIME ? posix_clock_to_boot(clk, ns) : posix_now_ns() + ns;
	posix_mutex_lock(&gate_lock);
	if (!sleep_gate) {
		mica_cap_t g = posix_cap_alloc();
		if (mica_create_gate(MICA_CAP_FACTORY, g, 0, 0) == MICA_OK)
			sleep_gate = g;
		else
			posix_cap_free(g);
	}
	posix_mutex_unlock(&gate_lock);
	for (uint64_t now; (now = posix_now_ns()) < deadline;) {
		if (sleep_gate)
			mica_wait(sleep_gate, mica_timeout_ns(deadline - now), 0);
		else
			mica_thread_yield(posix_self_cap()); /* no room for a gate: poll */
	}
	if (rem && !(flags & TIMER_ABSTIME)) {
		struct timespec *left = (struct timespec *)rem;
		left->tv_sec = 0;
		left->tv_nsec = 0;
	}
	return 0;
}
