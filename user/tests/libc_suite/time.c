/* The libc_time_ checks: the KIP clock as CLOCK_MONOTONIC (moving
 * forward), CLOCK_REALTIME from the RTC the kernel read at boot (a
 * plausible date), and nanosleep, usleep and clock_nanosleep by IPC
 * timeout (never shorter than asked, also in several threads at once). */
#include <errno.h>
#include <pthread.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "suite.h"

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000ll + t->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns_of(&t);
}

static void *sleeper(void *arg)
{
	long long t0 = mono_ns();
	struct timespec d = { 0, 10000000 };
	nanosleep(&d, 0);
	*(long long *)arg = mono_ns() - t0;
	return 0;
}

SUITE_GROUP(time)
{
	struct timespec a, b;
	int ra = clock_gettime(CLOCK_MONOTONIC, &a);
	volatile unsigned spin = 0;
	for (unsigned i = 0; i < 100000; i++)
		spin += i;
	int rb = clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(monotonic_moves_forward, ra == 0 && rb == 0 && ns_of(&b) > ns_of(&a));
	CHECK(monotonic_nsec_in_range, a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec < 1000000000);

	struct timespec rt;
	int rr = clock_gettime(CLOCK_REALTIME, &rt);
	struct tm tm;
	gmtime_r(&rt.tv_sec, &tm);
	CHECK(realtime_year_plausible, rr == 0 && tm.tm_year + 1900 >= 2024 && tm.tm_year + 1900 < 2200);
	time_t now = time(0);
	CHECK(time_matches_realtime, now >= rt.tv_sec && now - rt.tv_sec < 5);
	struct timeval tv;
	CHECK(gettimeofday_matches,
	      gettimeofday(&tv, 0) == 0 && tv.tv_sec >= rt.tv_sec && tv.tv_sec - rt.tv_sec < 5);
	struct timespec res;
	CHECK(getres, clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
	CHECK(cputime_clock_einval, clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a) == -1 && errno == EINVAL);

	long long t0 = mono_ns();
	struct timespec d = { 0, 20000000 }, left = { 1, 1 };
	int rn = nanosleep(&d, &left);
	long long slept = mono_ns() - t0;
	CHECK(nanosleep_lower_bound_20ms, rn == 0 && slept >= 20000000);
	CHECK(nanosleep_not_far_over, slept < 2000000000ll);

	d.tv_sec = 0;
	d.tv_nsec = 0;
	CHECK(nanosleep_zero, nanosleep(&d, 0) == 0);
	d.tv_nsec = 1000000000;
	CHECK(nanosleep_bad_nsec_einval, nanosleep(&d, 0) == -1 && errno == EINVAL);

	t0 = mono_ns();
	int ru = usleep(5000);
	CHECK(usleep_lower_bound, ru == 0 && mono_ns() - t0 >= 5000000);

	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0);
	CHECK(clock_nanosleep_abstime, rc == 0 && mono_ns() >= ns_of(&abs));
	clock_gettime(CLOCK_REALTIME, &abs);
	t0 = mono_ns();
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	rc = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, 0);
	CHECK(clock_nanosleep_realtime_abstime, rc == 0 && mono_ns() - t0 >= 9000000);

	long long took[3] = { 0, 0, 0 };
	pthread_t t[3];
	int created = 0;
	for (int i = 0; i < 3; i++)
		created += pthread_create(&t[i], 0, sleeper, &took[i]) == 0;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], 0);
	CHECK(sleeps_in_threads,
	      created == 3 && took[0] >= 10000000 && took[1] >= 10000000 && took[2] >= 10000000);
}
