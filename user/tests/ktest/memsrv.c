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
	return created(mica_alloc_ds(alloc, size, flags, dst));
}

int kmem_create_alloc(mica_cap_t alloc, mica_word_t quota, mica_cap_t dst)
{
	return created(mica_alloc_sub(alloc, quota, dst));
}

int kmem_create_rm(mica_cap_t alloc, mica_cap_t task, mica_cap_t dst)
{
	return created(mica_alloc_rm(alloc, task, dst));
}
