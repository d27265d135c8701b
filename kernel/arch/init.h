/* Architecture bring-up, in the order kmain calls it. */
#pragma once

#include <stdint.h>

#include <mica/kip.h>

#include "platform/pc/acpi.h"
#include "klib/phys_access.h"

/* Console and CPU identification; nothing is allocated yet. */
void arch_init_early(void);

/* Physical memory reachable before vm_init (the boot page tables' direct
 * map of the first 4 GiB). */
extern const struct phys_access arch_early_phys;

/* This CPU's descriptor tables, per-CPU data and control registers. */
void arch_init_boot_cpu(void);

/* Interrupt controllers and timers; fills in the clock description. */
void arch_init_platform(const struct acpi_info *acpi, struct mica_kip_clock *clock);

/* Physical extent of the loaded kernel image. */
void arch_kernel_image(uint64_t *start, uint64_t *end);
