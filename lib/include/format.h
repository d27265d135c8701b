/* printf-style formatting onto a character sink, shared by the kernel's
 * console and user programs. Supports %c %s %d %i %u %x %X %p %%, the
 * flags '-' and '0', a width, a precision for %s, and the l/ll/z/h length
 * modifiers. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(void *ctx, char c);

int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap);

/* Formats into buf (always NUL-terminated when size > 0); returns the
 * length the whole output would have had. */
int format_buf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
