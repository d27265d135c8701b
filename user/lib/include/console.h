/* Output on the kernel console (the Vcon capability). */
#pragma once

#include <stddef.h>

/* Writes len bytes; returns 0 or a mica_error. */
int vcon_write(const char *s, size_t len);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
