/* The mapping database: map, grant and recursive unmap of memory, one node
 * per mapping in the receiving task's node pages, revoked without
 * recursion. */
#include "memory/mapdb.h"

#include <mica/fpage.h>

#include "arch/vm.h"
#include "objects/factory.h"
#include "klib/panic.h"
#include "objects/task.h"
#include "sched/remote.h"

/* Serving: its holder waits for TLB shootdowns. */
static struct spinlock lock;

void mapdb_lock(void)
{
	spin_lock_serving(&lock);
}

void mapdb_unlock(void)
{
	spin_unlock(&lock);
}

#ifdef MICA_DEBUG
bool mapdb_unlocked(void)
{
	return !__atomic_load_n(&lock.locked, __ATOMIC_RELAXED);
}
#endif

#define PAGE 4096ul
#define LARGE (1ul << VM_LARGE_LOG2)

_Static_assert(VM_READ == MICA_FPAGE_R && VM_WRITE == MICA_FPAGE_W && VM_EXEC == MICA_FPAGE_X,
	       "flexpage rights are VM rights");

#define NODES_PER_PAGE (PAGE / sizeof(struct mapnode) - 1)

struct mapnode_page {
	struct mapnode_page *next;
	struct mapnode nodes[NODES_PER_PAGE];
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct mapnode_page) <= PAGE, "a node page is one frame");

struct mapnode *mapnode_alloc(struct task *t)
{
	struct mapnode_pool *p = &t->nodes;
	if (!p->free) {
		uint64_t pa;
		if (!quota_alloc_frame(t->hdr.quota, &pa))
			return 0;
		struct mapnode_page *pg = phys_to_virt(pa);
		pg->next = p->pages;
		p->pages = pg;
		for (unsigned i = 0; i < NODES_PER_PAGE; i++) {
			pg->nodes[i].free_next = p->free;
			p->free = &pg->nodes[i];
		}
	}
	struct mapnode *n = p->free;
	p->free = n->free_next;
	*n = (struct mapnode){ .space = t };
	return n;
}

/*@ requires \valid(n) && \valid(n->space) && \separated(n, &n->space->nodes);
    assigns n->space, n->free_next, n->space->nodes.free;
    ensures freed: n->space == \null && \old(n->space)->nodes.free == n;
*/
void mapnode_free(struct mapnode *n)
{
	struct mapnode_pool *p = &n->space->nodes;
	n->space = 0;
	n->free_next = p->free;
	p->free = n;
}

#ifdef MICA_DEBUG
unsigned mapdb_nodes_in_use(const struct task *t, void (*frame)(void *ctx, uint64_t pa), void *ctx)
{
	unsigned capacity = 0, free = 0;
	for (struct mapnode_page *pg = t->nodes.pages; pg; pg = pg->next) {
		frame(ctx, virt_to_phys(pg));
		capacity += NODES_PER_PAGE;
	}
	for (struct mapnode *n = t->nodes.free; n; n = n->free_next) {
		PANIC_IF(n->space, "invariant: free mapping node %p of task %u names a space", (void *)n,
			 t->id);
		PANIC_IF(++free > capacity, "invariant: task %u's free mapping nodes form a loop", t->id);
	}
	return capacity - free;
}
#endif

/* The mapping database's lookup: the node of the mapping of vm that
 * holds va, with its leaf l; 0 if there is none (no leaf holds va, or a
 * kernel mapping such as the UTCB area does). Through vm's cache of its
 * last table of leaves (vm_leaf_cached): two uncached walks, the source's
 * here and the destination's in vm_page_slot, cost map_1 about 118 of
 * its 461 instructions. */
