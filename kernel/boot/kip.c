/* The kernel's one KIP instance: built at boot by the encoder (kip_encode.c)
 * into kernel memory of its own, and summarized on the console. */
#include "boot/kip.h"

#include "arch/vm.h"
#include "memory/kmem.h"
#include "klib/kprintf.h"
#include "klib/panic.h"

const struct mica_kip *kip;
uint64_t kip_phys;

void kip_init(const struct kip_params *params)
{
	PANIC_IF(!kmem_alloc_contig(MICA_KIP_SIZE / 4096, &kip_phys), "kip: no kernel memory");
	void *buf = phys_to_virt(kip_phys);
	kip_build(buf, params);
	kip = buf;
}

static const char *mem_type_name(uint32_t t)
{
	switch (t) {
	case MICA_MEM_CONVENTIONAL:
		return "conventional";
	case MICA_MEM_MODULE:
		return "module";
	case MICA_MEM_KERNEL:
		return "kernel";
	case MICA_MEM_ACPI:
		return "acpi";
	case MICA_MEM_ACPI_NVS:
		return "acpi-nvs";
	case MICA_MEM_BAD:
		return "bad";
	default:
		return "reserved";
	}
}

void kip_print_summary(void)
{
	const struct mica_kip_mem *mem = mica_kip_at(kip, kip->mem_offset);
	const struct mica_kip_module *mods = mica_kip_at(kip, kip->module_offset);
	uint64_t conventional = 0;
	for (uint32_t i = 0; i < kip->mem_count; i++)
		if (mem[i].type == MICA_MEM_CONVENTIONAL)
			conventional += mem[i].size;

	kprintf("KIP: magic L4\xc2\xb5K, API %u.%u, kernel id 0x%x, build \"%s\"\n", kip->api_version >> 16,
		kip->api_version & 0xffff, kip->kernel_id, kip->build);
	kprintf("KIP: %u memory descriptors, %lu MiB conventional memory for user level:\n", kip->mem_count,
		conventional >> 20);
	for (uint32_t i = 0; i < kip->mem_count; i++)
		kprintf("KIP:   %016lx-%016lx %-12s %8lu KiB\n", mem[i].base, mem[i].base + mem[i].size - 1,
			mem_type_name(mem[i].type), mem[i].size >> 10);
	const struct mica_kip_cpu *cpus = mica_kip_at(kip, kip->cpu_offset);
	unsigned online = 0;
	for (uint32_t i = 0; i < kip->cpu_count; i++)
		online += (cpus[i].flags & MICA_KIP_CPU_ONLINE) != 0;
	kprintf("KIP: %u CPU(s), %u online; clock: TSC %lu kHz%s, APIC timer %lu kHz\n", kip->cpu_count,
		online, kip->clock.tsc_hz / 1000,
		(kip->clock.flags & MICA_CLOCK_TSC_INVARIANT) ? " (invariant)" : "",
		kip->clock.timer_hz / 1000);
	kprintf("KIP: %u boot module(s)%s\n", kip->module_count, kip->module_count ? ":" : "");
	for (uint32_t i = 0; i < kip->module_count; i++)
		kprintf("KIP:   [%u] %016lx %6lu KiB  %s\n", i, mods[i].base, mods[i].size >> 10,
			(const char *)mica_kip_at(kip, mods[i].cmdline));
	if (kip->flags)
		kprintf("KIP: flags 0x%x (tables truncated)\n", kip->flags);
}
