/* The libc_thread_ checks: POSIX threads on Mica (user/posix/thread.c,
 * futex.c): create, join, detach, exit values, mutexes and condition
 * variables under real contention (4 threads, 100,000 increments each,
 * spread over the CPUs the program's scheduler may use), barriers,
 * semaphores, once, keys, timeouts, and more threads over time than
 * the program has UTCB slots (ended threads' slots are reused). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier): gettid is a GNU extension */
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "suite.h"

#define WORKERS 4
#define ROUNDS 100000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static int cpu_of[WORKERS];

static void *add_under_lock(void *arg)
{
	cpu_of[(intptr_t)arg] = sched_getcpu();
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return 0;
}

static void *twice(void *arg)
{
	return (void *)((intptr_t)arg * 2);
}

static void *exits_early(void *arg)
{
	pthread_exit((void *)((intptr_t)arg + 1));
	return 0;
}

static void *own_tid(void *arg)
{
	*(pid_t *)arg = gettid();
	return (void *)pthread_self();
}

/* Condition variables: threads take turns by a shared "whose turn" word. */
static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cond = PTHREAD_COND_INITIALIZER;
static int turn;
static long turn_count;
#define TURNS 2000

static void *take_turns(void *arg)
{
	int me = (int)(intptr_t)arg;
	for (int i = 0; i < TURNS; i++) {
		pthread_mutex_lock(&turn_lock);
		while (turn != me)
			pthread_cond_wait(&turn_cond, &turn_lock);
		turn_count++;
		turn = (turn + 1) % WORKERS;
		pthread_cond_broadcast(&turn_cond);
		pthread_mutex_unlock(&turn_lock);
	}
	return 0;
}

