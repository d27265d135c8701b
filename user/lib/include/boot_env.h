/* What a program is given at start: the KIP, its arguments (main's), the
 * auxiliary vector of a loaded program (include/mica/program.h). */
#pragma once

#include <mica/kip.h>
#include <mica/types.h>

extern const struct mica_kip *boot_kip;

/* The root task's command line: its boot module's string without the
 * program path ("" if there is none). */
const char *boot_args(void);

/* The value of auxiliary-vector entry `type`, 0 if there is none (always
 * for boot tasks). */
mica_word_t mica_getauxval(mica_word_t type);

/* Reports status to the parent (MICA_CAP_PARENT) and stops the thread. */
void exit(int status) __attribute__((noreturn));
