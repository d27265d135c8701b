/* The PC's interrupt controllers around the CPU's local APIC, for the
 * platform's bring-up (platform.c). */
#pragma once

struct acpi_info;

/* Finds the I/O APICs and the ISA overrides; masks every line. */
void ioapic_init(const struct acpi_info *a);

/* Remaps the 8259 PICs away from the exception vectors and masks them. */
void pic_disable(void);
