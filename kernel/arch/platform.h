/* The platform: the machine around the CPU (the loader's hand-off,
 * firmware tables, interrupt controllers, the reference clock, ending a
 * run). Every platform (kernel/platform/<name>/) implements these hooks,
 * and with them the console (arch/console.h) and the interrupt lines
 * (arch/irq_lines.h); the core reaches the platform through nothing else. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "memory/memmap.h"

#define BOOT_MODULES_MAX 16
#define BOOT_CMDLINE_MAX 256
#define BOOT_MODULE_CMDLINE_MAX 128

struct boot_module {
	uint64_t start;
	uint64_t end; /* exclusive */
	char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

/* What the loader handed over, in the one form the core boots from. */
struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	struct memmap mem; /* the firmware's map, normalized */
	unsigned module_count;
	struct boot_module modules[BOOT_MODULES_MAX];
};

/* Reads the loader's hand-off: magic and info are the two words the
 * entry code passes on from the loader. Prints what it found; panics if
 * the kernel cannot boot from it. The result stays valid for the run. */
const struct boot_info *platform_boot_info(uint32_t magic, uint64_t info);

/* Finds the machine's firmware tables and interrupt controllers (after
 * vm_init: their registers are mapped as devices), starts the controllers
 * with every line masked, and marks the registers the kernel keeps for
 * itself as MICA_MEM_KERNEL in map, so that they are never handed out as
 * device memory. */
void platform_discover(struct memmap *map);

/* The hardware ids of the CPUs the firmware lists (at most max), after
 * platform_discover, and whether each is enabled (may be started); 0 if
 * it lists none. */
unsigned platform_cpus(uint32_t *ids, bool *usable, unsigned max);

/* Busy-waits us microseconds against a clock of known frequency, for
 * calibrating the CPU's timers. */
void platform_wait_us(uint32_t us);

/* The wall clock now, in seconds since 1970-01-01 00:00 UTC (the PC's
 * RTC); 0 if there is none. */
uint64_t platform_wall_clock_s(void);

/* Ending a run. In test mode the kernel leaves QEMU through its
 * isa-debug-exit device (I/O port 0xf4); QEMU exits with status
 * (code << 1) | 1, which tests/qemu and tools/qemu.sh decode. */
enum platform_exit {
	EXIT_PASS = 0x10,  /* QEMU status 33: a test program reported success */
	EXIT_FAIL = 0x11,  /* 35: a test program reported failure */
	EXIT_IDLE = 0x12,  /* 37: nothing left to run */
	EXIT_PANIC = 0x1d, /* 59: kernel panic */
};

/* Ends the QEMU run if the debug-exit device is there; returns otherwise. */
void arch_platform_exit(enum platform_exit code);
/* Resets the machine (the kernel debugger's `reboot`). */
__attribute__((noreturn)) void arch_platform_reboot(void);
