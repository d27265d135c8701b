/* A test-and-test-and-set spin lock. The kernel runs with interrupts off,
 * so holders are never interrupted on their own CPU. */
#pragma once

#include <stdbool.h>

struct spinlock {
	volatile int locked;
};

#define SPINLOCK_INIT                                                                                        \
	{                                                                                                    \
		0                                                                                            \
	}

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
