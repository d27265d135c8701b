/* The memory allocator (the factory protocol for MICA_PROTO_* types,
 * include/mica/factory.h): byte quotas, sub-allocators and the
 * recursive delete. Rights: READ for INFO, WRITE for CREATE, CONTROL for
 * DELETE. New objects are answered as object items with SEND and MAP
 * (MAP: the holder can send capabilities through it, e.g. the source of
 * COPY_IN), mapped, never granted: the server keeps the minted original
 * so that deleting the object revokes every copy (mica_srv_remove). */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <string.h>

#include "mem.h"

static const struct mica_srv_type alloc_type;

struct mem_alloc *mem_alloc_of(struct mica_srv_obj *o)
{
	return o && o->type == &alloc_type ? (struct mem_alloc *)o : 0;
}

int mem_charge(struct mem_alloc *a, mica_word_t bytes)
{
	if (bytes > a->limit - a->used)
		return MICA_E_NO_MEMORY;
	a->used += bytes;
	return MICA_OK;
}

void mem_refund(struct mem_alloc *a, mica_word_t bytes)
{
	a->used -= bytes;
}

int mem_obj_new(struct mem_alloc *a, void **page)
{
	mica_word_t va;
	int e = mem_charge(a, MICA_OBJ_COST);
	if (e != MICA_OK)
		return e;
	if ((e = mem_pool_get(a->m->pool, MEM_PAGE_LOG2, &va)) != MICA_OK) {
		mem_refund(a, MICA_OBJ_COST);
		return e;
	}
	*page = (void *)va;
	return MICA_OK;
}

void mem_obj_free(struct mem_alloc *a, void *page)
{
	mem_pool_put(a->m->pool, (mica_word_t)page, MEM_PAGE_LOG2);
	mem_refund(a, MICA_OBJ_COST);
}

void mem_own(struct mem_alloc *a, struct mem_owned *w, void (*destroy)(struct mem_owned *))
{
	w->destroy = destroy;
	w->prev = &a->owned;
	w->next = a->owned.next;
	a->owned.next->prev = w;
	a->owned.next = w;
}

void mem_disown(struct mem_owned *w)
{
	w->prev->next = w->next;
	w->next->prev = w->prev;
	w->prev = w->next = w;
}

static void alloc_setup(struct mem_alloc *a, struct mem *m, struct mem_alloc *parent, mica_word_t quota)
{
	a->m = m;
	a->parent = parent;
	a->child = a->next = a->prev = 0;
	a->owned.prev = a->owned.next = &a->owned;
	a->limit = quota;
	a->used = 0;
}

int mem_init(struct mem *m, struct mica_srv *srv, struct mem_pool *pool, struct mem_alloc *root,
	     mica_word_t quota)
{
	m->srv = srv;
	m->pool = pool;
	m->root = root;
	m->create_rm = 0;
	m->create_ns = 0;
	int e = mica_srv_add(srv, &root->o, &alloc_type);
	if (e != MICA_OK)
		return e;
	alloc_setup(root, m, 0, quota);
	/* Dataspaces arrive with requests (COPY_IN, a region map's ATTACH)
	 * as local ids, through this window. */
	return mica_srv_accept_caps(srv);
}

/* a, empty (nothing it made is left), goes: its quota and its page
 * return to its parent. */
static void alloc_free(struct mem_alloc *a)
{
	struct mem_alloc *p = a->parent;
	mica_srv_remove(a->m->srv, &a->o);
	if (a->prev)
		a->prev->next = a->next;
	else
		p->child = a->next;
	if (a->next)
		a->next->prev = a->prev;
	mem_refund(p, a->limit);
	mem_obj_free(p, a);
}

static void destroy_owned(struct mem_alloc *a)
{
	while (a->owned.next != &a->owned)
		a->owned.next->destroy(a->owned.next);
}

/* Iterative, deepest first: a client chooses how deep allocators nest,
 * and must not choose the server's stack depth. Each allocator's own
 * objects go before its sub-allocators: an object may own a
 * sub-allocator of its maker (a program, user/services/loader) and
 * delete it itself. */
