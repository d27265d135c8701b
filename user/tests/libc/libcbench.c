/* The libc_ benchmarks' program (make bench, docs/benchmarks.md), each
 * timed here with the TSC (under -icount: guest instructions) and its
 * samples left in /tmp/libc_bench.samples (SAMPLES per benchmark, in the
 * order below) for the benchmark's root task, the file system's server:
 *   libc_mutex_uncontended  pthread_mutex_lock + unlock, nobody else wants it
 *   libc_mutex_handoff      two threads on one CPU alternating a mutex:
 *                           a sample is one round (lock, which waits for
 *                           the other thread; yield; unlock, which wakes
 *                           it; yield): the mutex goes over and back
 *   libc_write_log          write() of 64 bytes (one line) to stdout, the log
 *   libc_malloc_free_64     malloc(64) + free, another 64-byte block live
 * Exit status 0 if all ran. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLES 100
#define WARMUP 10
#define BENCHES 4

static inline uint64_t stamp(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t samples[BENCHES][SAMPLES];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int other_started;

/* The other side of the handoff: the same round, as often. */
static void *partner(void *arg)
{
	(void)arg;
	other_started = 1;
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		pthread_mutex_lock(&m);
		sched_yield();
		pthread_mutex_unlock(&m);
		sched_yield();
	}
	return 0;
}

static volatile int stop_yielding;

static void *yielder(void *arg)
{
	(void)arg;
	other_started = 1;
	while (!stop_yielding)
		sched_yield();
	return 0;
}

int main(void)
{
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		uint64_t t0 = stamp();
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[0][i - WARMUP] = t1 - t0;
	}

	pthread_t t;
	if (pthread_create(&t, 0, partner, 0) != 0)
		return 1;
	while (!other_started)
		sched_yield();
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		uint64_t t0 = stamp();
		pthread_mutex_lock(&m);
		sched_yield();
		pthread_mutex_unlock(&m);
		sched_yield();
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[1][i - WARMUP] = t1 - t0;
	}
	if (pthread_join(t, 0) != 0)
		return 2;

	/* For the breakdown (docs/benchmarks.md), printed, not a benchmark:
	 * a round of two yields alone, the same two threads taking turns. */
	other_started = 0;
	if (pthread_create(&t, 0, yielder, 0) != 0)
		return 6;
	while (!other_started)
		sched_yield();
	uint64_t least = ~0ull;
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		uint64_t t0 = stamp();
		sched_yield();
		sched_yield();
		uint64_t t1 = stamp();
		if (t1 - t0 < least)
			least = t1 - t0;
	}
	stop_yielding = 1;
	if (pthread_join(t, 0) != 0)
		return 7;
	printf("libcbench: a round of two sched_yield in each of two threads: %llu\n",
	       (unsigned long long)least);
	fflush(stdout);

	char line[64];
	memset(line, 'w', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		uint64_t t0 = stamp();
		long n = write(1, line, sizeof(line));
		uint64_t t1 = stamp();
		if (n != (long)sizeof(line))
			return 3;
		if (i >= WARMUP)
			samples[2][i - WARMUP] = t1 - t0;
	}

	/* A block of the same size stays allocated: without it mallocng
	 * hands the size class's group back (munmap) at every free and
	 * maps it again at the next malloc (docs/benchmarks.md). */
	void *volatile keep = malloc(64);
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		uint64_t t0 = stamp();
		void *volatile p = malloc(64);
		free(p);
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[3][i - WARMUP] = t1 - t0;
	}

	free(keep);
	int out = open("/tmp/libc_bench.samples", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (out < 0 || write(out, samples, sizeof(samples)) != (long)sizeof(samples))
		return 4;
	return close(out) ? 5 : 0;
}
