/* x86-64's per-thread user state beyond the saved registers (struct
 * arch_thread of arch/context.h). */
#pragma once

#include <stdint.h>

struct arch_thread {
	uint64_t fs_base; /* the C library's thread pointer */
	uint64_t gs_base; /* the UTCB (%gs:0 is its address) */
	void *fpu;	  /* FPU/SSE state area (arch/fpu.h) */
};
