/* What a Multiboot loader told the kernel (Multiboot 1 from QEMU's
 * -kernel, Multiboot 2 from GRUB), copied out of the loader's data into
 * one form: the platform-neutral boot_info (arch/platform.h) and what
 * only a PC has, the ACPI root pointer. Pure: tested on the host. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/platform.h"
#include "klib/phys_access.h"
#include "memory/memmap.h"

#define MB1_BOOT_MAGIC 0x2badb002u
#define MB2_BOOT_MAGIC 0x36d76289u

#define ACPI_RSDP_COPY_MAX 36

enum boot_loader_kind { BOOT_MULTIBOOT1 = 1, BOOT_MULTIBOOT2 = 2 };

/* multiboot_info.warnings: data the parser ignored or cut */
#define BOOT_WARN_MODULES_DROPPED (1u << 0)
#define BOOT_WARN_BAD_MODULE (1u << 1)
#define BOOT_WARN_BAD_MMAP_ENTRY (1u << 2)
#define BOOT_WARN_MMAP_FULL (1u << 3)
#define BOOT_WARN_CMDLINE_CUT (1u << 4)
#define BOOT_WARN_BAD_TAG (1u << 5)
#define BOOT_WARN_NO_END_TAG (1u << 6)

struct multiboot_info {
	enum boot_loader_kind loader;
	uint32_t warnings;
	struct boot_info boot;
	unsigned rsdp_len; /* 0: the loader gave no ACPI root pointer */
	uint8_t rsdp[ACPI_RSDP_COPY_MAX];
};

enum multiboot_error {
	MULTIBOOT_OK = 0,
	MULTIBOOT_BAD_MAGIC,	 /* not started by a Multiboot loader */
	MULTIBOOT_UNREADABLE,	 /* the info structure is not in accessible memory */
	MULTIBOOT_MALFORMED,	 /* sizes in the header are impossible */
	MULTIBOOT_NO_MEMORY_MAP, /* neither a memory map nor basic memory sizes */
};

enum multiboot_error multiboot_parse(uint32_t magic, uint64_t info_phys, const struct phys_access *pa,
				     struct multiboot_info *out);
