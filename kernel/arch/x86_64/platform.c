/* Halting, idling and leaving QEMU. */
#include "arch/cpu.h"
#include "arch/platform.h"
#include <machine/x86.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4

void arch_platform_exit(enum platform_exit code)
{
	/* Without the isa-debug-exit device the write is ignored. */
	outl(QEMU_DEBUG_EXIT_PORT, code);
}

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
