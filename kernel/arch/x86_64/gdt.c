/* Per-CPU descriptor tables: the GDT with the TSS, and the MSRs that
 * define the syscall entry. */
#include <stddef.h>
#include <string.h>

#include "layout.h"
#include "sched/percpu.h"
#include <machine/x86.h>

extern void syscall_entry(void), syscall_entry_smp(void);
void idt_load(void);

#define GDT_KCODE 0x00af9a000000fffful /* 64-bit, DPL 0 */
#define GDT_KDATA 0x00cf92000000fffful
#define GDT_UDATA 0x00cff2000000fffful /* DPL 3 */
#define GDT_UCODE 0x00affa000000fffful /* 64-bit, DPL 3 */

/* RFLAGS bits cleared on syscall entry: IF, TF, DF, AC, NT, IOPL. */
#define SYSCALL_FMASK 0x47700ul

_Static_assert(offsetof(struct arch_percpu, io_bitmap) ==
		       offsetof(struct arch_percpu, tss) + sizeof(struct tss),
	       "the I/O bitmap follows the TSS");

static void set_tss_descriptor(uint64_t *gdt, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) + ARCH_IO_BITMAP_SIZE;
	gdt[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) /* present, 64-bit TSS */ |
		 ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt[1] = base >> 32;
}

void arch_percpu_init(struct percpu *cpu)
{
	struct arch_percpu *a = &cpu->arch;
	a->cpu_bit = 1ul << cpu->id;
	a->other_cpus = ~a->cpu_bit;
	uint64_t *gdt = a->gdt;
	gdt[0] = 0;
	gdt[SEL_KCODE / 8] = GDT_KCODE;
	gdt[SEL_KDATA / 8] = GDT_KDATA;
	gdt[SEL_UDATA / 8] = GDT_UDATA;
	gdt[SEL_UCODE / 8] = GDT_UCODE;

	memset(&a->tss, 0, sizeof(a->tss));
	for (int i = 0; i < IST_COUNT; i++)
		a->tss.ist[i] = (uint64_t)(a->ist_stacks[i] + ARCH_IST_SIZE);
	a->tss.rsp[0] = cpu->kstack_top;
	/* Until a task with ports runs, the bitmap offset points past the
	 * limit: every port access from user mode faults. */
	a->tss.iomap_base = IO_BITMAP_NONE;
	a->io_bitmap[ARCH_IO_BITMAP_SIZE] = 0xff;
	a->io_owner = 0;
	a->io_space = 0;
	set_tss_descriptor(&gdt[SEL_TSS / 8], &a->tss);

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(a->gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss\n\t"
			 "pushq %2\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "r"((uint64_t)SEL_KDATA), "i"(SEL_KCODE), "r"(SEL_TSS)
			 : "rax", "memory");
	/* Null FS/GS selectors: their bases come from the MSRs alone. */
	__asm__ volatile("mov %0, %%fs\n\tmov %0, %%gs" ::"r"(0));
	wrmsr(MSR_GS_BASE, (uint64_t)cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	idt_load();

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA - 8 - 3) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
}

static bool entry_smp; /* every CPU switches at once (sched_start) */

void arch_syscall_entry_smp(void)
{
	entry_smp = true;
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry_smp);
}

#ifdef MICA_DEBUG
extern void syscall_entry_traced(void);

void arch_syscall_entry_traced(bool on)
{
	wrmsr(MSR_LSTAR, on ? (uint64_t)syscall_entry_traced
			    : (uint64_t)(entry_smp ? syscall_entry_smp : syscall_entry));
}
#endif
