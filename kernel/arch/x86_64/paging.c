/* x86-64 four-level paging: the kernel's tables (direct map of physical
 * memory, the image with W^X, a device window) and user address spaces,
 * whose upper half points at the same kernel tables. */
#include "arch/vm.h"

#include <string.h>

#include "cpufeatures.h"
#include "klib/kprintf.h"
#include "layout.h"
#include "klib/panic.h"
#include "klib/scan.h"
#include "sched/percpu.h"
#include "smp_layout.h"
#include <machine/x86.h>

#define PTE_P (1ul << 0)
#define PTE_W (1ul << 1)
#define PTE_U (1ul << 2)
#define PTE_PWT (1ul << 3)
#define PTE_PCD (1ul << 4)
#define PTE_A (1ul << 5)
#define PTE_D (1ul << 6)
#define PTE_PS (1ul << 7)
#define PTE_G (1ul << 8)
#define PTE_NX (1ul << 63)
#define PTE_ADDR 0x000ffffffffff000ul

#define PAGE 4096ul
#define LARGE (2ul << 20)
#define HUGE (1ul << 30)
#define USER_TOP 0x0000800000000000ul

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

/* The walks below unroll their loop over the levels (#pragma GCC
 * unroll): they are on every map, unmap and page fault, and unrolled
 * they cost map_1 36 instructions less and unmap_512 about 15,000. */
static unsigned index_of(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511; /* level 3: PML4 ... 0: PT */
}

/* Kernel tables come from the kernel pool (quota 0); a user space's from
 * its quota, both through the core (core_vm_table_alloc). A user space's
 * tables that can hold leaves (levels 0 and 1: pages and large pages)
 * come in pairs: the table and, in the frame after it, the
 * mapping-database node of each entry. */
static unsigned table_frames(int level)
{
	return level <= 1 ? 2 : 1;
}

static bool table_alloc(struct vm_quota *quota, int level, uint64_t *pa)
{
	return core_vm_table_alloc(quota, quota ? table_frames(level) : 1, pa);
}

static void table_free(struct vm_quota *quota, int level, uint64_t pa)
{
	core_vm_table_free(quota, pa, quota ? table_frames(level) : 1);
}

/* Returns the entry for va at `level`, allocating missing tables above it
 * with `inter` flags. NULL if an allocation failed. */
static uint64_t *walk(uint64_t root, uint64_t va, int level, uint64_t inter, struct vm_quota *quota)
{
	uint64_t *t = table(root);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[index_of(va, l)];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!table_alloc(quota, l - 1, &pa))
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

uint64_t paging_kernel_root(void)
{
	return kernel_root;
}

