/* The per-CPU data: the boot CPU's, and the table that finds each CPU's by
 * its id. */
#include "sched/percpu.h"

#include <stddef.h>

#include "klib/config.h"

/* The offsets the entry code uses (arch/x86_64/layout.h). */
_Static_assert(offsetof(struct percpu, self) == 0, "entry code layout");
_Static_assert(offsetof(struct percpu, scratch_rsp) == 8, "entry code layout");
_Static_assert(offsetof(struct percpu, regs_top) == 16, "entry code layout");
_Static_assert(offsetof(struct percpu, kstack_top) == 24, "entry code layout");

/* The boot CPU's is static: it is needed before any allocator works.
 * Application processors get theirs when they are started. */
static struct percpu boot_cpu;
struct percpu *percpu_by_id[MAX_CPUS];
unsigned cpu_count = 1;
unsigned cpus_online = 1;

void percpu_init_boot_cpu(uint32_t apic_id)
{
	boot_cpu.self = &boot_cpu;
	boot_cpu.id = 0;
	boot_cpu.apic_id = apic_id;
	boot_cpu.kstack_top = (uint64_t)(boot_cpu.arch.kstack + ARCH_KSTACK_SIZE);
	percpu_by_id[0] = &boot_cpu;
	arch_percpu_init(&boot_cpu);
}
