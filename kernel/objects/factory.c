/* Factories: frames charged to a quota, the root factory, and a
 * factory's release. */
#include "objects/factory.h"

#include "arch/vm.h"
#include "memory/kmem.h"
#include "klib/kprintf.h"

#define FRAME 4096ul

bool quota_alloc_frames(struct factory *f, unsigned n, uint64_t *phys)
{
	if (f && f->limit - f->used < n * FRAME)
		return false;
	if (!kmem_alloc_contig(n, phys))
		return false;
	if (f) {
		f->used += n * FRAME;
#ifdef MICA_DEBUG
		kmem_charge(*phys, n, f);
#endif
	}
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
		f->used -= FRAME;
	}
	kmem_free_frame(phys);
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
		f->hdr.quota->used -= f->limit;
}