void vm_init(uint64_t phys_top)
{
	nx = cpu_features.nx ? PTE_NX : 0;
	PANIC_IF(!table_alloc(0, 3, &kernel_root), "paging: no memory for the kernel page table");

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

bool vm_space_create(struct vm_space *vm, struct vm_quota *quota)
{
	vm->quota = quota;
	vm->cpus = 0;
	vm->leaf_key = 0;
	if (!table_alloc(quota, 3, &vm->root)) {
		vm->root = 0;
		return false;
	}
	/* The kernel half (entries 256-511) is the same in every space. */
	memcpy(table(vm->root) + 256, table(kernel_root) + 256, 256 * sizeof(uint64_t));
	return true;
}

bool vm_map_user_page(struct vm_space *vm, uint64_t va, uint64_t pa, unsigned prot)
{
	if (va >= USER_TOP || (va & (PAGE - 1)) || (pa & (PAGE - 1)))
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
	if (va >= USER_TOP || !vm->root)
		return false;
	uint64_t *t = table(vm->root), e = 0;
	uint64_t offset_mask = 0;
	for (int l = 3; l >= 0; l--) {
		e = t[index_of(va, l)];
		if (!(e & PTE_P) || !(e & PTE_U))
			return false;
		if (e & PTE_PS) {
			if (l != 1)
				return false;
			offset_mask = LARGE - PAGE;
			break;
		}
		t = table(e);
	}
	*pa = (e & PTE_ADDR & ~offset_mask) + (va & offset_mask);
	*prot = VM_READ | ((e & PTE_W) ? VM_WRITE : 0) | ((e & nx) ? 0 : VM_EXEC);
	return true;
}

/* Recursion bounded by the four levels of the tables; only used
 * entries are visited. */
// NOLINTNEXTLINE(misc-no-recursion)
static void free_tables(struct vm_quota *quota, uint64_t phys, int level)
{
	uint64_t *t = table(phys);
	unsigned n = level == 3 ? 256u : 512u;
	for (unsigned i = scan_next(t, 0, n); level > 0 && i < n; i = scan_next(t, i + 1, n))
		if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
			free_tables(quota, t[i] & PTE_ADDR, level - 1);
	table_free(quota, level, phys);
}

/* What a shootdown asks of a CPU: a page's translation (its address), or
 * to stop using the space (before its tables are freed). */
#define SHOOT_LEAVE 1ul

struct shootdown {
	struct vm_space *vm;
	uint64_t va;
};

static void shootdown_here(struct remote_request *r)
{
	const struct shootdown *s = r->arg;
	struct percpu *cpu = this_cpu();
	struct arch_percpu *a = &cpu->arch;
	cpu->remote.shootdowns++;
	if (a->active_pml4 != s->vm->root) {
		/* Loaded no more (interrupts are off: nor again before this
		 * returns), so nothing of it is cached here. */
		__atomic_fetch_and(&s->vm->cpus, ~(1ul << cpu->id), __ATOMIC_SEQ_CST);
	} else if (s->va == SHOOT_LEAVE) {
		write_cr3(kernel_root);
		a->active_pml4 = kernel_root;
		__atomic_fetch_and(&s->vm->cpus, ~(1ul << cpu->id), __ATOMIC_SEQ_CST);
	} else {
		invlpg(s->va);
	}
	r->out = 1;
}

/* How many CPUs one shootdown interrupts at once (their requests are on
 * this CPU's stack). */
#define SHOOT_BATCH 8

/* Asks the other CPUs in `others` (never this one) to drop va's
 * translation in vm (or leave vm), SHOOT_BATCH at a time, and waits until
 * each did. PARTIAL (issue 20): one shootdown per page, no batching of a
 * range. */
static __attribute__((noinline)) void shoot_others(struct vm_space *vm, uint64_t va, uint64_t others)
{
	struct shootdown s = { vm, va };
	struct remote_request r[SHOOT_BATCH];
	unsigned k = 0;
	for (unsigned id = 0; others; id++, others >>= 1) {
		if (!(others & 1))
			continue;
		r[k] = (struct remote_request){ .fn = shootdown_here, .arg = &s };
		remote_post(percpu_by_id[id], &r[k]);
		if (++k == SHOOT_BATCH) {
			while (k)
				remote_wait(&r[--k]);
		}
	}
	while (k)
		remote_wait(&r[--k]);
}

/* The other CPUs that may hold vm's translations leave vm; the caller
 * changed the tables first. */
static void tlb_shootdown(struct vm_space *vm, uint64_t va)
{
	/* The change before the mask is read (see switch.h). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint64_t others = __atomic_load_n(&vm->cpus, __ATOMIC_RELAXED) & this_cpu()->arch.other_cpus;
	if (others)
		shoot_others(vm, va, others);
}

void vm_space_load(struct vm_space *vm)
{
	struct percpu *cpu = this_cpu();
	if (!vm->root)
		return;
	if (cpu->arch.active_pml4 == vm->root)
		return; /* what it caches stays, as for a switch */
	__atomic_fetch_or(&vm->cpus, 1ul << cpu->id, __ATOMIC_SEQ_CST);
	write_cr3(vm->root);
	cpu->arch.active_pml4 = vm->root;
}

bool vm_space_loaded(const struct vm_space *vm, const struct percpu *cpu)
{
	return vm->root && cpu->arch.active_pml4 == vm->root;
}

#ifdef MICA_DEBUG
/* The read with RFLAGS.AC set (SMAP lets the kernel at user pages then);
 * a page fault at vm_probe_insn resumes at vm_probe_resume with EDX = 1
 * (trap.c). */
unsigned vm_probe_asm(uint64_t va, uint64_t *value);
__asm__(".text\n"
	".global vm_probe_asm, vm_probe_insn, vm_probe_resume\n"
	"vm_probe_asm:\n"
	"	pushfq\n"
	"	orq $0x40000, (%rsp)\n"
	"	popfq\n"
	"	xorl %edx, %edx\n"
	"	xorl %eax, %eax\n"
	"vm_probe_insn:\n"
	"	movq (%rdi), %rax\n"
	"vm_probe_resume:\n"
	"	pushfq\n"
	"	andq $~0x40000, (%rsp)\n"
	"	popfq\n"
	"	movq %rax, (%rsi)\n"
	"	movl %edx, %eax\n"
	"	ret\n");

bool vm_probe_read(uint64_t va, uint64_t *value)
{
	if (va >= USER_TOP || (va & 7))
		return false;
	return !vm_probe_asm(va, value);
}
#endif

bool vm_user_space_loaded(const struct percpu *cpu)
{
	return cpu->arch.active_pml4 != kernel_root;
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
	tlb_shootdown(vm, SHOOT_LEAVE);
	free_tables(vm->quota, vm->root, 3);
	vm->root = 0;
	vm->leaf_key = 0; /* its table is gone */
}

/* The one place that drops a user translation from the TLB. Only spaces
 * active on a CPU can have entries cached there: switching CR3 flushes
 * all non-global ones (no PCIDs). The other CPUs whose bit is in
 * vm->cpus are asked to flush too, and the caller goes on only after
 * they did. */
static inline __attribute__((always_inline)) uint64_t tlb_flush_user_page(struct vm_space *vm, uint64_t va)
{
	struct percpu *cpu = this_cpu();
	if (cpu->arch.active_pml4 == vm->root)
		invlpg(va);
	/* Every caller changed the entry with a locked exchange (set_entry),
	 * a full barrier: the change comes before the mask is read (see
	 * switch.h), with no fence of its own on this path. */
	return __atomic_load_n(&vm->cpus, __ATOMIC_RELAXED) & cpu->arch.other_cpus;
}

/* The other CPUs' part, as a tail call that returns the caller's answer:
 * the common case (no other CPU) stays a leaf function. */
static __attribute__((noinline)) unsigned shoot_then(struct vm_space *vm, uint64_t va, uint64_t others,
						     unsigned status)
{
	shoot_others(vm, va, others);
	return status;
}

/* Writes a page-table entry that other CPUs may have cached or be
 * updating (accessed and dirty bits): one locked exchange, which returns
 * the bits as they were at that moment and orders the write before the
 * shootdown's read of the mask. */
static inline __attribute__((always_inline)) uint64_t set_entry(uint64_t *e, uint64_t v)
{
	return __atomic_exchange_n(e, v, __ATOMIC_SEQ_CST);
}

static struct mapnode **leaf_nodes(const uint64_t *pt)
{
	return (struct mapnode **)((uintptr_t)pt + PAGE);
}

static void leaf_at(uint64_t *t, uint64_t va, int level, struct vm_leaf *l)
{
	unsigned i = index_of(va, level);
	l->pte = &t[i];
	l->node = &leaf_nodes(t)[i];
	l->log2 = level ? VM_LARGE_LOG2 : VM_PAGE_LOG2;
}

bool vm_leaf(struct vm_space *vm, uint64_t va, struct vm_leaf *l)
{
	if (va >= USER_TOP || !vm->root)
		return false;
	uint64_t *t = table(vm->root);
#pragma GCC unroll 4
	for (int lv = 3; lv >= 0; lv--) {
		uint64_t x = t[index_of(va, lv)];
		if (!(x & PTE_P))
			return false;
		if (lv == 0 || (x & PTE_PS)) {
			if (lv > 1)
				return false;
			leaf_at(t, va, lv, l);
			return true;
		}
		t = table(x);
	}
	return false;
}

/* vm->leaf_key for the region of va (a user address). */
static uint64_t leaf_key(uint64_t va)
{
	return (va >> 21) + 1;
}

/* The cache of the last table of 4 KiB leaves (struct vm_space). Its
 * invariant: if leaf_key is not 0, the entry for that 2 MiB region is
 * present, not a large page, and points at leaf_table. Entries that
 * point at a table change only where the table is freed: vm_drop_table
 * (its entry cleared) and vm_space_destroy (free_tables), and both
 * forget it. Everything else writes such an entry only while it is
 * empty (walk, walk_slot) or writes a leaf where no table is (vm_slot
 * and vm_large_slot answer OK at level 1 only then). */
static void remember_leaf_table(struct vm_space *vm, uint64_t va, uint64_t *t)
{
	vm->leaf_key = leaf_key(va);
	vm->leaf_table = t;
}

bool vm_leaf_cached(struct vm_space *vm, uint64_t va, struct vm_leaf *l)
{
	uint64_t *t;
	if (vm->leaf_key == leaf_key(va)) {
		t = vm->leaf_table; /* only a user address has its key */
	} else {
		if (va >= USER_TOP || !vm->root)
			return false;
		t = table(vm->root);
#pragma GCC unroll 3
		for (int lv = 3; lv > 0; lv--) {
			uint64_t x = t[index_of(va, lv)];
			if (!(x & PTE_P))
				return false;
			if (x & PTE_PS) {
				if (lv > 1)
					return false;
				leaf_at(t, va, lv, l);
				return true;
			}
			t = table(x);
		}
		remember_leaf_table(vm, va, t);
	}
	if (!(t[index_of(va, 0)] & PTE_P))
		return false;
	leaf_at(t, va, 0, l);
	return true;
}

bool vm_leaf_next(struct vm_leaf *l, uint64_t va)
{
	if (index_of(va, l->log2 == VM_LARGE_LOG2 ? 1 : 0) == 511)
		return false;
	l->pte++;
	l->node++;
	return true;
}

/* vm_slot's walk; without alloc, a missing table ends it (NO_MEMORY). */
static inline __attribute__((always_inline)) enum vm_slot walk_slot(struct vm_space *vm, uint64_t va,
								    int level, struct vm_leaf *l, bool alloc)
{
	uint64_t *t = table(vm->root);
#pragma GCC unroll 4
	for (int lv = 3; lv > level; lv--) {
		uint64_t *e = &t[index_of(va, lv)];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!alloc || !table_alloc(vm->quota, lv - 1, &pa))
				return VM_SLOT_NO_MEMORY;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		if (*e & PTE_PS) {
			leaf_at(t, va, lv, l);
			return VM_SLOT_BLOCKED;
		}
		t = table(*e);
	}
	uint64_t e = t[index_of(va, level)];
	if (level == 1 && (e & PTE_P) && !(e & PTE_PS))
		return VM_SLOT_BLOCKED;
	leaf_at(t, va, level, l);
	return VM_SLOT_OK;
}

