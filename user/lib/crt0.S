/* Entry of every program. A boot task (sigma0, the root task) starts with
 * rdi = KIP; a program a loader started has rdi = 0 and the System V
 * initial stack at rsp (argc, argv, envp, auxv). */
	.section .text.start, "ax"
	.global _start
_start:
	xor %ebp, %ebp
	mov %rsp, %rsi
	and $-16, %rsp
	call mica_start
	ud2
