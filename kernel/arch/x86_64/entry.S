/* Every way into and out of the kernel.
 *
 * User state is saved where it belongs, in the current thread's struct
 * arch_regs: TSS.RSP0 and the per-CPU regs_top point just past it, so
 * the CPU's interrupt frame and the registers pushed here fill it
 * exactly. The C handlers then run on the per-CPU kernel stack and never
 * return; they leave through arch_return_to_user (seL4's model: one
 * kernel stack per CPU, no kernel state kept across a switch). */
#include "layout.h"
#include <mica/arch/x86_64/syscall.h>

/* The syscall handlers take the call's selector, tag and flags as their
 * first three C arguments (core_syscall), where the convention puts
 * them already. */
.ifnc MICA_SYSCALL_REG_SELECTOR MICA_SYSCALL_REG_TAG MICA_SYSCALL_REG_FLAGS, rdi rsi rdx
.error "the syscall convention no longer matches core_syscall's arguments"
.endif

.macro PUSH_GPRS
	push %r11
	push %rcx
	PUSH_GPRS_BUT_RCX_R11
.endm

/* The rest, in struct arch_regs's order (RCX and R11 are next to the
 * vector, see arch/regs.h). */
.macro PUSH_GPRS_BUT_RCX_R11
	push %rax
	push %rbx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS_BUT_RCX_R11
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rbx
	pop %rax
.endm

.macro POP_GPRS
	POP_GPRS_BUT_RCX_R11
	pop %rcx
	pop %r11
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

/* syscall: RCX = user RIP, R11 = user RFLAGS, interrupts masked by FMASK.
 * SYSCALL_ENTRY name, handler: the entry that calls handler; with more
 * than one CPU online, LSTAR names the one whose handler takes the
 * CPU's lock (arch_syscall_entry_smp), so that one CPU pays nothing.
 * It saves only the registers C code may change: RBX, RBP, R12 and R13
 * stay in the CPU, because its handlers, in ipc/syscall.c, are compiled
 * without them (SYSCALL_PATH_CFLAGS) and every function they call
 * preserves them. (R14 and R15 are saved: two more registers for that
 * C code spare it more stack spills than they cost.) A handler stores them into the frame
 * (arch_syscall_save_preserved) before anything may read the frame
 * whole or leave to another thread; a call the fast path finishes for
 * its caller never needs them there (arch_return_to_caller).
 * Of the frame's other words it writes only what a syscall changes:
 * CS and SS always hold the one user code and data selector (the GDT
 * has no other that user mode can load; arch_thread_init_user sets
 * them, and the CPU's own frame writes the same), and the error code
 * means nothing in a syscall frame (arch_exception_message reports 0).
 * SYSCALL_ENTRY_FULL saves every register (the debug build's traced
 * entry, whose handler is ordinary C). */
.macro SYSCALL_FRAME
	swapgs
	mov %rsp, %gs:PERCPU_SCRATCH_RSP
	mov %gs:PERCPU_REGS_TOP, %rsp
	sub $8, %rsp /* SS */
	push %gs:PERCPU_SCRATCH_RSP
	push %r11 /* RFLAGS; RSP now points at it */
	mov %rcx, REGS_RIP-REGS_RFLAGS(%rsp)
	movq $VEC_SYSCALL, REGS_VECTOR-REGS_RFLAGS(%rsp)
.endm

.macro SYSCALL_ENTRY name, handler
	.global \name
\name:
	SYSCALL_FRAME
	mov %rax, REGS_RAX-REGS_RFLAGS(%rsp)
	mov %rdx, REGS_RDX-REGS_RFLAGS(%rsp)
	mov %rsi, REGS_RSI-REGS_RFLAGS(%rsp)
	mov %rdi, REGS_RDI-REGS_RFLAGS(%rsp)
	mov %r8, REGS_R8-REGS_RFLAGS(%rsp)
	mov %r9, REGS_R9-REGS_RFLAGS(%rsp)
	mov %r10, REGS_R10-REGS_RFLAGS(%rsp)
	mov %r14, REGS_R14-REGS_RFLAGS(%rsp)
	mov %r15, REGS_R15-REGS_RFLAGS(%rsp)
	lea -REGS_RFLAGS(%rsp), %rcx /* the frame, the fourth argument */
	mov %gs:PERCPU_KSTACK_TOP, %rsp
	call \handler /* does not return */
	ud2
.endm

.macro SYSCALL_ENTRY_FULL name, handler
	.global \name
\name:
	SYSCALL_FRAME
	sub $REGS_RFLAGS-REGS_RCX, %rsp /* to RAX's slot: RCX and R11 are RIP and RFLAGS */
	PUSH_GPRS_BUT_RCX_R11
	mov %rsp, %rdi
	mov %gs:PERCPU_KSTACK_TOP, %rsp
	call \handler /* does not return */
	ud2
.endm

	SYSCALL_ENTRY syscall_entry, core_syscall
	SYSCALL_ENTRY syscall_entry_smp, core_syscall_smp
