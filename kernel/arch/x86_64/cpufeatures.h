/* What the CPU can do, read once from CPUID on the boot CPU. The kernel
 * adapts to it: QEMU's default model lacks PCID, x2APIC, XSAVE and 1 GiB
 * pages, while -cpu max has them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
	char vendor[13];
	char brand[49];
	uint32_t family, model, stepping;
	uint32_t max_phys_bits;
	bool nx, pdpe1gb, pcid, x2apic, xsave, tsc_invariant, tsc_deadline, smep, smap, fsgsbase, apic;
};

extern struct cpu_features cpu_features;

void cpu_features_detect(void);
void cpu_features_print(void);

/* Sets control registers for what is present (SSE, global pages, SMEP, SMAP). */
void cpu_enable_features(void);
