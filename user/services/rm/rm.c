/* Region maps (include/mica/rm.h, docs/protocols.md §4): the object,
 * its creation through the memory allocator, ATTACH, DETACH, RESERVE,
 * FIND and delete. The fault path is pager.c.
 *
 * Regions and reserved areas live in two trees of the same nodes (an
 * attach outside IN_AREA must miss both, one inside must fall in an
 * area and miss the regions). Nodes come from pool pages, many a page:
 * the map's own page holds the first ones after the map's struct, extra
 * pages (MICA_OBJ_COST each) are taken as needed and go back as soon as
 * they hold no node. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/layout.h>
#include <mica/rm.h>
#include <mica_obj.h>
#include <stddef.h>

#include "rm_impl.h"

#define LARGE_MASK (MEM_LARGE - 1)
#define PAGE_MASK (MEM_PAGE - 1)

static const struct mica_srv_type rm_type;

struct mica_srv_obj *mem_rm_obj(struct mem_rm *rm)
{
	return &rm->o;
}

struct mem_rm *mem_rm_of(struct mica_srv_obj *o)
{
	return o && o->type == &rm_type ? (struct mem_rm *)((char *)o - offsetof(struct mem_rm, o)) : 0;
}

/* ---- nodes ---- */

static void page_setup(struct rm_page *p, size_t head)
{
	size_t at =
		(head + sizeof(struct rm_region) - 1) / sizeof(struct rm_region) * sizeof(struct rm_region);
	p->first = (struct rm_region *)((char *)p + at);
	p->cap = (unsigned)((MEM_PAGE - at) / sizeof(struct rm_region));
	p->used = p->carved = 0;
	p->free = 0;
	p->avail = false;
}

static void avail_add(struct mem_rm *rm, struct rm_page *p)
{
	p->prev = &rm->avail;
	p->next = rm->avail.next;
	rm->avail.next->prev = p;
	rm->avail.next = p;
	p->avail = true;
}

static void avail_remove(struct rm_page *p)
{
	p->prev->next = p->next;
	p->next->prev = p->prev;
	p->avail = false;
}

/* A node: from a page with room, or from a new page (NO_MEMORY: the
 * quota or the pool, nothing changed). */
static int node_new(struct mem_rm *rm, struct rm_region **out)
{
	struct rm_page *p = rm->avail.next;
	if (p == &rm->avail) {
		void *page;
		int e = mem_obj_new(rm->owner, &page);
		if (e != MICA_OK)
			return e;
		p = page;
		page_setup(p, sizeof(*p));
		avail_add(rm, p);
	}
	struct rm_region *g = p->free;
	if (g)
		p->free = (struct rm_region *)g->node.left;
	else
		g = &p->first[p->carved++];
	if (++p->used == p->cap)
		avail_remove(p);
	*out = g;
	return MICA_OK;
}

static void node_free(struct mem_rm *rm, struct rm_region *g)
{
	struct rm_page *p = (struct rm_page *)((mica_word_t)g & ~PAGE_MASK);
	g->node.left = (struct region *)p->free;
	p->free = g;
	p->used--;
	if (p != &rm->home && !p->used) {
		if (p->avail)
			avail_remove(p);
		mem_obj_free(rm->owner, p);
	} else if (!p->avail) {
		avail_add(rm, p);
	}
}

/* ---- create and delete ---- */

static void destroy_owned(struct mem_owned *w)
{
	mem_rm_delete((struct mem_rm *)((char *)w - offsetof(struct mem_rm, own)));
}

/* The task capability a map owns goes, and its selector back to the
 * server's (mica_srv_take_cap handed it over): without that, every map
 * made would cost the server a selector for good. */
static void task_drop(struct mica_srv *srv, mica_cap_t task)
{
	mica_cap_delete(MICA_CAP_TASK, task);
	mica_srv_sel_free(srv, task);
}