/*@ requires \valid(vm) && \valid(l) && \separated(vm, l);
    assigns *l, vm->leaf_key, vm->leaf_table;
    ensures the_node: \result == vm_node_at(vm, va);
    ensures none: vm_node_slot(vm, va) == \null ==> \result == \null;
    ensures its_leaf: \result != \null ==> l->node == vm_node_slot(vm, va) && \valid(l->node) &&
	\valid(l->pte) && \separated(l->node, l);
*/
static inline struct mapnode *node_at(struct vm_space *vm, uint64_t va, struct vm_leaf *l)
{
	return vm_leaf_cached(vm, va, l) ? *l->node : 0;
}

/* n's leaf: every node is the node of its leaf (else a panic). */
/*@ requires \valid(n) && \valid(n->space) && \valid(l) && \separated(l, n);
    assigns *l;
    ensures its_leaf: l->node == vm_node_slot(&n->space->vm, n->va) && l->pte == vm_pte(&n->space->vm, n->va)
   && *l->node == n && \valid(l->node) && \valid(l->pte);
*/
static void leaf_of(struct mapnode *n, struct vm_leaf *l)
{
	bool ok = vm_leaf(&n->space->vm, n->va, l);
	PANIC_IF(!ok || *l->node != n, "mapdb: node for 0x%lx in task %u has no page-table entry", n->va,
		 n->space->id);
}

/* Drops n's page-table entry l (returning its status) and frees n,
 * which has left the tree: what a grant does to its source and revoke
 * to each node it removes. */
/*@ requires \valid(n) && \valid(n->space) && \valid_read(l) && \valid(l->node) && \valid(l->pte);
    requires \separated(n, &n->space->nodes, l, l->node, l->pte);
    requires \separated(&n->space->nodes, l, l->node, l->pte);
    requires \separated(l, l->node, l->pte);
    assigns *l->pte, *l->node, n->space, n->free_next, n->space->nodes.free;
    ensures gone: *l->node == \null && n->space == \null;
*/
static unsigned drop_leaf(struct mapnode *n, const struct vm_leaf *l)
{
	unsigned st = vm_leaf_clear(&n->space->vm, l, n->va);
	*l->node = 0;
	mapnode_free(n);
	return st;
}

/* Drops n's mapping and frees n, which has left the tree. */
/*@ requires \valid(n) && \valid(n->space);
    requires its_leaf: vm_node_slot(&n->space->vm, n->va) != \null &&
	*vm_node_slot(&n->space->vm, n->va) == n && \valid(vm_pte(&n->space->vm, n->va));
    requires apart: \separated(n, vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va),
	&n->space->nodes);
    requires apart_slot: \separated(vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va),
	&n->space->nodes);
    assigns *vm_node_slot(&n->space->vm, n->va), *vm_pte(&n->space->vm, n->va), n->space, n->free_next,
	n->space->nodes.free;
    ensures gone: vm_node_at(&\old(n->space)->vm, \old(n->va)) == \null && n->space == \null;
*/
static unsigned drop(struct mapnode *n)
{
	struct vm_leaf l;
	leaf_of(n, &l);
	return drop_leaf(n, &l);
}

/* The step of revoke: n, a leaf of its tree by now (its children were
 * removed first), leaves its parent and siblings, and its mapping goes.
 * The rest of the tree is what it was, n bypassed. */
