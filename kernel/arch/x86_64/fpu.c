/* The FPU, SSE and AVX state: enabling what the CPU has (xsave with
 * XCR0, or fxsave) and the size of a thread's save area. */
#include "arch/fpu.h"

#include <string.h>

#include "cpufeatures.h"
#include <machine/fpu_regs.h>
#include "klib/panic.h"
#include "sched/percpu.h"
#include <machine/x86.h>

#define XCR0_X87 (1ul << 0)
#define XCR0_SSE (1ul << 1)
#define XCR0_AVX (1ul << 2)
#define CR4_OSXSAVE (1ul << 18)

/* x87, SSE and AVX: 832 bytes, which fits beside a thread in its frame.
 * Larger components (AVX-512, AMX) stay disabled until threads get
 * separate state areas. */
uint64_t fpu_xcr0;

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" ::"c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

uint32_t arch_fpu_init_cpu(uint32_t thread_space)
{
	/* The state must fit a thread and the per-CPU spare area that stands
	 * in for one. */
	uint32_t max = thread_space < ARCH_FPU_SPARE ? thread_space : ARCH_FPU_SPARE;
	struct arch_percpu *a = &this_cpu()->arch;
	a->fpu_owner = a->fpu_spare;
	if (!cpu_features.xsave)
		return 512;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	uint64_t supported = cpuid(0xd, 0).eax;
	fpu_xcr0 = XCR0_X87 | XCR0_SSE | (supported & XCR0_AVX);
	xsetbv(0, fpu_xcr0);
	uint32_t size = cpuid(0xd, 0).ebx; /* for the components now enabled */
	PANIC_IF(size > max, "fpu: %u-byte state does not fit a thread", size);
	return size;
}

void arch_fpu_init_state(void *area)
{
	/* The legacy region: FCW 0x37f (all exceptions masked, extended
	 * precision) and MXCSR 0x1f80; with xsave an XSTATE_BV of 0 in the
	 * header means "initial state" for everything else. */
	memset(area, 0, 576);
	*(uint16_t *)area = 0x37f;
	*(uint32_t *)((uint8_t *)area + 24) = 0x1f80;
}

void arch_fpu_release(void *area)
{
	struct arch_percpu *a = &this_cpu()->arch;
	if (a->fpu_owner != area)
		return;
	fpu_save_restore(area, a->fpu_spare);
	a->fpu_owner = a->fpu_spare;
}

void arch_fpu_forget(void *area)
{
	/* Only this CPU can still hold it: sched_remove released it on the
	 * thread's own CPU before. */
	struct arch_percpu *a = &this_cpu()->arch;
	if (a->fpu_owner == area)
		a->fpu_owner = a->fpu_spare;
}
