/* IRQ objects: firing, coalescing, delivery into an open wait, and
 * attachment to the thread that receives them. Hardware lines and their
 * binding are the ICU's (icu.c). */
#include "objects/irq.h"

#include "arch/irq_lines.h"
#include "debug/kdb.h"
#include "sched/cpu_lock.h"
#include "sched/sched.h"
#include "ipc/ipc.h"
#include "objects/thread.h"
#include "objects/vcpu.h"

void irq_fire(struct irq *q)
{
	if (q->pending)
		return; /* coalesces with the firing not yet taken */
	q->pending = true;
	struct thread *t = q->target;
	if (kdb_tracing())
		kdb_trace_irq(q, t);
	if (!t)
		return; /* delivered when attached */
	if (thread_in_open_wait(t) ||
	    (t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_IRQ && t->wait_irq == q)) {
		t->wait = WAIT_NONE;
		t->wait_irq = 0;
		irq_deliver(q, t);
		sched_ready(t);
		return;
	}
	q->pend_next = 0;
	if (t->irq_tail)
		t->irq_tail->pend_next = q;
	else
		t->irq_head = q;
	t->irq_tail = q;
	if (t->vcpu)
		vcpu_kick(t, true);
}

void irq_trigger(struct irq *q)
{
	struct percpu *cpu = this_cpu();
	/* The target changes only under every CPU's lock, so it holds still
	 * while this CPU holds its own; its CPU's lock covers the rest. */
	struct thread *t;
	while ((t = q->target) && !cpu_locks_cover(cpu, cpu_mask_of(t->cpu)))
		cpu_lock_more(cpu, cpu_mask_of(t->cpu));
	irq_fire(q);
}

bool irq_receive_pending(struct thread *self)
{
	struct irq *q = self->irq_head;
	if (!q)
		return false;
	self->irq_head = q->pend_next;
	if (!self->irq_head)
		self->irq_tail = 0;
	q->pend_next = 0;
	irq_deliver(q, self);
	return true;
}

static void unqueue(struct irq *q)
{
	struct thread *t = q->target;
	struct irq *prev = 0;
	for (struct irq *p = t->irq_head; p; prev = p, p = p->pend_next) {
		if (p != q)
			continue;
		if (prev)
			prev->pend_next = q->pend_next;
		else
			t->irq_head = q->pend_next;
		if (t->irq_tail == q)
			t->irq_tail = prev;
		break;
	}
	q->pend_next = 0;
}

enum mica_error irq_receive_closed(struct thread *self, struct irq *q)
{
	if (q->target != self)
		return MICA_E_BAD_ARG;
	if (!q->pending)
		return MICA_E_TIMEOUT;
	unqueue(q); /* pending and attached: it is in self's FIFO */
	irq_deliver(q, self);
	return MICA_OK;
}

void irq_detach(struct irq *q)
{
	struct thread *t = q->target;
	if (!t)
		return;
	if (t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_IRQ && t->wait_irq == q)
		ipc_abort(t, MICA_E_ABORTED); /* it would wait for nothing */
	unqueue(q);
	if (q->att_prev)
		q->att_prev->att_next = q->att_next;
	else
		t->irqs = q->att_next;
	if (q->att_next)
		q->att_next->att_prev = q->att_prev;
	q->att_next = q->att_prev = 0;
	q->target = 0;
	q->pending = false;
}

void irq_attach(struct irq *q, struct thread *t, uint64_t label)
{
	bool was_pending = q->pending;
	irq_detach(q);
	q->target = t;
	q->label = label;
	q->att_prev = 0;
	q->att_next = t->irqs;
	if (t->irqs)
		t->irqs->att_prev = q;
	t->irqs = q;
	q->pending = false;
	if (was_pending)
		irq_fire(q);
}

void irq_unmask(struct irq *q)
{
	if (q->line >= 0 && q->masked) {
		q->masked = false;
		/* To the CPU of the thread that receives it (issue 20). */
		if (q->target)
			arch_irq_set_cpu((unsigned)q->line, q->target->cpu);
		arch_irq_unmask((unsigned)q->line);
	}
}

void irq_thread_moved(struct thread *t)
{
	for (struct irq *q = t->irqs; q; q = q->att_next)
		if (q->line >= 0)
			arch_irq_set_cpu((unsigned)q->line, t->cpu);
}

void irq_thread_gone(struct thread *t)
{
	while (t->irqs)
		irq_detach(t->irqs);
}

void irq_release(struct irq *q)
{
	irq_detach(q);
	icu_unbind(q);
}

struct irq *irq_create(struct factory *f)
{
	struct irq *q = kobj_alloc(f, MICA_OBJ_IRQ);
	if (q)
		q->line = -1;
	return q;
}
