/* Saving and loading the FPU registers, inline: every thread switch does
 * it (arch/fpu.h says why eagerly). Private to the architecture. */
#pragma once

#include <stdint.h>

#include "arch/percpu.h"

/* The enabled state components (XCR0); 0 without xsave (fxsave then). */
extern uint64_t fpu_xcr0;

static inline void fpu_save(void *area)
{
	if (fpu_xcr0)
		__asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)fpu_xcr0),
				 "d"((uint32_t)(fpu_xcr0 >> 32))
				 : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static inline void fpu_restore(const void *area)
{
	if (fpu_xcr0)
		__asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)fpu_xcr0),
				 "d"((uint32_t)(fpu_xcr0 >> 32))
				 : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/* Makes `area` the state in this CPU's registers. */
static inline void fpu_switch(struct arch_percpu *a, void *area)
{
	if (a->fpu_owner == area)
		return;
	if (a->fpu_owner)
		fpu_save(a->fpu_owner);
	fpu_restore(area);
	a->fpu_owner = area;
}
