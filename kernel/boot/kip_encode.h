/* Encodes the kernel interface page from what boot discovered. Pure:
 * writes only into the given buffer, so it is tested on the host. */
#pragma once

#include <stdint.h>

#include <mica/kip.h>

#include "arch/platform.h"
#include "memory/memmap.h"

struct kip_cpu_desc {
	uint32_t apic_id;
	uint32_t flags; /* MICA_KIP_CPU_* */
	unsigned id;	/* the kernel's CPU number; MICA_KIP_CPU_NO_ID if not online */
	uint64_t tsc_hz;
	uint64_t timer_hz;
};

struct kip_params {
	const char *build;
	const char *cmdline;
	const struct memmap *mem; /* final map: firmware regions with kernel and modules carved out */
	unsigned cpu_count;
	const struct kip_cpu_desc *cpus;
	unsigned module_count;
	const struct boot_module *modules;
	struct mica_kip_clock clock;
	uint64_t user_end;
	uint64_t timeout_precision_ns;
	uint64_t wall_boot_ns; /* the wall clock at clock time 0; 0 if unknown */
};

/* kip must point to MICA_KIP_SIZE bytes. */
void kip_build(void *kip, const struct kip_params *p);

/* Computes ns_mult and ns_shift so that ns = (ticks * mult) >> shift for
 * a counter of the given frequency, the product taken at 128 bits. */
void kip_clock_scale(uint64_t hz, uint64_t *mult, uint32_t *shift);
