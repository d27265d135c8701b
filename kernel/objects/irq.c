/* IRQ objects and the ICU: firing, coalescing, delivery into an open
 * wait, masking until unmask, and binding to hardware lines. */
#include "objects/irq.h"

#include <mica/irq.h>

#include "arch/irq_lines.h"
#include "memory/cap.h"
#include "objects/invoke.h"
#include "ipc/ipc.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"

#define MAX_LINES 256

static struct irq *lines[MAX_LINES];
static const struct irq_kernel_line *kline;

bool irq_kernel_serve(const struct irq_kernel_line *k)
{
	if (k->gsi >= arch_irq_lines() || k->gsi >= MAX_LINES)
		return false;
	kline = k;
	arch_irq_route(k->gsi, k->mode);
	arch_irq_unmask(k->gsi);
	return true;
}

static bool kernel_line(unsigned gsi)
{
	return kline && kline->gsi == gsi;
}

static void fire(struct irq *q)
{
	if (q->pending)
		return; /* coalesces with the firing not yet taken */
	q->pending = true;
	struct thread *t = q->target;
	if (!t)
		return; /* delivered when attached */
	if (t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_OPEN) {
		t->wait = WAIT_NONE;
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

static void detach(struct irq *q)
{
	struct thread *t = q->target;
	if (!t)
		return;
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

static void attach(struct irq *q, struct thread *t, uint64_t label)
{
	bool was_pending = q->pending;
	detach(q);
	q->target = t;
	q->label = label;
	q->att_prev = 0;
	q->att_next = t->irqs;
	if (t->irqs)
		t->irqs->att_prev = q;
	t->irqs = q;
	q->pending = false;
	if (was_pending)
		fire(q);
}

static void unbind(struct irq *q)
{
	if (q->line < 0)
		return;
	unsigned gsi = (unsigned)q->line;
	arch_irq_mask(gsi);
	lines[gsi] = 0;
	q->line = -1;
	q->masked = false;
	if (kernel_line(gsi)) {
		arch_irq_route(gsi, kline->mode);
		kline->user(false);
		arch_irq_unmask(gsi);
	}
}

void irq_thread_gone(struct thread *t)
{
	while (t->irqs)
		detach(t->irqs);
}

void irq_release(struct irq *q)
{
	detach(q);
	unbind(q);
}

bool irq_lines_armed(void)
{
	for (unsigned i = 0; i < MAX_LINES; i++)
		if (lines[i] && lines[i]->target && !lines[i]->masked)
			return true;
	return false;
}

void core_irq_line(unsigned gsi)
{
	struct irq *q = gsi < MAX_LINES ? lines[gsi] : 0;
	if (!q) {
		if (kernel_line(gsi)) {
			kline->fired();
			arch_irq_unmask(gsi);
		}
		return; /* unbound: it stays masked */
	}
	q->masked = true;
	fire(q);
}

struct irq *irq_create(struct factory *f)
{
	struct irq *q = kobj_alloc(f, MICA_OBJ_IRQ);
	if (q)
		q->line = -1;
	return q;
}

mica_msgtag_t irq_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	struct irq *q = (struct irq *)cap_obj(cap);
	volatile mica_word_t *out = caller->utcb->mr;
	mica_word_t mr[2];
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_IRQ_ATTACH: {
		if ((e = invoke_check(cap, tag, 2, MICA_IRQ_R_CONTROL)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 2);
		struct cap_slot *tc;
		if ((e = cap_get(caller->task, mr[0], MICA_OBJ_THREAD, MICA_THREAD_R_CONTROL, &tc)))
			return invoke_error(caller, e);
		struct thread *t = (struct thread *)cap_obj(tc);
		if (!t->task)
			return invoke_error(caller, MICA_E_BAD_ARG); /* it could never receive */
		attach(q, t, mr[1]);
		return invoke_ok(caller, 0);
	}
	case MICA_IRQ_DETACH:
		if ((e = invoke_check(cap, tag, 0, MICA_IRQ_R_CONTROL)))
			return invoke_error(caller, e);
		detach(q);
		return invoke_ok(caller, 0);
	case MICA_IRQ_TRIGGER:
		if ((e = invoke_check(cap, tag, 0, MICA_IRQ_R_WRITE)))
			return invoke_error(caller, e);
		fire(q);
		return invoke_ok(caller, 0);
	case MICA_IRQ_UNMASK:
		if ((e = invoke_check(cap, tag, 0, MICA_IRQ_R_WRITE)))
			return invoke_error(caller, e);
		if (q->line >= 0 && q->masked) {
			q->masked = false;
			arch_irq_unmask((unsigned)q->line);
		}
		return invoke_ok(caller, 0);
	case MICA_IRQ_INFO:
		if ((e = invoke_check(cap, tag, 0, MICA_IRQ_R_READ)))
			return invoke_error(caller, e);
		out[0] = q->line < 0 ? MICA_IRQ_NO_LINE : (mica_word_t)q->line;
		out[1] = q->target != 0;
		out[2] = q->pending;
		out[3] = q->masked;
		return invoke_ok(caller, 4);
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}

static struct kobj icu;

struct kobj *icu_object(void)
{
	if (!icu.type)
		kobj_init_permanent(&icu, MICA_OBJ_ICU);
	return &icu;
}

static mica_msgtag_t bind(struct thread *caller, const mica_word_t *mr)
{
	struct cap_slot *ic;
	enum mica_error e = cap_get(caller->task, mr[0], MICA_OBJ_IRQ, MICA_IRQ_R_CONTROL, &ic);
	if (e != MICA_OK)
		return invoke_error(caller, e);
	struct irq *q = (struct irq *)cap_obj(ic);
	mica_word_t line = mr[1], mode = mr[2];
	if ((mode & ~MICA_ICU_MODES) || (mode & 0x3) == 0x3 || (mode & 0xc) == 0xc)
		return invoke_error(caller, MICA_E_BAD_ARG);
	unsigned gsi, dflt;
	if (mode & MICA_ICU_ISA) {
		if (line >= 16)
			return invoke_error(caller, MICA_E_BAD_ARG);
		arch_irq_isa((unsigned)line, &gsi, &dflt);
	} else {
		gsi = (unsigned)line;
		dflt = line < 16 ? MICA_ICU_EDGE | MICA_ICU_HIGH : MICA_ICU_LEVEL | MICA_ICU_LOW;
	}
	if (line >= MAX_LINES || gsi >= arch_irq_lines())
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (lines[gsi] || q->line >= 0)
		return invoke_error(caller, MICA_E_EXISTS);
	unsigned m = (unsigned)((mode & 0x3) ? (mode & 0x3) : (dflt & 0x3)) |
		     (unsigned)((mode & 0xc) ? (mode & 0xc) : (dflt & 0xc));
	if (kernel_line(gsi))
		kline->user(true);
	arch_irq_route(gsi, m);
	lines[gsi] = q;
	q->line = (int)gsi;
	q->masked = true; /* until the receiver unmasks it */
	caller->utcb->mr[0] = gsi;
	return invoke_ok(caller, 1);
}

mica_msgtag_t icu_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	mica_word_t mr[3];
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_ICU_INFO:
		if ((e = invoke_check(cap, tag, 0, MICA_ICU_R_READ)))
			return invoke_error(caller, e);
		caller->utcb->mr[0] = arch_irq_lines();
		caller->utcb->mr[1] = 16;
		return invoke_ok(caller, 2);
	case MICA_ICU_BIND:
		if ((e = invoke_check(cap, tag, 3, MICA_ICU_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 3);
		return bind(caller, mr);
	case MICA_ICU_UNBIND: {
		if ((e = invoke_check(cap, tag, 1, MICA_ICU_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 1);
		struct cap_slot *ic;
		if ((e = cap_get(caller->task, mr[0], MICA_OBJ_IRQ, MICA_IRQ_R_CONTROL, &ic)))
			return invoke_error(caller, e);
		struct irq *q = (struct irq *)cap_obj(ic);
		if (q->line < 0)
			return invoke_error(caller, MICA_E_BAD_ARG);
		unbind(q);
		return invoke_ok(caller, 0);
	}
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