enum vm_slot vm_slot(struct vm_space *vm, uint64_t va, unsigned log2, struct vm_leaf *l)
{
	if (va >= USER_TOP || !vm->root || (va & ((1ul << log2) - 1)))
		return VM_SLOT_NO_MEMORY;
	return walk_slot(vm, va, log2 == VM_LARGE_LOG2 ? 1 : 0, l, true);
}

bool vm_page_slot(struct vm_space *vm, uint64_t va, struct vm_leaf *l)
{
	if (vm->leaf_key == leaf_key(va) && !(va & (PAGE - 1))) {
		leaf_at(vm->leaf_table, va, 0, l);
		return true;
	}
	if (va >= USER_TOP || !vm->root || (va & (PAGE - 1)) || walk_slot(vm, va, 0, l, false) != VM_SLOT_OK)
		return false;
	remember_leaf_table(vm, va, (uint64_t *)((uintptr_t)l->pte & ~(PAGE - 1)));
	return true;
}

bool vm_large_slot(struct vm_space *vm, uint64_t va, struct vm_leaf *l)
{
	if (va >= USER_TOP || !vm->root || (va & (LARGE - 1)))
		return false;
	/* BLOCKED here: a page table holds the slot */
	return walk_slot(vm, va, 1, l, false) == VM_SLOT_OK;
}

