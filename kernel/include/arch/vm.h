/* Address spaces as the core sees them: a handle, mapping of single
 * pages, activation, and the kernel's window onto physical memory. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VM_READ (1u << 0)
#define VM_WRITE (1u << 1)
#define VM_EXEC (1u << 2)

struct factory;

struct vm_space {
	uint64_t root;	       /* physical address of the top-level table */
	struct factory *quota; /* pays for its page tables */
};

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

/* Makes vm the current address space of this CPU. */
void vm_activate(const struct vm_space *vm);

/* Maps device registers uncached into the kernel; returns their address. */
void *vm_map_device(uint64_t phys, uint64_t size);
