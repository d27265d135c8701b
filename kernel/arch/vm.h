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

struct mapnode;

/* Who pays for a space's page tables: the core's handle, opaque to the
 * architecture, which only hands it back to core_vm_table_alloc/free. */
struct vm_quota;

struct percpu;

struct vm_space {
	uint64_t root;		/* physical address of the top-level table */
	struct vm_quota *quota; /* pays for its page tables */
	uint8_t *io_bitmap;	/* I/O-port permissions, one bit per port (set: denied); 0: no ports */
	/* CPUs that may hold translations of root (bit n: CPU n): a CPU sets
	 * its bit before it loads root and clears it when a shootdown finds
	 * root no longer loaded there. A TLB shootdown interrupts only these. */
	uint64_t cpus;
	/* The page table of 4 KiB leaves the last cached walk reached
	 * (vm_leaf_cached, vm_page_slot): leaf_key is its 2 MiB region's
	 * number plus one (0: none), leaf_table its kernel address. Used and
	 * changed under the mapping database's lock only; forgotten wherever
	 * a page table is freed (vm_drop_table, vm_space_destroy), the only
	 * places the entry that points at a table of leaves changes. */
	uint64_t leaf_key;
	uint64_t *leaf_table;
};

/* Core: `frames` contiguous zeroed frames for one page table, charged to
 * quota (0: the kernel's own tables, from the kernel pool); false if the
 * quota or the pool is exhausted. Called once per table, never per walk. */
bool core_vm_table_alloc(struct vm_quota *quota, unsigned frames, uint64_t *pa);
/* Core: returns the frames of a table core_vm_table_alloc gave. */
void core_vm_table_free(struct vm_quota *quota, uint64_t pa, unsigned frames);

/* The I/O bitmap's size: a bit for each of the 65536 ports. */
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
bool vm_space_create(struct vm_space *vm, struct vm_quota *quota);

/* Frees the page tables of the user half (not the pages they map). */
void vm_space_destroy(struct vm_space *vm);

/* The physical page and VM_* rights mapped at va, if any. */
bool vm_lookup(const struct vm_space *vm, uint64_t va, uint64_t *pa, unsigned *prot);

/* Maps one 4 KiB page for user mode. Returns false if a page table could
 * not be allocated or va is not a user address. */
bool vm_map_user_page(struct vm_space *vm, uint64_t va, uint64_t pa, unsigned prot);

/* User mappings come in two sizes: 4 KiB pages and 2 MiB large pages. */
#define VM_PAGE_LOG2 12
#define VM_LARGE_LOG2 21

/* A user mapping's entry and the mapping-database node that owns it (0
 * for the kernel's own mappings: the UTCB area). */
struct vm_leaf {
	uint64_t *pte;
	struct mapnode **node;
	unsigned log2; /* VM_PAGE_LOG2 or VM_LARGE_LOG2 */
};

/*@ // The page tables as the mapping database's proofs see them
    // (docs/assurance.md, "The mapping database"): where the node pointer
    // of the user leaf that holds va is kept, null if no leaf holds va.
    // Abstract: the contracts below are assumed, not proved, and the
    // functions proved create and free no page table, so a slot stays
    // where it is while they run.
    axiomatic VmNodes {
	logic struct mapnode **vm_node_slot(struct vm_space *vm, integer va);
	// The entry of that leaf.
	logic uint64_t *vm_pte(struct vm_space *vm, integer va);
    }
    // The node of the mapping at va: null where no leaf holds va, or a
    // leaf of the kernel's own holds it.
    logic struct mapnode *vm_node_at{L}(struct vm_space *vm, integer va) =
	vm_node_slot(vm, va) == \null ? (struct mapnode *)\null : *vm_node_slot(vm, va);
*/

/* Moves l, the leaf that holds va, to the next leaf of its size in the
 * same table; false (l unchanged) if l is the table's last. */
bool vm_leaf_next(struct vm_leaf *l, uint64_t va);

/* The leaf (of either size) that holds va, if there is one. */
/*@ requires \valid(vm) && \valid(l);
    assigns *l;
    ensures no_leaf: \result == \false <==> vm_node_slot(vm, va) == \null;
    ensures the_leaf: \result == \true ==> l->node == vm_node_slot(vm, va) && l->pte == vm_pte(vm, va) &&
	\valid(l->node) && \valid(l->pte) && \separated(l->node, l);
*/
bool vm_leaf(struct vm_space *vm, uint64_t va, struct vm_leaf *l);

/* vm_leaf through vm->leaf_table: the same answer, a walk of one level
 * where va lies in the region of the last table of 4 KiB leaves a cached
 * walk reached (the map fast path's source). Under the mapping
 * database's lock. Not vm_leaf itself: that one changes nothing but *l
 * (its contract above, which the mapping database's proofs use): this
 * one changes the cache too. */
