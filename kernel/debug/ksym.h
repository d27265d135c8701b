/* The kernel's own symbol table (generated at link time by
 * tools/gen-ksyms.sh), for symbolized backtraces. */
#pragma once

#include <stdint.h>

/* Returns the name of the function containing addr and sets *offset, or
 * returns 0 if addr is in no known function. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
