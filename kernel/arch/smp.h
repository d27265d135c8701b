/* Starting the other CPUs: what the core asks of the architecture. The
 * core decides which CPUs to start and gives each its per-CPU data; the
 * architecture runs the hardware's start-up protocol and, on the new
 * CPU, sets up its own tables, control registers, FPU and timer before
 * handing it to core_cpu_online. */
#pragma once

#include <stdbool.h>

#include "memory/memmap.h"

struct percpu;

/* Marks the low memory the start-up code needs as the kernel's (before
 * the kernel's pool is chosen from the map), if it is free RAM; if not,
 * every CPU start fails with a reason. */
void arch_cpu_start_reserve(struct memmap *map);

/* Starts the CPU whose hardware id is cpu->apic_id on cpu's kernel stack
 * and waits until it set cpu->online. Returns 0 then, else why not (the
 * CPU is put back to sleep and must not be used). With send_startup
 * false the start-up message itself is left out: the path of a CPU that
 * never answers, for tests. */
const char *arch_start_cpu(struct percpu *cpu, bool send_startup);

/* On the new CPU, after its architecture set-up; never returns. */
__attribute__((noreturn)) void core_cpu_online(struct percpu *cpu);
