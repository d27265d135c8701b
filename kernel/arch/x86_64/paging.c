/* x86-64 four-level paging: the kernel's tables (direct map of physical
 * memory, the image with W^X, a device window) and user address spaces,
 * whose upper half points at the same kernel tables. */
#include "arch/vm.h"

#include <string.h>

#include "cpufeatures.h"
#include "factory.h"
#include "kmem.h"
#include "kprintf.h"
#include "layout.h"
#include "panic.h"
#include "percpu.h"
#include "x86.h"

#define PTE_P (1ul << 0)
#define PTE_W (1ul << 1)
#define PTE_U (1ul << 2)
#define PTE_PWT (1ul << 3)
#define PTE_PCD (1ul << 4)
#define PTE_PS (1ul << 7)
#define PTE_G (1ul << 8)
#define PTE_NX (1ul << 63)
#define PTE_ADDR 0x000ffffffffff000ul

#define PAGE 4096ul
#define LARGE (2ul << 20)
#define HUGE (1ul << 30)

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[], _data_start[], _kernel_end[];

static uint64_t kernel_root; /* physical address of the kernel PML4 */
static uint64_t nx;	     /* PTE_NX if the CPU has it, else 0 */
static uint64_t iomap_next = IOMAP_BASE;

void *phys_to_virt(uint64_t phys)
{
	return (void *)(phys + PHYSMAP_BASE);
}

uint64_t virt_to_phys(const void *p)
{
	return (uint64_t)p - PHYSMAP_BASE;
}

static uint64_t *table(uint64_t phys)
{
	return phys_to_virt(phys & PTE_ADDR);
}

static unsigned index_of(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511; /* level 3: PML4 ... 0: PT */
}

/* Kernel tables come from the kernel pool; a user space's from its quota. */
static bool table_alloc(struct factory *quota, uint64_t *pa)
{
	return quota ? quota_alloc_frame(quota, pa) : kmem_alloc_frame(pa);
}

/* Returns the entry for va at `level`, allocating missing tables above it
 * with `inter` flags. NULL if an allocation failed. */
static uint64_t *walk(uint64_t root, uint64_t va, int level, uint64_t inter, struct factory *quota)
{
	uint64_t *t = table(root);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[index_of(va, l)];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!table_alloc(quota, &pa))
				return 0;
			*e = pa | inter;
		}
		PANIC_IF(*e & PTE_PS, "paging: 0x%lx already mapped by a large page", va);
		t = table(*e);
	}
	return &t[index_of(va, level)];
}

static void map_kernel_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		uint64_t *e = walk(kernel_root, va + off, 0, PTE_P | PTE_W, 0);
		PANIC_IF(!e, "paging: out of memory for kernel tables");
		*e = (pa + off) | flags | PTE_P | PTE_G;
	}
}

static void map_physmap(uint64_t top)
{
	uint64_t flags = PTE_P | PTE_W | PTE_G | PTE_PS | nx;
	if (cpu_features.pdpe1gb) {
		for (uint64_t pa = 0; pa < top; pa += HUGE) {
			uint64_t *e = walk(kernel_root, PHYSMAP_BASE + pa, 2, PTE_P | PTE_W, 0);
			PANIC_IF(!e, "paging: out of memory for the direct map");
			*e = pa | flags;
		}
	} else {
		for (uint64_t pa = 0; pa < top; pa += LARGE) {
			uint64_t *e = walk(kernel_root, PHYSMAP_BASE + pa, 1, PTE_P | PTE_W, 0);
			PANIC_IF(!e, "paging: out of memory for the direct map");
			*e = pa | flags;
		}
	}
}