/*@ requires \valid(vm) && \valid(l) && \separated(vm, l);
    assigns *l, vm->leaf_key, vm->leaf_table;
    ensures no_leaf: \result == \false <==> vm_node_slot(vm, va) == \null;
    ensures the_leaf: \result == \true ==> l->node == vm_node_slot(vm, va) && l->pte == vm_pte(vm, va) &&
	\valid(l->node) && \valid(l->pte) && \separated(l->node, l);
*/
bool vm_leaf_cached(struct vm_space *vm, uint64_t va, struct vm_leaf *l);

enum vm_slot {
	VM_SLOT_OK,	   /* *l is the slot; it may hold a leaf of this size */
	VM_SLOT_NO_MEMORY, /* a page table could not be allocated */
	VM_SLOT_BLOCKED,   /* a page: *l is the large leaf over it; a large
			    * page: a page table with entries lies there */
};

/* The slot for a leaf of 2^log2 bytes at va (aligned to it), creating
 * missing page tables (charged to vm->quota). */
enum vm_slot vm_slot(struct vm_space *vm, uint64_t va, unsigned log2, struct vm_leaf *l);

/* The slot for a 4 KiB leaf at va (aligned) if its page tables exist and
 * no large page covers it; creates nothing (the map fast path's vm_slot).
 * Through vm->leaf_table, as vm_leaf_cached: under the mapping database's
 * lock. */
bool vm_page_slot(struct vm_space *vm, uint64_t va, struct vm_leaf *l);

/* The slot for a 2 MiB leaf at va (aligned) if the tables above it exist;
 * creates nothing. The slot may hold a large leaf or a page table: the
 * caller looks. */
bool vm_large_slot(struct vm_space *vm, uint64_t va, struct vm_leaf *l);

/* Frees the page table under the large slot at va if none of its entries
 * is in use; false if some still is. */
bool vm_drop_table(struct vm_space *vm, uint64_t va);

/* The first leaf holding an address in [*va, end) that has a node; moves
 * *va up to that address (never below where it was). Skips unpopulated
 * tables whole. */
bool vm_next_node(const struct vm_space *vm, uint64_t *va, uint64_t end, struct vm_leaf *l);

/* Sets the entry (user, prot, the leaf's size), clears it, or reduces
 * its rights to prot. The latter two return the VM_ACCESSED / VM_DIRTY
 * status it had, and reset it. Each flushes the translation from the
 * TLB; va is any address inside the leaf. */
void vm_leaf_set(struct vm_space *vm, const struct vm_leaf *l, uint64_t va, uint64_t pa, unsigned prot);
/*@ requires \valid_read(l) && \valid(l->pte);
    assigns *l->pte;
*/
unsigned vm_leaf_clear(struct vm_space *vm, const struct vm_leaf *l, uint64_t va);
unsigned vm_leaf_protect(struct vm_space *vm, const struct vm_leaf *l, uint64_t va, unsigned prot);

#ifdef MICA_DEBUG
/* For the invariant checker: every page-table frame of vm's user half
 * (table: its first frame and how many it spans, the node frame
 * included) and every present user leaf with its node (0: a kernel
 * mapping such as the UTCB area). */
struct vm_visitor {
	void (*table)(void *ctx, uint64_t pa, unsigned frames);
	void (*leaf)(void *ctx, uint64_t va, uint64_t pa, unsigned prot, unsigned log2, struct mapnode *node);
	void *ctx;
};
void vm_visit(const struct vm_space *vm, const struct vm_visitor *v);
#endif

/* For tests of the TLB shootdown (kdebug): loads vm on this CPU as a
 * switch to one of its threads would, and whether it is loaded here. */
void vm_space_load(struct vm_space *vm);
bool vm_space_loaded(const struct vm_space *vm, const struct percpu *cpu);
#ifdef MICA_DEBUG
/* Reads the user word at va through this CPU's current translation (its
 * TLB included), as a thread of the loaded space would: false if that
 * faults. */
bool vm_probe_read(uint64_t va, uint64_t *value);
#endif
/* Whether cpu runs on a user space's tables (not the kernel's own). */
bool vm_user_space_loaded(const struct percpu *cpu);

/* Maps device registers uncached into the kernel; returns their address. */
void *vm_map_device(uint64_t phys, uint64_t size);

#ifdef MICA_DEBUG
/* For the kernel debugger: prints the page-table walk of va in vm, one
 * line per level ("pt: ..."), and whether the kernel can read the byte
 * at p (it is mapped in the kernel's half: a physical address the direct
 * map covers). */
void vm_print_walk(const struct vm_space *vm, uint64_t va);
bool vm_kernel_readable(const void *p);
#endif
