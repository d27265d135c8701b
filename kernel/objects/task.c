/* Tasks: creation with an address space, a capability space and a mapped
 * UTCB area, and release of everything they hold. */
#include "objects/task.h"

#include <mica/utcb.h>
#include <string.h>

#include "fpage.h"
#include "memory/cap.h"
#include "objects/factory.h"
#include "memory/iospace.h"
#include "memory/kmem.h"
#include "objects/thread.h"
#include "objects/vcpu.h"

#define PAGE 4096ul

static unsigned next_task_id = 1;

static void *table_alloc(void *ctx)
{
	uint64_t phys;
	return quota_alloc_frame(ctx, &phys) ? phys_to_virt(phys) : 0;
}

static void table_free(void *ctx, void *table)
{
	quota_free_frame(ctx, virt_to_phys(table));
}

struct task *task_create(struct factory *f, uint64_t utcb_base, unsigned utcb_log2)
{
	struct task *t = kobj_alloc(f, MICA_OBJ_TASK);
	if (!t)
		return 0;
	t->id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_RELAXED);
	memcpy(t->name, "task", 5);
	struct capspace_alloc a = { table_alloc, table_free, f };
	bool ok = vm_space_create(&t->vm, factory_vm_quota(f)) && capspace_init(&t->caps, &a);
	t->utcb_base = utcb_base;
	for (uint64_t off = 0; ok && utcb_log2 && off < (1ul << utcb_log2); off += PAGE) {
		uint64_t phys;
		ok = quota_alloc_frame(f, &phys);
		if (ok && !vm_map_user_page(&t->vm, utcb_base + off, phys, VM_READ | VM_WRITE)) {
			quota_free_frame(f, phys);
			ok = false;
		}
		if (ok)
			t->utcb_size = off + PAGE;
	}
	if (!ok) {
		/* Never named by a capability: this destroys it. */
		kobj_check_unused(&t->hdr);
		return 0;
	}
	return t;
}

void task_set_name(struct task *t, const char *name)
{
	size_t n = strnlen(name, TASK_NAME_MAX - 1);
	memcpy(t->name, name, n);
	t->name[n] = '\0';
}

bool task_in_utcb_area(const struct task *t, uint64_t addr, uint64_t size)
{
	return addr < t->utcb_base + t->utcb_size && t->utcb_base < addr + size;
}

void *task_utcb_kva(const struct task *t, uint64_t addr)
{
	uint64_t phys;
	unsigned prot;
	if (!vm_lookup(&t->vm, addr & ~(PAGE - 1), &phys, &prot))
		return 0;
	return (uint8_t *)phys_to_virt(phys) + (addr & (PAGE - 1));
}

void task_release(struct task *t)
{
	while (t->threads)
		thread_kill(t->threads);
	if (t->vcpu_users)
		vcpu_task_gone(t);
	cap_lock();
	capspace_destroy(&t->caps, cap_delete);
	cap_unlock();
	iospace_release(t);
	mapdb_release(t);
	for (uint64_t off = 0; off < t->utcb_size; off += PAGE) {
		uint64_t phys;
		unsigned prot;
		if (vm_lookup(&t->vm, t->utcb_base + off, &phys, &prot))
			quota_free_frame(t->hdr.quota, phys);
	}
	vm_space_destroy(&t->vm);
}

static void unmap_objects(struct task *t, const struct fpage *f, bool flush)
{
	mica_cap_t s = f->base, end = f->base + (1ul << f->log2);
	cap_lock();
	for (struct cap_slot *c; (c = capspace_next(&t->caps, &s, end)); s++) {
		if (flush)
			cap_revoke(c, f->rights);
		else
			cap_revoke_below(c, f->rights);
	}
	cap_unlock();
}

unsigned task_unmap(struct task *t, const struct fpage *f, bool flush)
{
	if (f->type == MICA_FPAGE_OBJ) {
		unmap_objects(t, f, flush);
		return 0;
	}
	if (f->type == MICA_FPAGE_IO) {
		iospace_unmap(t, (unsigned)f->base, f->log2, flush);
		return 0;
	}
	return mapdb_unmap(t, f->base, f->log2, f->rights, flush);
}