void vm_init(uint64_t phys_top)
{
	nx = cpu_features.nx ? PTE_NX : 0;
	PANIC_IF(!kmem_alloc_frame(&kernel_root), "paging: no memory for the kernel page table");

	/* Below 4 GiB lie the firmware tables and device registers. */
	if (phys_top < (4ul << 30))
		phys_top = 4ul << 30;
	map_physmap((phys_top + HUGE - 1) & ~(HUGE - 1));

	uint64_t text = (uint64_t)_text_start, rodata = (uint64_t)_rodata_start, data = (uint64_t)_data_start;
	map_kernel_range(text, text - KERNEL_VMA, (uint64_t)_text_end - text, 0);
	map_kernel_range(rodata, rodata - KERNEL_VMA, (uint64_t)_rodata_end - rodata, nx);
	map_kernel_range(data, data - KERNEL_VMA, (uint64_t)_kernel_end - data, PTE_W | nx);

	/* The device window's top-level tables exist from the start, so every
	 * address space created later shares them. */
	PANIC_IF(!walk(kernel_root, IOMAP_BASE, 1, PTE_P | PTE_W, 0),
		 "paging: no memory for the device window");

	write_cr3(kernel_root);
	this_cpu()->arch.active_pml4 = kernel_root;
	kprintf("vm: direct map of %lu MiB with %s pages; kernel text %lu KiB (r-x), rodata %lu KiB (r--), "
		"data+bss %lu KiB (rw-)\n",
		phys_top >> 20, cpu_features.pdpe1gb ? "1 GiB" : "2 MiB", ((uint64_t)_text_end - text) >> 10,
		((uint64_t)_rodata_end - rodata) >> 10, ((uint64_t)_kernel_end - data) >> 10);
}

bool vm_space_create(struct vm_space *vm, struct factory *quota)
{
	vm->quota = quota;
	if (!table_alloc(quota, &vm->root)) {
		vm->root = 0;
		return false;
	}
	/* The kernel half (entries 256-511) is the same in every space. */
	memcpy(table(vm->root) + 256, table(kernel_root) + 256, 256 * sizeof(uint64_t));
	return true;
}

bool vm_map_user_page(struct vm_space *vm, uint64_t va, uint64_t pa, unsigned prot)
{
	if (va >= 0x0000800000000000ul || (va & (PAGE - 1)) || (pa & (PAGE - 1)))
		return false;
	uint64_t *e = walk(vm->root, va, 0, PTE_P | PTE_W | PTE_U, vm->quota);
	if (!e)
		return false;
	*e = pa | PTE_P | PTE_U | ((prot & VM_WRITE) ? PTE_W : 0) | ((prot & VM_EXEC) ? 0 : nx);
	if (this_cpu()->arch.active_pml4 == vm->root)
		invlpg(va);
	return true;
}

bool vm_lookup(const struct vm_space *vm, uint64_t va, uint64_t *pa, unsigned *prot)
{
	if (va >= 0x0000800000000000ul || !vm->root)
		return false;
	uint64_t *t = table(vm->root), e = 0;
	for (int l = 3; l >= 0; l--) {
		e = t[index_of(va, l)];
		if (!(e & PTE_P) || !(e & PTE_U) || (e & PTE_PS))
			return false;
		t = table(e);
	}
	*pa = e & PTE_ADDR;
	*prot = VM_READ | ((e & PTE_W) ? VM_WRITE : 0) | ((e & nx) ? 0 : VM_EXEC);
	return true;
}

static void free_tables(struct factory *quota, uint64_t phys, int level)
{
	uint64_t *t = table(phys);
	for (unsigned i = 0; level > 0 && i < (level == 3 ? 256u : 512u); i++)
		if (t[i] & PTE_P)
			free_tables(quota, t[i] & PTE_ADDR, level - 1);
	if (quota)
		quota_free_frame(quota, phys);
	else
		kmem_free_frame(phys);
}

void vm_space_destroy(struct vm_space *vm)
{
	if (!vm->root)
		return;
	/* Never free the tables the CPU is walking. */
	struct arch_percpu *a = &this_cpu()->arch;
	if (a->active_pml4 == vm->root) {
		write_cr3(kernel_root);
		a->active_pml4 = kernel_root;
	}
	free_tables(vm->quota, vm->root, 3);
	vm->root = 0;
}

void *vm_map_device(uint64_t phys, uint64_t size)
{
	uint64_t off = phys & (PAGE - 1);
	uint64_t len = (off + size + PAGE - 1) & ~(PAGE - 1);
	PANIC_IF(len > IOMAP_END - iomap_next, "paging: device window full");
	uint64_t va = iomap_next;
	iomap_next += len;
	map_kernel_range(va, phys - off, len, PTE_W | PTE_PCD | PTE_PWT | nx);
	return (void *)(va + off);
}

/* Switches to a user address space (arch_return_to_user's caller). */
void vm_activate(const struct vm_space *vm)
{
	struct arch_percpu *a = &this_cpu()->arch;
	if (a->active_pml4 != vm->root) {
		write_cr3(vm->root);
		a->active_pml4 = vm->root;
	}
}
