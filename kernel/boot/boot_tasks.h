/* Starting the boot modules: the first is sigma0, the second the root
 * task (docs/abi.md section 8). */
#pragma once

#include "arch/platform.h"

/* Starts sigma0 from mods[0] and the root task from mods[1], logging
 * whatever is missing or not a valid executable. */
void boot_tasks_start(const struct boot_module *mods, unsigned count);
