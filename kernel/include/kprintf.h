/* Kernel console output. Lines from different CPUs do not interleave. */
#pragma once

#include <stdarg.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void kputs_raw(const char *s, unsigned long len); /* bytes as they are (user output) */

/* For the panic path: take the console even if another CPU holds it. */
void kprintf_break_lock(void);
