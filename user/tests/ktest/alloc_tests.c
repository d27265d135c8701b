/* The memory allocator of the memory server (user/services/mem, the
 * factory protocol's MICA_PROTO_* types): quotas charged exactly and
 * returned exactly, sub-allocators, the recursive delete, rights and bad
 * requests. The server runs in this task; clients are this thread and
 * threads of child tasks. */
#include <mica/dataspace.h>
#include <mica/factory.h>

#include "mem.h"
#include "memsrv.h"

#define PG 4096ul
#define CHILD_ALLOC 0x300
#define CHILD_NEW 0x301

static int used_is(mica_cap_t a, mica_word_t want)
{
	mica_word_t limit, used;
	return mica_alloc_info(a, &limit, &used) == MICA_OK && used == want;
}

KTEST(alloc_info_reports_limit_and_use)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_word_t limit, used;
	CHECK_OK(mica_alloc_info(s.root, &limit, &used));
	CHECK_EQ(limit, 1 << 20);
	CHECK_EQ(used, 0);
	mica_cap_t ds = ksel();
	CHECK_OK(kmem_create_ds(s.root, 8 * PG, 0, ds));
	CHECK(used_is(s.root, MICA_OBJ_COST));
	CHECK_OK(mica_ds_map(ds, 0, KALIAS, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0));
	CHECK(used_is(s.root, MICA_OBJ_COST + 2 * PG));
	mica_cap_t ro = kmem_cap(&kmem_mem.root->o, MICA_SRV_R_READ);
	CHECK_OK(mica_alloc_info(ro, &limit, &used));
	CHECK_EQ(used, MICA_OBJ_COST + 2 * PG);
	CHECK(kmem_finish(&s));
}

KTEST(alloc_delete_returns_what_a_dataspace_charged_exactly)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, MICA_DS_PINNED, a));
	CHECK(used_is(s.root, MICA_OBJ_COST + PG + 4 * PG));
	CHECK_OK(kmem_create_ds(s.root, 5 * PG, MICA_DS_CONTIG, b));
	CHECK(used_is(s.root, 2 * MICA_OBJ_COST + 2 * PG + 9 * PG));
	CHECK_OK(mica_obj_delete(a));
	CHECK(used_is(s.root, MICA_OBJ_COST + PG + 5 * PG));
	CHECK_OK(mica_obj_delete(b));
	CHECK(used_is(s.root, 0));
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	CHECK(kmem_finish(&s));
}