/*@ requires \valid(n) && \valid(n->space) && n->tree.child == \null;
    requires linked: (n->tree.prev == \null || \valid(n->tree.prev)) &&
	(n->tree.next == \null || \valid(n->tree.next)) && (n->tree.parent == \null ||
   \valid(n->tree.parent)); requires its_leaf: vm_node_slot(&n->space->vm, n->va) != \null &&
	*vm_node_slot(&n->space->vm, n->va) == n && \valid(vm_pte(&n->space->vm, n->va));
    // Each neighbour that is there is apart from n, its tree links, its
    // slot, its entry and its pool, and from the other neighbours
    // (\separated is false of two null pointers: an only child has
    // neither prev nor next).
    requires apart: \separated(&n->tree, &n->space->nodes, vm_node_slot(&n->space->vm, n->va),
	vm_pte(&n->space->vm, n->va));
    requires apart_links: dtree_apart3(n->tree.prev, n->tree.next, n->tree.parent);
    requires apart_node: \separated(n, vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va),
	&n->space->nodes);
    requires apart_slot: \separated(vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va),
	&n->space->nodes);
    requires apart_prev: n->tree.prev != \null ==> \separated(n->tree.prev, n,
	vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va), &n->space->nodes);
    requires apart_next: n->tree.next != \null ==> \separated(n->tree.next, n,
	vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va), &n->space->nodes);
    requires apart_parent: n->tree.parent != \null ==> \separated(n->tree.parent, n,
	vm_node_slot(&n->space->vm, n->va), vm_pte(&n->space->vm, n->va), &n->space->nodes);
    assigns n->tree, n->tree.prev->next, n->tree.next->prev, n->tree.parent->child,
	*vm_node_slot(&n->space->vm, n->va), *vm_pte(&n->space->vm, n->va), n->space, n->free_next,
	n->space->nodes.free;
    ensures unlinked: n->tree.parent == \null && n->tree.next == \null && n->tree.prev == \null &&
	n->tree.child == \null;
    ensures bypassed: \old(n->tree.prev) != \null ==> \old(n->tree.prev)->next == \old(n->tree.next);
    ensures first_child: \old(n->tree.prev) == \null && \old(n->tree.parent) != \null ==>
	\old(n->tree.parent)->child == \old(n->tree.next);
    ensures back_link: \old(n->tree.next) != \null ==> \old(n->tree.next)->prev == \old(n->tree.prev);
    ensures gone: vm_node_at(&\old(n->space)->vm, \old(n->va)) == \null && n->space == \null;
*/
static unsigned remove_node(struct mapnode *n)
{
	dtree_unlink(&n->tree);
	//@ assert space_kept: n->space == \at(n->space, Pre);
	/*@ assert tree_unlinked: n->tree.parent == \null && n->tree.next == \null && n->tree.prev == \null &&
		n->tree.child == \null; */
	/*@ assert bypassed: \at(n->tree.prev, Pre) != \null ==>
		\at(n->tree.prev, Pre)->next == \at(n->tree.next, Pre); */
	/*@ assert first_child: \at(n->tree.prev, Pre) == \null && \at(n->tree.parent, Pre) != \null ==>
		\at(n->tree.parent, Pre)->child == \at(n->tree.next, Pre); */
	/*@ assert back_link: \at(n->tree.next, Pre) != \null ==>
		\at(n->tree.next, Pre)->prev == \at(n->tree.prev, Pre); */
	unsigned st = drop(n);
	return st;
}

/* PARTIAL (issue 26): remove_node is proved; the walk that calls this on
 * every node of a subtree (dtree_remove_subtree) is stated and partly
 * proved in proofs/wp/dtree_walk.c, not yet for this step's own
 * preconditions (its leaf, its slot apart) (docs/assurance.md). */
static unsigned remove_leaf(struct dtree *t)
{
	return remove_node(mapnode_of(t));
}

/* Removes n and everything derived from it, deepest first. */
static unsigned remove_subtree(struct mapnode *n)
{
	return dtree_remove_subtree(&n->tree, remove_leaf);
}

/* Takes rights from n, whose page-table entry is l. */
static unsigned restrict_leaf(struct mapnode *n, const struct vm_leaf *l, unsigned rights)
{
	n->rights &= ~rights;
	return vm_leaf_protect(&n->space->vm, l, n->va, n->rights);
}

static unsigned restrict_node(struct mapnode *n, unsigned rights)
{
	struct vm_leaf l;
	leaf_of(n, &l);
	return restrict_leaf(n, &l, rights);
}

/* Revokes rights from everything derived from n (not n itself). Inline
 * in both callers: out of line it costs unmap a call per page. */
