/* The debugger's object commands: factories with their quota, gates
 * with their queues, IRQ objects with attachment and mask state, and
 * the per-CPU run queues and timeouts. */
#include "debug/kdb/kdb.h"
#include "klib/kprintf.h"
#include "objects/factory.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/clock.h"
#include "sched/percpu.h"

void kdb_cmd_factories(struct kdb_args *a)
{
	(void)a;
	unsigned n = 0;
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev) {
		if (o->type != MICA_OBJ_FACTORY)
			continue;
		const struct factory *f = (const struct factory *)o;
		char id[40], parent[40] = "none";
		kdb_obj_id(o, id, sizeof(id));
		if (o->quota)
			kdb_obj_id(&o->quota->hdr, parent, sizeof(parent));
		kprintf("factory %s used %lu of %lu bytes (%lu%%) objects charged %u parent %s\n", id,
			f->used, f->limit, f->limit ? f->used * 100 / f->limit : 0, o->pins, parent);
		n++;
	}
	kprintf("factories: %u\n", n);
}

static void queue(const char *what, const struct thread *t)
{
	if (!t)
		return;
	kprintf("  %s:", what);
	for (; t; t = t->q_next)
		kprintf(" %u '%s'", t->id, t->task ? t->task->name : "-");
	kprintf("\n");
}

void kdb_cmd_gates(struct kdb_args *a)
{
	(void)a;
	unsigned n = 0;
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev) {
		if (o->type != MICA_OBJ_GATE)
			continue;
		const struct gate *g = (const struct gate *)o;
		char id[40], bound[48] = "-";
		kdb_obj_id(o, id, sizeof(id));
		if (g->bound)
			kdb_thread_name(g->bound, bound, sizeof(bound));
		unsigned senders = 0, receivers = 0;
		for (const struct thread *t = g->send_head; t; t = t->q_next)
			senders++;
		for (const struct thread *t = g->recv_head; t; t = t->q_next)
			receivers++;
		kprintf("gate %s bound %s caps %u senders %u receivers %u%s\n", id, bound, o->ncaps, senders,
			receivers, g->pending ? " pending" : "");
		queue("senders", g->send_head);
		queue("receivers", g->recv_head);
		n++;
	}
	kprintf("gates: %u\n", n);
}

void kdb_cmd_irqs(struct kdb_args *a)
{
	(void)a;
	unsigned n = 0;
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev) {
		if (o->type != MICA_OBJ_IRQ)
			continue;
		const struct irq *q = (const struct irq *)o;
		char id[40], target[48] = "-";
		kdb_obj_id(o, id, sizeof(id));
		if (q->target)
			kdb_thread_name(q->target, target, sizeof(target));
		if (q->line >= 0)
			kprintf("irq %s line %d attached %s label 0x%lx %s%s\n", id, q->line, target,
				q->label, q->masked ? "masked" : "unmasked", q->pending ? " pending" : "");
		else
			kprintf("irq %s virtual attached %s label 0x%lx%s\n", id, target, q->label,
				q->pending ? " pending" : "");
		n++;
	}
	kprintf("irqs: %u\n", n);
}

void kdb_cmd_runqueues(struct kdb_args *a)
{
	(void)a;
	uint64_t now = clock_now();
	for (unsigned c = 0; c < cpus_online; c++) {
		const struct percpu *cpu = percpu_by_id[c];
		if (!cpu)
			continue;
		char cur[48] = "idle";
		if (cpu->current)
			kdb_thread_name(cpu->current, cur, sizeof(cur));
		kprintf("rq: cpu %u current %s\n", c, cur);
		for (unsigned p = SCHED_PRIOS; p-- > 0;) {
			const struct thread *t = cpu->sched.head[p];
			if (!t)
				continue;
			kprintf("rq: cpu %u prio %u:", c, p);
			for (; t; t = t->rq_next)
				kprintf(" %u '%s'", t->id, t->task ? t->task->name : "-");
			kprintf("\n");
		}
		for (const struct thread *t = cpu->sched.timeouts; t; t = t->to_next)
			kprintf("rq: cpu %u timeout thread %u '%s' in %lu us\n", c, t->id,
				t->task ? t->task->name : "-",
				t->deadline > now ? clock_ns_of_ticks(t->deadline - now) / 1000 : 0);
	}
}
