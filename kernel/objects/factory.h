/* Factories: kernel-memory quotas that create objects. Every frame the
 * kernel allocates for an object (the object itself, its page tables,
 * capability tables, UTCBs) is charged to one factory and refunded to it
 * when freed. A sub-factory's whole quota is charged to its parent when it
 * is created, so charging touches exactly one factory. */
#pragma once

#include <mica/msgtag.h>
#include <stdbool.h>
#include <stdint.h>

#include "objects/kobj.h"

struct factory {
	struct kobj hdr;
	uint64_t limit; /* bytes */
	uint64_t used;
};

/* The root task's factory: all kernel memory that is free at boot. */
struct factory *factory_create_root(void);

/* A zeroed frame charged to f (f == 0: uncharged, kernel-internal). */
bool quota_alloc_frame(struct factory *f, uint64_t *phys);
/* n contiguous zeroed frames; freed one by one. */
bool quota_alloc_frames(struct factory *f, unsigned n, uint64_t *phys);
void quota_free_frame(struct factory *f, uint64_t phys);

/* A user space's page tables (arch/vm.h) are charged to the factory of
 * its task: the factory is the space's quota handle, opaque to the
 * architecture. */
struct vm_quota;
static inline struct vm_quota *factory_vm_quota(struct factory *f)
{
	return (struct vm_quota *)f;
}
static inline struct factory *vm_quota_factory(struct vm_quota *q)
{
	return (struct factory *)q;
}

/* Called when the factory object is destroyed (its pins are gone). */
void factory_release(struct factory *f);
