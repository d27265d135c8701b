/* The code an application processor starts in: the SIPI puts it in real
 * mode at TRAMPOLINE_PHYS, and this switches it straight to long mode
 * (PAE, LME, then PE and PG at once) on the boot page tables, whose
 * identity map of low memory covers this page, and jumps to smp_ap_entry
 * in the kernel image. Assembled into .rodata and copied to low memory by
 * smp.c, which fills in the parameter block at its end first; everything
 * here is addressed relative to the copy. */
#include "layout.h"
#include "smp_layout.h"

#define OFF(sym) ((sym) - smp_trampoline)

	.section .rodata
	.balign 16
	.global smp_trampoline, smp_trampoline_end
	.code16
smp_trampoline:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	lgdtl OFF(tr_gdtr)
	movl OFF(tr_params) + TRP_BOOT_CR3, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax /* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx /* EFER: LME, and NXE and SCE as the boot CPU has them */
	movl OFF(tr_params) + TRP_EFER, %eax
	xor %edx, %edx
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
	mov %eax, %cr0
	ljmpl *OFF(tr_far)

	.code64
tr_long:
	mov $SEL_KDATA, %eax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov tr_params + TRP_KERNEL_CR3(%rip), %rcx
	mov tr_params + TRP_STACK(%rip), %rsp
	mov tr_params + TRP_ARG(%rip), %rdi
	mov tr_params + TRP_ENTRY(%rip), %rax
	jmp *%rax /* to the kernel image, mapped high in both page tables */

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* SEL_KCODE: 64-bit kernel code */
	.quad 0x00cf92000000ffff /* SEL_KDATA */
tr_gdtr:
	.short tr_gdtr - tr_gdt - 1
	.long TRAMPOLINE_PHYS + OFF(tr_gdt)
	.balign 8
tr_far:
	.long TRAMPOLINE_PHYS + OFF(tr_long)
	.short SEL_KCODE
	.balign 8
tr_params:
	.skip TRP_SIZE
smp_trampoline_end:

	.text
	.code64
/* In the kernel image, still on the boot page tables: the kernel's own
 * page tables from here on (this CPU's stack is in the direct map above
 * the boot tables' 4 GiB perhaps), then C. */
	.global smp_ap_entry
smp_ap_entry:
	mov %rcx, %cr3
	xor %ebp, %ebp
	call smp_ap_main
1:	cli
	hlt
	jmp 1b
