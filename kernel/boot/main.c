/* Boot: from the loader's hand-off to the first user thread. */
#include <mica/layout.h>
#include <string.h>
#include <version.h>

#include "arch/cpu.h"
#include "arch/init.h"
#include "arch/platform.h"
#include "arch/timer.h"
#include "arch/trap.h"
#include "arch/vm.h"
#include "boot/boot_tasks.h"
#include "boot/cmdline.h"
#include "boot/cpus.h"
#include "arch/smp.h"
#include "sched/clock.h"
#include "klib/config.h"
#include "boot/kip.h"
#include "memory/kmem.h"
#include "klib/kprintf.h"
#include "klib/panic.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "debug/kdb.h"
#include "debug/selftest.h"
#include "objects/thread.h"
#include "objects/vcon.h"

bool kernel_test_mode;

/* Boot-time state, kept static: too large for the boot stack. */
static const struct boot_info *boot;
static struct memmap final_map;
const struct memmap *boot_memmap = &final_map;
static struct kip_cpu_desc kip_cpus[MAX_CPUS];

static void carve_out_image_and_modules(void)
{
	uint64_t kstart, kend;
	final_map = boot->mem;
	arch_kernel_image(&kstart, &kend);
	PANIC_IF(!memmap_set(&final_map, kstart, kend - kstart, MICA_MEM_KERNEL), "boot: memory map full");
	for (unsigned i = 0; i < boot->module_count; i++) {
		const struct boot_module *m = &boot->modules[i];
		uint64_t b = m->start & ~0xffful, e = (m->end + 0xfff) & ~0xffful;
		PANIC_IF(!memmap_set(&final_map, b, e - b, MICA_MEM_MODULE), "boot: memory map full");
	}
	arch_cpu_start_reserve(&final_map);
}

static uint64_t physical_top(const struct memmap *m)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < m->count; i++)
		if (m->r[i].type != MICA_MEM_RESERVED && m->r[i].end > top)
			top = m->r[i].end;
	return top;
}

void kmain(uint32_t magic, uint32_t info_phys)
{
	arch_init_early();
	kprintf("\nMica microkernel (%s)\n", MICA_BUILD);

	boot = platform_boot_info(magic, info_phys);
	kernel_test_mode = cmdline_option(boot->cmdline, "test", 0, 0);
	kdb_init(boot->cmdline);

	arch_init_boot_cpu(THREAD_FPU_SPACE);
	carve_out_image_and_modules();
	kmem_init(&final_map);
	vm_init(physical_top(&boot->mem));

	platform_discover(&final_map);
	struct kip_params params = {
		.build = MICA_BUILD,
		.cmdline = boot->cmdline,
		.mem = &final_map,
		.module_count = boot->module_count,
		.modules = boot->modules,
		.user_end = MICA_USER_END,
	};
	arch_init_timer(&params.clock);
	kip_clock_scale(params.clock.tsc_hz, &params.clock.ns_mult, &params.clock.ns_shift);
	clock_init(&params.clock);
	vcon_input_init();
	params.timeout_precision_ns = arch_timer_resolution_ns() + TIMEOUT_LATENCY_NS;
	uint64_t wall_s = platform_wall_clock_s();
	uint64_t since_boot = clock_ns_of_ticks(clock_now() - params.clock.tsc_boot);
	params.wall_boot_ns = wall_s * 1000000000ull > since_boot ? wall_s * 1000000000ull - since_boot : 0;
	params.cpu_count = cpus_start_all(kip_cpus, &params.clock, boot->cmdline);
	params.cpus = kip_cpus;
	kip_init(&params);
	kip_print_summary();

	boot_tasks_start(boot->modules, boot->module_count);
	selftest_run(boot->cmdline);
	sched_start();
}
