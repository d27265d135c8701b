/* The two 8259A interrupt controllers of a PC (master at 0x20, slave at
 * 0xa0 on its line 2): the initialization words, masks, fully nested
 * priorities, specific and non-specific EOI, automatic EOI and the IRR /
 * ISR reads, as the 8259A data sheet has them. Edge-triggered only (the
 * PC's ISA lines). */
#include "vmm.h"

struct pic {
	uint8_t irr, isr, imr, base, icw_step, icw4, read_isr, aeoi;
};

static struct pic pics[2] = { { .imr = 0xff }, { .imr = 0xff } };

void pic_raise(unsigned irq)
{
	if (irq >= 8) {
		pics[1].irr |= (uint8_t)(1u << (irq - 8));
		pics[0].irr |= 1u << 2;
	} else {
		pics[0].irr |= (uint8_t)(1u << irq);
	}
}

/* The highest-priority line of p to deliver (-1: none): requested, not
 * masked, and above every line in service. */
static int best(const struct pic *p)
{
	uint8_t want = p->irr & ~p->imr;
	for (int i = 0; i < 8; i++) {
		if (p->isr & (1u << i))
			return -1;
		if (want & (1u << i))
			return i;
	}
	return -1;
}

static bool slave_wants(void)
{
	return best(&pics[1]) >= 0;
}

int pic_pending(void)
{
	/* The cascade line stands for the slave's request. */
	if (slave_wants())
		pics[0].irr |= 1u << 2;
	else
		pics[0].irr &= (uint8_t) ~(1u << 2);
	int m = best(&pics[0]);
	if (m < 0)
		return -1;
	if (m == 2) /* the slave wants (see above) */
		return pics[1].base + best(&pics[1]);
	return pics[0].base + m;
}

static void take(struct pic *p, int line)
{
	p->irr &= (uint8_t) ~(1u << line);
	if (!p->aeoi)
		p->isr |= (uint8_t)(1u << line);
}

void pic_ack(void)
{
	int m = best(&pics[0]);
	if (m < 0)
		return;
	if (m == 2) {
		int s = best(&pics[1]);
		if (s >= 0)
			take(&pics[1], s);
		if (!slave_wants())
			pics[0].irr &= (uint8_t) ~(1u << 2);
	}
	take(&pics[0], m);
}

static void eoi(struct pic *p, int line)
{
	if (line < 0) { /* non-specific: the highest in service */
		for (int i = 0; i < 8; i++)
			if (p->isr & (1u << i)) {
				p->isr &= (uint8_t) ~(1u << i);
				return;
			}
		return;
	}
	p->isr &= (uint8_t) ~(1u << line);
}

/* The PIC whose command (even) or data (odd) port `port` is, or 0. */
static struct pic *pic_at(uint16_t port)
{
	if (port == 0x20 || port == 0x21)
		return &pics[0];
	if (port == 0xa0 || port == 0xa1)
		return &pics[1];
	return 0;
}

bool pic_out(uint16_t port, uint8_t v)
{
	struct pic *p = pic_at(port);
	if (!p)
		return false;
	if (!(port & 1)) {
		if (v & 0x10) { /* ICW1 */
			p->icw_step = 1;
			p->icw4 = v & 1;
			p->imr = 0;
			p->isr = p->irr = 0;
			p->read_isr = 0;
			return true;
		}
		if ((v & 0x18) == 0x08) { /* OCW3 */
			if (v & 2)
				p->read_isr = v & 1;
			return true;
		}
		/* OCW2 */
		switch (v >> 5) {
		case 1: /* non-specific EOI */
		case 5:
			eoi(p, -1);
			break;
		case 3: /* specific EOI */
		case 7:
			eoi(p, v & 7);
			break;
		default: /* rotations: priorities stay fixed here */
			break;
		}
		return true;
	}
	switch (p->icw_step) {
	case 1: /* ICW2: the vector base */
		p->base = v & 0xf8;
		p->icw_step = 2;
		return true;
	case 2: /* ICW3: the cascade wiring (fixed on a PC) */
		p->icw_step = p->icw4 ? 3 : 0;
		return true;
	case 3: /* ICW4 */
		p->aeoi = (v >> 1) & 1;
		p->icw_step = 0;
		return true;
	default: /* OCW1: the mask */
		p->imr = v;
		return true;
	}
}

bool pic_in(uint16_t port, uint8_t *v)
{
	struct pic *p = pic_at(port);
	if (!p)
		return false;
	if (port & 1)
		*v = p->imr;
	else
		*v = p->read_isr ? p->isr : p->irr;
	return true;
}
