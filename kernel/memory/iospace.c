/* I/O-port mapping between tasks, and the x86 I/O permission bitmap that
 * enforces it. */
#include "memory/iospace.h"

#include <string.h>

#include "arch/vm.h"
#include "objects/factory.h"
#include "memory/mapdb.h"
#include "objects/task.h"

#define PAGE 4096ul

static struct mapnode *find(const struct task *t, unsigned port)
{
	for (struct mapnode *n = t->io_nodes; n; n = n->io_next)
		if (n->va == port)
			return n;
	return 0;
}

static bool bitmap_ensure(struct task *t)
{
	if (t->vm.io_bitmap)
		return true;
	uint64_t pa;
	if (!quota_alloc_frames(t->hdr.quota, VM_IO_BITMAP_FRAMES, &pa))
		return false;
	t->vm.io_bitmap = phys_to_virt(pa);
	memset(t->vm.io_bitmap, 0xff, VM_IO_BITMAP_FRAMES * PAGE);
	return true;
}

static void allow(struct task *t, unsigned port, bool yes)
{
	uint8_t bit = (uint8_t)(1u << (port & 7));
	if (yes)
		t->vm.io_bitmap[port >> 3] &= (uint8_t)~bit;
	else
		t->vm.io_bitmap[port >> 3] |= bit;
	vm_io_changed(&t->vm);
}

static unsigned remove_leaf(struct dtree *node)
{
	struct mapnode *n = mapnode_of(node);
	struct task *t = n->space;
	allow(t, (unsigned)n->va, false);
	for (struct mapnode **p = &t->io_nodes; *p; p = &(*p)->io_next)
		if (*p == n) {
			*p = n->io_next;
			break;
		}
	dtree_unlink(node);
	mapnode_free(n);
	return 0;
}

static void remove_subtree(struct mapnode *n)
{
	dtree_remove_subtree(&n->tree, remove_leaf);
}

static enum mica_error map_locked(struct task *from, unsigned base, struct task *to, unsigned log2,
				  bool grant)
{
	for (unsigned port = base; port < base + (1u << log2); port++) {
		struct mapnode *s = from->io_root ? 0 : find(from, port);
		if (!s && !from->io_root)
			continue; /* a port the sender does not have */
		struct mapnode *e = find(to, port);
		if (e && (e == s || (!grant && mapnode_of(e->tree.parent) == s)))
			continue; /* already there, as this very mapping */
		if (e && s && dtree_below(&s->tree, &e->tree))
			continue;
		if (!bitmap_ensure(to))
			return MICA_E_NO_MEMORY;
		struct mapnode *n = mapnode_alloc(to);
		if (!n)
			return MICA_E_NO_MEMORY;
		if (e)
			remove_subtree(e);
		n->va = port;
		n->rights = VM_READ;
		if (grant && s) {
			dtree_replace(&s->tree, &n->tree);
			remove_leaf(&s->tree);
		} else {
			dtree_link(s ? &s->tree : 0, &n->tree);
		}
		n->io_next = to->io_nodes;
		to->io_nodes = n;
		allow(to, port, true);
	}
	return MICA_OK;
}

enum mica_error iospace_map(struct task *from, unsigned base, struct task *to, unsigned log2, bool grant)
{
	mapdb_lock();
	enum mica_error e = map_locked(from, base, to, log2, grant);
	mapdb_unlock();
	return e;
}

void iospace_unmap(struct task *t, unsigned base, unsigned log2, bool flush)
{
	mapdb_lock();
	for (unsigned port = base; port < base + (1u << log2); port++) {
		struct mapnode *n = find(t, port);
		if (!n)
			continue;
		while (n->tree.child)
			remove_subtree(mapnode_of(n->tree.child));
		if (flush)
			remove_subtree(n);
	}
	mapdb_unlock();
}

void iospace_release(struct task *t)
{
	mapdb_lock();
	while (t->io_nodes)
		remove_subtree(t->io_nodes);
	if (t->vm.io_bitmap) {
		vm_io_changed(&t->vm);
		uint64_t pa = virt_to_phys(t->vm.io_bitmap);
		for (unsigned i = 0; i < VM_IO_BITMAP_FRAMES; i++)
			quota_free_frame(t->hdr.quota, pa + i * PAGE);
		t->vm.io_bitmap = 0;
	}
	mapdb_unlock();
}
