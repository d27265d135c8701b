/* The back end's own locks (user/posix/README.md, "Threads"): a spin
 * lock for short sections that make no blocking call (the futex table,
 * the thread table, the selector allocator), and a mutex for sections
 * that call servers (files, memory, standard output), whose waiters
 * sleep in the futex service instead of spinning. A spinning thread
 * yields its CPU after a few rounds: on one CPU the holder can only
 * finish if the waiter steps aside (every thread of a program runs at
 * the same priority, so the yield reaches it). */
#include <mica_obj.h>

#include "posix.h"

#define SPIN_ROUNDS 64

void posix_spin_lock(posix_spin_t *l)
{
	for (;;) {
		if (!__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
			return;
		for (unsigned i = 0; i < SPIN_ROUNDS && __atomic_load_n(&l->held, __ATOMIC_RELAXED); i++)
			__asm__ volatile("pause");
		if (__atomic_load_n(&l->held, __ATOMIC_RELAXED))
			mica_thread_yield(posix_self_cap());
	}
}

void posix_spin_unlock(posix_spin_t *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

/* state: 0 free, 1 held, 2 held and someone may sleep on it (the
 * classic three-state futex mutex: an unlock without waiters makes no
 * call). */
void posix_mutex_lock(posix_mutex_t *m)
{
	int c = 0;
	if (__atomic_compare_exchange_n(&m->state, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		posix_futex_wait(&m->state, 2, 0);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

void posix_mutex_unlock(posix_mutex_t *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		posix_futex_wake(&m->state, 1);
}
