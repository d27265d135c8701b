/* The libc_tls_ checks: thread-local storage (each thread's own copy of
 * _Thread_local variables, from the program's TLS image, through its
 * own FS base) and errno per thread. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"

#define THREADS 4

static _Thread_local int tv = 42;	/* initialized (.tdata) */
static _Thread_local char zeroes[8192]; /* zero (.tbss) */
static _Thread_local long mine;

struct report {
	int id, initial, kept, zero, errno_before, errno_after;
	void *addr;
};

static pthread_barrier_t all_set;

static void *tls_worker(void *arg)
{
	struct report *r = arg;
	r->initial = tv;
	r->addr = &tv;
	int z = 1;
	for (unsigned i = 0; i < sizeof(zeroes); i++)
		z &= zeroes[i] == 0;
	r->zero = z;
	memset(zeroes, 0xff, sizeof(zeroes));
	mine = (long)(intptr_t)r;
	tv = 1000 + r->id;
	r->errno_before = errno;
	if (close(-1) != -1)
		errno = 0;
	/* every thread has failed once before any looks again */
	pthread_barrier_wait(&all_set);
	r->errno_after = errno;
	r->kept = mine == (long)(intptr_t)r && tv == 1000 + r->id;
	return 0;
}

static void *sets_einval(void *arg)
{
	(void)arg;
	errno = EINVAL;
	return (void *)(intptr_t)errno;
}

SUITE_GROUP(tls)
{
	struct report rep[THREADS];
	pthread_t t[THREADS];
	memset(rep, 0, sizeof(rep));
	tv = 7; /* the main thread's copy only */
	errno = 0;
	pthread_barrier_init(&all_set, 0, THREADS);
	int created = 0;
	for (int i = 0; i < THREADS; i++) {
		rep[i].id = i;
		created += pthread_create(&t[i], 0, tls_worker, &rep[i]) == 0;
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], 0);
	int initial = 1, distinct = 1, kept = 1, zero = 1, eb = 1, ea = 1;
	for (int i = 0; i < THREADS; i++) {
		initial &= rep[i].initial == 42;
		kept &= rep[i].kept;
		zero &= rep[i].zero;
		eb &= rep[i].errno_before == 0;
		ea &= rep[i].errno_after == EBADF;
		distinct &= rep[i].addr != &tv;
		for (int k = 0; k < i; k++)
			distinct &= rep[i].addr != rep[k].addr;
	}
	CHECK(threads_created, created == THREADS);
	CHECK(initial_value_from_image, initial);
	CHECK(zero_initialized_tbss, zero);
	CHECK(addresses_distinct, distinct);
	CHECK(values_kept_per_thread, kept);
	CHECK(main_copy_untouched, tv == 7 && zeroes[0] == 0);
	CHECK(errno_starts_zero_per_thread, eb);
	CHECK(errno_per_thread, ea && errno == 0);

	pthread_t x;
	void *ret = 0;
	errno = ENOENT;
	pthread_create(&x, 0, sets_einval, 0);
	pthread_join(x, &ret);
	CHECK(errno_not_shared, ret == (void *)EINVAL && errno == ENOENT);
	errno = 0;
	CHECK(errno_from_failed_open_in_main, open("/rom/no-such-module", O_RDONLY) == -1 && errno == ENOENT);
}