/* A broadcast wakes every waiter. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, waiting, passed;

static void *wait_at_gate(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&gate_lock);
	waiting++;
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	passed++;
	pthread_mutex_unlock(&gate_lock);
	return 0;
}

static sem_t detached_done;
static volatile int detached_ran;

static void *detached(void *arg)
{
	(void)arg;
	detached_ran = 1;
	sem_post(&detached_done);
	return 0;
}

static pthread_barrier_t barrier;
static volatile int before_barrier;
static int saw_all_before;

static void *meet(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&before_barrier, 1, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&barrier);
	if (__atomic_load_n(&before_barrier, __ATOMIC_SEQ_CST) == WORKERS)
		__atomic_add_fetch(&saw_all_before, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void once_body(void)
{
	once_runs++;
}

static void *call_once(void *arg)
{
	(void)arg;
	pthread_once(&once, once_body);
	return 0;
}

static pthread_key_t key;
static int dtor_runs;

static void key_dtor(void *v)
{
	if (v == (void *)&key)
		__atomic_add_fetch(&dtor_runs, 1, __ATOMIC_SEQ_CST);
}

static void *set_key(void *arg)
{
	pthread_setspecific(key, &key);
	return pthread_getspecific(key) == &key ? arg : 0;
}

static void *try_held(void *arg)
{
	return (void *)(intptr_t)pthread_mutex_trylock((pthread_mutex_t *)arg);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

SUITE_GROUP(thread)
{
	pthread_t t[WORKERS];
	void *ret = 0;

	int r = pthread_create(&t[0], 0, twice, (void *)21);
	int j = r == 0 ? pthread_join(t[0], &ret) : -1;
	CHECK(create_join, r == 0 && j == 0);
	CHECK(join_value, ret == (void *)42);

	r = pthread_create(&t[0], 0, exits_early, (void *)6);
	ret = 0;
	j = r == 0 ? pthread_join(t[0], &ret) : -1;
	CHECK(pthread_exit_value, j == 0 && ret == (void *)7);

	pid_t child_tid = 0;
	r = pthread_create(&t[0], 0, own_tid, &child_tid);
	ret = 0;
	pthread_join(t[0], &ret);
	CHECK(tid_distinct, r == 0 && child_tid > 0 && child_tid != gettid() && gettid() == getpid());
	CHECK(self_distinct, !pthread_equal((pthread_t)ret, pthread_self()));

	counter = 0;
	int created = 0;
	for (int i = 0; i < WORKERS; i++)
		created += pthread_create(&t[i], 0, add_under_lock, (void *)(intptr_t)i) == 0;
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], 0);
	CHECK(mutex_counter_4x100000, created == WORKERS && counter == (long)WORKERS * ROUNDS);
	/* spread round-robin over the CPUs the program's scheduler may use */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int distinct = 0;
	for (int i = 0; i < WORKERS; i++) {
		int seen = 0;
		for (int k = 0; k < i; k++)
			seen |= cpu_of[k] == cpu_of[i];
		distinct += !seen && cpu_of[i] >= 0 && cpu_of[i] < cpus;
	}
	CHECK(workers_spread_over_cpus, cpus >= 1 && distinct == (cpus < WORKERS ? cpus : WORKERS));

	turn = 0;
	turn_count = 0;
	created = 0;
	for (int i = 0; i < WORKERS; i++)
		created += pthread_create(&t[i], 0, take_turns, (void *)(intptr_t)i) == 0;
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], 0);
	CHECK(cond_take_turns, created == WORKERS && turn_count == (long)WORKERS * TURNS);

	created = 0;
	for (int i = 0; i < WORKERS; i++)
		created += pthread_create(&t[i], 0, wait_at_gate, 0) == 0;
	for (int spins = 0; spins < 100000; spins++) {
		pthread_mutex_lock(&gate_lock);
		int all = waiting == WORKERS;
		pthread_mutex_unlock(&gate_lock);
		if (all)
			break;
		sched_yield();
	}
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], 0);
	CHECK(cond_broadcast_wakes_all, created == WORKERS && passed == WORKERS);

	sem_init(&detached_done, 0, 0);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&t[0], &attr, detached, 0);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	int w = sem_timedwait(&detached_done, &until);
	CHECK(detach_runs, r == 0 && w == 0 && detached_ran);

	r = pthread_create(&t[0], 0, twice, 0);
	int d = r == 0 ? pthread_detach(t[0]) : -1;
	CHECK(detach_after_create, d == 0);

	pthread_barrier_init(&barrier, 0, WORKERS);
	created = 0;
	for (int i = 0; i < WORKERS; i++)
		created += pthread_create(&t[i], 0, meet, 0) == 0;
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], 0);
	CHECK(barrier, created == WORKERS && saw_all_before == WORKERS);

	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], 0, call_once, 0);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], 0);
	CHECK(once, once_runs == 1);

	pthread_key_create(&key, key_dtor);
	r = pthread_create(&t[0], 0, set_key, (void *)1);
	ret = 0;
	pthread_join(t[0], &ret);
	CHECK(key_value_and_destructor,
	      r == 0 && ret == (void *)1 && dtor_runs == 1 && !pthread_getspecific(key));

	pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&held);
	r = pthread_create(&t[0], 0, try_held, &held);
	ret = 0;
	pthread_join(t[0], &ret);
	CHECK(trylock_busy, r == 0 && ret == (void *)EBUSY);

	struct timespec t0, dl;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 20000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	int tl = pthread_mutex_timedlock(&held, &dl);
	CHECK(timedlock_times_out, tl == ETIMEDOUT && ms_since(&t0) >= 20.0);
	pthread_mutex_unlock(&held);

	pthread_cond_t never = PTHREAD_COND_INITIALIZER;
	pthread_mutex_lock(&held);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 15000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	int cw = pthread_cond_timedwait(&never, &held, &dl);
	pthread_mutex_unlock(&held);
	CHECK(cond_timedwait_times_out, cw == ETIMEDOUT && ms_since(&t0) >= 15.0);

	/* More threads over time than there are UTCB slots: each ended
	 * thread's slot comes back. */
	int good = 0;
	for (int i = 0; i < 40; i++) {
		pthread_t x;
		ret = 0;
		if (pthread_create(&x, 0, twice, (void *)(intptr_t)i) == 0 && pthread_join(x, &ret) == 0 &&
		    ret == (void *)(intptr_t)(2 * i))
			good++;
	}
	CHECK(forty_threads_in_turn, good == 40);

	/* The other mutex types: their unlock is musl's own, the normal
	 * mutex's the overlay's (user/posix/musl/pthread_mutex_unlock_fast.c).
	 * Robust mutexes need get_robust_list, which the back end lacks. */
	pthread_mutexattr_t ma;
	pthread_mutex_t rec, chk;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec, &ma);
	int rl = pthread_mutex_lock(&rec);
	rl |= pthread_mutex_lock(&rec);
	rl |= pthread_mutex_unlock(&rec);
	int r_still_held = pthread_mutex_unlock(&rec);
	int r_released = pthread_mutex_unlock(&rec);
	CHECK(mutex_recursive_unlock, rl == 0 && r_still_held == 0 && r_released == EPERM);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&chk, &ma);
	int c_unheld = pthread_mutex_unlock(&chk);
	int c_ok = pthread_mutex_lock(&chk) | pthread_mutex_unlock(&chk);
	int c_again = pthread_mutex_unlock(&chk);
	CHECK(mutex_errorcheck_unlock, c_unheld == EPERM && c_ok == 0 && c_again == EPERM);
	pthread_mutexattr_destroy(&ma);
}
