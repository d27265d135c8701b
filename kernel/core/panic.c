#include "panic.h"

#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/platform.h"
#include "config.h"
#include "kprintf.h"

static volatile int panicking;

void panic_begin(void)
{
	/* A panic inside a panic must not recurse: just stop. */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		arch_halt_forever();
	arch_stop_other_cpus();
	kprintf_break_lock();
}

void panic_end(uint64_t fp, uint64_t ip)
{
	arch_backtrace(fp, ip);
	kprintf("mica: kernel halted\n");
	if (kernel_test_mode)
		arch_platform_exit(EXIT_PANIC);
	arch_halt_forever();
}

void panic(const char *fmt, ...)
{
	panic_begin();
	va_list ap;
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	panic_end(0, 0);
}
