#include "selftest.h"

#include <string.h>

#include "bootinfo.h"
#include "kprintf.h"
#include "panic.h"

/* noinline: each must show up by name in the backtrace. */
static __attribute__((noinline)) void selftest_panic(void)
{
	panic("selftest: deliberate panic");
}

static __attribute__((noinline)) void selftest_assert(void)
{
	volatile int one = 1;
	assert(one != 1);
	/* Release builds (DEBUG=0) do not evaluate assert(): say so. */
	panic("selftest: assert() is compiled out in this build");
}

static __attribute__((noinline)) void selftest_fault(void)
{
	/* Kernel text is mapped read-only: this must raise a page fault. */
	volatile char *text = (volatile char *)(void *)&selftest_fault;
	*text = 0;
}

void selftest_run(const char *cmdline)
{
	char name[32];
	if (!bootinfo_cmdline_option(cmdline, "selftest", name, sizeof(name)))
		return;
	kprintf("selftest: %s\n", name);
	if (strcmp(name, "panic") == 0)
		selftest_panic();
	else if (strcmp(name, "assert") == 0)
		selftest_assert();
	else if (strcmp(name, "fault") == 0)
		selftest_fault();
	else
		kprintf("selftest: unknown test '%s'\n", name);
}
