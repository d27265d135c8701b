/* Remote requests: the per-CPU queues, the IPI that announces them and
 * the wait for their completion. */
#include "sched/remote.h"

#include "arch/cpu.h"
#include "objects/kobj.h"
#include "sched/percpu.h"

void remote_init_cpu(struct percpu *cpu)
{
	struct remote_queue *q = &cpu->remote;
	q->head = 0;
	q->tail = &q->head;
}

/* Runs what is queued for this CPU, in arrival order. */
static void drain(struct percpu *cpu)
{
	struct remote_queue *q = &cpu->remote;
	for (;;) {
		/* Most IPIs are wake-ups with no request queued. */
		if (!__atomic_load_n(&q->head, __ATOMIC_ACQUIRE))
			return;
		spin_lock(&q->lock);
		struct remote_request *r = q->head;
		if (r) {
			q->head = r->next;
			if (!q->head)
				q->tail = &q->head;
		}
		spin_unlock(&q->lock);
		if (!r)
			return;
		q->handled++;
		cpu->remote_depth++;
		r->fn(r);
		cpu->remote_depth--;
		/* After this store r may be gone (the requester's stack). */
		__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	}
}

void remote_post(struct percpu *cpu, struct remote_request *r)
{
	r->done = false;
	r->next = 0;
	struct remote_queue *q = &cpu->remote;
	spin_lock(&q->lock);
	*q->tail = r;
	q->tail = &r->next;
	q->posted++;
	spin_unlock(&q->lock);
	arch_send_remote_ipi(cpu);
}

void remote_wait(struct remote_request *r)
{
	struct percpu *self = this_cpu();
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		/* The target may be waiting for this CPU in turn. */
		drain(self);
		__builtin_ia32_pause(); /* as spin_lock does */
	}
}

void remote_run(struct percpu *cpu, struct remote_request *r)
{
	if (cpu == this_cpu()) {
		r->next = 0;
		r->fn(r);
		r->done = true;
		return;
	}
	remote_post(cpu, r);
	remote_wait(r);
}

void core_remote_interrupt(void)
{
	struct percpu *cpu = this_cpu();
	/* Most IPIs are wake-ups with no request queued: no call. */
	if (__atomic_load_n(&cpu->remote.head, __ATOMIC_ACQUIRE)) {
		/* Taken only in user mode or in hlt: a quiescent point, which
		 * is what a reaper's request waits for (kobj.c). */
		kobj_quiescent(cpu->id);
		cpu->remote.interrupted = true;
		drain(cpu);
		cpu->remote.interrupted = false;
	}
}

void remote_drain_here(void)
{
	drain(this_cpu());
}

void remote_serve(void)
{
	struct percpu *self = this_cpu();
	if (__atomic_load_n(&self->remote.head, __ATOMIC_RELAXED))
		drain(self);
}
