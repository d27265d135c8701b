/* Converting between time-stamp counter ticks and the KIP clock's
 * nanoseconds. */
#include "sched/clock.h"

#include "arch/cpu.h"
#include "klib/scale.h"

#define NS_PER_S 1000000000ul

static struct mica_kip_clock clk;
static struct scale ticks_per_ns;

void clock_init(const struct mica_kip_clock *c)
{
	clk = *c;
	ticks_per_ns = scale_of(c->tsc_hz, NS_PER_S);
}

uint64_t clock_ticks_of_ns(uint64_t ns)
{
	return scale_apply(ticks_per_ns, ns);
}

uint64_t clock_ns_of_ticks(uint64_t ticks)
{
	/* The KIP's formula, so kernel and user level agree to the ns. */
	return scale_apply((struct scale){ clk.ns_mult, clk.ns_shift }, ticks);
}

uint64_t clock_at_ns(uint64_t ns)
{
	uint64_t t = clock_ticks_of_ns(ns);
	return t > UINT64_MAX - clk.tsc_boot ? UINT64_MAX : clk.tsc_boot + t;
}
