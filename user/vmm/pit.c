/* The 8254 interval timer (ports 0x40-0x43) at 1.193182 MHz on the
 * monitor's clock: channel 0 in modes 0 (one shot, Linux's oneshot
 * clock events) and 2/3 (periodic) raises IRQ 0; channel 2 with its
 * gate and output on port 0x61, as Linux's PIT calibration uses it.
 * Counters read back through latches or directly. */
#include "vmm.h"

#define PIT_HZ 1193182ull

struct chan {
	uint8_t mode, access, toggle, latched, latch_toggle, low;
	uint16_t latch;
	uint32_t reload; /* 1 .. 0x10000 */
	uint64_t start;	 /* ns when the count was loaded (or the gate rose) */
	uint64_t fired;	 /* periods of channel 0 raised so far */
	bool armed, gate;
};

static struct chan ch[3] = { [2] = { .gate = false } };
static uint8_t port61;

static uint64_t ticks_since(const struct chan *c, uint64_t now)
{
	return now > c->start ? (now - c->start) * PIT_HZ / 1000000000ull : 0;
}

static uint64_t ns_of(uint64_t ticks)
{
	return ticks * 1000000000ull / PIT_HZ;
}

static uint16_t count(const struct chan *c, uint64_t now)
{
	if (!c->armed || (c == &ch[2] && !c->gate))
		return (uint16_t)c->reload;
	uint64_t t = ticks_since(c, now);
	if (c->mode == 2 || c->mode == 3)
		return (uint16_t)(c->reload - t % c->reload);
	return (uint16_t)(c->reload - t); /* mode 0 wraps past zero as the chip does */
}

static bool output(const struct chan *c, uint64_t now)
{
	if (!c->armed || (c == &ch[2] && !c->gate))
		return c->mode != 0;
	uint64_t t = ticks_since(c, now);
	if (c->mode == 0)
		return t >= c->reload;
	return (t % c->reload) < c->reload / 2; /* mode 3's square wave; close enough for mode 2 */
}

uint64_t pit_update(void)
{
	struct chan *c = &ch[0];
	if (!c->armed)
		return 0;
	uint64_t now = vmm_now(), t = ticks_since(c, now);
	if (c->mode == 0) {
		if (t >= c->reload) {
			c->armed = false;
			pic_raise(0);
			return 0;
		}
		return c->start + ns_of(c->reload) + 1;
	}
	uint64_t periods = t / c->reload;
	if (periods > c->fired) {
		c->fired = periods;
		pic_raise(0); /* missed ticks coalesce into one, as with a busy PIC */
	}
	return c->start + ns_of((c->fired + 1) * c->reload) + 1;
}

bool pit_out(uint16_t port, uint8_t v)
{
	uint64_t now = vmm_now();
	if (port == 0x61) {
		struct chan *c = &ch[2];
		bool gate = v & 1;
		if (gate && !c->gate)
			c->start = now;
		c->gate = gate;
		port61 = v & 0x0f;
		return true;
	}
	if (port == 0x43) {
		unsigned n = v >> 6;
		if (n == 3) { /* read-back: latch the counts it names */
			for (unsigned i = 0; i < 3; i++)
				if (!(v & 0x20) && (v & (2u << i)) && !ch[i].latched) {
					ch[i].latch = count(&ch[i], now);
					ch[i].latched = 1;
					ch[i].latch_toggle = 0;
				}
			return true;
		}
		struct chan *c = &ch[n];
		unsigned access = (v >> 4) & 3;
		if (access == 0) { /* counter latch */
			if (!c->latched) {
				c->latch = count(c, now);
				c->latched = 1;
				c->latch_toggle = 0;
			}
			return true;
		}
		c->access = (uint8_t)access;
		c->mode = (v >> 1) & 7;
		if (c->mode > 5)
			c->mode -= 4;
		c->toggle = 0;
		c->armed = false;
		c->latched = 0;
		return true;
	}
	if (port < 0x40 || port > 0x42)
		return false;
	struct chan *c = &ch[port - 0x40];
	uint32_t r;
	if (c->access == 1) {
		r = v;
	} else if (c->access == 2) {
		r = (uint32_t)v << 8;
	} else if (c->toggle == 0) {
		c->low = v;
		c->toggle = 1;
		return true; /* the count loads with its high byte */
	} else {
		r = c->low | (uint32_t)v << 8;
		c->toggle = 0;
	}
	c->reload = r ? r : 0x10000;
	c->start = now;
	c->fired = 0;
	c->armed = true;
	return true;
}

bool pit_in(uint16_t port, uint8_t *v)
{
	uint64_t now = vmm_now();
	if (port == 0x61) {
		/* Bit 5: channel 2's output; bit 4 toggles as the refresh clock does. */
		*v = (uint8_t)(port61 | (output(&ch[2], now) ? 0x20 : 0) | ((now / 15000) & 1 ? 0x10 : 0));
		return true;
	}
	if (port < 0x40 || port > 0x42)
		return false;
	struct chan *c = &ch[port - 0x40];
	uint16_t n;
	uint8_t *tog;
	if (c->latched) {
		n = c->latch;
		tog = &c->latch_toggle;
	} else {
		n = count(c, now);
		tog = &c->toggle;
	}
	unsigned access = c->access ? c->access : 3;
	if (access == 1) {
		*v = (uint8_t)n;
		c->latched = 0;
	} else if (access == 2) {
		*v = (uint8_t)(n >> 8);
		c->latched = 0;
	} else if (*tog == 0) {
		*v = (uint8_t)n;
		*tog = 1;
	} else {
		*v = (uint8_t)(n >> 8);
		*tog = 0;
		c->latched = 0;
	}
	return true;
}
