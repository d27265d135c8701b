/* Halting and idling the CPU (arch/cpu.h). */
#include "arch/cpu.h"

#include "apic.h"
#include "sched/percpu.h"

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_stop_other_cpus(void)
{
	/* The NMI makes each of them enter the panic path, which halts a
	 * CPU that finds a panic under way. */
	if (cpus_online > 1)
		apic_send_nmi_to_others();
}

void arch_idle_wait(void)
{
	/* sti takes effect after the next instruction, so no interrupt can
	 * slip in between it and hlt and leave the CPU asleep. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

bool arch_idle_poll(const volatile bool *flag, unsigned spins)
{
	/* PAUSE also ends the virtual CPU's turn under TCG's round robin, so
	 * a polling CPU costs a few instructions a turn there. */
	__asm__ volatile("sti" ::: "memory");
	bool set = false;
	for (unsigned i = 0; i < spins && !(set = *flag); i++)
		__builtin_ia32_pause();
	__asm__ volatile("cli" ::: "memory");
	return set;
}
