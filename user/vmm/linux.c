/* The Linux x86 boot protocol (Documentation/arch/x86/boot.rst, version
 * 2.12 and later): the protected-mode part of a bzImage at its preferred
 * address, the initramfs high in RAM, boot_params (the "zero page") with
 * the setup header, an e820 map and the command line, and the guest
 * entered at the 64-bit entry point (load address + 0x200) in long mode
 * with identity page tables, which the protocol allows and which spares
 * the monitor real-mode emulation. */
#include <stdio.h>
#include <string.h>

#include "vmm.h"

/* Guest-physical layout below 1 MiB (all of it RAM for the guest; Linux
 * keeps the first MiB for itself anyway). */
#define GDT_GPA 0x1000ul
#define PML4_GPA 0x2000ul
#define PDPT_GPA 0x3000ul
#define PD_GPA 0x4000ul /* four: 4 GiB in 2 MiB pages */
#define ZERO_PAGE_GPA 0x8000ul
#define CMDLINE_GPA 0x9000ul
#define STACK_TOP_GPA 0x9e000ul
#define LOW_RAM_END 0x9f000ul /* the rest of the first MiB is "reserved" as on a PC */
#define HIGH_RAM 0x100000ul

/* Offsets in boot_params (the setup header from 0x1f1). */
#define BP_E820_ENTRIES 0x1e8
#define BP_SETUP_SECTS 0x1f1
#define BP_HDR_MAGIC 0x202
#define BP_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_INITRD_ADDR_MAX 0x22c
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_RELOCATABLE 0x234
#define BP_XLOADFLAGS 0x236
#define BP_CMDLINE_SIZE 0x238
#define BP_PREF_ADDRESS 0x258
#define BP_INIT_SIZE 0x260
#define BP_E820_TABLE 0x2d0
#define XLF_KERNEL_64 1u
#define LOADED_HIGH 1u
#define E820_RAM 1u
#define E820_RESERVED 2u

#define PTE_P 1ul
#define PTE_W 2ul
#define PTE_PS 0x80ul

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint16_t le16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, 4);
}

static void e820(uint8_t *bp, unsigned i, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t *e = bp + BP_E820_TABLE + (size_t)i * 20;
	memcpy(e, &addr, 8);
	memcpy(e + 8, &size, 8);
	memcpy(e + 16, &type, 4);
	bp[BP_E820_ENTRIES] = (uint8_t)(i + 1);
}

static void seg(volatile struct mica_vm_seg *s, uint16_t sel, uint16_t attr, uint32_t limit)
{
	s->sel = sel;
	s->attr = attr;
	s->limit = limit;
	s->base = 0;
}

/* Flat long mode: CS 0x10 (64-bit code), the data selectors 0x18, as the
 * protocol's 64-bit entry requires. */
static void long_mode_state(uint64_t entry)
{
	volatile mica_word_t *w = (volatile mica_word_t *)GS;
	for (unsigned i = 0; i < sizeof(struct mica_vm_state) / 8; i++)
		w[i] = 0;
	put64(GDT_GPA + 0x10, 0x00af9b000000fffful);
	put64(GDT_GPA + 0x18, 0x00cf93000000fffful);
	put64(PML4_GPA, PDPT_GPA | PTE_P | PTE_W);
	for (uint64_t i = 0; i < 4; i++) {
		put64(PDPT_GPA + i * 8, (PD_GPA + i * 4096) | PTE_P | PTE_W);
		for (uint64_t j = 0; j < 512; j++)
			put64(PD_GPA + i * 4096 + j * 8, ((i << 30) | (j << 21)) | PTE_P | PTE_W | PTE_PS);
	}
	GS->cr0 = 0x80000011ul; /* PG, ET, PE */
	GS->cr3 = PML4_GPA;
	GS->cr4 = 0x20ul;   /* PAE */
	GS->efer = 0x500ul; /* LME, LMA */
	GS->rflags = 2;
	GS->rip = entry;
	GS->rsp = STACK_TOP_GPA;
	GS->rsi = ZERO_PAGE_GPA;
	GS->pat = 0x0007040600070406ul; /* the power-on PAT */
	seg(&GS->cs, 0x10, 0xa9b, 0xffffffffu);
	seg(&GS->ds, 0x18, 0xc93, 0xffffffffu);
	seg(&GS->es, 0x18, 0xc93, 0xffffffffu);
	seg(&GS->ss, 0x18, 0xc93, 0xffffffffu);
	seg(&GS->fs, 0x18, 0xc93, 0xffffffffu);
	seg(&GS->gs, 0x18, 0xc93, 0xffffffffu);
	seg(&GS->gdtr, 0, 0, 0x1f);
	GS->gdtr.base = GDT_GPA;
	seg(&GS->idtr, 0, 0, 0);
	seg(&GS->ldtr, 0, 0x82, 0);
	seg(&GS->tr, 0, 0x8b, 0x67);
}

