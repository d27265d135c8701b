/* Starting the first boot module as a user task. */
#pragma once

#include <stdbool.h>

#include "bootinfo.h"

/* Loads the ELF image of module m into a new task with one thread, the
 * KIP, a UTCB and a stack, and makes the thread ready. Logs and returns
 * false if the image is not a valid executable. */
bool boot_task_start(const struct boot_module *m);
