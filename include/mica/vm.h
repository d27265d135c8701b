/* Virtual machines: a task kind whose address space is guest-physical
 * memory (AMD SVM nested paging), and the guest state a vCPU resumes it
 * with, at offset 0x200 of the vCPU state area (docs/abi.md §6.10). */
#pragma once

#include <mica/types.h>

/* Factory CREATE of a task with this UTCB-area log2 (and base 0) makes a
 * VM: no UTCB area, no threads; memory is mapped into it as into any
 * task (guest-physical address = the destination address). Without SVM
 * and nested paging the factory answers MICA_E_NOT_IMPLEMENTED. */
#define MICA_VM_UTCB_LOG2 0

/* intercepts: bits 0-31 are the exception vectors the monitor wants
 * (#VMEXIT 0x40 + vector); the rest the instructions below. The kernel
 * adds what it needs itself (interrupts, I/O and MSR accesses, SVM
 * instructions, XSETBV, INVD, MONITOR/MWAIT, debug registers, shutdown). */
#define MICA_VM_I_CPUID (1ul << 32)
#define MICA_VM_I_HLT (1ul << 33)
#define MICA_VM_I_RDTSC (1ul << 34)
#define MICA_VM_I_INVLPG (1ul << 35)
#define MICA_VM_I_PAUSE (1ul << 36)
#define MICA_VM_I_ALL 0x1ffffffffful

/* Exit codes (the AMD manual's #VMEXIT codes) a monitor sees. */
#define MICA_VM_EXIT_EXCEPTION 0x40 /* + vector */
#define MICA_VM_EXIT_CPUID 0x72
#define MICA_VM_EXIT_HLT 0x78
#define MICA_VM_EXIT_IOIO 0x7b
#define MICA_VM_EXIT_MSR 0x7c
#define MICA_VM_EXIT_SHUTDOWN 0x7f
#define MICA_VM_EXIT_VMMCALL 0x81
#define MICA_VM_EXIT_NPF 0x400
#define MICA_VM_EXIT_INVALID (~0ul)

/* A segment register as the VMCB holds it. */
struct mica_vm_seg {
	uint16_t sel, attr;
	uint32_t limit;
	uint64_t base;
};

struct mica_vm_state {
	mica_word_t intercepts; /* 0x200: MICA_VM_I_* and exception bits */
	/* 0x208: event to inject at the next resume, the SVM EVENTINJ layout
	 * in bits 0-31 (vector, type 0/2/3/4, bit 11 error valid, bit 31
	 * valid), the error code in bits 32-63; the kernel clears it when the
	 * guest took it. */
	mica_word_t inject;
	mica_word_t exit_code, exit_info1, exit_info2, exit_int_info; /* 0x210: the last exit */
	mica_word_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15; /* 0x230 */
	mica_word_t rsp, rip, rflags, cr0, cr2, cr3, cr4, efer;				     /* 0x2a8 */
	struct mica_vm_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;		     /* 0x2e8 */
};

#define MICA_VM_STATE_OFFSET 0x200
_Static_assert(sizeof(struct mica_vm_state) == 0x188, "ABI");
