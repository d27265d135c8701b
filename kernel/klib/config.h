/* Kernel-wide configuration and boot options. */
#pragma once

#include <stdbool.h>

#define MAX_CPUS 64

/* Set from the kernel command line ("test"): ends the QEMU run on panic
 * and when nothing is left to run. */
extern bool kernel_test_mode;

/* What the kernel promises on top of the timer's resolution for how late
 * a timeout ends (the KIP's timeout_precision_ns): the interrupt's entry,
 * the expiry and the switch, when no higher-priority thread runs. The
 * kernel is not preemptible, so a long kernel operation (destroying a
 * large task) can delay it further. */
#define TIMEOUT_LATENCY_NS 20000ul