static inline __attribute__((always_inline)) unsigned revoke_below(struct mapnode *n, unsigned rights)
{
	unsigned st = 0;
	if (rights & VM_READ) {
		while (n->tree.child)
			st |= remove_subtree(mapnode_of(n->tree.child));
		return st;
	}
	for (struct dtree *c = n->tree.child; c; c = c->child ? c->child : dtree_skip(c, &n->tree))
		st |= restrict_node(mapnode_of(c), rights);
	return st;
}

/* A mapping's rights, spelt as one constant for the contracts. */
#define MAP_RIGHTS_MASK 7u
_Static_assert(MAP_RIGHTS_MASK == (VM_READ | VM_WRITE | VM_EXEC), "the rights bits");

/*@ // A fact of binary arithmetic the solvers do not derive (they see & and
    // | as functions on unbounded integers): rights cut to a word's rights
    // have no bit the word's rights lack (the capability space's cut_within,
    // for this mask; written mask first, as WP orders the terms of the
    // code). Assumed; tests/unit/test_capspace.c checks it for every
    // pattern of the low bits, with several high bits.
    axiomatic MapRights {
	axiom rights_within: \forall integer r, w;
	    ((MAP_RIGHTS_MASK & (r & w)) | (MAP_RIGHTS_MASK & w)) == (MAP_RIGHTS_MASK & w);
    }
*/

/* The mapping database's insert: n, new and unlinked, is derived from s
 * (0: a root, physical memory) as s's first child, with the rights asked
 * for cut to s's, so that nothing below a mapping has more rights than
 * it (callers cut already; this makes it true by construction). */
/*@ requires \valid(n) && (s == \null || (\valid(s) && \separated(s, n)));
    requires s != \null && s->tree.child != \null ==>
	\valid(s->tree.child) && \separated(s->tree.child, n, s);
    assigns n->rights, n->tree.parent, n->tree.prev, n->tree.next, s->tree.child, s->tree.child->prev;
    ensures cut: s != \null ==> n->rights == (rights & s->rights);
    // A child's rights are a subset of its parent's (which parent_kept
    // says are unchanged), as bits.
    ensures subset: s != \null ==> ((n->rights & MAP_RIGHTS_MASK) | (\old(s->rights) & MAP_RIGHTS_MASK)) ==
	(\old(s->rights) & MAP_RIGHTS_MASK);
    ensures first_child: s != \null ==> s->tree.child == &n->tree && n->tree.parent == &s->tree &&
	n->tree.prev == \null && n->tree.next == \old(s->tree.child);
    ensures root: s == \null ==> n->rights == rights && n->tree.parent == \null &&
	n->tree.prev == \null && n->tree.next == \null;
    ensures parent_kept: s != \null ==> s->rights == \old(s->rights) && s->tree.parent ==
   \old(s->tree.parent);
*/
static inline unsigned derive(struct mapnode *s, struct mapnode *n, unsigned rights)
{
	dtree_link(s ? &s->tree : 0, &n->tree);
	return n->rights = s ? rights & s->rights : rights;
}

/* n, new and in the tree, is the leaf dl of `to` at dst. */
static inline void place(struct mapnode *n, struct task *to, const struct vm_leaf *dl, uint64_t dst,
			 uint64_t pa, unsigned log2, unsigned rights)
{
	n->va = dst;
	n->pa = pa;
	n->log2 = (uint8_t)log2;
	*dl->node = n;
	vm_leaf_set(&to->vm, dl, dst, pa, rights);
}

/* mapnode_alloc for a pool with a node free, inline and without zeroing
 * the node: every field is set here, by dtree_link or by place. The call
 * and the zeroing cost map_1 and pf_rt about 15 instructions. */
static inline __attribute__((always_inline)) struct mapnode *mapnode_take(struct task *t)
{
	struct mapnode *n = t->nodes.free;
	t->nodes.free = n->free_next;
	n->space = t;
	n->tree.child = 0;
	return n;
}

