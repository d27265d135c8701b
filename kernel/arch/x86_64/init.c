/* x86-64 bring-up in the order kmain asks for it: console and CPU
 * identification, the boot CPU's tables and control registers, the timer. */
#include "arch/fpu.h"
#include "arch/init.h"

#include "apic.h"
#include "arch/timer.h"
#include "cpufeatures.h"
#include "arch/console.h"
#include "klib/kprintf.h"
#include "layout.h"
#include "sched/percpu.h"
#include "smp_layout.h"
#include <machine/x86.h>

extern char _kernel_end[];

#define EARLY_PHYS_LIMIT (4ul << 30)

static const void *early_map(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	if (phys >= EARLY_PHYS_LIMIT || len > EARLY_PHYS_LIMIT - phys)
		return 0;
	return (const void *)(phys + PHYSMAP_BASE);
}

const struct phys_access arch_early_phys = { early_map, 0 };

void arch_init_early(void)
{
	arch_console_init();
	cpu_features_detect();
}

static uint32_t fpu_space_limit;

void arch_init_boot_cpu(uint32_t fpu_space)
{
	fpu_space_limit = fpu_space;
	cpu_features_print();
	percpu_init_boot_cpu(cpuid(1, 0).ebx >> 24);
	cpu_enable_features();
	kprintf("fpu: %s, %u-byte state per thread\n", cpu_features.xsave ? "xsave" : "fxsave",
		arch_fpu_init_cpu(fpu_space));
}

void arch_init_ap(struct percpu *cpu)
{
	arch_percpu_init(cpu);
	cpu_enable_features();
	arch_fpu_init_cpu(fpu_space_limit);
	apic_init(0); /* the boot CPU chose the mode and mapped the registers */
	apic_timer_start_ap();
	cpu->apic_id = apic_id();
	cpu->arch.active_pml4 = paging_kernel_root(); /* the trampoline's last CR3 load */
}

void arch_kernel_image(uint64_t *start, uint64_t *end)
{
	*start = KERNEL_PHYS;
	*end = (uint64_t)_kernel_end - KERNEL_VMA;
}

/* Proves the interrupt path end to end: the APIC timer must interrupt
 * the idle CPU within a bounded wait. */
static void timer_self_test(uint64_t timer_hz)
{
	struct percpu *cpu = this_cpu();
	uint64_t before = cpu->timer_ticks;
	apic_timer_oneshot((uint32_t)(timer_hz / 1000) + 1); /* ~1 ms */
	uint64_t deadline = rdtsc() + 1000000000ul;
	while (cpu->timer_ticks == before && rdtsc() < deadline)
		__asm__ volatile("sti; hlt; cli");
	if (cpu->timer_ticks == before)
		kprintf("apic: WARNING: timer interrupt did not arrive\n");
	else
		kprintf("apic: timer interrupt delivered\n");
}

void arch_init_timer(struct mica_kip_clock *clock)
{
	this_cpu()->apic_id = apic_id();
	uint64_t tsc_hz;
	uint64_t timer_hz = apic_timer_calibrate(&tsc_hz);
	kprintf("apic: %s, id %u; timer %lu kHz, TSC %lu kHz (calibrated against the PIT)\n", apic_mode(),
		this_cpu()->apic_id, timer_hz / 1000, tsc_hz / 1000);
	timer_self_test(timer_hz);
	apic_timer_start(timer_hz, tsc_hz);
	kprintf("timer: %s, resolution %lu ns\n", arch_timer_mode(), arch_timer_resolution_ns());

	clock->tsc_hz = tsc_hz;
	clock->timer_hz = timer_hz;
	clock->tsc_boot = rdtsc();
	clock->flags = cpu_features.tsc_invariant ? MICA_CLOCK_TSC_INVARIANT : 0;
}
