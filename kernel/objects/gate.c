/* IPC gates: creation, their queues of waiting threads, and what happens to
 * blocked threads when a gate or its server goes away. */
#include "objects/gate.h"

#include "ipc/ipc.h"
#include "objects/thread.h"
#include "objects/vcpu.h"
#include "sched/remote.h"

void gate_lock_contended(struct gate *g, unsigned me)
{
	/* The holder may wait for a remote request of this CPU (a
	 * shootdown while it moves items): it runs here meanwhile. */
	unsigned free = 0;
	while (!__atomic_compare_exchange_n(&g->lock_owner, &free, me + 1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
		remote_serve();
		__builtin_ia32_pause();
	}
}

struct gate *gate_create(struct factory *f, struct thread *bind_to)
{
	struct gate *g = kobj_alloc(f, MICA_OBJ_GATE);
	if (!g)
		return 0;
	if (bind_to) {
		g->bound = bind_to;
		g->bound_next = bind_to->bound_gates;
		if (bind_to->bound_gates)
			bind_to->bound_gates->bound_prev = g;
		bind_to->bound_gates = g;
	}
	return g;
}

void gate_enqueue(struct thread **head, struct thread **tail, struct thread *t)
{
	t->q_next = 0;
	t->q_prev = *tail;
	if (*tail)
		(*tail)->q_next = t;
	else
		*head = t;
	*tail = t;
}

void gate_dequeue(struct thread **head, struct thread **tail, struct thread *t)
{
	if (t->q_prev)
		t->q_prev->q_next = t->q_next;
	else
		*head = t->q_next;
	if (t->q_next)
		t->q_next->q_prev = t->q_prev;
	else
		*tail = t->q_prev;
	t->q_next = t->q_prev = 0;
}

struct thread *gate_first_match(const struct gate *g, uint64_t mask, uint64_t value)
{
	struct thread *s = g->send_head;
	while (s && (s->send_label & mask) != value)
		s = s->q_next;
	return s;
}

void gate_mark_pending(struct gate *g)
{
	struct thread *t = g->bound;
	if (!t || g->pending)
		return;
	g->pending = true;
	g->pend_next = 0;
	if (t->pend_tail)
		t->pend_tail->pend_next = g;
	else
		t->pend_head = g;
	t->pend_tail = g;
	if (t->vcpu)
		vcpu_kick(t, false);
}

static void unpend(struct gate *g)
{
	struct thread *t = g->bound;
	if (!g->pending)
		return;
	struct gate **p = &t->pend_head, *prev = 0;
	while (*p != g) {
		prev = *p;
		p = &(*p)->pend_next;
	}
	*p = g->pend_next;
	if (t->pend_tail == g)
		t->pend_tail = prev;
	g->pending = false;
	g->pend_next = 0;
}

static void unbind(struct gate *g)
{
	struct thread *t = g->bound;
	if (!t)
		return;
	unpend(g);
	if (g->bound_prev)
		g->bound_prev->bound_next = g->bound_next;
	else
		t->bound_gates = g->bound_next;
	if (g->bound_next)
		g->bound_next->bound_prev = g->bound_prev;
	g->bound = 0;
	g->bound_next = g->bound_prev = 0;
}

/* With every CPU's lock held (thread_kill, gate_release): the queues
 * change only with the lock of a queued thread's CPU too, so they hold
 * still; ipc_abort takes the gate's own lock for each. */
void gate_server_gone(struct gate *g)
{
	unbind(g);
	while (g->send_head)
		ipc_abort(g->send_head, MICA_E_ABORTED);
}

void gate_release(struct gate *g)
{
	gate_server_gone(g);
	while (g->recv_head)
		ipc_abort(g->recv_head, MICA_E_ABORTED);
}