bool linux_load(const uint8_t *k, size_t ksize, const uint8_t *initrd, size_t isize, const char *cmdline)
{
	if (ksize < 0x1000 || le32(k + BP_HDR_MAGIC) != 0x53726448u /* "HdrS" */) {
		printf("vmm: the kernel is not a bzImage\n");
		return false;
	}
	uint16_t version = le16(k + BP_VERSION);
	if (version < 0x20c || !(le16(k + BP_XLOADFLAGS) & XLF_KERNEL_64) ||
	    !(k[BP_LOADFLAGS] & LOADED_HIGH)) {
		printf("vmm: boot protocol %x without a 64-bit entry: not supported\n", version);
		return false;
	}
	size_t setup = ((size_t)(k[BP_SETUP_SECTS] ? k[BP_SETUP_SECTS] : 4) + 1) * 512;
	uint64_t load = 0x1000000ul;
	if (version >= 0x20a)
		memcpy(&load, k + BP_PREF_ADDRESS, 8);
	uint64_t need = load + le32(k + BP_INIT_SIZE);
	if (load + ksize > need)
		need = load + ksize; /* an image larger than it says it needs */
	if (isize >= ram_size / 2 || load < HIGH_RAM || load >= ram_size) {
		printf("vmm: an initramfs of %zu KiB or a load address of 0x%lx does not fit %lu MiB of "
		       "RAM\n",
		       isize >> 10, (unsigned long)load, (unsigned long)(ram_size >> 20));
		return false;
	}
	uint64_t initrd_at = (ram_size - isize) & ~0xffful;
	uint64_t cmd_max = le32(k + BP_CMDLINE_SIZE);
	if (setup >= ksize || need > initrd_at || initrd_at + isize > le32(k + BP_INITRD_ADDR_MAX) + 1ul ||
	    strlen(cmdline) > cmd_max || strlen(cmdline) >= 4096) {
		printf("vmm: %lu MiB of guest RAM do not hold the kernel (%lu MiB from 0x%lx) and the "
		       "initramfs (%zu KiB), or the command line is too long\n",
		       (unsigned long)(ram_size >> 20), (unsigned long)(need >> 20), (unsigned long)load,
		       isize >> 10);
		return false;
	}
	memcpy(ram + load, k + setup, ksize - setup);
	memcpy(ram + initrd_at, initrd, isize);
	memcpy(ram + CMDLINE_GPA, cmdline, strlen(cmdline) + 1); /* its length checked above */

	uint8_t *bp = ram + ZERO_PAGE_GPA;
	memset(bp, 0, 4096);
	/* The setup header as the image has it (its length is in the byte at
	 * 0x201: the end of its jump), then what the loader fills in. */
	size_t hdr_end = 0x202ul + k[0x201];
	if (hdr_end > 0x290)
		hdr_end = 0x290;
	memcpy(bp + BP_SETUP_SECTS, k + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	bp[BP_TYPE_OF_LOADER] = 0xff; /* undefined loader */
	put32(ZERO_PAGE_GPA + BP_RAMDISK_IMAGE, (uint32_t)initrd_at);
	put32(ZERO_PAGE_GPA + BP_RAMDISK_SIZE, (uint32_t)isize);
	put32(ZERO_PAGE_GPA + BP_CMD_LINE_PTR, CMDLINE_GPA);
	e820(bp, 0, 0, LOW_RAM_END, E820_RAM);
	e820(bp, 1, LOW_RAM_END, HIGH_RAM - LOW_RAM_END, E820_RESERVED);
	e820(bp, 2, HIGH_RAM, ram_size - HIGH_RAM, E820_RAM);
	long_mode_state(load + 0x200);
	printf("vmm: Linux boot protocol %x, kernel at 0x%lx (%zu KiB), initramfs at 0x%lx (%zu KiB), "
	       "%lu MiB RAM\n",
	       version, (unsigned long)load, (ksize - setup) >> 10, (unsigned long)initrd_at, isize >> 10,
	       (unsigned long)(ram_size >> 20));
	printf("vmm: command line: %s\n", cmdline);
	return true;
}
