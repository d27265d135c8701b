/* Address spaces as the core sees them: a handle, mapping of single
 * pages, activation, and the kernel's window onto physical memory. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VM_READ (1u << 0)
#define VM_WRITE (1u << 1)
#define VM_EXEC (1u << 2)
/* Status of a mapping, as unmap reports it. */
#define VM_ACCESSED (1u << 0)
#define VM_DIRTY (1u << 1)

struct factory;
struct mapnode;

struct vm_space {
	uint64_t root;	       /* physical address of the top-level table */
	struct factory *quota; /* pays for its page tables */
	uint8_t *io_bitmap;    /* x86 I/O permissions (set bit: denied); 0: no ports */
};

#define VM_IO_BITMAP_FRAMES 2

/* The I/O bitmap changed: CPUs reload it before running the space. */
void vm_io_changed(const struct vm_space *vm);

/* The direct map: every physical address has a kernel virtual alias. */
void *phys_to_virt(uint64_t phys);
uint64_t virt_to_phys(const void *direct_mapped);

/* Builds the kernel's final page tables for physical memory up to
 * phys_top and switches to them. */
void vm_init(uint64_t phys_top);

/* Creates an empty user address space that shares the kernel's half; its
 * page tables are charged to quota. */
bool vm_space_create(struct vm_space *vm, struct factory *quota);

/* Frees the page tables of the user half (not the pages they map). */
void vm_space_destroy(struct vm_space *vm);

/* The physical page and VM_* rights mapped at va, if any. */
bool vm_lookup(const struct vm_space *vm, uint64_t va, uint64_t *pa, unsigned *prot);

/* Maps one 4 KiB page for user mode. Returns false if a page table could
 * not be allocated or va is not a user address. */
bool vm_map_user_page(struct vm_space *vm, uint64_t va, uint64_t pa, unsigned prot);

/* A user page's entry and the mapping-database node that owns it (0 for
 * the kernel's own mappings: UTCB area, boot-time KIP without a node). */
struct vm_leaf {
	uint64_t *pte;
	struct mapnode **node;
};

/* The leaf for the page at va; alloc: create missing page tables (charged
 * to vm->quota). False if there is none or allocation failed. */
bool vm_leaf(struct vm_space *vm, uint64_t va, bool alloc, struct vm_leaf *l);

/* The first page at or after *va and before end that has a node; skips
 * unpopulated tables whole. */
bool vm_next_node(const struct vm_space *vm, uint64_t *va, uint64_t end, struct vm_leaf *l);

/* Sets the entry (user, prot), clears it, or reduces its rights to prot.
 * The latter two return the VM_ACCESSED / VM_DIRTY status it had, and
 * reset it. Each flushes the translation from the TLB. */
void vm_leaf_set(struct vm_space *vm, const struct vm_leaf *l, uint64_t va, uint64_t pa, unsigned prot);
unsigned vm_leaf_clear(struct vm_space *vm, const struct vm_leaf *l, uint64_t va);
unsigned vm_leaf_protect(struct vm_space *vm, const struct vm_leaf *l, uint64_t va, unsigned prot);
uint64_t vm_leaf_pa(const struct vm_leaf *l);

/* Makes vm the current address space of this CPU. */
void vm_activate(const struct vm_space *vm);

/* Maps device registers uncached into the kernel; returns their address. */
void *vm_map_device(uint64_t phys, uint64_t size);
