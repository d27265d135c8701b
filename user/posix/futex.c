/* futex(2) as a user-level service: FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE
 * and FUTEX_CMP_REQUEUE (musl's condition variables requeue), private or
 * not (one address space either way), with and without a timeout.
 * musl's atomics make the uncontended path; only a thread that must
 * sleep, or must wake a sleeper, gets here.
 *
 * A sleeping waiter is a node on its own stack, queued in the bucket of
 * its address under the bucket's spin lock, and blocks in an open wait
 * for its thread's IRQ (thread.c attaches one to every thread). A waker
 * unlinks the node and marks it woken under the same lock, and only then
 * triggers the IRQ, outside the lock. The value check and the queueing
 * are one step under the lock, and a waker finds every node queued
 * before its own lock, so no wakeup is lost; an IRQ firing is kept
 * pending until its thread waits, so a trigger that comes before the
 * waiter blocks is not lost either. A firing that is stale (its node was
 * already gone) only makes the next wait of that thread look again:
 * a node returns only when it was marked woken, or on its timeout.
 *
 * Partial (issue 21): the waiter's open wait also takes a message from a
 * gate bound to the waiting thread, which is then dropped; a program
 * that serves gates bound to a thread must not let that thread sleep on
 * a futex. No FUTEX_WAKE_OP, PI futexes or bitsets other than "all". */
#include <errno.h>
#include <limits.h>
#include <mica_clock.h>
#include <mica_obj.h>
#include <time.h>

#include "posix.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE 128
#define FUTEX_CLOCK_REALTIME 256

#define BUCKETS 64
/* Wakes collected under a lock and triggered after it, per round. */
#define BATCH 16

struct waiter {
	struct waiter *next;
	volatile int *addr;
	mica_cap_t irq;
	int woken; /* set under the bucket lock; the waker's last touch */
};

static struct bucket {
	posix_spin_t lock;
	struct waiter *head; /* FIFO: the longest waiting is woken first */
} buckets[BUCKETS];

static struct bucket *bucket_of(volatile int *addr)
{
	mica_word_t a = (mica_word_t)addr;
	return &buckets[((a >> 2) ^ (a >> 9)) % BUCKETS];
}

static void unlink_waiter(struct bucket *b, struct waiter *w)
{
	for (struct waiter **p = &b->head; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			return;
		}
}

long posix_futex_wait(volatile int *addr, int val, uint64_t deadline)
{
	mica_cap_t irq = posix_thread_irq();
	if (!irq) { /* no kernel quota for its IRQ: a spurious wakeup after a yield */
		mica_thread_yield(posix_self_cap());
		return deadline && posix_now_ns() >= deadline ? -ETIMEDOUT : 0;
	}
	struct bucket *b = bucket_of(addr);
	struct waiter w = { 0, addr, irq, 0 };
	posix_spin_lock(&b->lock);
	if (*addr != val) {
		posix_spin_unlock(&b->lock);
		return -EAGAIN;
	}
	struct waiter **tail = &b->head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = &w;
	posix_spin_unlock(&b->lock);
	for (;;) {
		uint32_t to = MICA_TIMEOUT_NEVER;
		if (deadline) {
			uint64_t now = posix_now_ns();
			to = now >= deadline ? MICA_TIMEOUT_ZERO : mica_timeout_ns(deadline - now);
		}
		mica_word_t label;
		mica_msgtag_t r = mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_RECV, MICA_CAP_INVALID,
					   MICA_TIMEOUTS(0, to), &label);
		if (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE))
			return 0;
		if (deadline && mica_error(r) == MICA_E_TIMEOUT && posix_now_ns() >= deadline) {
			posix_spin_lock(&b->lock);
			int woken = w.woken;
			if (!woken)
				unlink_waiter(b, &w);
			posix_spin_unlock(&b->lock);
			return woken ? 0 : -ETIMEDOUT;
		}
		/* a stale firing, or too early: wait on */
	}
}

static void trigger_all(const mica_cap_t *irqs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		mica_irq_trigger(irqs[i]);
}

