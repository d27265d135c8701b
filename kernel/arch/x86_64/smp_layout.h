/* Where the application processors' start-up code lives in low memory,
 * and its parameter block, shared by trampoline.S and smp.c. */
#pragma once

/* A page below 1 MiB (a SIPI's vector is its page number), free of the
 * real-mode interrupt table, BIOS data and the EBDA; boot reserves it. */
#define TRAMPOLINE_PHYS 0x8000
#define TRAMPOLINE_SIPI_VECTOR (TRAMPOLINE_PHYS >> 12)

/* The parameter block at the end of the trampoline (offsets). */
#define TRP_BOOT_CR3 0	  /* 32-bit: the boot page tables (identity map below 4 GiB) */
#define TRP_EFER 8	  /* 32-bit: EFER to load (LME, NXE, SCE) */
#define TRP_KERNEL_CR3 16 /* the kernel's page tables */
#define TRP_STACK 24	  /* the CPU's kernel stack top */
#define TRP_ARG 32	  /* its struct percpu */
#define TRP_ENTRY 40	  /* smp_ap_entry */
#define TRP_SIZE 48

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The physical address of the kernel's page tables (paging.c). */
uint64_t paging_kernel_root(void);
#endif
