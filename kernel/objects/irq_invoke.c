/* The IRQ object's methods (mica/irq.h): their table, and decoders that
 * check the message before the operation (irq.c) runs. */
#include <mica/irq.h>

#include "memory/cap.h"
#include "objects/invoke.h"
#include "objects/irq.h"
#include "objects/thread.h"

static struct irq *irq_of(const struct invoke_call *c)
{
	return (struct irq *)cap_obj(c->cap);
}

/* MR0 = the thread (its CONTROL right), MR1 = the label. */
static mica_msgtag_t attach(struct invoke_call *c)
{
	struct cap_slot *tc;
	enum mica_error e = cap_get(c->caller->task, c->mr[0], MICA_OBJ_THREAD, MICA_THREAD_R_CONTROL, &tc);
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	struct thread *t = (struct thread *)cap_obj(tc);
	if (!t->task)
		return invoke_error(c->caller, MICA_E_BAD_ARG); /* it could never receive */
	irq_attach(irq_of(c), t, c->mr[1]);
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t detach(struct invoke_call *c)
{
	irq_detach(irq_of(c));
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t trigger(struct invoke_call *c)
{
	irq_trigger(irq_of(c));
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t unmask(struct invoke_call *c)
{
	irq_unmask(irq_of(c));
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t info(struct invoke_call *c)
{
	const struct irq *q = irq_of(c);
	volatile mica_word_t *out = c->caller->utcb->mr;
	out[0] = q->line < 0 ? MICA_IRQ_NO_LINE : (mica_word_t)q->line;
	out[1] = q->target != 0;
	out[2] = q->pending;
	out[3] = q->masked;
	return invoke_ok(c->caller, 4);
}

const struct invoke_method irq_methods[INVOKE_LABELS] = {
	[MICA_IRQ_ATTACH] = { .decode = attach, .words = 2, .rights = MICA_IRQ_R_CONTROL },
	[MICA_IRQ_DETACH] = { .decode = detach, .rights = MICA_IRQ_R_CONTROL },
	[MICA_IRQ_TRIGGER] = { .decode = trigger, .rights = IRQ_TRIGGER_RIGHTS },
	[MICA_IRQ_UNMASK] = { .decode = unmask, .rights = MICA_IRQ_R_WRITE },
	[MICA_IRQ_INFO] = { .decode = info, .rights = MICA_IRQ_R_READ },
};
