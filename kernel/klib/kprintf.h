/* Kernel console output. Lines from different CPUs do not interleave. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* User output: the bytes as they are, with "\n" as "\r\n" if onlcr. */
void kputs_raw(const char *s, unsigned long len, bool onlcr);

/* For the panic path: take the console even if another CPU holds it. */
void kprintf_break_lock(void);