void mem_alloc_clear(struct mem_alloc *top)
{
	struct mem_alloc *a = top;
	for (;;) {
		destroy_owned(a); /* nothing left on a second visit */
		if (a->child) {
			a = a->child;
			continue;
		}
		if (a == top)
			return;
		struct mem_alloc *p = a->parent;
		alloc_free(a);
		a = p;
	}
}

void mem_alloc_delete(struct mem_alloc *a)
{
	mem_alloc_clear(a);
	alloc_free(a);
}

/* Answers r with a capability to o with every right. */
static int answer_obj(struct mica_srv_req *r, struct mica_srv_obj *o)
{
	mica_cap_t sel;
	int e = mica_srv_cap(r->srv, o, MICA_SRV_RIGHTS, &sel);
	if (e != MICA_OK)
		return e;
	mica_srv_ret_cap(r, sel, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

int mem_alloc_create(struct mem_alloc *a, mica_word_t quota, struct mem_alloc **out)
{
	void *page;
	int e = mem_charge(a, quota);
	if (e != MICA_OK)
		return e;
	if ((e = mem_obj_new(a, &page)) != MICA_OK) {
		mem_refund(a, quota);
		return e;
	}
	struct mem_alloc *sub = page;
	if ((e = mica_srv_add(a->m->srv, &sub->o, &alloc_type)) != MICA_OK) {
		mem_obj_free(a, page);
		mem_refund(a, quota);
		return e;
	}
	alloc_setup(sub, a->m, a, quota);
	sub->next = a->child;
	if (a->child)
		a->child->prev = sub;
	a->child = sub;
	*out = sub;
	return MICA_OK;
}

static int create_alloc(struct mem_alloc *a, struct mica_srv_req *r)
{
	struct mem_alloc *sub;
	int e = mem_alloc_create(a, r->in[1], &sub);
	if (e == MICA_OK && (e = answer_obj(r, &sub->o)) != MICA_OK)
		mem_alloc_delete(sub);
	return e;
}

/* MR0 = type, then the type's words (include/mica/factory.h). */
static int create(struct mica_srv_req *r)
{
	struct mem_alloc *a = (struct mem_alloc *)r->obj;
	switch (r->in[0]) {
	case MICA_PROTO_DATASPACE: {
		if (r->n < 3)
			return MICA_E_BAD_TAG;
		struct mem_ds *ds;
		int e = mem_ds_create(a, r->in[1], r->in[2], &ds);
		if (e != MICA_OK)
			return e;
		if ((e = answer_obj(r, mem_ds_obj(ds))) != MICA_OK)
			mem_ds_delete(ds);
		return e;
	}
	case MICA_PROTO_ALLOCATOR:
		if (r->n < 2)
			return MICA_E_BAD_TAG;
		return create_alloc(a, r);
	case MICA_PROTO_REGION_MAP:
		return a->m->create_rm ? a->m->create_rm(a, r) : MICA_E_BAD_ARG;
	case MICA_PROTO_NAMESPACE:
		return a->m->create_ns ? a->m->create_ns(a, r) : MICA_E_BAD_ARG;
	default: /* the kernel's types among them */
		return MICA_E_BAD_ARG;
	}
}

static int info(struct mica_srv_req *r)
{
	struct mem_alloc *a = (struct mem_alloc *)r->obj;
	mica_srv_ret(r, a->limit);
	mica_srv_ret(r, a->used);
	return MICA_OK;
}

/* The root's quota is all the server has: it is not the client's to end. */
static int delete (struct mica_srv_req *r)
{
	struct mem_alloc *a = (struct mem_alloc *)r->obj;
	if (!a->parent)
		return MICA_E_NO_RIGHTS;
	mem_alloc_delete(a);
	return MICA_OK;
}

static const struct mica_srv_method alloc_methods[] = {
	{ MICA_FACTORY_CREATE, 1, MICA_SRV_R_WRITE, create },
	{ MICA_FACTORY_INFO, 0, MICA_SRV_R_READ, info },
	{ MICA_OBJ_DELETE, 0, MICA_SRV_R_CONTROL, delete },
};

static const struct mica_srv_type alloc_type = { "allocator", alloc_methods,
						 sizeof(alloc_methods) / sizeof(alloc_methods[0]), 0 };
