/* x86-64's part of the per-CPU data, how a CPU finds its own (in the
 * kernel, GS base points at its struct percpu), and the inline CPU
 * operations of arch/cpu.h. */
#pragma once

#include <stdint.h>

#define ARCH_KSTACK_SIZE 16384
#define ARCH_IST_SIZE 8192
#define ARCH_GDT_ENTRIES 7

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "hardware TSS layout");
#define IO_BITMAP_NONE 0xffff /* an iomap_base beyond the limit: no ports */

enum { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3, IST_COUNT = 3 };

#define ARCH_IO_BITMAP_SIZE 8192 /* one bit per port; a set bit denies it */
#define ARCH_FPU_SPARE 1024	 /* at least any thread's FPU state */

struct arch_percpu {
	uint64_t gdt[ARCH_GDT_ENTRIES];
	struct tss tss;
	/* Right behind the TSS, inside its limit: the current task's I/O
	 * bitmap, and the all-ones byte the CPU reads past its end. */
	uint8_t io_bitmap[ARCH_IO_BITMAP_SIZE + 1];
	const void *io_owner; /* whose bitmap io_bitmap holds */
	const void *io_space; /* whose ports the TSS grants (0: none) */
	uint64_t active_pml4; /* physical address in CR3 */
	uint64_t cpu_bit;     /* 1 << this CPU's id, for vm_space.cpus on a switch */
	uint64_t other_cpus;  /* ~cpu_bit: whom a shootdown from here concerns */
	uint64_t user_gs;     /* user GS base (the UTCB) currently loaded */
	uint64_t user_fs;
	void *fpu_owner; /* whose FPU state the registers hold: never 0 */
	/* The owner when no thread is (at first, and after the owner died):
	 * saving into it is harmless, and the switch needs no test for 0. */
	_Alignas(64) uint8_t fpu_spare[ARCH_FPU_SPARE];
	_Alignas(16) uint8_t ist_stacks[IST_COUNT][ARCH_IST_SIZE];
	_Alignas(16) uint8_t kstack[ARCH_KSTACK_SIZE];
};

struct percpu;
struct vm_space;

/* Loads vm's I/O permissions into this CPU's TSS (arch_switch_to_user,
 * when vm has ports or the space before it had). */
void vm_io_activate(struct arch_percpu *a, const struct vm_space *vm);

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* A CPU time stamp (TSC); inline, the IPC fast path reads it. */
static inline uint64_t arch_timestamp(void)
{
	uint64_t t, hi;
	__asm__ volatile("rdtsc; shl $32, %1; or %1, %0" : "=a"(t), "=d"(hi));
	return t;
}

/* Copies n words between message registers (UTCBs of user threads) in
 * one instruction. The kernel runs with the direction flag clear. */
static inline void arch_copy_words(volatile uint64_t *dst, const volatile uint64_t *src, uint64_t n)
{
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
