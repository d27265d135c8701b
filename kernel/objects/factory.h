/* Factories: kernel-memory quotas that create objects. Every frame the
 * kernel allocates for an object (the object itself, its page tables,
 * capability tables, UTCBs) is charged to one factory and refunded to it
 * when freed. A sub-factory's whole quota is charged to its parent when it
 * is created, so charging touches exactly one factory. */
#pragma once

#include <mica/msgtag.h>
#include <stdbool.h>
#include <stdint.h>

#include "klib/spinlock.h"
#include "objects/invoke.h"
#include "objects/kobj.h"

struct thread;

struct factory {
	struct kobj hdr;
	struct spinlock lock; /* guards used: a leaf but for the frame allocator's */
	uint64_t limit;	      /* bytes; set at creation */
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

/* MICA_FACTORY_CREATE, checked. */
struct factory_create_args {
	unsigned type;	     /* enum mica_obj_type: one a factory creates */
	uint64_t utcb_base;  /* TASK: the UTCB area, aligned to its size */
	unsigned utcb_log2;  /* TASK */
	struct thread *bind; /* GATE: the thread it is bound to, or 0 */
	uint64_t quota;	     /* FACTORY: page-aligned */
};

/* A new object charged to f (FACTORY: with its quota charged too), or 0
 * when the quota or kernel memory is exhausted. */
struct kobj *factory_create(struct factory *f, const struct factory_create_args *a);

/* The factory's methods, by label (factory_invoke.c). */
extern const struct invoke_method factory_methods[INVOKE_LABELS];