/* One 4 KiB page at pa, from node s (0: physical memory), into the
 * empty slot dl of `to` at dst, with a node free: false, with nothing
 * changed, if the slot is in use, no node is free or the rights give
 * nothing. */
static inline __attribute__((always_inline)) bool map_into_empty(struct mapnode *s, uint64_t pa,
								 struct task *to, const struct vm_leaf *dl,
								 uint64_t dst, unsigned rights)
{
	if (!(rights & VM_READ) || *dl->node || *dl->pte || !to->nodes.free)
		return false;
	struct mapnode *n = mapnode_take(to);
	place(n, to, dl, dst, pa, VM_PAGE_LOG2, derive(s, n, rights));
	return true;
}

/* Maps the 4 KiB leaves of a task from sl (at src) on to the empty slots
 * from dst on in `to`, along one page table on each side and below end,
 * as long as each page takes map_into_empty; returns how many. A walk
 * per page on both sides cost map_512 about 250 instructions a page. */
static uint64_t map_page_run(struct vm_leaf sl, uint64_t src, struct task *to, uint64_t dst, uint64_t end,
			     unsigned rights)
{
	struct vm_leaf dl;
	if (!vm_page_slot(&to->vm, dst, &dl))
		return 0;
	uint64_t k = 0;
	for (;;) {
		struct mapnode *s = *sl.node;
		if (!s || s->log2 != VM_PAGE_LOG2 ||
		    !map_into_empty(s, s->pa, to, &dl, dst, rights & s->rights))
			return k;
		k++;
		if (src + PAGE >= end || !vm_leaf_next(&sl, src) || !vm_leaf_next(&dl, dst))
			return k;
		src += PAGE;
		dst += PAGE;
	}
}

/* One leaf of 2^log2 bytes: from node s (0: a root of physical memory
 * at pa) to dst in `to`. */
static enum mica_error map_leaf(struct mapnode *s, uint64_t pa, struct task *to, uint64_t dst, unsigned log2,
				unsigned rights, bool grant)
{
	struct vm_leaf dl;
	enum vm_slot slot = vm_slot(&to->vm, dst, log2, &dl);
	if (slot == VM_SLOT_BLOCKED) {
		/* A page into a large mapping replaces all of it. */
		struct mapnode *e = *dl.node;
		PANIC_IF(!e, "mapdb: large page without a node at 0x%lx in task %u", dst, to->id);
		if (e == s || (s && dtree_below(&s->tree, &e->tree)))
			return MICA_OK;
		remove_subtree(e);
		slot = vm_slot(&to->vm, dst, log2, &dl);
	}
	if (slot != VM_SLOT_OK)
		return MICA_E_NO_MEMORY;
	struct mapnode *e = *dl.node;
	if (e == s && s)
		return MICA_OK; /* onto itself */
	PANIC_IF(!e && (*dl.pte & 1), "mapdb: map over a kernel mapping at 0x%lx in task %u", dst, to->id);
	if (e && !grant && mapnode_of(e->tree.parent) == s && e->pa == pa && e->log2 == log2) {
		/* The very same mapping again: rights can grow (X.2). */
		e->rights |= rights;
		vm_leaf_set(&to->vm, &dl, dst, pa, e->rights);
		return MICA_OK;
	}
	if (e && s && dtree_below(&s->tree, &e->tree))
		return MICA_OK; /* would revoke its own source: nothing to do */
	struct mapnode *n = mapnode_alloc(to);
	if (!n)
		return MICA_E_NO_MEMORY;
	if (e)
		remove_subtree(e);
	unsigned lost = 0;
	if (grant && s) {
		lost = s->rights & ~rights;
		n->rights = rights;
		dtree_replace(&s->tree, &n->tree);
		drop(s);
	} else {
		derive(s, n, rights);
	}
	place(n, to, &dl, dst, pa, log2, n->rights);
	/* A grant with fewer rights takes them from what was derived from
	 * the page too: nothing below a mapping has more rights than it. */
	if (lost)
		revoke_below(n, lost);
	return MICA_OK;
}