bool vm_drop_table(struct vm_space *vm, uint64_t va)
{
	if (va >= USER_TOP || !vm->root)
		return false;
	uint64_t *t = table(vm->root);
	for (int lv = 3; lv > 1; lv--) {
		uint64_t x = t[index_of(va, lv)];
		if (!(x & PTE_P))
			return true;
		t = table(x);
	}
	uint64_t *pde = &t[index_of(va, 1)];
	if (!(*pde & PTE_P) || (*pde & PTE_PS))
		return true;
	uint64_t *pt = table(*pde);
	struct mapnode **nodes = leaf_nodes(pt);
	for (unsigned i = 0; i < 512; i++)
		if (pt[i] || nodes[i])
			return false;
	uint64_t pa = set_entry(pde, 0) & PTE_ADDR;
	if (vm->leaf_key == leaf_key(va))
		vm->leaf_key = 0; /* its table is going */
	/* invlpg drops cached paging-structure entries too. */
	uint64_t others = tlb_flush_user_page(vm, va);
	if (others)
		shoot_others(vm, va, others);
	table_free(vm->quota, 0, pa);
	return true;
}

/* The start of the next used entry after v's in t, a table of level lv,
 * that [v, end) touches, or of the next table: scan_next along the
 * table, for a walk down from the top to it (a step from the top per
 * entry cost a small task's destruction 65,000 instructions). */
