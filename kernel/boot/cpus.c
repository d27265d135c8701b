/* Bringing the CPUs the platform lists online at boot, one after the
 * other, and describing them for the KIP. A CPU that does not start is
 * reported and left out. */
#include "boot/cpus.h"

#include "arch/platform.h"
#include "arch/smp.h"
#include "boot/cmdline.h"
#include "klib/config.h"
#include "klib/kprintf.h"
#include "sched/percpu.h"
#include "sched/sched.h"

static struct kip_cpu_desc describe(uint32_t apic_id, uint32_t flags, unsigned id,
				    const struct mica_kip_clock *clock)
{
	return (struct kip_cpu_desc){ apic_id, flags, id, clock->tsc_hz, clock->timer_hz };
}

/* Starts one CPU; its id if it came online, else -1 (reported). */
static int start_one(uint32_t apic_id, bool send_startup)
{
	struct percpu *cpu = percpu_alloc(apic_id);
	if (!cpu) {
		kprintf("cpu %u did not start: no memory for its per-CPU data (APIC id %u)\n", cpus_online,
			apic_id);
		return -1;
	}
	const char *why = arch_start_cpu(cpu, send_startup);
	if (why) {
		/* Its per-CPU pages stay allocated: the CPU was sent back to
		 * sleep, but nothing proves it never touched them. */
		kprintf("cpu %u did not start: %s (APIC id %u)\n", cpu->id, why, apic_id);
		return -1;
	}
	percpu_online(cpu);
	return (int)cpu->id;
}

/* The option smp_nostart=A: the CPU with APIC id A gets no start-up
 * message, so the boot must go on without it (tests/qemu). */
static bool nostart(const char *cmdline, uint32_t apic_id)
{
	char v[12];
	if (!cmdline_option(cmdline, "smp_nostart", v, sizeof(v)))
		return false;
	uint32_t a = 0;
	for (const char *c = v; *c >= '0' && *c <= '9'; c++)
		a = a * 10 + (uint32_t)(*c - '0');
	return v[0] && a == apic_id;
}

unsigned cpus_start_all(struct kip_cpu_desc *descs, const struct mica_kip_clock *clock, const char *cmdline)
{
	uint32_t boot_id = this_cpu()->apic_id, ids[MAX_CPUS];
	bool usable[MAX_CPUS];
	unsigned listed = platform_cpus(ids, usable, MAX_CPUS), n = 0;
	if (listed == 0)
		descs[n++] = describe(boot_id, MICA_KIP_CPU_ONLINE | MICA_KIP_CPU_BOOT, 0, clock);
	for (unsigned i = 0; i < listed; i++) {
		if (ids[i] == boot_id) {
			descs[n++] = describe(boot_id, MICA_KIP_CPU_ONLINE | MICA_KIP_CPU_BOOT, 0, clock);
			continue;
		}
		int id = -1;
		if (usable[i])
			id = start_one(ids[i], !nostart(cmdline, ids[i]));
		else
			kprintf("smp: APIC id %u not started: disabled in the MADT (hot-plug is not "
				"supported)\n",
				ids[i]);
		descs[n++] = id < 0 ? describe(ids[i], 0, MICA_KIP_CPU_NO_ID, clock)
				    : describe(ids[i], MICA_KIP_CPU_ONLINE, (unsigned)id, clock);
	}
	cpu_count = n;
	kprintf("smp: %u CPU(s) found, %u online\n", cpu_count, cpus_online);
	return n;
}

void core_cpu_online(struct percpu *cpu)
{
	sched_init_cpu(cpu);
	kprintf("cpu %u online: APIC id %u\n", cpu->id, cpu->apic_id);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	sched_ap_start(cpu);
}