/* Makes room for a large page at dst (aligned): the pages mapped there
 * are replaced, as a map over each of them would. False if a page must
 * stay: it is s's own source, or the kernel's. */
static bool clear_for_large(struct mapnode *s, struct task *to, uint64_t dst)
{
	uint64_t end = dst + LARGE;
	struct vm_leaf l;
	for (uint64_t v = dst; vm_next_node(&to->vm, &v, end, &l); v += PAGE) {
		if (l.log2 == VM_LARGE_LOG2)
			return true; /* map_leaf replaces it like any leaf */
		if (s && dtree_below(&s->tree, &(*l.node)->tree))
			return false;
	}
	for (uint64_t v = dst; vm_next_node(&to->vm, &v, end, &l);)
		remove_subtree(*l.node);
	return vm_drop_table(&to->vm, dst);
}

/* Maps 2^log2 bytes at pa (s: the source's leaf holding them, 0: physical
 * memory) to dst, in large pages where both sides allow it. */
static enum mica_error map_range(struct mapnode *s, uint64_t pa, struct task *to, uint64_t dst, uint64_t size,
				 unsigned rights, bool grant)
{
	for (uint64_t off = 0; off < size;) {
		uint64_t d = dst + off, p = pa + off;
		bool whole_source = !s || s->log2 == VM_LARGE_LOG2;
		if (whole_source && !((d | p) & (LARGE - 1)) && size - off >= LARGE &&
		    clear_for_large(s, to, d)) {
			enum mica_error e = map_leaf(s, p, to, d, VM_LARGE_LOG2, rights, grant);
			if (e != MICA_OK)
				return e;
			off += LARGE;
			continue;
		}
		/* Part of a large mapping can be mapped, not granted: the
		 * granter would keep the rest (documented in abi.md §5.6). */
		enum mica_error e =
			map_leaf(s, p, to, d, VM_PAGE_LOG2, rights, grant && (!s || s->log2 == VM_PAGE_LOG2));
		if (e != MICA_OK)
			return e;
		off += PAGE;
	}
	return MICA_OK;
}

static uint64_t leaf_size(const struct mapnode *n)
{
	return 1ul << n->log2;
}

static enum mica_error map_locked(struct task *from, uint64_t src, struct task *to, uint64_t dst,
				  unsigned log2, unsigned rights, bool grant)
{
	uint64_t end = src + (1ul << log2);
	if (from->phys_space)
		return map_range(0, src, to, dst, end - src, rights, grant);
	struct vm_leaf l;
	for (uint64_t v = src; vm_next_node(&from->vm, &v, end, &l);) {
		struct mapnode *s = *l.node;
		if (!grant && s->log2 == VM_PAGE_LOG2) {
			uint64_t done = map_page_run(l, v, to, dst + (v - src), end, rights);
			if (done) {
				v += done * PAGE;
				continue;
			}
		}
		uint64_t stop = s->va + leaf_size(s) < end ? s->va + leaf_size(s) : end;
		unsigned r = rights & s->rights;
		if (r & VM_READ) {
			enum mica_error e =
				map_range(s, s->pa + (v - s->va), to, dst + (v - src), stop - v, r, grant);
			if (e != MICA_OK)
				return e;
		}
		v = stop;
		if (v >= end)
			break; /* saves a walk that finds nothing (a single page) */
	}
	return MICA_OK;
}

static inline __attribute__((always_inline)) bool
map_page_locked(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned rights)
{
	struct vm_leaf sl, dl;
	struct mapnode *s = 0;
	uint64_t pa = src;
	if (!from->phys_space) {
		/* A page of a 2 MiB leaf is mapped as map_range does (the
		 * memory server's pool is made of them): a 4 KiB node below
		 * the large one, at the page's frame. */
		if (!(s = node_at(&from->vm, src, &sl)))
			return false;
		rights &= s->rights;
		pa = s->pa + (src - s->va);
	}
	return vm_page_slot(&to->vm, dst, &dl) && map_into_empty(s, pa, to, &dl, dst, rights);
}

