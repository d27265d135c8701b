/* A program's short name from its command line, for log lines. */
#pragma once

#include <stddef.h>

/* "build/user/hello.elf arg" -> "hello": the first word's last path
 * component without ".elf", cut to size - 1; "" if there is none. */
void progname(const char *cmdline, char *name, size_t size);
