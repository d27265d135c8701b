/* The PC platform's hooks (arch/platform.h): the Multiboot hand-off, the
 * ACPI tables with the CPUs and interrupt controllers they list, and
 * QEMU's exit device. */
#include "arch/platform.h"

#include "arch/init.h"
#include "arch/vm.h"
#include "arch/x86_64/apic.h"
#include "klib/kprintf.h"
#include "klib/panic.h"
#include "platform/pc/acpi.h"
#include "platform/pc/multiboot.h"
#include "platform/pc/pc.h"
#include <machine/x86.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4

/* Boot-time state, kept static: too large for the boot stack. */
static struct multiboot_info mb;
static struct acpi_info acpi;

static const char *const multiboot_errors[] = {
	[MULTIBOOT_OK] = "ok",
	[MULTIBOOT_BAD_MAGIC] = "not started by a Multiboot loader",
	[MULTIBOOT_UNREADABLE] = "boot information outside accessible memory",
	[MULTIBOOT_MALFORMED] = "malformed boot information",
	[MULTIBOOT_NO_MEMORY_MAP] = "the loader passed no memory map",
};

const struct boot_info *platform_boot_info(uint32_t magic, uint64_t info)
{
	enum multiboot_error err = multiboot_parse(magic, info, &arch_early_phys, &mb);
	PANIC_IF(err != MULTIBOOT_OK, "boot: %s (magic 0x%x, info at 0x%lx)", multiboot_errors[err], magic,
		 info);
	kprintf("boot: Multiboot %u, command line \"%s\", %u module(s)%s\n", mb.loader, mb.boot.cmdline,
		mb.boot.module_count, mb.warnings ? ", some loader data was malformed and ignored" : "");
	return &mb.boot;
}

static void discover_acpi(void)
{
	static const char *const errors[] = { "ok", "no RSDP", "no valid RSDT/XSDT", "no valid MADT" };
	const void *rsdp = mb.rsdp;
	uint64_t len = mb.rsdp_len, phys;
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
static void reserve_kernel_devices(struct memmap *map)
{
	PANIC_IF(!memmap_set(map, acpi.lapic_addr & ~0xffful, 0x1000, MICA_MEM_KERNEL),
		 "boot: memory map full");
	for (unsigned i = 0; i < acpi.ioapic_count; i++)
		PANIC_IF(!memmap_set(map, acpi.ioapics[i].addr & ~0xffful, 0x1000, MICA_MEM_KERNEL),
			 "boot: memory map full");
}

void platform_discover(struct memmap *map)
{
	discover_acpi();
	reserve_kernel_devices(map);
	pic_disable();
	apic_init(acpi.lapic_addr);
	ioapic_init(&acpi);
}

unsigned platform_cpus(uint32_t *ids, bool *usable, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < acpi.cpu_count && n < max; i++) {
		usable[n] =
			acpi.cpus[i].enabled; /* else online-capable only: hot-plug, which is not supported */
		ids[n++] = acpi.cpus[i].apic_id;
	}
	return n;
}

void arch_platform_exit(enum platform_exit code)
{
	/* Without the isa-debug-exit device the write is ignored. */
	outl(QEMU_DEBUG_EXIT_PORT, code);
}

void arch_platform_reboot(void)
{
	/* The reset control register (0xcf9: a full reset), then the
	 * keyboard controller's reset line; a CPU still running then
	 * halts. */
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	outb(0x64, 0xfe);
	for (;;)
		__asm__ volatile("cli; hlt");
}