KTEST(alloc_quota_exhaustion_leaves_nothing_half_made)
{
	struct kmem s;
	CHECK(kmem_start(&s, 16 * PG));
	mica_cap_t ds = ksel();
	/* Too big to pin or to make contiguous: nothing stays behind. */
	CHECK_ERR(kmem_create_ds(s.root, 16 * PG, MICA_DS_PINNED, ksel()), MICA_E_NO_MEMORY);
	CHECK_ERR(kmem_create_ds(s.root, 16 * PG, MICA_DS_CONTIG, ksel()), MICA_E_NO_MEMORY);
	CHECK_ERR(kmem_create_ds(s.root, 4ul << 20, MICA_DS_LARGE | MICA_DS_PINNED, ksel()),
		  MICA_E_NO_MEMORY);
	CHECK(used_is(s.root, 0));
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	/* Demand paging runs out at the last byte: object, table, 14 pages. */
	CHECK_OK(kmem_create_ds(s.root, 1ul << 20, 0, ds));
	for (unsigned i = 0; i < 14; i++)
		CHECK_OK(mica_ds_map(ds, i * PG, KALIAS + i * PG, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	CHECK(used_is(s.root, 16 * PG));
	CHECK_ERR(mica_ds_map(ds, 14 * PG, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0), MICA_E_NO_MEMORY);
	CHECK_ERR(kmem_create_ds(s.root, PG, 0, ksel()), MICA_E_NO_MEMORY);
	/* A page cleared is a page to use again. */
	CHECK_OK(mica_ds_clear(ds, 3 * PG, PG));
	CHECK_OK(mica_ds_map(ds, 14 * PG, KALIAS + 14 * PG, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	CHECK(used_is(s.root, 16 * PG));
	CHECK(kmem_finish(&s));
}

KTEST(alloc_sub_allocator_takes_its_quota_from_its_parent)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t sub = ksel();
	mica_word_t limit, used;
	CHECK_OK(kmem_create_alloc(s.root, 64 * PG, sub));
	CHECK(used_is(s.root, 64 * PG + MICA_OBJ_COST));
	CHECK_OK(mica_alloc_info(sub, &limit, &used));
	CHECK_EQ(limit, 64 * PG);
	CHECK_EQ(used, 0);
	/* Its own limit holds, whatever the parent has left. */
	CHECK_ERR(kmem_create_ds(sub, 64 * PG, MICA_DS_PINNED, ksel()), MICA_E_NO_MEMORY);
	CHECK_OK(kmem_create_ds(sub, 62 * PG, MICA_DS_PINNED, ksel()));
	CHECK(used_is(sub, 64 * PG));
	CHECK(used_is(s.root, 64 * PG + MICA_OBJ_COST));
	/* More than the parent has left, or a quota that overflows. */
	CHECK_ERR(kmem_create_alloc(s.root, 1 << 20, ksel()), MICA_E_NO_MEMORY);
	CHECK_ERR(kmem_create_alloc(s.root, ~0ul, ksel()), MICA_E_NO_MEMORY);
	CHECK_ERR(kmem_create_alloc(s.root, (1 << 20) - 64 * PG - MICA_OBJ_COST, ksel()), MICA_E_NO_MEMORY);
	CHECK_OK(kmem_create_alloc(s.root, (1 << 20) - 64 * PG - 2 * MICA_OBJ_COST, ksel()));
	CHECK(used_is(s.root, 1 << 20));
	CHECK(kmem_finish(&s));
}

KTEST(alloc_delete_frees_everything_it_made_recursively)
{
	struct kmem s;
	CHECK(kmem_start(&s, 4 << 20));
	mica_cap_t sub = ksel(), subsub = ksel(), ds = ksel(), ds2 = ksel(), c;
	CHECK_OK(kmem_create_alloc(s.root, 2 << 20, sub));
	CHECK_OK(kmem_create_alloc(sub, 1 << 20, subsub));
	CHECK_OK(kmem_create_ds(subsub, 64 * PG, 0, ds));
	CHECK_OK(kmem_create_ds(sub, 64 * PG, MICA_DS_CONTIG, ds2));
	mica_word_t pool = kmem_pool.used;
	/* A page of it mapped in another task. */
	CHECK(c = ktask_create());
	CHECK_OK(mica_ds_map(ds, 0, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	CHECK_OK(kmap(c, KTASK, KALIAS, KALIAS, 12, MICA_FPAGE_RW));
	*(volatile mica_word_t *)KALIAS = 3;
	mica_word_t v = 0;
	CHECK_EQ(kprobe(c, KALIAS, 0, &v), 0);
	CHECK_EQ(v, 3);
	CHECK(kmem_pool.used > pool);
	CHECK_OK(mica_obj_delete(sub));
	CHECK(used_is(s.root, 0));
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	CHECK(kprobe(c, KALIAS, 0, &v) & KPROBE_FAULT);
	mica_word_t a, b;
	CHECK_ERR(mica_alloc_info(sub, &a, &b), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_alloc_info(subsub, &a, &b), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_ds_info(ds, &a, &b), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_ds_info(ds2, &a, &b), MICA_E_INVALID_CAP);
	CHECK(kmem_finish(&s));
}

KTEST(alloc_deep_nesting_is_deleted_without_recursion)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t first = ksel(), a = first, next;
	mica_word_t quota = (1 << 20) - MICA_OBJ_COST;
	CHECK_OK(kmem_create_alloc(s.root, quota, a));
	for (unsigned i = 0; i < 60; i++) {
		quota -= MICA_OBJ_COST;
		CHECK_OK(kmem_create_alloc(a, quota, next = ksel()));
		a = next;
	}
	CHECK_OK(kmem_create_ds(a, 4 * PG, MICA_DS_PINNED, ksel()));
	CHECK(used_is(s.root, 1 << 20));
	CHECK_OK(mica_obj_delete(first));
	CHECK(used_is(s.root, 0));
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	CHECK(kmem_finish(&s));
}

KTEST(alloc_rights_are_checked_and_the_root_stays)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t sub = ksel();
	CHECK_OK(kmem_create_alloc(s.root, 8 * PG, sub));
	struct mica_srv_obj *o = kmem_made;
	mica_cap_t ro = kmem_cap(o, MICA_SRV_R_READ), rw = kmem_cap(o, MICA_SRV_R_READ | MICA_SRV_R_WRITE);
	CHECK(ro && rw);
	CHECK_ERR(kmem_create_ds(ro, PG, 0, ksel()), MICA_E_NO_RIGHTS);
	CHECK_ERR(kmem_create_alloc(ro, PG, ksel()), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_obj_delete(rw), MICA_E_NO_RIGHTS);
	CHECK_OK(kmem_create_ds(rw, PG, 0, ksel()));
	mica_word_t limit, used;
	CHECK_OK(mica_alloc_info(ro, &limit, &used));
	CHECK_EQ(used, MICA_OBJ_COST);
	/* The root's quota is the server's: no client deletes it. */
	CHECK_ERR(mica_obj_delete(s.root), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_obj_delete(sub));
	CHECK_ERR(mica_alloc_info(ro, &limit, &used), MICA_E_INVALID_CAP);
	CHECK(used_is(s.root, 0));
	CHECK(kmem_finish(&s));
}

KTEST(alloc_bad_create_requests_are_refused)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_word_t types[] = { MICA_OBJ_TASK, MICA_OBJ_FACTORY, 0, 0x103, 0x1ff, ~0ul };
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		mica_mr()[0] = types[i];
		mica_mr()[1] = PG;
		mica_mr()[2] = 0;
		CHECK_TAG_ERR(mica_call(s.root, MICA_FACTORY_CREATE, 3), MICA_E_BAD_ARG, 0);
	}
	/* No region maps in this server. */
	mica_mr()[0] = MICA_PROTO_REGION_MAP;
	CHECK_TAG_ERR(mica_call(s.root, MICA_FACTORY_CREATE, 1), MICA_E_BAD_ARG, 0);
	/* Dataspace sizes and flags. */
	mica_word_t sizes[] = { 0, 1, PG - 1, PG + 1, 1ul << 48, ~0ul - PG + 1 };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		CHECK_ERR(kmem_create_ds(s.root, sizes[i], 0, ksel()), MICA_E_BAD_ARG);
	CHECK_ERR(kmem_create_ds(s.root, PG, 8, ksel()), MICA_E_BAD_ARG);
	CHECK_ERR(kmem_create_ds(s.root, PG, ~0ul, ksel()), MICA_E_BAD_ARG);
	/* Short requests and unknown methods. */
	CHECK_TAG_ERR(mica_call(s.root, MICA_FACTORY_CREATE, 0), MICA_E_BAD_TAG, 0);
	mica_mr()[0] = MICA_PROTO_DATASPACE;
	CHECK_TAG_ERR(mica_call(s.root, MICA_FACTORY_CREATE, 2), MICA_E_BAD_TAG, 0);
	mica_mr()[0] = MICA_PROTO_ALLOCATOR;
	CHECK_TAG_ERR(mica_call(s.root, MICA_FACTORY_CREATE, 1), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_call(s.root, MICA_DS_CLEAR, 3), MICA_E_UNKNOWN_OP, 0);
	CHECK(used_is(s.root, 0));
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	CHECK(kmem_finish(&s));
}

/* In a child task: creates a dataspace of k->arg bytes from the
 * allocator at CHILD_ALLOC into k->cap, maps its first page and writes
 * k->arg2 there; out[0] = the create's error, out[1] = the map's. */
static void child_create(struct kthread *k)
{
	k->out[0] = (mica_word_t)kmem_create_ds(CHILD_ALLOC, k->arg, 0, k->cap);
	if (k->out[0] != MICA_OK)
		return;
	k->out[1] = (mica_word_t)mica_ds_map(k->cap, 0, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0);
	if (k->out[1] == MICA_OK)
		*(volatile mica_word_t *)KALIAS = k->arg2;
}

KTEST(alloc_clients_in_other_tasks_create_and_map)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t sub = ksel(), c;
	CHECK_OK(kmem_create_alloc(s.root, 4 * PG, sub));
	CHECK(c = ktask_create());
	CHECK_OK(kgive(c, sub, CHILD_ALLOC));
	struct kthread *k = kthread_new(c, child_create, 8 * PG);
	CHECK(k);
	k->arg2 = 0xabc;
	k->cap = CHILD_NEW;
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_OK(k->out[0]);
	CHECK_OK(k->out[1]);
	CHECK(used_is(sub, MICA_OBJ_COST + 2 * PG));
	mica_word_t v;
	CHECK_EQ(kprobe(c, KALIAS, 0, &v), 0);
	CHECK_EQ(v, 0xabc);
	/* Its quota ends where its allocator's does: room for the object,
	 * not for a page and its table. */
	k = kthread_new(c, child_create, PG);
	CHECK(k);
	k->cap = CHILD_NEW + 1;
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_OK(k->out[0]);
	CHECK_EQ(k->out[1], MICA_E_NO_MEMORY);
	CHECK(used_is(sub, 4 * PG));
	CHECK(kmem_finish(&s));
}
