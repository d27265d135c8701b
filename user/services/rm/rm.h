/* Region maps (protocol: include/mica/rm.h, docs/protocols.md §4), for
 * the server code that uses them besides their clients: the loader
 * builds a program's address space with these calls directly, in the
 * same server, and gives the program's threads a capability to the
 * program's region map as their pager.
 *
 * A region map belongs to one memory server (struct mem) and one task,
 * is charged to the allocator that made it (MICA_OBJ_COST, plus
 * MICA_OBJ_COST per page of region nodes) and goes with it. Each region
 * holds a reference to its dataspace (mem_ds_get), so a dataspace
 * deleted while attached is unmapped at once and later faults in its
 * region are errors, not crashes. */
#pragma once

#include <mem/mem.h>

struct mem_rm;

/* Makes the memory server m serve MICA_PROTO_REGION_MAP (sets
 * m->create_rm). */
void mem_rm_setup(struct mem *m);

/* A region map for the task whose capability (WRITE: the map unmaps
 * from it) is the server's selector `task`; the map owns that selector
 * from now on and deletes it when it goes, also on failure, giving it
 * back to the server (mica_srv_sel_free: one of its range, e.g. from
 * mica_srv_take_cap or mica_srv_sel_alloc). MICA_OK and *out, or
 * NO_MEMORY with nothing left behind. */
int mem_rm_create(struct mem_alloc *a, mica_cap_t task, struct mem_rm **out);

/* Deletes the map: every region is detached (unmapped from the task, its
 * dataspace reference dropped) and its capabilities name nothing. */
void mem_rm_delete(struct mem_rm *rm);
struct mica_srv_obj *mem_rm_obj(struct mem_rm *rm);
struct mem_rm *mem_rm_of(struct mica_srv_obj *o);

/* ATTACH as the protocol defines it (*addr in: address or hint, out: the
 * region's address), with `ds_rights` the MICA_DS_R_* rights the caller
 * holds on ds. Same errors. */
int mem_rm_attach(struct mem_rm *rm, mica_word_t *addr, mica_word_t size, mica_word_t offset,
		  mica_word_t flags, struct mem_ds *ds, unsigned ds_rights);

/* DETACH and RESERVE as the protocol defines them. */
int mem_rm_detach(struct mem_rm *rm, mica_word_t addr, mica_word_t *start, mica_word_t *size);
int mem_rm_reserve(struct mem_rm *rm, mica_word_t *addr, mica_word_t size, mica_word_t flags);