static bool map_large_locked(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned rights)
{
	struct vm_leaf sl, dl;
	struct mapnode *s = 0;
	uint64_t pa = src;
	if (!from->phys_space) {
		if (!vm_leaf(&from->vm, src, &sl) || sl.log2 != VM_LARGE_LOG2 || !(s = *sl.node))
			return false;
		rights &= s->rights;
		pa = s->pa;
	}
	if (!(rights & VM_READ) || !vm_large_slot(&to->vm, dst, &dl) || *dl.node || *dl.pte ||
	    !to->nodes.free)
		return false;
	struct mapnode *n = mapnode_alloc(to);
	place(n, to, &dl, dst, pa, VM_LARGE_LOG2, derive(s, n, rights));
	return true;
}

static inline __attribute__((always_inline)) unsigned unmap_locked(struct task *t, uint64_t va, unsigned log2,
								   unsigned rights, bool flush)
{
	unsigned st = 0;
	uint64_t end = va + (1ul << log2);
	struct vm_leaf l;
	/* A large mapping only partly inside [va, end) is acted on whole.
	 * From one leaf to the next of the same table without a walk
	 * (vm_leaf_next): unmap_512 walked twice a page. */
	for (uint64_t v = va; v < end && vm_next_node(&t->vm, &v, end, &l);) {
		struct mapnode *n;
		do {
			n = *l.node;
			uint64_t at = n->va;
			v = at + leaf_size(n);
			st |= revoke_below(n, rights);
			if (!flush) {
				st |= restrict_leaf(n, &l, 0); /* reads and resets the status */
			} else if (rights & VM_READ) {
				dtree_unlink(&n->tree); /* revoke_below left it no children */
				st |= drop_leaf(n, &l);
			} else {
				st |= restrict_leaf(n, &l, rights);
			}
		} while (v < end && vm_leaf_next(&l, v - 1) && *l.node);
	}
	return st;
}

enum mica_error mapdb_map(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned log2,
			  unsigned rights, bool grant)
{
	mapdb_lock();
	enum mica_error e = map_locked(from, src, to, dst, log2, rights, grant);
	mapdb_unlock();
	return e;
}

bool mapdb_map_page(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned rights)
{
	mapdb_lock();
	bool ok = map_page_locked(from, src, to, dst, rights);
	mapdb_unlock();
	return ok;
}

bool mapdb_map_large(struct task *from, uint64_t src, struct task *to, uint64_t dst, unsigned rights)
{
	mapdb_lock();
	bool ok = map_large_locked(from, src, to, dst, rights);
	mapdb_unlock();
	return ok;
}

unsigned mapdb_unmap(struct task *t, uint64_t va, unsigned log2, unsigned rights, bool flush)
{
	mapdb_lock();
	unsigned st = unmap_locked(t, va, log2, rights, flush);
	mapdb_unlock();
	return st;
}

enum mica_error mapdb_map_root(struct task *to, uint64_t va, uint64_t pa, unsigned rights)
{
	mapdb_lock();
	enum mica_error e = map_leaf(0, pa, to, va, VM_PAGE_LOG2, rights, false);
	mapdb_unlock();
	return e;
}

void mapdb_release(struct task *t)
{
	mapdb_lock();
	struct vm_leaf l;
	for (uint64_t v = 0; vm_next_node(&t->vm, &v, ~0ul, &l);)
		remove_subtree(*l.node);
	while (t->nodes.pages) {
		struct mapnode_page *pg = t->nodes.pages;
		t->nodes.pages = pg->next;
		quota_free_frame(t->hdr.quota, virt_to_phys(pg));
	}
	t->nodes.free = 0;
	mapdb_unlock();
}
