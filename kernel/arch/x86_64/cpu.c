/* Halting and idling the CPU (arch/cpu.h). */
#include "arch/cpu.h"

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_stop_other_cpus(void)
{
	/* Application processors are parked with interrupts off until SMP
	 * start-up exists; then this sends them an NMI. */
}

void arch_idle_wait(void)
{
	/* sti takes effect after the next instruction, so no interrupt can
	 * slip in between it and hlt and leave the CPU asleep. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}
