/* The per-CPU data: the boot CPU's, and the table that finds each CPU's by
 * its id. */
#include "sched/percpu.h"

#include <stddef.h>

#include "klib/config.h"
#include "memory/kmem.h"
#include "arch/vm.h"

/* The offsets the entry code uses (arch/x86_64/layout.h). */
_Static_assert(offsetof(struct percpu, self) == 0, "entry code layout");
_Static_assert(offsetof(struct percpu, scratch_rsp) == 8, "entry code layout");
_Static_assert(offsetof(struct percpu, regs_top) == 16, "entry code layout");
_Static_assert(offsetof(struct percpu, kstack_top) == 24, "entry code layout");
_Static_assert(offsetof(struct percpu, lock_owner) == 32, "entry code layout");

/* The boot CPU's is static: it is needed before any allocator works.
 * Application processors get theirs when they are started. */
static struct percpu boot_cpu;
struct percpu *percpu_by_id[MAX_CPUS];
unsigned cpu_count = 1;
unsigned cpus_online = 1;
unsigned cpus_placeable = 1;

static void percpu_fill(struct percpu *cpu, unsigned id, uint32_t apic_id)
{
	cpu->self = cpu;
	cpu->id = id;
	cpu->apic_id = apic_id;
	cpu->kstack_top = (uint64_t)(cpu->arch.kstack + ARCH_KSTACK_SIZE);
	remote_init_cpu(cpu);
}

struct percpu *percpu_alloc(uint32_t apic_id)
{
	uint64_t phys;
	if (cpus_online >= MAX_CPUS || !kmem_alloc_contig((sizeof(struct percpu) + 4095) / 4096, &phys))
		return 0;
	struct percpu *cpu = phys_to_virt(phys);
	percpu_fill(cpu, cpus_online, apic_id);
	return cpu;
}

void percpu_online(struct percpu *cpu)
{
	percpu_by_id[cpu->id] = cpu;
	cpus_online = cpu->id + 1;
}

void percpu_init_boot_cpu(uint32_t apic_id)
{
	percpu_fill(&boot_cpu, 0, apic_id);
	boot_cpu.online = true;
	percpu_by_id[0] = &boot_cpu;
	arch_percpu_init(&boot_cpu);
}
