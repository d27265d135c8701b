/* IPC gates: endpoints with a queue of blocked senders and a queue of
 * threads in closed wait on the gate. A gate may be bound to one thread,
 * whose open wait then takes its messages too; so a server waits on all
 * its gates with one receive, and a pool of threads serves one gate by
 * receiving from it by name. */
#pragma once

#include "objects/kobj.h"
#include "sched/percpu.h"

struct thread;

/* A gate's lock covers its two queues; the queued threads' own state is
 * their CPUs' (sched/cpu_lock.h), whose locks come first, and `bound`
 * and the pending list are changed only under every CPU's lock and the
 * bound thread's, respectively (docs/architecture.md, "Locking order"). */
struct gate {
	struct kobj hdr;
	volatile unsigned lock_owner;	      /* 0: free; else the holder's CPU id + 1 */
	struct thread *bound;		      /* 0: unbound */
	struct gate *bound_next, *bound_prev; /* in bound->bound_gates */
	struct gate *pend_next;		      /* in bound->pend_* */
	bool pending;
	struct thread *send_head, *send_tail;
	struct thread *recv_head, *recv_tail;
};

struct gate *gate_create(struct factory *f, struct thread *bind_to);
/* The thread the gate is bound to is gone: the gate stays (closed waits
 * may still serve it), but the senders queued for that server are
 * released with MICA_E_ABORTED. */
void gate_server_gone(struct gate *g);

/* Senders and receivers still queued are released with MICA_E_ABORTED. */
void gate_release(struct gate *g);

void gate_lock_contended(struct gate *g, unsigned me);

/* Takes g's lock (me: this CPU's id); with one CPU online, nothing. */
static inline __attribute__((always_inline)) void gate_lock(struct gate *g, unsigned me)
{
	unsigned free = 0;
	if (cpus_online > 1 && !__atomic_compare_exchange_n(&g->lock_owner, &free, me + 1, false,
							    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		gate_lock_contended(g, me);
}

static inline __attribute__((always_inline)) void gate_unlock(struct gate *g)
{
	__atomic_store_n(&g->lock_owner, 0, __ATOMIC_RELEASE);
}

static inline bool gate_lock_held(const struct gate *g, unsigned me)
{
	return cpus_online < 2 || g->lock_owner == me + 1;
}

/* The thread queues (threads link through q_next/q_prev). */
void gate_enqueue(struct thread **head, struct thread **tail, struct thread *t);
void gate_dequeue(struct thread **head, struct thread **tail, struct thread *t);

/* The first sender queued on g (under its lock) whose capability's
 * label & mask == value, or 0: a filtered open wait's choice
 * (MICA_IPC_FILTER); the others keep their places. */
struct thread *gate_first_match(const struct gate *g, uint64_t mask, uint64_t value);

/* A sender arrived at a bound gate with nobody in closed wait: remember
 * the gate on the bound thread's list for its next open wait. */
void gate_mark_pending(struct gate *g);
