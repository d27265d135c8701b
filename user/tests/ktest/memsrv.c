/* The memory server of the ds_, alloc_ and rm_ cases (memsrv.h). The pool
 * outlives the cases: sigma0 never takes RAM back, so it is obtained
 * once and reused, and each case checks it is back where it started. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica_srv.h>

#include <mica/rm.h>
#include <rm/rm.h>

#include "memsrv.h"

#define NSLOTS 128
#define NSELS 256
static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct mem_alloc root;
struct mem kmem_mem;
struct mem_pool kmem_pool;
static int pool_ready;
static struct mica_srv_obj *seen[NSLOTS]; /* the slots at the last look (created()) */
static uint32_t seen_gen[NSLOTS];
static int created(int e);

static void serve(struct kthread *k)
{
	k->out[0] = (mica_word_t)mica_srv_loop(&srv);
}

int kmem_start(struct kmem *s, mica_word_t quota)
{
	if (!pool_ready) {
		mem_pool_init(&kmem_pool, MICA_CAP_PAGER, KMEM_POOL, KMEM_POOL_LOG2);
		pool_ready = 1;
	}
	s->k = kthread_new(KTASK, serve, 0);
	if (!s->k)
		return 0;
	mica_cap_t g = ksel(), base = ksel();
	for (unsigned i = 1; i < NSELS; i++)
		ksel();
	if (mica_create_gate(KF, g, s->k->sel, 0) != MICA_OK)
		return 0;
	mica_srv_init(&srv, g, slots, gens, NSLOTS, base, sel_map, NSELS);
	if (mem_init(&kmem_mem, &srv, &kmem_pool, &root, quota) != MICA_OK)
		return 0;
	mem_rm_setup(&kmem_mem);
	if (mica_srv_cap(&srv, &root.o, MICA_SRV_RIGHTS, &s->root) != MICA_OK)
		return 0;
	s->pool_used0 = kmem_pool.used;
	created(MICA_E_BAD_ARG); /* the root is no new object */
	if (kthread_go(s->k) != MICA_OK)
		return 0;
	kyield();
	return 1;
}

int kmem_finish(struct kmem *s)
{
	mem_alloc_clear(&root);
	return kmem_pool.used == s->pool_used0 && root.used == 0;
}

struct mica_srv_obj *kmem_made;

mica_cap_t kmem_cap(struct mica_srv_obj *o, unsigned rights)
{
	mica_cap_t c;
	return o && mica_srv_cap(&srv, o, rights, &c) == MICA_OK ? c : 0;
}

/* Calls obj with op and u words in the MRs, with dst (if not 0) as the
 * object window for a created capability. */
static int call(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t dst)
{
	volatile mica_word_t *br = mica_utcb()->br;
	mica_word_t saved = br[MICA_BR_OBJ_WINDOW];
	if (dst)
		br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	int e = mica_error(mica_call(obj, op, u));
	br[MICA_BR_OBJ_WINDOW] = saved;
	return e;
}

/* The object a successful CREATE made: the slot filled since the last
 * look (the server runs only while its client waits). */
static int created(int e)
{
	for (unsigned i = 0; i < NSLOTS; i++) {
		if (e == MICA_OK && slots[i] && (slots[i] != seen[i] || gens[i] != seen_gen[i]))
			kmem_made = slots[i];
		seen[i] = slots[i];
		seen_gen[i] = gens[i];
	}
	return e;
}

int kmem_create_ds(mica_cap_t alloc, mica_word_t size, mica_word_t flags, mica_cap_t dst)
{
	mica_mr()[0] = MICA_PROTO_DATASPACE;
	mica_mr()[1] = size;
	mica_mr()[2] = flags;
	return created(call(alloc, MICA_FACTORY_CREATE, 3, dst));
}

int kmem_create_alloc(mica_cap_t alloc, mica_word_t quota, mica_cap_t dst)
{
	mica_mr()[0] = MICA_PROTO_ALLOCATOR;
	mica_mr()[1] = quota;
	return created(call(alloc, MICA_FACTORY_CREATE, 2, dst));
}

int kmem_info(mica_cap_t obj, mica_word_t *w0, mica_word_t *w1)
{
	int e = call(obj, MICA_FACTORY_INFO, 0, 0);
	*w0 = mica_mr()[0];
	*w1 = mica_mr()[1];
	return e;
}

int kmem_ds_info(mica_cap_t ds, mica_word_t *size, mica_word_t *flags)
{
	int e = call(ds, MICA_DS_INFO, 0, 0);
	*size = mica_mr()[0];
	*flags = mica_mr()[1];
	return e;
}

int kmem_delete(mica_cap_t obj)
{
	return call(obj, MICA_OBJ_DELETE, 0, 0);
}

