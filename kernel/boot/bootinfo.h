/* What the boot loader told the kernel, copied out of the loader's data
 * (Multiboot 1 from QEMU's -kernel, Multiboot 2 from GRUB) into one form. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "memory/memmap.h"
#include "klib/phys_access.h"

#define MB1_BOOT_MAGIC 0x2badb002u
#define MB2_BOOT_MAGIC 0x36d76289u

#define BOOT_MODULES_MAX 16
#define BOOT_CMDLINE_MAX 256
#define BOOT_MODULE_CMDLINE_MAX 128
#define ACPI_RSDP_COPY_MAX 36

enum boot_loader_kind { BOOT_MULTIBOOT1 = 1, BOOT_MULTIBOOT2 = 2 };

/* boot_info.warnings: data the parser ignored or cut */
#define BOOT_WARN_MODULES_DROPPED (1u << 0)
#define BOOT_WARN_BAD_MODULE (1u << 1)
#define BOOT_WARN_BAD_MMAP_ENTRY (1u << 2)
#define BOOT_WARN_MMAP_FULL (1u << 3)
#define BOOT_WARN_CMDLINE_CUT (1u << 4)
#define BOOT_WARN_BAD_TAG (1u << 5)
#define BOOT_WARN_NO_END_TAG (1u << 6)

struct boot_module {
	uint64_t start;
	uint64_t end; /* exclusive */
	char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

struct boot_info {
	enum boot_loader_kind loader;
	uint32_t warnings;
	char cmdline[BOOT_CMDLINE_MAX];
	struct memmap mem; /* the firmware's map, normalized */
	unsigned module_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	unsigned rsdp_len; /* 0: the loader gave no ACPI root pointer */
	uint8_t rsdp[ACPI_RSDP_COPY_MAX];
};

enum bootinfo_error {
	BOOTINFO_OK = 0,
	BOOTINFO_BAD_MAGIC,	/* not started by a Multiboot loader */
	BOOTINFO_UNREADABLE,	/* the info structure is not in accessible memory */
	BOOTINFO_MALFORMED,	/* sizes in the header are impossible */
	BOOTINFO_NO_MEMORY_MAP, /* neither a memory map nor basic memory sizes */
};

enum bootinfo_error bootinfo_parse(uint32_t magic, uint64_t info_phys, const struct phys_access *pa,
				   struct boot_info *out);

/* Finds `name` (a whole word) in a command line; with value, copies what
 * follows "name=" (up to a space) into value. */
bool bootinfo_cmdline_option(const char *cmdline, const char *name, char *value, unsigned value_size);
