/* What a boot task is given at start (include/mica/layout.h). */
#pragma once

#include <mica/kip.h>

extern const struct mica_kip *boot_kip;

/* The program's own command line: the first boot module's string,
 * without the program path ("" if there is none). */
const char *boot_args(void);