#ifdef MICA_DEBUG
	SYSCALL_ENTRY_FULL syscall_entry_traced, core_syscall_traced
#endif

/* The exits load the frame with RSP at its end (regs_top), its words at
 * negative offsets: one instruction fewer than finding its start.
 * RETURN_LOAD_GPRS: every register but RCX and R11 from the frame that
 * ends at RSP. This CPU's lock goes first (sched/cpu_lock.h): nothing
 * below writes kernel memory, and another CPU may read these registers
 * now. */
.macro RETURN_LOAD_GPRS
	movl $0, %gs:PERCPU_LOCK_OWNER
	mov REGS_R15-REGS_SIZE(%rsp), %r15
	mov REGS_R14-REGS_SIZE(%rsp), %r14
	mov REGS_R13-REGS_SIZE(%rsp), %r13
	mov REGS_R12-REGS_SIZE(%rsp), %r12
	mov REGS_R10-REGS_SIZE(%rsp), %r10
	mov REGS_R9-REGS_SIZE(%rsp), %r9
	mov REGS_R8-REGS_SIZE(%rsp), %r8
	mov REGS_RBP-REGS_SIZE(%rsp), %rbp
	mov REGS_RDI-REGS_SIZE(%rsp), %rdi
	mov REGS_RSI-REGS_SIZE(%rsp), %rsi
	mov REGS_RDX-REGS_SIZE(%rsp), %rdx
	mov REGS_RBX-REGS_SIZE(%rsp), %rbx
	mov REGS_RAX-REGS_SIZE(%rsp), %rax
.endm

/* The rest for a frame the syscall entry saved: sysret is cheaper than
 * iret. */
.macro RETURN_SYSRET
	mov REGS_RIP-REGS_SIZE(%rsp), %rcx
	mov REGS_RFLAGS-REGS_SIZE(%rsp), %r11
	mov REGS_RSP-REGS_SIZE(%rsp), %rsp
	swapgs
	sysretq
.endm

/* The whole exit from the frame that ends at RSP, by sysret if the
 * syscall entry saved it, else by iret. */
.macro RETURN_ANY
	RETURN_LOAD_GPRS
	cmpq $VEC_SYSCALL, REGS_VECTOR-REGS_SIZE(%rsp)
	jne 1f
	RETURN_SYSRET
1:	mov REGS_RCX-REGS_SIZE(%rsp), %rcx
	mov REGS_R11-REGS_SIZE(%rsp), %r11
	sub $REGS_SIZE-REGS_RIP, %rsp /* the CPU's frame */
	swapgs
	iretq
.endm

/* void arch_return_to_user_asm(struct arch_regs *regs): noreturn. The
 * caller has checked that RIP is a canonical user address. */
	.global arch_return_to_user_asm
arch_return_to_user_asm:
	lea REGS_SIZE(%rdi), %rsp
	RETURN_ANY

/* void arch_return_to_current(void): noreturn. The same for the current
 * thread's frame, the one regs_top ends (arch_switch_to_user). The exits
 * to it take no argument: a thread switch, which has just set regs_top,
 * then has one register less to keep across its work. */
	.global arch_return_to_current
arch_return_to_current:
	mov %gs:PERCPU_REGS_TOP, %rsp
	RETURN_ANY

/* void arch_return_by_sysret(void): noreturn. The same for a current
 * thread's frame that the caller knows is a syscall frame (a thread that
 * waits in a system call of its own: arch_switch_to_syscall). */
	.global arch_return_by_sysret
arch_return_by_sysret:
	mov %gs:PERCPU_REGS_TOP, %rsp
	RETURN_LOAD_GPRS
	RETURN_SYSRET

/* void arch_return_to_caller(struct arch_regs *regs, mica_word_t tag,
 * mica_word_t label): noreturn. The system-call fast path's exit to the
 * thread that made the call, with that result: RBX, RBP, R12 and R13
 * still hold its values (that path is compiled without them, and every
 * function it calls preserves them), so only the rest is loaded; the
 * frame is a syscall frame and RIP the CPU's own. The label arrives in
 * its result register already. */
.ifnc MICA_SYSCALL_REG_RESULT MICA_SYSCALL_REG_LABEL, rax rdx
.error "the syscall convention no longer matches arch_return_to_caller's arguments"
.endif
	.global arch_return_to_caller
arch_return_to_caller:
	movl $0, %gs:PERCPU_LOCK_OWNER /* as above */
	mov %rsi, %rax
	mov REGS_R15(%rdi), %r15
	mov REGS_R14(%rdi), %r14
	mov REGS_R10(%rdi), %r10
	mov REGS_R9(%rdi), %r9
	mov REGS_R8(%rdi), %r8
	mov REGS_RSI(%rdi), %rsi
	mov REGS_RIP(%rdi), %rcx
	mov REGS_RFLAGS(%rdi), %r11
	mov REGS_RSP(%rdi), %rsp
	mov REGS_RDI(%rdi), %rdi
	swapgs
	sysretq