int mem_rm_create(struct mem_alloc *a, mica_cap_t task, struct mem_rm **out)
{
	void *page;
	int e = mem_obj_new(a, &page);
	if (e != MICA_OK) {
		task_drop(a->m->srv, task);
		return e;
	}
	struct mem_rm *rm = page;
	if ((e = mica_srv_add(a->m->srv, &rm->o, &rm_type)) != MICA_OK) {
		mem_obj_free(a, page);
		task_drop(a->m->srv, task);
		return e;
	}
	rm->m = a->m;
	rm->owner = a;
	rm->task = task;
	rm->regions.root = rm->areas.root = 0;
	rm->regions.count = rm->areas.count = 0;
	rm->avail.prev = rm->avail.next = &rm->avail;
	page_setup(&rm->home, sizeof(*rm));
	avail_add(rm, &rm->home);
	mem_own(a, &rm->own, destroy_owned);
	*out = rm;
	return MICA_OK;
}

static void region_drop(struct mem_rm *rm, struct rm_region *g)
{
	mem_rm_unmap(rm, g->node.start, g->node.size);
	mem_ds_put(g->ds);
	regions_remove(&rm->regions, &g->node);
	node_free(rm, g);
}

void mem_rm_delete(struct mem_rm *rm)
{
	struct mem_alloc *a = rm->owner;
	/* The pager capabilities go first: no fault reaches a half-gone map. */
	mica_srv_remove(rm->m->srv, &rm->o);
	mem_disown(&rm->own);
	while (rm->regions.root)
		region_drop(rm, (struct rm_region *)rm->regions.root);
	while (rm->areas.root) {
		struct rm_region *g = (struct rm_region *)rm->areas.root;
		regions_remove(&rm->areas, &g->node);
		node_free(rm, g);
	}
	task_drop(rm->m->srv, rm->task);
	mem_obj_free(a, rm);
}

