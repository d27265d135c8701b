/* Mica's replacement for musl's src/thread/pthread_mutex_unlock.c
 * object: the same unlock with a separate fast path for a normal mutex
 * (libc_mutex_uncontended, docs/benchmarks.md). musl's function keeps
 * the registers of its slow paths (robust and priority-inheritance
 * mutexes call other functions) in callee-saved ones, so GCC saves and
 * restores six of them even for a normal mutex; this one has no call on
 * its fast path and leaves every other type to musl's own code, compiled
 * unchanged under another name. Built in place of musl's object by the
 * rule in musl-build.mak. */
#include "pthread_impl.h"

/* musl's function, for every type but a normal mutex. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier): in the C library's name space */
hidden int __mica_mutex_unlock_other(pthread_mutex_t *m);

#undef weak_alias
#define weak_alias(old, new) extern int mica_unused_alias_##new
/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
#define __pthread_mutex_unlock __mica_mutex_unlock_other
/* NOLINTNEXTLINE(bugprone-suspicious-include): musl's own source, unchanged */
#include "pthread_mutex_unlock.c"
#undef __pthread_mutex_unlock

/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
int __pthread_mutex_unlock(pthread_mutex_t *m)
{
	/* Recursive, error-checking, robust or priority-inheritance. */
	if (m->_m_type & 15)
		return __mica_mutex_unlock_other(m);
	/* As musl's: the waiter count read before the release, a wake when
	 * a thread waits or the lock word said one might. */
	int waiters = m->_m_waiters;
	int priv = (m->_m_type & 128) ^ 128;
	if (a_swap(&m->_m_lock, 0) < 0 || waiters)
		__wake(&m->_m_lock, 1, priv);
	return 0;
}

extern __typeof(__pthread_mutex_unlock) pthread_mutex_unlock
	__attribute__((__weak__, __alias__("__pthread_mutex_unlock")));
