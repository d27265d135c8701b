/* IPC gates: endpoints with a queue of blocked senders and a queue of
 * threads in closed wait on the gate. A gate may be bound to one thread,
 * whose open wait then takes its messages too; so a server waits on all
 * its gates with one receive, and a pool of threads serves one gate by
 * receiving from it by name. */
#pragma once

#include "objects/kobj.h"

struct thread;

struct gate {
	struct kobj hdr;
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

/* The thread queues (threads link through q_next/q_prev). */
void gate_enqueue(struct thread **head, struct thread **tail, struct thread *t);
void gate_dequeue(struct thread **head, struct thread **tail, struct thread *t);

/* A sender arrived at a bound gate with nobody in closed wait: remember
 * the gate on the bound thread's list for its next open wait. */
void gate_mark_pending(struct gate *g);
