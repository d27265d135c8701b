/* A memory server (user/services/mem, with region maps) for the ds_,
 * alloc_ and rm_ cases: a server thread in this task, and the client
 * calls of the allocator, dataspace and region-map protocols. */
#pragma once

#include <mem/mem.h>

#include <mica_mem.h>

#include "ktest.h"

/* The window the server's pool maps at, in this task only. */
#define KMEM_POOL 0x300000000000ul
#define KMEM_POOL_LOG2 30

struct kmem {
	struct kthread *k;
	mica_cap_t root;	/* the root allocator, every right */
	mica_word_t pool_used0; /* the pool's pages in use at the start */
};
extern struct mem kmem_mem;
extern struct mem_pool kmem_pool;

/* Starts a server whose root allocator has quota bytes. */
int kmem_start(struct kmem *s, mica_word_t quota);
/* Deletes everything the root made: whether the pool is back at its
 * start and the root's quota at 0 (no leak). The thread stays blocked
 * (the runner deletes it). */
int kmem_finish(struct kmem *s);
/* The object the last successful kmem_create_* made, and a capability
 * (the server's) to one with fewer rights. */
extern struct mica_srv_obj *kmem_made;
mica_cap_t kmem_cap(struct mica_srv_obj *o, unsigned rights);

/* Creations that record the object made in kmem_made (the other client
 * calls are the library's, mica_mem.h). */
int kmem_create_ds(mica_cap_t alloc, mica_word_t size, mica_word_t flags, mica_cap_t dst);
int kmem_create_alloc(mica_cap_t alloc, mica_word_t quota, mica_cap_t dst);
int kmem_create_rm(mica_cap_t alloc, mica_cap_t task, mica_cap_t dst);
