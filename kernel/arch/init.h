/* Architecture bring-up, in the order kmain calls it. */
#pragma once

#include <stdint.h>

#include <mica/kip.h>

#include "klib/phys_access.h"

/* Console and CPU identification; nothing is allocated yet. */
void arch_init_early(void);

/* Physical memory reachable before vm_init (the boot page tables' direct
 * map of the first 4 GiB). */
extern const struct phys_access arch_early_phys;

/* This CPU's descriptor tables, per-CPU data and control registers. Its
 * FPU state must fit in fpu_space bytes, the room a thread has for it. */
void arch_init_boot_cpu(uint32_t fpu_space);

/* An application processor's descriptor tables, per-CPU data (cpu),
 * control registers, FPU, local APIC and timer, as the boot CPU's: its
 * timer has the boot CPU's rates and stays disarmed. */
struct percpu;
void arch_init_ap(struct percpu *cpu);

/* This CPU's timer (after platform_discover started the interrupt
 * controllers): calibrates and starts it, and fills in the clock's
 * frequencies, boot time and flags. */
void arch_init_timer(struct mica_kip_clock *clock);

/* Physical extent of the loaded kernel image. */
void arch_kernel_image(uint64_t *start, uint64_t *end);
