/* Options on the kernel's command line ("test", "selftest=name",
 * "smp_nostart=A"). Pure: tested on the host. */
#pragma once

#include <stdbool.h>

/* Finds `name` (a whole word) in a command line; with value, copies what
 * follows "name=" (up to a space) into value. */
bool cmdline_option(const char *cmdline, const char *name, char *value, unsigned value_size);
