/* The first code to run: loader headers, the 32-bit entry, the switch to
 * long mode, and the jump into the higher-half kernel. Runs at physical
 * addresses with paging off, so every data reference here is physical. */
#include "layout.h"

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003 /* page-aligned modules, memory info, a.out kludge */
#define MB2_MAGIC 0xe85250d6

#define PHYS(sym) ((sym) - KERNEL_VMA)

	.section .multiboot, "a"
	.align 4
/* Multiboot 1, for QEMU's -kernel. The a.out kludge fields tell the loader
 * where the image goes, so it need not parse our ELF64 file. */
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header        /* header_addr */
	.long _kernel_phys_start /* load_addr */
	.long _load_end_phys    /* load_end_addr */
	.long _bss_end_phys     /* bss_end_addr */
	.long _start32          /* entry_addr */

/* Multiboot 2, for GRUB: it loads the ELF segments at their physical addresses. */
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0 /* i386 protected mode entry */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	.align 8
	.short 0, 0 /* end tag */
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.global _start32
_start32:
	cli
	cld
	mov %eax, boot_magic
	mov %ebx, boot_info

	/* Zero .bss: the boot page tables and stack live there. */
	mov $PHYS(_bss_start), %edi
	mov $PHYS(_bss_end), %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl
	mov $PHYS(boot_stack_top), %esp

	/* Long mode needs CPUID with extended leaf 0x80000001, bit LM. */
	pushfl
	pop %eax
	mov %eax, %ecx
	xor $(1 << 21), %eax
	push %eax
	popfl
	pushfl
	pop %eax
	cmp %eax, %ecx
	je no_long_mode
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode
	mov %edx, %esi /* keep the NX bit (20) for EFER below */

	/* Boot page tables: the first 4 GiB identity-mapped (for this code),
	 * again at PHYSMAP_BASE (so early C reaches physical memory the way it
	 * will later), and the first GiB at KERNEL_VMA. 2 MiB pages. */
	mov $PHYS(boot_pd), %edi
	mov $0x83, %eax /* present, writable, 2 MiB */
	xor %edx, %edx
	mov $2048, %ecx
1:	mov %eax, (%edi)
	mov %edx, 4(%edi)
	add $0x200000, %eax
	adc $0, %edx
	add $8, %edi
	loop 1b

	mov $PHYS(boot_pdpt_low), %edi
	mov $PHYS(boot_pd), %eax
	or $3, %eax
	mov $4, %ecx
2:	mov %eax, (%edi)
	add $0x1000, %eax
	add $8, %edi
	loop 2b

	mov $PHYS(boot_pd), %eax
	or $3, %eax
	mov %eax, PHYS(boot_pdpt_high) + 510 * 8

	mov $PHYS(boot_pdpt_low), %eax
	or $3, %eax
	mov %eax, PHYS(boot_pml4)
	mov %eax, PHYS(boot_pml4) + 256 * 8
	mov $PHYS(boot_pdpt_high), %eax
	or $3, %eax
	mov %eax, PHYS(boot_pml4) + 511 * 8

	mov $PHYS(boot_pml4), %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $(1 << 5), %eax /* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx /* EFER */
	rdmsr
	or $((1 << 8) | (1 << 0)), %eax /* LME, SCE */
	test $(1 << 20), %esi
	jz 3f
	or $(1 << 11), %eax /* NXE, if the CPU has NX */
3:	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $SEL_KCODE, $start64_low

no_long_mode:
	mov $msg_no_long_mode, %esi
4:	lodsb
	test %al, %al
	jz 6f
	mov %al, %bl
	mov $0x3fd, %dx
5:	inb %dx, %al
	test $0x20, %al
	jz 5b
	mov $0x3f8, %dx
	mov %bl, %al
	outb %al, %dx
	jmp 4b
6:	cli
	hlt
	jmp 6b

	.code64
start64_low:
	mov $SEL_KDATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	movabs $start64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 64-bit kernel code */
	.quad 0x00cf92000000ffff /* kernel data */
boot_gdt_ptr:
	.short boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
	.global boot_magic, boot_info
boot_magic:
	.long 0
boot_info:
	.long 0
msg_no_long_mode:
	.asciz "Mica: this CPU does not support 64-bit long mode; halted.\r\n"

	.text
	.code64
start64:
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	/* boot_magic and boot_info sit in the low image, still identity-mapped. */
	movl boot_magic, %edi
	movl boot_info, %esi
	call kmain
7:	cli
	hlt
	jmp 7b

	.bss
	.align 4096
	.global boot_pml4, boot_stack, boot_stack_top
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4 * 4096
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