static __attribute__((noinline)) uint64_t next_used(const uint64_t *t, uint64_t v, uint64_t end, int lv)
{
	unsigned shift = 12 + 9 * lv;
	unsigned lim = ((end - 1) >> shift >> 9) == (v >> shift >> 9) ? index_of(end - 1, lv) + 1 : 512;
	unsigned i = scan_next(t, index_of(v, lv) + 1, lim);
	return ((v >> shift & ~511ul) + i) << shift;
}

bool vm_next_node(const struct vm_space *vm, uint64_t *va, uint64_t end, struct vm_leaf *l)
{
	if (!vm->root)
		return false;
	if (end > USER_TOP)
		end = USER_TOP;
	uint64_t v = *va;
	while (v < end) {
		uint64_t *t = table(vm->root);
		int lv = 3;
#pragma GCC unroll 3
		for (; lv > 0; lv--) {
			uint64_t x = t[index_of(v, lv)];
			if (!(x & PTE_P) || (x & PTE_PS))
				break;
			t = table(x);
		}
		/* A leaf at lv, or nothing below the entry there. */
		if (lv == 0 || (lv == 1 && (t[index_of(v, 1)] & PTE_PS))) {
			leaf_at(t, v, lv, l);
			if (*l->node) {
				*va = v;
				return true;
			}
		}
		v = next_used(t, v, end, lv);
	}
	return false;
}

#ifdef MICA_DEBUG
static unsigned prot_of(uint64_t e)
{
	return VM_READ | ((e & PTE_W) ? VM_WRITE : 0) | ((e & nx) ? 0 : VM_EXEC);
}

