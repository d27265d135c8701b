/* Boot: from the loader's hand-off to the first user thread. */
#include <mica/layout.h>
#include <string.h>
#include <version.h>

#include "platform/pc/acpi.h"
#include "arch/cpu.h"
#include "arch/init.h"
#include "arch/timer.h"
#include "arch/trap.h"
#include "arch/vm.h"
#include "boot/boot_tasks.h"
#include "boot/bootinfo.h"
#include "sched/clock.h"
#include "klib/config.h"
#include "boot/kip.h"
#include "memory/kmem.h"
#include "klib/kprintf.h"
#include "klib/panic.h"
#include "sched/percpu.h"
#include "debug/selftest.h"
#include "objects/vcon.h"

bool kernel_test_mode;

/* Boot-time state, kept static: too large for the boot stack. */
static struct boot_info boot;
static struct memmap final_map;
const struct memmap *boot_memmap = &final_map;
static struct acpi_info acpi;
static struct kip_cpu_desc kip_cpus[MAX_CPUS];

static const char *const bootinfo_errors[] = {
	[BOOTINFO_OK] = "ok",
	[BOOTINFO_BAD_MAGIC] = "not started by a Multiboot loader",
	[BOOTINFO_UNREADABLE] = "boot information outside accessible memory",
	[BOOTINFO_MALFORMED] = "malformed boot information",
	[BOOTINFO_NO_MEMORY_MAP] = "the loader passed no memory map",
};

static void carve_out_image_and_modules(void)
{
	uint64_t kstart, kend;
	final_map = boot.mem;
	arch_kernel_image(&kstart, &kend);
	PANIC_IF(!memmap_set(&final_map, kstart, kend - kstart, MICA_MEM_KERNEL), "boot: memory map full");
	for (unsigned i = 0; i < boot.module_count; i++) {
		const struct boot_module *m = &boot.modules[i];
		uint64_t b = m->start & ~0xffful, e = (m->end + 0xfff) & ~0xffful;
		PANIC_IF(!memmap_set(&final_map, b, e - b, MICA_MEM_MODULE), "boot: memory map full");
	}
}

static uint64_t physical_top(const struct memmap *m)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < m->count; i++)
		if (m->r[i].type != MICA_MEM_RESERVED && m->r[i].end > top)
			top = m->r[i].end;
	return top;
}

static void discover_acpi(void)
{
	static const char *const errors[] = { "ok", "no RSDP", "no valid RSDT/XSDT", "no valid MADT" };
	const void *rsdp = boot.rsdp;
	uint64_t len = boot.rsdp_len, phys;
	if (!len && acpi_find_rsdp(&arch_early_phys, &phys)) {
		rsdp = phys_to_virt(phys);
		len = 36;
	}
	/* With no root pointer (len 0) this fills in the defaults too. */
	enum acpi_error err = acpi_parse(&arch_early_phys, rsdp, len, &acpi);
	if (err != ACPI_OK) {
		kprintf("acpi: %s; assuming one CPU\n", errors[err]);
		return;
	}
	kprintf("acpi: revision %u, %u CPU(s), %u I/O APIC(s), %u interrupt override(s), local APIC at "
		"0x%lx%s\n",
		acpi.revision, acpi.cpu_count, acpi.ioapic_count, acpi.override_count, acpi.lapic_addr,
		acpi.warnings ? " (some tables were malformed and skipped)" : "");
	for (unsigned i = 0; i < acpi.ioapic_count; i++)
		kprintf("acpi: I/O APIC id %u at 0x%lx, GSI base %u\n", acpi.ioapics[i].id,
			acpi.ioapics[i].addr, acpi.ioapics[i].gsi_base);
}

/* The interrupt controllers are the kernel's: marked as kernel memory,
 * sigma0 cannot hand them out as device memory (items from its physical
 * space refuse kernel memory). */
static void reserve_kernel_devices(void)
{
	PANIC_IF(!memmap_set(&final_map, acpi.lapic_addr & ~0xffful, 0x1000, MICA_MEM_KERNEL),
		 "boot: memory map full");
	for (unsigned i = 0; i < acpi.ioapic_count; i++)
		PANIC_IF(!memmap_set(&final_map, acpi.ioapics[i].addr & ~0xffful, 0x1000, MICA_MEM_KERNEL),
			 "boot: memory map full");
}

static unsigned describe_cpus(void)
{
	uint32_t boot_apic = this_cpu()->apic_id;
	unsigned n = 0;
	if (acpi.cpu_count == 0)
		kip_cpus[n++] = (struct kip_cpu_desc){ boot_apic, MICA_KIP_CPU_ONLINE | MICA_KIP_CPU_BOOT };
	for (unsigned i = 0; i < acpi.cpu_count && n < MAX_CPUS; i++) {
		uint32_t id = acpi.cpus[i].apic_id;
		kip_cpus[n++] =
			(struct kip_cpu_desc){ id, id == boot_apic ? MICA_KIP_CPU_ONLINE | MICA_KIP_CPU_BOOT
								   : 0 };
	}
	cpu_count = n;
	kprintf("smp: %u CPU(s) found, %u online; the others stay parked\n", cpu_count, cpus_online);
	return n;
}

void kmain(uint32_t magic, uint32_t info_phys)
{
	arch_init_early();
	kprintf("\nMica microkernel (%s)\n", MICA_BUILD);

	enum bootinfo_error err = bootinfo_parse(magic, info_phys, &arch_early_phys, &boot);
	PANIC_IF(err != BOOTINFO_OK, "boot: %s (magic 0x%x, info at 0x%x)", bootinfo_errors[err], magic,
		 info_phys);
	kernel_test_mode = bootinfo_cmdline_option(boot.cmdline, "test", 0, 0);
	kprintf("boot: Multiboot %u, command line \"%s\", %u module(s)%s\n", boot.loader, boot.cmdline,
		boot.module_count, boot.warnings ? ", some loader data was malformed and ignored" : "");

	arch_init_boot_cpu();
	carve_out_image_and_modules();
	kmem_init(&final_map);
	vm_init(physical_top(&boot.mem));

	discover_acpi();
	reserve_kernel_devices();
	struct kip_params params = {
		.build = MICA_BUILD,
		.cmdline = boot.cmdline,
		.mem = &final_map,
		.module_count = boot.module_count,
		.modules = boot.modules,
		.user_end = MICA_USER_END,
	};
	arch_init_platform(&acpi, &params.clock);
	clock_init(&params.clock);
	vcon_input_init();
	params.timeout_precision_ns = arch_timer_resolution_ns() + TIMEOUT_LATENCY_NS;
	params.cpu_count = describe_cpus();
	params.cpus = kip_cpus;
	kip_init(&params);
	kip_print_summary();

	boot_tasks_start(boot.modules, boot.module_count);
	selftest_run(boot.cmdline);
	core_resume();
}
