/* The ICU: the table of hardware interrupt lines, which IRQ object (or
 * the kernel itself) each is bound to, and a line's firing. */
#include "objects/icu.h"

#include <mica/irq.h>

#include "arch/irq_lines.h"
#include "sched/cpu_lock.h"
#include "objects/irq.h"

static struct irq *lines[ICU_LINES];
static const struct icu_kernel_line *kline;

static struct kobj icu;

struct kobj *icu_object(void)
{
	if (!icu.type)
		kobj_init_permanent(&icu, MICA_OBJ_ICU);
	return &icu;
}

bool icu_kernel_serve(const struct icu_kernel_line *k)
{
	if (k->gsi >= arch_irq_lines() || k->gsi >= ICU_LINES)
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

bool icu_line_bound(unsigned gsi)
{
	return lines[gsi] != 0;
}

void icu_bind(struct irq *q, unsigned gsi, unsigned mode)
{
	if (kernel_line(gsi))
		kline->user(true);
	arch_irq_route(gsi, mode);
	lines[gsi] = q;
	q->line = (int)gsi;
	q->masked = true; /* until the receiver unmasks it */
}

void icu_unbind(struct irq *q)
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

bool irq_lines_armed(void)
{
	for (unsigned i = 0; i < ICU_LINES; i++)
		if (lines[i] && lines[i]->target && !lines[i]->masked)
			return true;
	return false;
}

void core_irq_line(unsigned gsi)
{
	/* Rare enough: a line's firing (the console's input among them)
	 * may reach any thread, under every CPU's lock. */
	cpu_lock_all(this_cpu());
	struct irq *q = gsi < ICU_LINES ? lines[gsi] : 0;
	if (!q) {
		if (kernel_line(gsi)) {
			kline->fired();
			arch_irq_unmask(gsi);
		}
		return; /* unbound: it stays masked */
	}
	q->masked = true;
	irq_fire(q);
}