/* CREATE of MICA_PROTO_REGION_MAP: one object item, the task (WRITE). */
static int create_rm(struct mem_alloc *a, struct mica_srv_req *r)
{
	mica_cap_t task = mica_srv_take_cap(r);
	mica_word_t type, rights;
	if (!task)
		return MICA_E_BAD_ARG;
	if (mica_cap_info(MICA_CAP_TASK, task, &type, &rights) != MICA_OK || type != MICA_OBJ_TASK) {
		task_drop(r->srv, task);
		return MICA_E_BAD_ARG;
	}
	if (!(rights & MICA_TASK_R_WRITE)) {
		task_drop(r->srv, task);
		return MICA_E_NO_RIGHTS;
	}
	struct mem_rm *rm;
	int e = mem_rm_create(a, task, &rm);
	if (e != MICA_OK)
		return e;
	mica_cap_t sel;
	if ((e = mica_srv_cap(r->srv, &rm->o, MICA_SRV_RIGHTS, &sel)) != MICA_OK) {
		mem_rm_delete(rm);
		return e;
	}
	mica_srv_ret_cap(r, sel, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

void mem_rm_setup(struct mem *m)
{
	m->create_rm = create_rm;
}

/* ---- attach, detach, reserve ---- */

/* Whether [start, start + size) is page-aligned, not empty and inside
 * the user range. */
static bool user_range(mica_word_t start, mica_word_t size)
{
	return !(start & PAGE_MASK) && !(size & PAGE_MASK) && size && start >= MICA_USER_MIN &&
	       start < MICA_USER_END && size <= MICA_USER_END - start;
}

/* The lowest free range of size bytes at or above from, aligned to
 * align plus phase, ending at or below limit, free of regions and
 * (areas_too) of areas. */
static bool find_free(const struct mem_rm *rm, mica_word_t from, mica_word_t size, mica_word_t align,
		      mica_word_t phase, mica_word_t limit, bool areas_too, mica_word_t *at)
{
	if (size > MICA_USER_END || phase > MICA_USER_END - size)
		return false;
	for (;;) {
		mica_word_t a;
		if (!regions_free(&rm->regions, from, size + phase, align, limit, &a))
			return false;
		const struct region *x = areas_too ? regions_overlap(&rm->areas, a + phase, size) : 0;
		if (!x) {
			*at = a + phase;
			return true;
		}
		from = x->start + x->size;
	}
}

int mem_rm_attach(struct mem_rm *rm, mica_word_t *addr, mica_word_t size, mica_word_t offset,
		  mica_word_t flags, struct mem_ds *ds, unsigned ds_rights)
{
	mica_word_t dsize = mem_ds_size(ds), start = *addr;
	if ((flags & ~MICA_RM_FLAGS) || !(flags & MICA_FPAGE_R) || (offset & PAGE_MASK) || offset >= dsize ||
	    (start & PAGE_MASK))
		return MICA_E_BAD_ARG;
	if (!size)
		size = dsize - offset;
	if ((size & PAGE_MASK) || size > dsize - offset)
		return MICA_E_BAD_ARG;
	unsigned need = MICA_DS_R_READ | ((flags & MICA_FPAGE_W) ? MICA_DS_R_WRITE : 0);
	if ((ds_rights & need) != need)
		return MICA_E_NO_RIGHTS;

	const struct region *area = 0;
	if (flags & MICA_RM_IN_AREA) {
		area = regions_find(&rm->areas, start);
		if (!area)
			return MICA_E_BAD_ARG;
	}
	if (flags & MICA_RM_SEARCH) {
		/* 2 MiB pages need the address to agree with the offset
		 * modulo 2 MiB: search with that phase. */
		bool large = (mem_ds_flags(ds) & MICA_DS_LARGE) && size >= MEM_LARGE;
		mica_word_t align = large ? MEM_LARGE : MEM_PAGE, phase = large ? offset & LARGE_MASK : 0;
		mica_word_t from = start < MICA_USER_MIN ? MICA_USER_MIN : start, limit = MICA_USER_END;
		if (area)
			limit = area->start + area->size;
		if (!find_free(rm, from, size, align, phase, limit, !area, &start))
			return MICA_E_NO_MEMORY;
	} else {
		if (!user_range(start, size))
			return MICA_E_BAD_ARG;
		if (regions_overlap(&rm->regions, start, size))
			return MICA_E_EXISTS;
		if (area ? size > area->start + area->size - start
			 : !!regions_overlap(&rm->areas, start, size))
			return area ? MICA_E_BAD_ARG : MICA_E_EXISTS;
	}

	struct rm_region *g;
	int e = node_new(rm, &g);
	if (e != MICA_OK)
		return e;
	g->node.start = start;
	g->node.size = size;
	g->ds = ds;
	g->offset = offset;
	g->flags = flags & (MICA_FPAGE_RWX | MICA_RM_EAGER);
	regions_insert(&rm->regions, &g->node);
	mem_ds_get(ds);
	if ((flags & MICA_RM_EAGER) && (e = mem_rm_map_all(rm, g)) != MICA_OK) {
		region_drop(rm, g);
		return e;
	}
	*addr = start;
	return MICA_OK;
}

int mem_rm_detach(struct mem_rm *rm, mica_word_t addr, mica_word_t *start, mica_word_t *size)
{
	struct rm_region *g = (struct rm_region *)regions_find(&rm->regions, addr);
	if (g) {
		*start = g->node.start;
		*size = g->node.size;
		region_drop(rm, g);
		return MICA_OK;
	}
	/* No region: an empty area there goes. */
	g = (struct rm_region *)regions_find(&rm->areas, addr);
	if (!g)
		return MICA_E_BAD_ARG;
	if (regions_overlap(&rm->regions, g->node.start, g->node.size))
		return MICA_E_EXISTS;
	*start = g->node.start;
	*size = g->node.size;
	regions_remove(&rm->areas, &g->node);
	node_free(rm, g);
	return MICA_OK;
}

int mem_rm_reserve(struct mem_rm *rm, mica_word_t *addr, mica_word_t size, mica_word_t flags)
{
	mica_word_t start = *addr;
	if ((flags & ~MICA_RM_SEARCH) || (start & PAGE_MASK) || (size & PAGE_MASK) || !size)
		return MICA_E_BAD_ARG;
	if (flags & MICA_RM_SEARCH) {
		mica_word_t from = start < MICA_USER_MIN ? MICA_USER_MIN : start;
		if (!find_free(rm, from, size, MEM_PAGE, 0, MICA_USER_END, true, &start))
			return MICA_E_NO_MEMORY;
	} else {
		if (!user_range(start, size))
			return MICA_E_BAD_ARG;
		if (regions_overlap(&rm->regions, start, size) || regions_overlap(&rm->areas, start, size))
			return MICA_E_EXISTS;
	}
	struct rm_region *g;
	int e = node_new(rm, &g);
	if (e != MICA_OK)
		return e;
	g->node.start = start;
	g->node.size = size;
	g->ds = 0;
	g->offset = g->flags = 0;
	regions_insert(&rm->areas, &g->node);
	*addr = start;
	return MICA_OK;
}

/* ---- the protocol ---- */

static struct mem_rm *rm_of_req(const struct mica_srv_req *r)
{
	return (struct mem_rm *)((char *)r->obj - offsetof(struct mem_rm, o));
}

static int attach(struct mica_srv_req *r)
{
	struct mem_ds *ds = mem_ds_of(r->local);
	if (!ds || r->rcv)
		return MICA_E_BAD_ARG;
	mica_word_t addr = r->in[0];
	int e = mem_rm_attach(rm_of_req(r), &addr, r->in[1], r->in[2], r->in[3], ds, r->local_rights);
	if (e == MICA_OK)
		mica_srv_ret(r, addr);
	return e;
}

static int detach(struct mica_srv_req *r)
{
	mica_word_t start, size;
	int e = mem_rm_detach(rm_of_req(r), r->in[0], &start, &size);
	if (e == MICA_OK) {
		mica_srv_ret(r, start);
		mica_srv_ret(r, size);
	}
	return e;
}

static int reserve(struct mica_srv_req *r)
{
	mica_word_t addr = r->in[0];
	int e = mem_rm_reserve(rm_of_req(r), &addr, r->in[1], r->in[2]);
	if (e == MICA_OK)
		mica_srv_ret(r, addr);
	return e;
}

static int find(struct mica_srv_req *r)
{
	const struct rm_region *g = (const struct rm_region *)regions_find(&rm_of_req(r)->regions, r->in[0]);
	if (!g)
		return MICA_E_BAD_ARG;
	mica_srv_ret(r, g->node.start);
	mica_srv_ret(r, g->node.size);
	mica_srv_ret(r, g->offset);
	mica_srv_ret(r, g->flags);
	return MICA_OK;
}

static int delete (struct mica_srv_req *r)
{
	mem_rm_delete(rm_of_req(r));
	return MICA_OK;
}

static const struct mica_srv_method rm_methods[] = {
	{ MICA_LABEL_PAGE_FAULT, MICA_PF_WORDS, MICA_RM_R_CONTROL, mem_rm_fault },
	{ MICA_RM_ATTACH, 4, MICA_RM_R_WRITE, attach },
	{ MICA_RM_DETACH, 1, MICA_RM_R_WRITE, detach },
	{ MICA_RM_RESERVE, 3, MICA_RM_R_WRITE, reserve },
	{ MICA_RM_FIND, 1, MICA_RM_R_READ, find },
	{ MICA_OBJ_DELETE, 0, MICA_RM_R_CONTROL, delete },
};

static const struct mica_srv_type rm_type = { "region map", rm_methods,
					      sizeof(rm_methods) / sizeof(rm_methods[0]), 0 };
