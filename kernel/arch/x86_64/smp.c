/* Starting an application processor: the trampoline copied to low
 * memory with its parameters, INIT-SIPI-SIPI with the waits of the Intel
 * SDM's MP initialization (vol. 3A, "typical BSP initialization
 * sequence": 10 ms after INIT, 200 us after each STARTUP), and the new
 * CPU's own set-up before the core takes it. */
#include "arch/smp.h"

#include <string.h>

#include "apic.h"
#include "arch/init.h"
#include "arch/platform.h"
#include "arch/vm.h"
#include "klib/panic.h"
#include "layout.h"
#include "sched/percpu.h"
#include "smp_layout.h"
#include <machine/x86.h>

#define INIT_WAIT_US 10000
#define STARTUP_WAIT_US 200
/* How long a started CPU may take to report: generous, since under TCG
 * a virtual CPU may be scheduled late. */
#define ONLINE_POLL_US 100
#define ONLINE_TIMEOUT_US 200000

extern const char smp_trampoline[], smp_trampoline_end[];
extern char boot_pml4[];
void smp_ap_entry(void);
__attribute__((noreturn)) void smp_ap_main(struct percpu *cpu);

_Static_assert(TRAMPOLINE_PHYS % 4096 == 0 && TRAMPOLINE_PHYS < 0x100000, "a SIPI vector names the page");

/* Whether the trampoline's page was free RAM and is now the kernel's. */
static bool trampoline_page;

void arch_cpu_start_reserve(struct memmap *map)
{
	/* Only free RAM will do: not a boot module, firmware data or a hole. */
	if (!memmap_overlaps(map, TRAMPOLINE_PHYS, 4096, MICA_MEM_CONVENTIONAL))
		return;
	for (uint32_t type = MICA_MEM_MODULE; type <= MICA_MEM_BAD; type++)
		if (memmap_overlaps(map, TRAMPOLINE_PHYS, 4096, type))
			return;
	/* Taken out of conventional memory, the page is never handed out. */
	trampoline_page = memmap_set(map, TRAMPOLINE_PHYS, 4096, MICA_MEM_KERNEL);
}

static void put64(uint8_t *params, unsigned off, uint64_t v)
{
	memcpy(params + off, &v, sizeof(v));
}

static bool online(struct percpu *cpu)
{
	return __atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE);
}

const char *arch_start_cpu(struct percpu *cpu, bool send_startup)
{
	if (!trampoline_page)
		return "the start-up page at 0x8000 is not free memory";
	size_t size = (uintptr_t)smp_trampoline_end - (uintptr_t)smp_trampoline; /* one object, in assembly */
	uint8_t *page = phys_to_virt(TRAMPOLINE_PHYS);
	memcpy(page, smp_trampoline, size);
	uint8_t *params = page + size - TRP_SIZE;
	/* The boot page tables map the trampoline where it runs (identity)
	 * and the kernel image; they lie below 4 GiB, as a 32-bit CR3 load
	 * needs. EFER's LMA is the CPU's to set. */
	put64(params, TRP_BOOT_CR3, (uint64_t)boot_pml4 - KERNEL_VMA);
	put64(params, TRP_EFER, rdmsr(MSR_EFER) & ~(1ul << 10));
	put64(params, TRP_KERNEL_CR3, paging_kernel_root());
	put64(params, TRP_STACK, cpu->kstack_top);
	put64(params, TRP_ARG, (uint64_t)cpu);
	put64(params, TRP_ENTRY, (uint64_t)smp_ap_entry);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	if (!apic_send_init(cpu->apic_id))
		return "the local APIC did not send INIT";
	platform_wait_us(INIT_WAIT_US);
	for (int i = 0; i < 2 && send_startup && !online(cpu); i++) {
		if (!apic_send_startup(cpu->apic_id, TRAMPOLINE_SIPI_VECTOR))
			return "the local APIC did not send STARTUP";
		platform_wait_us(STARTUP_WAIT_US);
	}
	for (unsigned waited = 0; !online(cpu) && waited < ONLINE_TIMEOUT_US; waited += ONLINE_POLL_US)
		platform_wait_us(ONLINE_POLL_US);
	if (online(cpu))
		return 0;
	/* Back to wait-for-SIPI: a late start must not run on parameters
	 * that are another CPU's by then. */
	apic_send_init(cpu->apic_id);
	return "no answer to INIT-SIPI-SIPI within 200 ms";
}

void arch_send_remote_ipi(const struct percpu *cpu)
{
	/* The xAPIC reports a message its bus did not take; nothing can be
	 * done about it but notice. */
	PANIC_IF(!apic_send_fixed(cpu->apic_id, VEC_REMOTE), "smp: remote-request IPI to CPU %u not sent",
		 cpu->id);
}

void smp_ap_main(struct percpu *cpu)
{
	arch_init_ap(cpu);
	core_cpu_online(cpu);
}
