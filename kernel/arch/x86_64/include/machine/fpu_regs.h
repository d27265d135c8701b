/* Saving and loading the FPU registers, inline: every thread switch does
 * it (arch/fpu.h says why eagerly). For the architecture directory and
 * arch/switch.h. */
#pragma once

#include <stdint.h>

/* The enabled state components (XCR0); 0 without xsave (fxsave then). */
extern uint64_t fpu_xcr0;

/* Saves the owner's state and loads area's. */
static inline __attribute__((always_inline)) void fpu_save_restore(void *owner, const void *area)
{
	uint32_t lo = (uint32_t)fpu_xcr0, hi = (uint32_t)(fpu_xcr0 >> 32);
	if (fpu_xcr0) {
		__asm__ volatile("xsave64 (%0)" ::"r"(owner), "a"(lo), "d"(hi) : "memory");
		__asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"(lo), "d"(hi) : "memory");
	} else {
		__asm__ volatile("fxsave64 (%0)" ::"r"(owner) : "memory");
		__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
	}
}
