/* The mapping database: which page of which task was derived from which.
 *
 * Every user mapping that came through map or grant has a node, found
 * from its page-table entry (arch/vm.h: struct vm_leaf); a 2 MiB mapping
 * is one leaf with one node. A node's parent is the
 * mapping it was derived from; a root has none (sigma0's pages, which are
 * physical memory itself, and what the kernel maps at boot). Unmap walks
 * the subtrees below a page and revokes rights from all of them, without
 * recursion on the kernel stack. Nodes live in pages charged to the
 * receiving task's factory. */
#pragma once

#include <mica/error.h>
#include <stdbool.h>
#include <stdint.h>

#include "memory/dtree.h"

struct task;

struct mapnode {
	struct task *space;
	uint64_t va; /* memory: the page; I/O: the port */
	union {
		uint64_t pa;		   /* memory: the frame */
		struct mapnode *io_next;   /* I/O: the task's list of its ports */
		struct mapnode *free_next; /* in the pool's free list */
	};
	struct dtree tree; /* parent: the mapping it was derived from */
	unsigned rights;   /* VM_READ | VM_WRITE | VM_EXEC */
	uint8_t log2;	   /* memory: the leaf's size, VM_PAGE_LOG2 or VM_LARGE_LOG2 */
} __attribute__((aligned(64)));

/* (Proofs: assumed, the address arithmetic of dtree_entry.) */
/*@ assigns \nothing;
    ensures t == \null ==> \result == \null;
    ensures t != \null ==> &\result->tree == t;
*/
static inline struct mapnode *mapnode_of(struct dtree *t)
{
	return t ? dtree_entry(t, struct mapnode, tree) : 0;
}

/* A task's node memory. */
struct mapnode_pool {
	struct mapnode_page *pages;
	struct mapnode *free;
};

/* The mapping database's lock. One, not one per tree: a map may replace
 * a mapping of another tree at the destination, and every tree's nodes
 * and page-table entries of one task share that task's node pool and
 * page tables; the functions below take it themselves (I/O spaces, whose
 * nodes are the same, share it). It is held while TLB shootdowns are
 * waited for, so waiters serve remote requests (sched/remote.h). */
void mapdb_lock(void);
void mapdb_unlock(void);
#ifdef MICA_DEBUG
bool mapdb_unlocked(void); /* for the invariant checker */
#endif

/* Maps (or grants) the 2^log2 bytes at src in `from` to dst in `to`, with
 * rights (VM_*) cut to each source page's, in 2 MiB leaves wherever source
 * and destination allow. Holes in the source are skipped. If `from` is a physical space (sigma0), src is a
 * physical address and the new mappings are roots. Both ranges were checked. */
enum mica_error mapdb_map(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned log2,
			  unsigned rights, bool grant);

/* mapdb_map's common case, for the fast paths: one 4 KiB page of a
 * mapping of `from` (a 4 KiB one or part of a 2 MiB one; or physical
 * memory, if `from` is a physical space) into an empty slot of `to` whose
 * page tables exist, with a node free. Never a grant. False, with nothing changed, for anything else
 * (mapdb_map then does it, or finds nothing to do). Both addresses were checked and are page-aligned. */
bool mapdb_map_page(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned rights);

/* The same for one 2 MiB page that is a 2 MiB mapping of `from` (or
 * physical memory), into an empty 2 MiB slot of `to` (no page table
 * there) whose upper tables exist: what mapdb_map makes of it then. Both
 * addresses were checked and are 2 MiB-aligned. */
bool mapdb_map_large(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned rights);

/* Revokes `rights` from every mapping derived from t's pages in [va, va +
 * 2^log2), and from t's own too if flush. Revoking VM_READ removes a
 * mapping with everything below it. A 2 MiB leaf partly inside the range
 * is acted on whole. Returns the VM_ACCESSED / VM_DIRTY
 * status of all pages touched (t's own always), and resets it. */
unsigned mapdb_unmap(struct task *t, uint64_t va, unsigned log2, unsigned rights, bool flush);

/* A root mapping made by the kernel (boot images, the KIP). */
enum mica_error mapdb_map_root(struct task *to, uint64_t va, uint64_t pa, unsigned rights);

/* Removes every mapping of t and everything derived from them, and frees
 * t's node memory (task destruction). */
void mapdb_release(struct task *t);

/* A zeroed node from t's node pages (charged to t's factory), or 0. The
 * I/O space (iospace.c) keeps its nodes there too. */
struct mapnode *mapnode_alloc(struct task *t);
void mapnode_free(struct mapnode *n);

#ifdef MICA_DEBUG
/* For the invariant checker: calls frame() for each of t's node pages
 * and returns how many of its nodes are in use. */
unsigned mapdb_nodes_in_use(const struct task *t, void (*frame)(void *ctx, uint64_t pa), void *ctx);
#endif
