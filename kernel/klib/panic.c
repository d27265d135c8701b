/* Fatal errors: stop the other CPUs, say what failed and for which thread,
 * print a backtrace and halt (or end the QEMU run in test mode). */
#include "klib/panic.h"

#include <stdarg.h>

#include "arch/cpu.h"
#include "arch/platform.h"
#include "debug/kdb.h"
#include "klib/config.h"
#include "klib/kprintf.h"
#include "sched/percpu.h"
#include "objects/task.h"
#include "objects/thread.h"

static volatile int panicking;

void panic_begin(void)
{
	/* A panic inside a panic must not recurse: just stop. */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		arch_halt_forever();
	arch_stop_other_cpus();
	kprintf_break_lock();
}

/* Which user thread the kernel was working for: its user handle is how
 * the fuzzer (and any program) can tell which of its operations it was. */
static void describe_current(void)
{
	if (!percpu_by_id[0])
		return; /* too early: no per-CPU data yet */
	struct percpu *cpu = this_cpu();
	struct thread *t = cpu->current;
	if (t)
		kprintf("panic: on CPU %u for thread %u of task '%s', user handle 0x%lx\n", cpu->id, t->id,
			t->task ? t->task->name : "-", t->user_handle);
}

void panic_end(uint64_t fp, uint64_t ip)
{
	kdb_on_panic();
	describe_current();
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
