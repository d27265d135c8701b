/* VMRUN and the host state around it (kernel/arch/x86_64/svm.c).
 *
 * uint64_t svm_vmrun(uint64_t vmcb, struct arch_svm_gprs *g, uint64_t host)
 * Called with GIF clear: VMSAVE keeps the host's segment and
 * system-call state that VMRUN does not switch, VMLOAD loads the
 * guest's, VMRUN runs it; on the way back the guest's goes to its VMCB
 * and the host's is loaded again. Callee-saved registers are kept. */
	.text
	.global svm_vmrun
svm_vmrun:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	push %rsi /* g */
	push %rdi /* the guest's VMCB */
	mov %rdx, %rax
	vmsave
	push %rax /* the host's */
	mov 8(%rsp), %rax
	mov 0(%rsi), %rbx
	mov 8(%rsi), %rcx
	mov 16(%rsi), %rdx
	mov 32(%rsi), %rdi
	mov 40(%rsi), %rbp
	mov 48(%rsi), %r8
	mov 56(%rsi), %r9
	mov 64(%rsi), %r10
	mov 72(%rsi), %r11
	mov 80(%rsi), %r12
	mov 88(%rsi), %r13
	mov 96(%rsi), %r14
	mov 104(%rsi), %r15
	mov 24(%rsi), %rsi
	vmload
	vmrun
	vmsave
	push %rsi
	mov 24(%rsp), %rsi /* g */
	mov %rbx, 0(%rsi)
	mov %rcx, 8(%rsi)
	mov %rdx, 16(%rsi)
	mov %rdi, 32(%rsi)
	mov %rbp, 40(%rsi)
	mov %r8, 48(%rsi)
	mov %r9, 56(%rsi)
	mov %r10, 64(%rsi)
	mov %r11, 72(%rsi)
	mov %r12, 80(%rsi)
	mov %r13, 88(%rsi)
	mov %r14, 96(%rsi)
	mov %r15, 104(%rsi)
	pop %rbx
	mov %rbx, 24(%rsi)
	pop %rax /* the host's */
	vmload
	add $16, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
