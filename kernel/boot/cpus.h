/* The CPUs at boot: starting every one the platform lists. */
#pragma once

#include <mica/kip.h>

#include "boot/kip_encode.h"

/* Starts every CPU the platform lists (besides this, the boot CPU) and
 * describes each in descs (MAX_CPUS entries), all with the boot CPU's
 * clock rates; returns how many it described. The command line may hold
 * smp_nostart=A (a test: the CPU with APIC id A is never sent STARTUP
 * and must be left out). Prints one line per CPU
 * that came online or did not start, and the summary. */
unsigned cpus_start_all(struct kip_cpu_desc *descs, const struct mica_kip_clock *clock, const char *cmdline);
