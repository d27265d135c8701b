/* Factories: frames charged to a quota, the root factory, and a
 * factory's release. */
#include "objects/factory.h"

#include <mica/factory.h>

#include "arch/vm.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "memory/kmem.h"
#include "klib/kprintf.h"

#define FRAME 4096ul

/* Takes n frames' worth of f's quota, or fails; under f's lock, since
 * threads on several CPUs may charge one factory at once. */
static bool charge(struct factory *f, uint64_t bytes)
{
	spin_lock(&f->lock);
	bool ok = f->limit - f->used >= bytes;
	if (ok)
		f->used += bytes;
	spin_unlock(&f->lock);
	return ok;
}

static void refund(struct factory *f, uint64_t bytes)
{
	spin_lock(&f->lock);
	f->used -= bytes;
	spin_unlock(&f->lock);
}

bool quota_alloc_frames(struct factory *f, unsigned n, uint64_t *phys)
{
	if (f && !charge(f, n * FRAME))
		return false;
	if (!kmem_alloc_contig(n, phys)) {
		if (f)
			refund(f, n * FRAME);
		return false;
	}
#ifdef MICA_DEBUG
	if (f)
		kmem_charge(*phys, n, f);
#endif
	return true;
}

bool quota_alloc_frame(struct factory *f, uint64_t *phys)
{
	return quota_alloc_frames(f, 1, phys);
}

void quota_free_frame(struct factory *f, uint64_t phys)
{
	if (f) {
#ifdef MICA_DEBUG
		kmem_refund(phys, f);
#endif
		refund(f, FRAME);
	}
	kmem_free_frame(phys);
}

bool core_vm_table_alloc(struct vm_quota *quota, unsigned frames, uint64_t *pa)
{
	return quota_alloc_frames(vm_quota_factory(quota), frames, pa);
}

void core_vm_table_free(struct vm_quota *quota, uint64_t pa, unsigned frames)
{
	for (unsigned i = 0; i < frames; i++)
		quota_free_frame(vm_quota_factory(quota), pa + i * FRAME);
}

struct factory *factory_create_root(void)
{
	uint64_t phys;
	if (!kmem_alloc_frame(&phys))
		return 0;
	struct factory *f = phys_to_virt(phys);
	kobj_init_permanent(&f->hdr, MICA_OBJ_FACTORY);
	f->hdr.phys = phys;
	f->limit = kmem_free_bytes();
	return f;
}

void factory_release(struct factory *f)
{
	/* Everything charged to f is gone (each object pins its factory); a
	 * sub-factory's quota goes back to its parent with its own frame. */
	if (f->used)
		kprintf("mica: factory destroyed with %lu bytes still charged\n", f->used);
	if (f->hdr.quota)
		refund(f->hdr.quota, f->limit);
}

static struct factory *create_factory(struct factory *f, uint64_t quota)
{
	/* The quota it hands on, if the object's own frame fits too; taken
	 * first, so that no other CPU's charge comes between. */
	if (quota > UINT64_MAX - MICA_OBJ_COST || !charge(f, quota + MICA_OBJ_COST))
		return 0;
	refund(f, MICA_OBJ_COST);
	struct factory *n = kobj_alloc(f, MICA_OBJ_FACTORY);
	if (!n) {
		refund(f, quota);
		return 0;
	}
	n->limit = quota;
	return n;
}

struct kobj *factory_create(struct factory *f, const struct factory_create_args *a)
{
	switch (a->type) {
	case MICA_OBJ_TASK: {
		struct task *t = task_create(f, a->utcb_base, a->utcb_log2);
		if (t && !a->utcb_log2)
			t->is_vm = true; /* factory_invoke.c: only for a VM */
		return (struct kobj *)t;
	}
	case MICA_OBJ_GATE:
		return (struct kobj *)gate_create(f, a->bind);
	case MICA_OBJ_FACTORY:
		return (struct kobj *)create_factory(f, a->quota);
	case MICA_OBJ_THREAD:
		return (struct kobj *)thread_create(f);
	default: /* MICA_OBJ_IRQ */
		return (struct kobj *)irq_create(f);
	}
}
