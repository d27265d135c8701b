/* Kernel console output: formatted printing onto the console line, under
 * a lock that a panic may break. */
#include "klib/kprintf.h"

#include <format.h>

#include "arch/console.h"
#include "klib/spinlock.h"

static struct spinlock console_lock = SPINLOCK_INIT;

static void sink(void *ctx, char c)
{
	(void)ctx;
	arch_console_putc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
	spin_lock(&console_lock);
	format_v(sink, 0, fmt, ap);
	spin_unlock(&console_lock);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void kputs_raw(const char *s, unsigned long len, bool onlcr)
{
	spin_lock(&console_lock);
	for (unsigned long i = 0; i < len; i++) {
		if (onlcr)
			arch_console_putc(s[i]);
		else
			arch_console_put_raw(s[i]);
	}
	spin_unlock(&console_lock);
}

void kprintf_break_lock(void)
{
	spin_unlock(&console_lock);
}
