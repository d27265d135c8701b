/* Kernel-wide configuration and boot options. */
#pragma once

#include <stdbool.h>

#define MAX_CPUS 64

/* Set from the kernel command line ("test"): ends the QEMU run on panic
 * and when nothing is left to run. */
extern bool kernel_test_mode;
