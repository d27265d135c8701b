/* A memory server (user/services/mem, with region maps) for the ds_,
 * alloc_ and rm_ cases: a server thread in this task, and the client
 * calls of the allocator, dataspace and region-map protocols. */
#pragma once

#include <mem/mem.h>

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

/* Client calls (any thread, any task): the error, results out. */
int kmem_create_ds(mica_cap_t alloc, mica_word_t size, mica_word_t flags, mica_cap_t dst);
int kmem_create_alloc(mica_cap_t alloc, mica_word_t quota, mica_cap_t dst);
int kmem_info(mica_cap_t obj, mica_word_t *w0, mica_word_t *w1); /* FACTORY_INFO or DS_INFO */
int kmem_ds_info(mica_cap_t ds, mica_word_t *size, mica_word_t *flags);
int kmem_delete(mica_cap_t obj);
/* MICA_DS_MAP into the window [win, win + 2^win_log2): *fpage (may be 0)
 * gets the flexpage the server sent. */
int kmem_map(mica_cap_t ds, mica_word_t off, mica_word_t hot, mica_word_t rights, mica_word_t win,
	     unsigned win_log2, mica_word_t *fpage);
int kmem_clear(mica_cap_t ds, mica_word_t off, mica_word_t size);
int kmem_phys(mica_cap_t ds, mica_word_t off, mica_word_t *pa, mica_word_t *bytes);
int kmem_copy_in(mica_cap_t dst, mica_word_t doff, mica_cap_t src, mica_word_t soff, mica_word_t size);

/* The region map (mica/rm.h): CREATE for task, and its methods. */
int kmem_create_rm(mica_cap_t alloc, mica_cap_t task, mica_cap_t dst);
int kmem_rm_attach(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t off, mica_word_t flags,
		   mica_cap_t ds);
int kmem_rm_detach(mica_cap_t rm, mica_word_t addr, mica_word_t *start, mica_word_t *size);
int kmem_rm_reserve(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t flags);
/* FIND: out = start, size, offset, flags. */
int kmem_rm_find(mica_cap_t rm, mica_word_t addr, mica_word_t out[4]);
