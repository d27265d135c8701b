/* clock_gettime from the KIP clock (mica_clock.h): no kernel entry.
 * Partial: there is no wall clock yet, so CLOCK_REALTIME counts from
 * boot like CLOCK_MONOTONIC; CPU-time clocks are EINVAL. */
#include <errno.h>
#include <mica/env.h>
#include <mica/program.h>
#include <mica_clock.h>
#include <sys/auxv.h>
#include <time.h>

#include "posix.h"

long posix_clock_gettime(long clk, long ts)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	const struct mica_kip *kip = (const struct mica_kip *)getauxval(MICA_AT_KIP);
	if (!kip)
		return -ENOSYS;
	uint64_t ns = mica_clock_ns(kip);
	struct timespec *t = (struct timespec *)ts;
	t->tv_sec = (time_t)(ns / 1000000000u);
	t->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}