/* Wakes up to n waiters on addr (of bucket b, locked) into irqs[], at
 * most BATCH: how many. */
static unsigned take(struct bucket *b, volatile int *addr, long n, mica_cap_t *irqs)
{
	unsigned k = 0;
	for (struct waiter **p = &b->head; *p && k < (unsigned long)n && k < BATCH;) {
		struct waiter *w = *p;
		if (w->addr != addr) {
			p = &w->next;
			continue;
		}
		*p = w->next;
		irqs[k++] = w->irq;
		__atomic_store_n(&w->woken, 1, __ATOMIC_RELEASE);
	}
	return k;
}

long posix_futex_wake(volatile int *addr, long n)
{
	struct bucket *b = bucket_of(addr);
	long total = 0;
	while (total < n) {
		mica_cap_t irqs[BATCH];
		posix_spin_lock(&b->lock);
		unsigned k = take(b, addr, n - total, irqs);
		posix_spin_unlock(&b->lock);
		trigger_all(irqs, k);
		total += k;
		if (k < BATCH)
			break;
	}
	return total;
}

/* Wakes up to nwake waiters on addr and moves up to nmove of the others
 * to addr2; with cmp, only if *addr is still val3 (else EAGAIN). */
static long requeue(volatile int *addr, long nwake, long nmove, volatile int *addr2, int cmp, int val3)
{
	struct bucket *b = bucket_of(addr), *b2 = bucket_of(addr2);
	struct bucket *first = b < b2 ? b : b2, *second = b < b2 ? b2 : b;
	mica_cap_t irqs[BATCH];
	posix_spin_lock(&first->lock);
	if (second != first)
		posix_spin_lock(&second->lock);
	if (cmp && *addr != val3) {
		if (second != first)
			posix_spin_unlock(&second->lock);
		posix_spin_unlock(&first->lock);
		return -EAGAIN;
	}
	unsigned k = take(b, addr, nwake, irqs);
	long moved = 0;
	if (addr2 == addr)
		nmove = 0; /* they wait there already */
	for (struct waiter **p = &b->head; *p && moved < nmove;) {
		struct waiter *w = *p;
		if (w->addr != addr) {
			p = &w->next;
			continue;
		}
		*p = w->next;
		w->addr = addr2;
		w->next = 0;
		struct waiter **tail = &b2->head;
		while (*tail)
			tail = &(*tail)->next;
		*tail = w;
		moved++;
	}
	if (second != first)
		posix_spin_unlock(&second->lock);
	posix_spin_unlock(&first->lock);
	trigger_all(irqs, k);
	return cmp ? (long)k + moved : (long)k;
}

long posix_futex(long uaddr, long op, long val, long timeout, long uaddr2, long val3)
{
	volatile int *addr = (volatile int *)uaddr;
	if (!addr || (uaddr & 3))
		return -EINVAL;
	const struct timespec *ts = (const struct timespec *)timeout;
	switch (op & ~(long)(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME)) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET: {
		uint64_t deadline = 0;
		if (ts) {
			if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
				return -EINVAL;
			uint64_t ns = (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
			if ((op & ~(long)(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME)) == FUTEX_WAIT)
				deadline = posix_now_ns() + ns; /* relative */
			else
				deadline = posix_clock_to_boot(
					op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC, ns);
			if (!deadline)
				deadline = 1; /* already past */
		}
		if ((op & 127) == FUTEX_WAIT_BITSET && (unsigned)val3 != ~0u)
			return -EINVAL;
		return posix_futex_wait(addr, (int)val, deadline);
	}
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return val <= 0 ? 0 : posix_futex_wake(addr, val);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if (val < 0 || timeout < 0 || !uaddr2 || (uaddr2 & 3))
			return -EINVAL;
		return requeue(addr, val, timeout, (volatile int *)uaddr2, (op & 127) == FUTEX_CMP_REQUEUE,
			       (int)val3);
	default:
		return -ENOSYS;
	}
}
