/* The kernel's virtual memory layout, shared by C and assembly. */
#pragma once

#define KERNEL_VMA 0xffffffff80000000	/* kernel image: physical address + this */
#define KERNEL_PHYS 0x100000		/* where the loader puts the image */
#define PHYSMAP_BASE 0xffff800000000000 /* all physical memory, one-to-one */
#define IOMAP_BASE 0xffffffffc0000000	/* device registers, uncached, 1 GiB window */
#define IOMAP_END 0xfffffffffffff000	/* exclusive; the last page stays unmapped */

#define BOOT_STACK_SIZE 16384

/* GDT selectors. The order kernel code, kernel data, user data, user code
 * is what syscall/sysret require (STAR). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23
#define SEL_TSS 0x28

/* Offsets in struct percpu used by the entry code (checked in percpu.c). */
#define PERCPU_SELF 0
#define PERCPU_SCRATCH_RSP 8
#define PERCPU_REGS_TOP 16
#define PERCPU_KSTACK_TOP 24
#define PERCPU_LOCK_OWNER 32

/* Trap frame layout (struct arch_regs): 15 GPRs, vector, error, then the
 * hardware frame. */
#define REGS_R15 (0 * 8)
#define REGS_R14 (1 * 8)
#define REGS_R13 (2 * 8)
#define REGS_R12 (3 * 8)
#define REGS_R10 (4 * 8)
#define REGS_R9 (5 * 8)
#define REGS_R8 (6 * 8)
#define REGS_RBP (7 * 8)
#define REGS_RDI (8 * 8)
#define REGS_RSI (9 * 8)
#define REGS_RDX (10 * 8)
#define REGS_RBX (11 * 8)
#define REGS_RAX (12 * 8)
#define REGS_RCX (13 * 8)
#define REGS_R11 (14 * 8)
#define REGS_VECTOR (15 * 8)
#define REGS_ERROR (16 * 8)
#define REGS_RIP (17 * 8)
#define REGS_CS (18 * 8)
#define REGS_RFLAGS (19 * 8)
#define REGS_RSP (20 * 8)
#define REGS_SS (21 * 8)
#define REGS_SIZE (22 * 8)

/* A pseudo vector marking frames saved by the syscall instruction. */
#define VEC_SYSCALL 0x100
