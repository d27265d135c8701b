/* Frame-pointer backtraces of the kernel (built with frame pointers). */
#include "arch/cpu.h"
#include "debug/ksym.h"
#include "klib/kprintf.h"
#include "layout.h"

#define MAX_FRAMES 24

static int kernel_address(uint64_t a)
{
	return a >= KERNEL_VMA || (a >= PHYSMAP_BASE && a < KERNEL_VMA);
}

static void print_frame(int i, uint64_t ip)
{
	uint64_t off;
	const char *name = ksym_lookup(ip, &off);
	if (name)
		kprintf("  #%d %016lx %s+0x%lx\n", i, ip, name, off);
	else
		kprintf("  #%d %016lx ?\n", i, ip);
}

void arch_backtrace(uint64_t fp, uint64_t ip)
{
	int i = 0;
	kprintf("backtrace:\n");
	if (!fp)
		fp = (uint64_t)__builtin_frame_address(0);
	else
		print_frame(i++, ip);
	while (i < MAX_FRAMES && fp && !(fp & 7) && kernel_address(fp)) {
		const uint64_t *frame = (const uint64_t *)fp;
		uint64_t ret = frame[1];
		if (!ret || ret < KERNEL_VMA)
			break;
		/* Return addresses point after the call: look up the call itself. */
		print_frame(i++, ret - 1);
		if (frame[0] <= fp)
			break; /* frames must move up the stack */
		fp = frame[0];
	}
}
