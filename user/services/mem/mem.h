/* The memory service's objects, for the server code that uses them (the
 * memory allocator, dataspaces, and the region map built on them): one
 * memory server is a struct mem, whose objects are served by one
 * mica_srv loop. Protocols: include/mica/factory.h (MICA_PROTO_*),
 * include/mica/dataspace.h, docs/protocols.md §2-§3.
 *
 * Accounting (every byte exact, refunded when freed): each object costs
 * its allocator MICA_OBJ_COST (the pool page holding it); a dataspace's
 * memory is charged as it is backed (4 KiB or 2 MiB per page, PINNED and
 * CONTIG ones all at creation) together with its page-table pages; a
 * sub-allocator's quota is charged to its parent. */
#pragma once

#include <mica_srv.h>
#include <stdbool.h>

#include "pool.h"

struct mem_alloc;
struct mem_ds;

/* Something an allocator made and must destroy when it is deleted (a
 * dataspace; the region map adds its own). */
struct mem_owned {
	struct mem_owned *prev, *next;
	void (*destroy)(struct mem_owned *);
};

struct mem {
	struct mica_srv *srv;
	struct mem_pool *pool;
	struct mem_alloc *root;
	/* MICA_PROTO_REGION_MAP's creator, if the server has region maps:
	 * answers the request like any CREATE (0: BAD_ARG). */
	int (*create_rm)(struct mem_alloc *a, struct mica_srv_req *r);
};

/* Sets up m with the root allocator `root` (storage of the caller's) of
 * `quota` bytes, registered with srv (which must be initialized): its
 * capability is the one the server hands out first. MICA_OK or the
 * error of mica_srv_add. */
int mem_init(struct mem *m, struct mica_srv *srv, struct mem_pool *pool, struct mem_alloc *root,
	     mica_word_t quota);

/* ---- allocators (alloc.c) ---- */
struct mem_alloc {
	struct mica_srv_obj o; /* first */
	struct mem *m;
	struct mem_alloc *parent;	/* 0: the root */
	struct mem_alloc *child, *next; /* sub-allocators; siblings */
	struct mem_alloc *prev;
	struct mem_owned owned; /* list head of the objects it made */
	mica_word_t limit, used;
};

struct mem_alloc *mem_alloc_of(struct mica_srv_obj *o);
/* Charges bytes to a's quota: MICA_OK or MICA_E_NO_MEMORY (nothing charged). */
int mem_charge(struct mem_alloc *a, mica_word_t bytes);
void mem_refund(struct mem_alloc *a, mica_word_t bytes);
/* An object of a's: a zeroed pool page charged MICA_OBJ_COST, and its
 * return (with the refund). */
int mem_obj_new(struct mem_alloc *a, void **page);
void mem_obj_free(struct mem_alloc *a, void *page);
void mem_own(struct mem_alloc *a, struct mem_owned *w, void (*destroy)(struct mem_owned *));
void mem_disown(struct mem_owned *w);
/* A sub-allocator of a with quota bytes (charged to a with its object):
 * MICA_OK and *out, or NO_MEMORY with nothing charged. */
int mem_alloc_create(struct mem_alloc *a, mica_word_t quota, struct mem_alloc **out);
/* Everything a (not the root) made, recursively, and a itself go; the
 * quota returns to its parent. */
void mem_alloc_delete(struct mem_alloc *a);
/* Everything a made goes, a stays (for the root, e.g. at shutdown); an
 * allocator's own objects go before its sub-allocators. */
void mem_alloc_clear(struct mem_alloc *a);

/* ---- dataspaces (dataspace.c) ---- */
/* Creates a dataspace of a's (size, MICA_DS_* flags): MICA_OK and *out,
 * or BAD_ARG / NO_MEMORY with nothing left behind. */
int mem_ds_create(struct mem_alloc *a, mica_word_t size, mica_word_t flags, struct mem_ds **out);

/* A read-only dataspace over memory already in the server's space,
 * [addr, addr + size) (page-aligned; e.g. a boot module): never backed,
 * zeroed, freed or charged beyond the object itself. Mapping it writable,
 * CLEAR and COPY_IN into it are NO_RIGHTS; its pages are mapped with the
 * rights the server has on them (map modules R and X). Deleting it only
 * unmaps the memory from every task. Give clients READ capabilities. */
int mem_ds_create_fixed(struct mem_alloc *a, mica_word_t addr, mica_word_t size, struct mem_ds **out);
bool mem_ds_is_fixed(const struct mem_ds *ds);

/* Deletes ds (MICA_OBJ_DELETE does the same): its memory is unmapped
 * from every task and returned, its capabilities name nothing. */
void mem_ds_delete(struct mem_ds *ds);
struct mica_srv_obj *mem_ds_obj(struct mem_ds *ds);

/* The dataspace o is, or 0 if o is no dataspace. The rights of a
 * capability to it are the MICA_DS_R_* bits the request reports for it
 * (req->rights, or req->local_rights for one sent along). */
struct mem_ds *mem_ds_of(struct mica_srv_obj *o);
mica_word_t mem_ds_size(const struct mem_ds *ds);
mica_word_t mem_ds_flags(const struct mem_ds *ds);

/* References for users that keep a pointer (a region): a deleted
 * dataspace's memory is gone at once (unmapped everywhere and returned),
 * but the struct stays, answering mem_ds_page with MICA_E_INVALID_CAP,
 * until the last reference goes. */
void mem_ds_get(struct mem_ds *ds);
void mem_ds_put(struct mem_ds *ds);

/* The page holding offset, backed (zero-filled, charged) first if it is
 * not: *addr = its address in the server's space (aligned to its size),
 * *log2 = 12 or 21. write: the access will write (for copy-on-write,
 * a later step; now every page is private and writable). Errors:
 * BAD_ARG (offset outside), NO_MEMORY (quota or pool), INVALID_CAP
 * (deleted). */
int mem_ds_page(struct mem_ds *ds, mica_word_t offset, bool write, mica_word_t *addr, unsigned *log2);
