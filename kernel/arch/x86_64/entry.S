/* Every way into and out of the kernel.
 *
 * User state is saved where it belongs, in the current thread's struct
 * arch_regs: TSS.RSP0 and the per-CPU regs_top point just past it, so
 * the CPU's interrupt frame and the registers pushed here fill it
 * exactly. The C handlers then run on the per-CPU kernel stack and never
 * return; they leave through arch_return_to_user (seL4's model: one
 * kernel stack per CPU, no kernel state kept across a switch). */
#include "layout.h"

.macro PUSH_GPRS
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
.endm

/* Vectors whose CPU frame carries an error code. */
.macro VECTOR n
	.balign 16
	.if (\n != 8) && ((\n < 10) || (\n > 14)) && (\n != 17) && (\n != 21) && (\n != 29) && (\n != 30)
	push $0
	.endif
	push $\n
	.if (\n == 2) || (\n == 8) || (\n == 18)
	jmp trap_fatal_common
	.else
	jmp trap_common
	.endif
.endm

	.text
	.balign 16
	.global vector_table
vector_table: /* 256 stubs of 16 bytes each (idt.c relies on the size) */
.irp hi, 0,1,2,3,4,5,6,7,8,9,a,b,c,d,e,f
.irp lo, 0,1,2,3,4,5,6,7,8,9,a,b,c,d,e,f
	VECTOR 0x\hi\lo
.endr
.endr
	.balign 16
vector_table_end:

trap_common:
	testb $3, 24(%rsp) /* CS of the interrupted context */
	jz from_kernel
	swapgs
	cld /* the user may have set DF; the kernel's C code assumes it clear */
	PUSH_GPRS
	mov %rsp, %rdi
	mov %gs:PERCPU_KSTACK_TOP, %rsp
	call trap_from_user /* does not return */
	ud2

from_kernel:
	PUSH_GPRS
	mov %rsp, %rdi
	call trap_from_kernel
	POP_GPRS
	add $16, %rsp
	iretq

/* NMI, double fault and machine check arrive on their own IST stacks,
 * possibly between swapgs and the stack switch, so they do not trust GS
 * and do not return: the handler reports and halts. */
trap_fatal_common:
	PUSH_GPRS
	mov %rsp, %rdi
	call trap_fatal
	ud2

/* syscall: RCX = user RIP, R11 = user RFLAGS, interrupts masked by FMASK. */
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_SCRATCH_RSP
	mov %gs:PERCPU_REGS_TOP, %rsp
	push $SEL_UDATA
	push %gs:PERCPU_SCRATCH_RSP
	push %r11
	push $SEL_UCODE
	push %rcx
	push $0
	push $VEC_SYSCALL
	PUSH_GPRS
	mov %rsp, %rdi
	mov %gs:PERCPU_KSTACK_TOP, %rsp
	call core_syscall /* does not return */
	ud2

/* void arch_return_to_user_asm(struct arch_regs *regs): noreturn. The
 * caller has checked that RIP is a canonical user address. */
	.global arch_return_to_user_asm
arch_return_to_user_asm:
	mov %rdi, %rsp
	POP_GPRS
	cmpq $VEC_SYSCALL, (%rsp)
	jne 1f
	/* Entered by syscall: sysret is cheaper than iret. */
	mov 16(%rsp), %rcx /* RIP */
	mov 32(%rsp), %r11 /* RFLAGS */
	mov 40(%rsp), %rsp /* user RSP */
	swapgs
	sysretq
1:	add $16, %rsp
	swapgs
	iretq
