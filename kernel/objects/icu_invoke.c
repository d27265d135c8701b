/* The ICU's methods (mica/irq.h): their table, and decoders that check
 * the message before the operation (icu.c) runs. */
#include <mica/irq.h>

#include "arch/irq_lines.h"
#include "memory/cap.h"
#include "objects/icu.h"
#include "objects/invoke.h"
#include "objects/irq.h"
#include "objects/thread.h"

#define ISA_LINES 16

static mica_msgtag_t info(struct invoke_call *c)
{
	c->caller->utcb->mr[0] = arch_irq_lines();
	c->caller->utcb->mr[1] = ISA_LINES;
	return invoke_ok(c->caller, 2);
}

/* The IRQ object MR0 names (its CONTROL right). */
static enum mica_error named_irq(const struct invoke_call *c, struct irq **q)
{
	struct cap_slot *ic;
	enum mica_error e = cap_get(c->caller->task, c->mr[0], MICA_OBJ_IRQ, MICA_IRQ_R_CONTROL, &ic);
	if (e == MICA_OK)
		*q = (struct irq *)cap_obj(ic);
	return e;
}

/* MR1 = the line and MR2 = its mode into a global system interrupt and a
 * complete mode (what the mode leaves out is the line's default). */
static enum mica_error check_line(mica_word_t line, mica_word_t mode, unsigned *gsi, unsigned *m)
{
	unsigned dflt;
	if ((mode & ~MICA_ICU_MODES) || (mode & 0x3) == 0x3 || (mode & 0xc) == 0xc)
		return MICA_E_BAD_ARG;
	if (mode & MICA_ICU_ISA) {
		if (line >= ISA_LINES)
			return MICA_E_BAD_ARG;
		arch_irq_isa((unsigned)line, gsi, &dflt);
	} else {
		*gsi = (unsigned)line;
		dflt = line < ISA_LINES ? MICA_ICU_EDGE | MICA_ICU_HIGH : MICA_ICU_LEVEL | MICA_ICU_LOW;
	}
	if (line >= ICU_LINES || *gsi >= arch_irq_lines())
		return MICA_E_BAD_ARG;
	*m = (unsigned)((mode & 0x3) ? (mode & 0x3) : (dflt & 0x3)) |
	     (unsigned)((mode & 0xc) ? (mode & 0xc) : (dflt & 0xc));
	return MICA_OK;
}

static mica_msgtag_t bind(struct invoke_call *c)
{
	struct irq *q;
	unsigned gsi, mode;
	enum mica_error e = named_irq(c, &q);
	if (e == MICA_OK)
		e = check_line(c->mr[1], c->mr[2], &gsi, &mode);
	if (e == MICA_OK && (icu_line_bound(gsi) || q->line >= 0))
		e = MICA_E_EXISTS; /* one IRQ per line, one line per IRQ */
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	icu_bind(q, gsi, mode);
	c->caller->utcb->mr[0] = gsi;
	return invoke_ok(c->caller, 1);
}

static mica_msgtag_t unbind(struct invoke_call *c)
{
	struct irq *q;
	enum mica_error e = named_irq(c, &q);
	if (e == MICA_OK && q->line < 0)
		e = MICA_E_BAD_ARG;
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	icu_unbind(q);
	return invoke_ok(c->caller, 0);
}

const struct invoke_method icu_methods[INVOKE_LABELS] = {
	[MICA_ICU_INFO] = { .decode = info, .rights = MICA_ICU_R_READ },
	[MICA_ICU_BIND] = { .decode = bind, .words = 3, .rights = MICA_ICU_R_WRITE },
	[MICA_ICU_UNBIND] = { .decode = unbind, .words = 1, .rights = MICA_ICU_R_WRITE },
};
