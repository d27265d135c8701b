/* ACPI table discovery: the root pointer, RSDT/XSDT, and the MADT's
 * processors, I/O APICs and interrupt source overrides. Tables are
 * untrusted input: every length is checked against what can be mapped,
 * every checksum is verified, and a bad table is skipped with a warning
 * instead of followed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "klib/phys_access.h"

#define ACPI_MAX_CPUS 128
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 24
#define ACPI_TABLE_MAX (1u << 20) /* a larger table is treated as corrupt */

/* acpi_info.warnings */
#define ACPI_WARN_BAD_ROOT (1u << 0)  /* XSDT unusable, fell back to RSDT */
#define ACPI_WARN_BAD_TABLE (1u << 1) /* a table with bad checksum or length */
#define ACPI_WARN_BAD_ENTRY (1u << 2) /* a MADT entry that overruns the table */
#define ACPI_WARN_TOO_MANY (1u << 3)  /* more CPUs / I/O APICs / overrides than fit */

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid;
	bool enabled; /* false: online-capable, not started by firmware */
};

struct acpi_ioapic {
	uint32_t id;
	uint32_t gsi_base;
	uint64_t addr;
};

struct acpi_override {
	uint8_t bus;
	uint8_t source; /* ISA IRQ */
	uint16_t flags; /* polarity bits 0-1, trigger mode bits 2-3 */
	uint32_t gsi;
};

struct acpi_info {
	bool have_madt;
	uint8_t revision; /* of the RSDP */
	uint32_t warnings;
	uint64_t lapic_addr;
	uint32_t madt_flags; /* bit 0: dual 8259 PICs present */
	unsigned cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
};

enum acpi_error {
	ACPI_OK = 0,
	ACPI_NO_RSDP, /* no valid root pointer */
	ACPI_NO_ROOT, /* neither a valid XSDT nor RSDT */
	ACPI_NO_MADT, /* no valid MADT: callers assume one CPU */
};

bool acpi_checksum_ok(const void *p, uint64_t len);

/* Validates an RSDP (signature, checksum, and the extended checksum for
 * revision 2 and later) in the len bytes at p. */
bool acpi_rsdp_valid(const void *p, uint64_t len);

/* Scans the legacy BIOS areas (first KiB of the EBDA, 0xe0000-0xfffff)
 * for a valid RSDP. */
bool acpi_find_rsdp(const struct phys_access *pa, uint64_t *rsdp_phys);

/* Parses the tables under the RSDP at rsdp (len bytes, a copy or a
 * mapping). On ACPI_NO_MADT and worse, info says one CPU and the default
 * local APIC address. */
enum acpi_error acpi_parse(const struct phys_access *pa, const void *rsdp, uint64_t len,
			   struct acpi_info *info);
