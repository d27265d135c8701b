/* Entry of a boot task: rdi = KIP, rsi = UTCB, rsp = 16-byte aligned
 * stack top, GS base = UTCB. */
	.section .text.start, "ax"
	.global _start
_start:
	xor %ebp, %ebp
	mov %rdi, boot_kip(%rip)
	call main
	call mica_thread_halt
	ud2
