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
 * page shared copy-on-write (mem_ds_copy) is charged to each dataspace
 * holding a pool page, to none for a module's until written; a
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
	/* MICA_PROTO_NAMESPACE's, likewise (user/services/ns). */
	int (*create_ns)(struct mem_alloc *a, struct mica_srv_req *r);
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
 * not: MICA_OK or MEM_DS_SHARED (the page is shared copy-on-write; only
 * when !write: the caller must hand it out without W, so that the first
 * write faults and comes back with write set), *addr = its address in
 * the server's space (aligned to its size), *log2 = 12 or 21 (a return
 * code rather than an out flag: the fault path of a private page pays
 * nothing for it). write: the access
 * will write, which breaks the sharing first (a fresh page with the
 * bytes, charged if the shared frame was a module's; every mapping of
 * the old frame derived from the server's page goes if this dataspace
 * handed it out, in every task). Errors: BAD_ARG (offset outside),
 * NO_MEMORY (quota or pool; nothing changed), INVALID_CAP (deleted),
 * NO_RIGHTS (write to a fixed dataspace). */
#define MEM_DS_SHARED (-1)
int mem_ds_page(struct mem_ds *ds, mica_word_t offset, bool write, mica_word_t *addr, unsigned *log2);

/* MICA_DS_CLEAR without the request (a file server cutting a file):
 * [off, off + size) reads as zero again, whole pages returned. Errors as
 * CLEAR's (NO_RIGHTS for a fixed dataspace, BAD_ARG outside). */
int mem_ds_clear(struct mem_ds *ds, mica_word_t off, mica_word_t size);

/* MICA_DS_COPY_IN without the request (the loader's copy of a program's
 * data): size bytes from src at soff to dst at doff. Whole 4 KiB pages
 * at the same offset within the page on both sides are shared
 * copy-on-write unless either side is PINNED, src has a 2 MiB page
 * there (copied) or dst a 2 MiB block; parts of pages are copied; src's
 * holes read as zero (dst's whole pages there go, as for CLEAR). A
 * shared pool page is charged to dst as well (each holder pays for its
 * view); a shared page of a fixed dataspace costs dst nothing until it
 * writes. Errors: INVALID_CAP (deleted), NO_RIGHTS (dst fixed), BAD_ARG
 * (ranges outside or overlapping in one dataspace, size above
 * MICA_DS_COPY_MAX), NO_MEMORY part-way (the part before it done). */
int mem_ds_copy(struct mem_ds *dst, mica_word_t doff, struct mem_ds *src, mica_word_t soff, mica_word_t size);