int kmem_map(mica_cap_t ds, mica_word_t off, mica_word_t hot, mica_word_t rights, mica_word_t win,
	     unsigned win_log2, mica_word_t *fpage)
{
	volatile mica_word_t *br = mica_utcb()->br;
	mica_word_t saved = br[MICA_BR_MEM_WINDOW];
	br[MICA_BR_MEM_WINDOW] = mica_fpage_mem(win, win_log2, MICA_FPAGE_RWX);
	mica_mr()[0] = off;
	mica_mr()[1] = hot;
	mica_mr()[2] = rights;
	mica_msgtag_t t = mica_call(ds, MICA_DS_MAP, 3);
	br[MICA_BR_MEM_WINDOW] = saved;
	if (fpage)
		*fpage = mica_msgtag_t_items(t) ? mica_mr()[1] : 0;
	return mica_error(t);
}

int kmem_clear(mica_cap_t ds, mica_word_t off, mica_word_t size)
{
	mica_mr()[0] = off;
	mica_mr()[1] = size;
	return call(ds, MICA_DS_CLEAR, 2, 0);
}

int kmem_phys(mica_cap_t ds, mica_word_t off, mica_word_t *pa, mica_word_t *bytes)
{
	mica_mr()[0] = off;
	int e = call(ds, MICA_DS_PHYS, 1, 0);
	*pa = mica_mr()[0];
	*bytes = mica_mr()[1];
	return e;
}

int kmem_copy_in(mica_cap_t dst, mica_word_t doff, mica_cap_t src, mica_word_t soff, mica_word_t size)
{
	mica_mr()[0] = doff;
	mica_mr()[1] = soff;
	mica_mr()[2] = size;
	mica_mr()[3] = mica_item_unit(0, MICA_ITEM_MAP);
	mica_mr()[4] = mica_fpage_obj(src, 0, MICA_RIGHTS_ALL);
	return mica_error(mica_ipc(dst, mica_msgtag(MICA_DS_COPY_IN, 3, 2, 0), MICA_IPC_CALL, 0, 0, 0));
}

/* Calls obj with op, u words in the MRs and one object item: cap (0:
 * none), with dst (if not 0) as the window for a capability answered. */
static mica_msgtag_t call_item(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t cap, mica_cap_t dst)
{
	volatile mica_word_t *br = mica_utcb()->br;
	mica_word_t saved = br[MICA_BR_OBJ_WINDOW];
	unsigned t = 0;
	if (dst)
		br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	if (cap) {
		mica_mr()[u] = mica_item_unit(0, MICA_ITEM_MAP);
		mica_mr()[u + 1] = mica_fpage_obj(cap, 0, MICA_RIGHTS_ALL);
		t = MICA_ITEM_WORDS;
	}
	mica_msgtag_t tag = mica_ipc(obj, mica_msgtag(op, u, t, 0), MICA_IPC_CALL, 0, 0, 0);
	br[MICA_BR_OBJ_WINDOW] = saved;
	return tag;
}

int kmem_create_rm(mica_cap_t alloc, mica_cap_t task, mica_cap_t dst)
{
	mica_mr()[0] = MICA_PROTO_REGION_MAP;
	return created(mica_error(call_item(alloc, MICA_FACTORY_CREATE, 1, task, dst)));
}

int kmem_rm_attach(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t off, mica_word_t flags,
		   mica_cap_t ds)
{
	mica_word_t *mr = mica_mr();
	mr[0] = *addr;
	mr[1] = size;
	mr[2] = off;
	mr[3] = flags;
	int e = mica_error(call_item(rm, MICA_RM_ATTACH, 4, ds, 0));
	if (e == MICA_OK)
		*addr = mr[0];
	return e;
}

int kmem_rm_detach(mica_cap_t rm, mica_word_t addr, mica_word_t *start, mica_word_t *size)
{
	mica_mr()[0] = addr;
	int e = call(rm, MICA_RM_DETACH, 1, 0);
	if (start)
		*start = mica_mr()[0];
	if (size)
		*size = mica_mr()[1];
	return e;
}

int kmem_rm_reserve(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t flags)
{
	mica_word_t *mr = mica_mr();
	mr[0] = *addr;
	mr[1] = size;
	mr[2] = flags;
	int e = call(rm, MICA_RM_RESERVE, 3, 0);
	if (e == MICA_OK)
		*addr = mr[0];
	return e;
}

int kmem_rm_find(mica_cap_t rm, mica_word_t addr, mica_word_t out[4])
{
	mica_mr()[0] = addr;
	int e = call(rm, MICA_RM_FIND, 1, 0);
	for (unsigned i = 0; i < 4; i++)
		out[i] = mica_mr()[i];
	return e;
}