void vm_visit(const struct vm_space *vm, const struct vm_visitor *v)
{
	if (!vm->root)
		return;
	if (vm->leaf_key) {
		/* The cache's invariant (remember_leaf_table). */
		uint64_t va = (vm->leaf_key - 1) << 21, *t = table(vm->root);
		for (int lv = 3; lv > 0; lv--) {
			uint64_t x = t[index_of(va, lv)];
			PANIC_IF(!(x & PTE_P) || (x & PTE_PS),
				 "invariant: cached table of leaves at 0x%lx is gone (level %d)", va, lv);
			t = table(x);
		}
		PANIC_IF(t != vm->leaf_table, "invariant: cached table of leaves at 0x%lx is %p, not %p", va,
			 (void *)vm->leaf_table, (void *)t);
	}
	v->table(v->ctx, vm->root, 1);
	uint64_t *l3 = table(vm->root);
	for (unsigned i3 = 0; i3 < 256; i3++) {
		if (!(l3[i3] & PTE_P))
			continue;
		v->table(v->ctx, l3[i3] & PTE_ADDR, 1);
		uint64_t *l2 = table(l3[i3]);
		for (unsigned i2 = 0; i2 < 512; i2++) {
			if (!(l2[i2] & PTE_P))
				continue;
			v->table(v->ctx, l2[i2] & PTE_ADDR, 2);
			uint64_t *l1 = table(l2[i2]);
			uint64_t va2 = (uint64_t)i3 << 39 | (uint64_t)i2 << 30;
			for (unsigned i1 = 0; i1 < 512; i1++) {
				uint64_t e1 = l1[i1], va1 = va2 | (uint64_t)i1 << 21;
				if (!(e1 & PTE_P))
					continue;
				if (e1 & PTE_PS) {
					v->leaf(v->ctx, va1, e1 & PTE_ADDR & ~(LARGE - 1), prot_of(e1),
						VM_LARGE_LOG2, leaf_nodes(l1)[i1]);
					continue;
				}
				v->table(v->ctx, e1 & PTE_ADDR, 2);
				uint64_t *l0 = table(e1);
				for (unsigned i0 = 0; i0 < 512; i0++)
					if (l0[i0] & PTE_P)
						v->leaf(v->ctx, va1 | (uint64_t)i0 << 12, l0[i0] & PTE_ADDR,
							prot_of(l0[i0]), VM_PAGE_LOG2, leaf_nodes(l0)[i0]);
			}
		}
	}
}
#endif

static uint64_t prot_bits(unsigned prot)
{
	return ((prot & VM_WRITE) ? PTE_W : 0) | ((prot & VM_EXEC) ? 0 : nx);
}

void vm_leaf_set(struct vm_space *vm, const struct vm_leaf *l, uint64_t va, uint64_t pa, unsigned prot)
{
	uint64_t size = l->log2 == VM_LARGE_LOG2 ? PTE_PS : 0;
	bool was = set_entry(l->pte, pa | PTE_P | PTE_U | size | prot_bits(prot)) & PTE_P;
	uint64_t others = was ? tlb_flush_user_page(vm, va) : 0;
	if (__builtin_expect(others != 0, 0))
		shoot_others(vm, va, others);
}

static unsigned status_of(uint64_t e)
{
	return ((e & PTE_A) ? VM_ACCESSED : 0) | ((e & PTE_D) ? VM_DIRTY : 0);
}

unsigned vm_leaf_clear(struct vm_space *vm, const struct vm_leaf *l, uint64_t va)
{
	unsigned status = status_of(set_entry(l->pte, 0));
	uint64_t others = tlb_flush_user_page(vm, va);
	if (__builtin_expect(others != 0, 0))
		return shoot_then(vm, va, others, status);
	return status;
}

unsigned vm_leaf_protect(struct vm_space *vm, const struct vm_leaf *l, uint64_t va, unsigned prot)
{
	/* Only the accessed and dirty bits change under us (the hardware's),
	 * and the exchange returns them as they were. */
	unsigned status = status_of(
		set_entry(l->pte, (*l->pte & (PTE_ADDR | PTE_PS)) | PTE_P | PTE_U | prot_bits(prot)));
	uint64_t others = tlb_flush_user_page(vm, va);
	if (__builtin_expect(others != 0, 0))
		return shoot_then(vm, va, others, status);
	return status;
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

void vm_io_changed(const struct vm_space *vm)
{
	/* Other CPUs run no user threads yet; they will need to drop it too. */
	struct arch_percpu *a = &this_cpu()->arch;
	if (a->io_owner == vm)
		a->io_owner = 0;
	if (a->io_space == vm)
		a->io_space = 0; /* reloaded before vm runs again */
}

void vm_io_activate(struct arch_percpu *a, const struct vm_space *vm)
{
	if (!vm->io_bitmap) {
		a->tss.iomap_base = IO_BITMAP_NONE;
		a->io_space = 0;
		return;
	}
	if (a->io_owner != vm) {
		memcpy(a->io_bitmap, vm->io_bitmap, ARCH_IO_BITMAP_SIZE);
		a->io_owner = vm;
	}
	a->tss.iomap_base = sizeof(a->tss);
	a->io_space = vm;
}
