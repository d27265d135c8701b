/* Region maps (user/services/rm, mica/rm.h): a child task whose pager is
 * the map gets demand-zero pages, loses them at detach, and faults that
 * no region answers reach its exception handler (here) as vector 14 with
 * the address and IP; 2 MiB pages, SEARCH, RESERVE, FIND, rights, bad
 * arguments, quotas, deleted dataspaces and the map's delete. The server
 * runs in this task; every case ends with the pool back where it
 * started. Whether the child has a mapping is seen with kprobe, whose
 * thread has no region-map pager: it faults where nothing is mapped. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/rm.h>
#include <rm/rm.h>

#include "mem.h"
#include "memsrv.h"

#define PG 4096ul
#define PAGE_WORDS 512ul
#define LARGE (2ul << 20)
#define CHILD_RM 0x250			    /* the child's pager: the map */
#define R0 0x100000000ul		    /* where the cases attach in the child */
#define R1 0x200000000ul		    /* and reserve */
#define EXC_WAIT MICA_TIMEOUT_REL(1000, 20) /* about a second */
#define RW (MICA_FPAGE_R | MICA_FPAGE_W)

struct rmt {
	struct kmem s;
	mica_cap_t task;	/* the child */
	mica_cap_t rm;		/* its map, every right */
	struct mem_rm *map;	/* the same, in the server */
	mica_cap_t exc, exc_in; /* its exception handler's gate, here and in it */
};

/* A server, a child task, its map (made in alloc, 0: the root) and a
 * pager capability to it in the child with rights. */
static int rmt_start(struct rmt *t, mica_word_t quota, unsigned rights)
{
	if (!kmem_start(&t->s, quota) || !(t->task = ktask_create()))
		return 0;
	t->rm = ksel();
	if (kmem_create_rm(t->s.root, t->task, t->rm) != MICA_OK || !(t->map = mem_rm_of(kmem_made)))
		return 0;
	return kgate_for(t->task, &t->exc, &t->exc_in) == MICA_OK &&
	       kgive(t->task, kmem_cap(mem_rm_obj(t->map), rights), CHILD_RM) == MICA_OK;
}

static mica_word_t used_of(mica_cap_t alloc)
{
	mica_word_t limit, used;
	return mica_alloc_info(alloc, &limit, &used) == MICA_OK ? used : ~0ul;
}

/* A new dataspace of root's at a fresh selector, or 0. */
static mica_cap_t new_ds(struct rmt *t, mica_word_t size, mica_word_t flags)
{
	mica_cap_t ds = ksel();
	return kmem_create_ds(t->s.root, size, flags, ds) == MICA_OK ? ds : 0;
}

/* In the child: reads out[1] pages from k->arg on, one word a page, and
 * (k->arg2 not 0) writes arg2 + i to page i; out[2] = the words read
 * or-ed together. */
static void toucher(struct kthread *k)
{
	volatile mica_word_t *p = (volatile mica_word_t *)k->arg;
	mica_word_t seen = 0;
	for (mica_word_t i = 0; i < k->out[1]; i++) {
		seen |= p[i * PAGE_WORDS];
		if (k->arg2)
			p[i * PAGE_WORDS] = k->arg2 + i;
	}
	k->out[2] = seen;
}

/* In the child: one load from (store to) k->arg at a known IP. */
extern const char rm_load_ip[], rm_store_ip[];
static void __attribute__((noinline)) loader(struct kthread *k)
{
	mica_word_t v;
	__asm__ volatile(".globl rm_load_ip\nrm_load_ip: movq (%1), %0" : "=r"(v) : "r"(k->arg) : "memory");
	k->out[2] = v;
}
static void __attribute__((noinline)) storer(struct kthread *k)
{
	__asm__ volatile(".globl rm_store_ip\nrm_store_ip: movq %1, (%0)"
			 :
			 : "r"(k->arg), "r"(k->arg2)
			 : "memory");
}

/* A thread of the child running fn(arg) with the map as its pager; its
 * exceptions come here. */
static struct kthread *child(struct rmt *t, void (*fn)(struct kthread *), mica_word_t arg, mica_word_t pages,
			     mica_word_t value)
{
	struct kthread *k = kthread_new(t->task, fn, arg);
	if (!k)
		return 0;
	k->arg2 = value;
	k->out[1] = pages;
	if (mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, CHILD_RM,
				t->exc_in) != MICA_OK ||
	    kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

/* The child's next exception: its vector (-1 if none came), *addr, *ip
 * and *err; it is refused, so the thread stops. */
static long exception_of(struct rmt *t, mica_word_t *addr, mica_word_t *ip, mica_word_t *err)
{
	mica_word_t label;
	mica_msgtag_t tag = mica_wait(t->exc, EXC_WAIT, &label);
	if (mica_msgtag_is_error(tag) || mica_msgtag_label(tag) != MICA_LABEL_EXCEPTION)
		return -1;
	mica_word_t *mr = mica_mr(), vector = mr[MICA_EXC_VECTOR];
	*addr = mr[MICA_EXC_ADDR];
	*ip = mr[MICA_EXC_IP];
	*err = mr[MICA_EXC_ERROR];
	mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	return (long)vector;
}

static mica_word_t state_of(struct kthread *k)
{
	mica_word_t info[5] = { 99 };
	mica_thread_info(k->sel, info);
	return info[0];
}

/* Whether a load at addr by the child faults ending in its exception
 * handler with vector 14, the address and the load's IP. */
static int load_faults(struct rmt *t, mica_word_t addr)
{
	mica_word_t a, ip, err;
	struct kthread *k = child(t, loader, addr, 0, 0);
	return k && exception_of(t, &a, &ip, &err) == 14 && a == addr && ip == (mica_word_t)rm_load_ip &&
	       !k->done && state_of(k) == MICA_THREAD_DEAD;
}

KTEST(rm_demand_zero_pages_in_child)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	CHECK_EQ(used_of(t.s.root), MICA_OBJ_COST);
	mica_cap_t ds = new_ds(&t, 8 * PG, 0);
	CHECK(ds);
	mica_word_t at = R0;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	CHECK_EQ(at, R0);
	struct kthread *k = child(&t, toucher, R0 + PG, 3, 0x5000);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0); /* zero-filled */
	/* three pages and the dataspace's table, the map and the dataspace */
	CHECK_EQ(used_of(t.s.root), 2 * MICA_OBJ_COST + 4 * PG);
	/* the mappings stay: read without a pager */
	mica_word_t v = 0;
	CHECK_OK(kprobe(t.task, R0 + 3 * PG, 0, &v));
	CHECK_EQ(v, 0x5002);
	CHECK_EQ(kprobe(t.task, R0, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* the dataspace holds what the child wrote */
	CHECK_OK(mica_ds_map(ds, 2 * PG, KALIAS, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0));
	CHECK_EQ(*(volatile mica_word_t *)KALIAS, 0x5001);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_detach_unmaps_from_the_task)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 4 * PG, 0);
	CHECK(ds);
	mica_word_t at = R0, start, size, v = 0;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	struct kthread *k = child(&t, toucher, R0, 2, 0x7000);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_OK(kprobe(t.task, R0 + PG, 0, &v));
	CHECK_EQ(v, 0x7001);
	CHECK_OK(mica_rm_detach(t.rm, R0 + 3 * PG + 8, &start, &size));
	CHECK_EQ(start, R0);
	CHECK_EQ(size, 4 * PG);
	CHECK_EQ(kprobe(t.task, R0, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t.task, R0 + PG, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* the child faults again: no region there now */
	CHECK(load_faults(&t, R0 + PG));
	/* attached elsewhere, the same memory faults in there */
	at = R0 + 64 * PG;
	CHECK_OK(mica_rm_attach(t.rm, &at, 2 * PG, PG, MICA_FPAGE_R, ds));
	k = child(&t, toucher, at, 2, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x7001);
	CHECK_ERR(mica_rm_detach(t.rm, R0, 0, 0), MICA_E_BAD_ARG);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_fault_outside_regions_is_exception)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 4 * PG, 0);
	CHECK(ds);
	mica_word_t at = R0;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	/* just past the region, below it, and in a reserved area's hole */
	CHECK(load_faults(&t, R0 + 4 * PG + 0x18));
	CHECK(load_faults(&t, R0 - 8));
	at = R1;
	CHECK_OK(mica_rm_reserve(t.rm, &at, 16 * PG, 0));
	CHECK(load_faults(&t, R1 + PG));
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_write_to_read_only_region_is_exception)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 4 * PG, 0);
	CHECK(ds);
	mica_word_t at = R0, a, ip, err;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, MICA_FPAGE_R, ds));
	struct kthread *k = child(&t, toucher, R0, 1, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	/* the page is there, read-only: the write faults present */
	k = child(&t, storer, R0 + 16, 0, 0x1234);
	CHECK(k);
	CHECK_EQ(exception_of(&t, &a, &ip, &err), 14);
	CHECK_EQ(a, R0 + 16);
	CHECK_EQ(ip, (mica_word_t)rm_store_ip);
	CHECK_EQ(err & 7, 7); /* present, write, user */
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
	/* a write first, to a page not yet mapped, likewise */
	k = child(&t, storer, R0 + 2 * PG, 0, 0x1234);
	CHECK(k);
	CHECK_EQ(exception_of(&t, &a, &ip, &err), 14);
	CHECK_EQ(a, R0 + 2 * PG);
	CHECK_EQ(err & 7, 6); /* not present, write, user */
	CHECK_EQ(kprobe(t.task, R0 + 2 * PG, 0, &a), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_large_pages_where_aligned)
{
	struct rmt t;
	CHECK(rmt_start(&t, 16 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 2 * LARGE, MICA_DS_LARGE);
	CHECK(ds);
	mica_word_t at = R0, v = 1;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	struct kthread *k = child(&t, toucher, R0 + LARGE + 5 * PG, 1, 0x99);
	CHECK(k);
	CHECK(KWAIT(k));
	/* one 2 MiB mapping: its last word is there without a fault */
	CHECK_OK(kprobe(t.task, R0 + 2 * LARGE - 8, 0, &v));
	CHECK_EQ(v, 0);
	CHECK_OK(kprobe(t.task, R0 + LARGE + 5 * PG, 0, &v));
	CHECK_EQ(v, 0x99);
	CHECK_EQ(kprobe(t.task, R0 + 8, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* the same block where the address disagrees with the offset modulo
	 * 2 MiB, and where the region holds half of it: 4 KiB pages */
	at = R1 + PG;
	CHECK_OK(mica_rm_attach(t.rm, &at, LARGE, LARGE, RW, ds));
	k = child(&t, toucher, R1 + PG + 5 * PG, 1, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x99);
	CHECK_EQ(kprobe(t.task, R1 + PG + 6 * PG, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	at = R1 + 4 * LARGE;
	CHECK_OK(mica_rm_attach(t.rm, &at, LARGE / 2, LARGE, RW, ds));
	k = child(&t, toucher, at + 5 * PG, 1, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x99);
	CHECK_EQ(kprobe(t.task, at + 6 * PG, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* SEARCH puts a large region where 2 MiB pages fit */
	at = R0;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW | MICA_RM_SEARCH, ds));
	CHECK_EQ(at % LARGE, 0);
	CHECK(at >= R0 + 2 * LARGE);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_reserve_search_and_find)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 16 * PG, 0);
	CHECK(ds);
	mica_word_t at = R1, w[4];
	CHECK_OK(mica_rm_reserve(t.rm, &at, 16 * PG, 0));
	CHECK_EQ(at, R1);
	at = R1;
	CHECK_ERR(mica_rm_reserve(t.rm, &at, PG, 0), MICA_E_EXISTS);
	CHECK_OK(mica_rm_reserve(t.rm, &at, PG, MICA_RM_SEARCH));
	CHECK_EQ(at, R1 + 16 * PG);
	/* only IN_AREA attaches land in an area */
	at = R1 + PG;
	CHECK_ERR(mica_rm_attach(t.rm, &at, 4 * PG, 0, RW, ds), MICA_E_EXISTS);
	CHECK_OK(mica_rm_attach(t.rm, &at, 4 * PG, 2 * PG, RW | MICA_RM_IN_AREA, ds));
	CHECK_OK(mica_rm_find(t.rm, R1 + 3 * PG + 5, w));
	CHECK_EQ(w[0], R1 + PG);
	CHECK_EQ(w[1], 4 * PG);
	CHECK_EQ(w[2], 2 * PG);
	CHECK_EQ(w[3], RW);
	at = R1;
	CHECK_OK(mica_rm_attach(t.rm, &at, 4 * PG, 0, RW | MICA_RM_IN_AREA | MICA_RM_SEARCH, ds));
	CHECK_EQ(at, R1 + 5 * PG);
	at = R1;
	CHECK_ERR(mica_rm_attach(t.rm, &at, 8 * PG, 0, RW | MICA_RM_IN_AREA | MICA_RM_SEARCH, ds),
		  MICA_E_NO_MEMORY);
	at = R1 + 14 * PG;
	CHECK_ERR(mica_rm_attach(t.rm, &at, 4 * PG, 0, RW | MICA_RM_IN_AREA, ds), MICA_E_BAD_ARG);
	at = R0;
	CHECK_ERR(mica_rm_attach(t.rm, &at, PG, 0, RW | MICA_RM_IN_AREA, ds), MICA_E_BAD_ARG);
	/* SEARCH outside areas skips them and the regions */
	at = R1 - 2 * PG;
	CHECK_OK(mica_rm_attach(t.rm, &at, 4 * PG, 0, RW | MICA_RM_SEARCH, ds));
	CHECK_EQ(at, R1 + 17 * PG);
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW | MICA_RM_SEARCH, ds));
	CHECK_EQ(at, R1 + 21 * PG);
	/* overlaps */
	at = R1 + 20 * PG;
	CHECK_ERR(mica_rm_attach(t.rm, &at, 2 * PG, 0, RW, ds), MICA_E_EXISTS);
	CHECK_ERR(mica_rm_reserve(t.rm, &at, 2 * PG, 0), MICA_E_EXISTS);
	CHECK_ERR(mica_rm_find(t.rm, R1, w), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_find(t.rm, R1 + 37 * PG, w), MICA_E_BAD_ARG);
	/* an area goes with DETACH once empty */
	CHECK_ERR(mica_rm_detach(t.rm, R1, 0, 0), MICA_E_EXISTS);
	CHECK_OK(mica_rm_detach(t.rm, R1 + PG, 0, 0));
	CHECK_OK(mica_rm_detach(t.rm, R1 + 5 * PG, 0, 0));
	mica_word_t start, size;
	CHECK_OK(mica_rm_detach(t.rm, R1, &start, &size));
	CHECK_EQ(start, R1);
	CHECK_EQ(size, 16 * PG);
	CHECK_ERR(mica_rm_detach(t.rm, R1, 0, 0), MICA_E_BAD_ARG);
	at = R1;
	CHECK_OK(mica_rm_attach(t.rm, &at, PG, 0, RW, ds));
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_bad_arguments)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 16 * PG, 0);
	CHECK(ds);
	mica_word_t used = used_of(t.s.root);
	struct {
		mica_word_t addr, size, off, flags;
	} bad[] = {
		{ R0 + 8, PG, 0, RW },		       /* unaligned address */
		{ R0, PG + 8, 0, RW },		       /* unaligned size */
		{ R0, PG, 8, RW },		       /* unaligned offset */
		{ R0, PG, 16 * PG, RW },	       /* offset at the end */
		{ R0, 2 * PG, 15 * PG, RW },	       /* past the end */
		{ R0, ~0ul & ~(PG - 1), 2 * PG, RW },  /* offset + size wraps */
		{ R0, 0, ~0ul & ~(PG - 1), RW },       /* huge offset */
		{ 0, PG, 0, RW },		       /* page 0 */
		{ MICA_USER_END - PG, 2 * PG, 0, RW }, /* past the user range */
		{ 0xffff800000000000ul, PG, 0, RW },   /* the kernel's half */
		{ ~0ul & ~(PG - 1), 2 * PG, 0, RW },   /* wraps */
		{ R0, PG, 0, MICA_FPAGE_W },	       /* no R */
		{ R0, PG, 0, RW | (1ul << 20) },       /* unknown flag */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mica_word_t at = bad[i].addr;
		CHECK_ERR(mica_rm_attach(t.rm, &at, bad[i].size, bad[i].off, bad[i].flags, ds),
			  MICA_E_BAD_ARG);
	}
	mica_word_t at = R0;
	/* no dataspace, or an object that is none */
	CHECK_ERR(mica_rm_attach(t.rm, &at, PG, 0, RW, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_attach(t.rm, &at, PG, 0, RW, t.s.root), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_attach(t.rm, &at, PG, 0, RW, t.rm), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_reserve(t.rm, &at, 0, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_reserve(t.rm, &at, PG, MICA_FPAGE_R), MICA_E_BAD_ARG);
	at = R0 + 8;
	CHECK_ERR(mica_rm_reserve(t.rm, &at, PG, 0), MICA_E_BAD_ARG);
	at = MICA_USER_END;
	CHECK_ERR(mica_rm_reserve(t.rm, &at, PG, 0), MICA_E_BAD_ARG);
	/* a search with no room */
	at = MICA_USER_END - PG;
	CHECK_ERR(mica_rm_attach(t.rm, &at, 2 * PG, 0, RW | MICA_RM_SEARCH, ds), MICA_E_NO_MEMORY);
	/* too few words */
	mica_mr()[0] = R0;
	CHECK_ERR(mica_error(mica_call(t.rm, MICA_RM_ATTACH, 3)), MICA_E_BAD_TAG);
	CHECK_ERR(mica_error(mica_call(t.rm, 99, 3)), MICA_E_UNKNOWN_OP);
	mica_word_t w[4];
	CHECK_ERR(mica_rm_find(t.rm, R0, w), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_detach(t.rm, R0, 0, 0), MICA_E_BAD_ARG);
	CHECK_EQ(used_of(t.s.root), used);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_rights)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_RM_R_READ | MICA_RM_R_WRITE));
	mica_cap_t ds = new_ds(&t, 4 * PG, 0);
	CHECK(ds);
	struct mica_srv_obj *dso = kmem_made;
	mica_cap_t ro = kmem_cap(dso, MICA_DS_R_READ), none = kmem_cap(dso, MICA_DS_R_CONTROL);
	mica_word_t at = R0;
	/* never more than the dataspace capability allows */
	CHECK_ERR(mica_rm_attach(t.rm, &at, PG, 0, RW, ro), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_rm_attach(t.rm, &at, PG, 0, MICA_FPAGE_R, none), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_rm_attach(t.rm, &at, PG, 0, MICA_FPAGE_RX, ro));
	/* the map's own rights: READ finds, WRITE changes, CONTROL pages */
	mica_cap_t rd = kmem_cap(mem_rm_obj(t.map), MICA_RM_R_READ);
	mica_word_t w[4];
	CHECK_OK(mica_rm_find(rd, R0, w));
	CHECK_EQ(w[3], MICA_FPAGE_RX);
	at = R0 + PG;
	CHECK_ERR(mica_rm_attach(rd, &at, PG, 0, RW, ds), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_rm_detach(rd, R0, 0, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_rm_reserve(rd, &at, PG, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_obj_delete(kmem_cap(mem_rm_obj(t.map), MICA_RM_R_READ | MICA_RM_R_WRITE)),
		  MICA_E_NO_RIGHTS);
	/* a pager capability without CONTROL: the fault is refused */
	CHECK(load_faults(&t, R0));
	/* CREATE needs a task capability with WRITE */
	mica_cap_t weak = ksel(), rm = ksel();
	CHECK_OK(mica_cap_copy(KTASK, t.task, weak, MICA_TASK_R_READ, 0));
	CHECK_ERR(kmem_create_rm(t.s.root, weak, rm), MICA_E_NO_RIGHTS);
	CHECK_ERR(kmem_create_rm(t.s.root, t.exc, rm), MICA_E_BAD_ARG);
	CHECK_ERR(kmem_create_rm(t.s.root, 0, rm), MICA_E_BAD_ARG);
	CHECK_ERR(kmem_create_rm(kmem_cap(&kmem_mem.root->o, MICA_SRV_R_READ), t.task, rm), MICA_E_NO_RIGHTS);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_quota_exhaustion_leaves_nothing_half_made)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t sub = ksel(), rm = ksel(), ds = new_ds(&t, 8 * PG, 0);
	CHECK(ds);
	CHECK_OK(kmem_create_alloc(t.s.root, 2 * MICA_OBJ_COST, sub));
	/* no room for the map */
	mica_cap_t sub0 = ksel();
	CHECK_OK(kmem_create_alloc(t.s.root, MICA_OBJ_COST / 2, sub0));
	CHECK_ERR(kmem_create_rm(sub0, t.task, rm), MICA_E_NO_MEMORY);
	CHECK_EQ(used_of(sub0), 0);
	/* the map and one extra page of nodes, then no more */
	CHECK_OK(kmem_create_rm(sub, t.task, rm));
	CHECK_EQ(used_of(sub), MICA_OBJ_COST);
	mica_word_t n = 0;
	int e;
	for (;;) {
		mica_word_t at = R0 + n * 2 * PG;
		if ((e = mica_rm_attach(rm, &at, PG, 0, RW, ds)) != MICA_OK)
			break;
		n++;
	}
	CHECK_ERR(e, MICA_E_NO_MEMORY);
	CHECK(n > 100);
	CHECK_EQ(used_of(sub), 2 * MICA_OBJ_COST);
	mica_word_t w[4], at = R1;
	CHECK_ERR(mica_rm_find(rm, R0 + n * 2 * PG, w), MICA_E_BAD_ARG);
	CHECK_ERR(mica_rm_reserve(rm, &at, PG, 0), MICA_E_NO_MEMORY);
	CHECK_OK(mica_rm_find(rm, R0 + (n - 1) * 2 * PG, w));
	/* every node back: the extra page goes with the last of its nodes */
	for (mica_word_t i = 0; i < n; i++)
		CHECK_OK(mica_rm_detach(rm, R0 + i * 2 * PG, 0, 0));
	CHECK_EQ(used_of(sub), MICA_OBJ_COST);
	/* EAGER that runs out of memory part-way: no region, nothing mapped */
	mica_word_t before = used_of(t.s.root);
	mica_cap_t sub2 = ksel(), rm2 = ksel(), ds2 = ksel();
	CHECK_OK(kmem_create_alloc(t.s.root, 2 * MICA_OBJ_COST + 4 * PG, sub2));
	CHECK_OK(kmem_create_ds(sub2, 8 * PG, 0, ds2));
	CHECK_OK(kmem_create_rm(sub2, t.task, rm2));
	at = R1;
	CHECK_ERR(mica_rm_attach(rm2, &at, 0, 0, RW | MICA_RM_EAGER, ds2), MICA_E_NO_MEMORY);
	CHECK_ERR(mica_rm_find(rm2, R1, w), MICA_E_BAD_ARG);
	mica_word_t v;
	CHECK_EQ(kprobe(t.task, R1, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_OK(mica_obj_delete(ds2));
	CHECK_EQ(used_of(sub2), MICA_OBJ_COST);
	CHECK_OK(mica_obj_delete(sub2));
	CHECK_EQ(used_of(t.s.root), before);
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_deleted_dataspace_faults_are_errors)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 4 * PG, 0);
	CHECK(ds);
	mica_word_t at = R0, v, w[4];
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	struct kthread *k = child(&t, toucher, R0, 2, 0x42);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_OK(mica_obj_delete(ds));
	/* its memory left the child at once; the region stays, faulting */
	CHECK_EQ(kprobe(t.task, R0, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK(load_faults(&t, R0));
	CHECK(load_faults(&t, R0 + 3 * PG));
	CHECK_OK(mica_rm_find(t.rm, R0, w));
	CHECK_EQ(used_of(t.s.root), MICA_OBJ_COST);
	/* EAGER of it is impossible now, detach works */
	CHECK_OK(mica_rm_detach(t.rm, R0, 0, 0));
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_delete_unmaps_and_returns_everything)
{
	struct rmt t;
	CHECK(rmt_start(&t, 16 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 2 * LARGE, MICA_DS_LARGE);
	CHECK(ds);
	mica_word_t at = R0, v, w[4];
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	at = R1;
	CHECK_OK(mica_rm_attach(t.rm, &at, 4 * PG, 0, RW, ds));
	at = R1 + LARGE;
	CHECK_OK(mica_rm_reserve(t.rm, &at, LARGE, 0));
	for (unsigned i = 0; i < 100; i++) {
		at = R1 + 2 * LARGE + i * PG;
		CHECK_OK(mica_rm_attach(t.rm, &at, PG, 0, MICA_FPAGE_R, ds));
	}
	struct kthread *k = child(&t, toucher, R0, 2, 0x77);
	CHECK(k);
	CHECK(KWAIT(k));
	k = child(&t, toucher, R1, 4, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_OK(kprobe(t.task, R1 + 3 * PG, 0, &v));
	mica_word_t ds_used = used_of(t.s.root) - 2 * MICA_OBJ_COST; /* the map's extra node page */
	CHECK_OK(mica_obj_delete(t.rm));
	CHECK_EQ(used_of(t.s.root), ds_used);
	CHECK_EQ(kprobe(t.task, R0, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t.task, R1 + 3 * PG, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_ERR(mica_rm_find(t.rm, R0, w), MICA_E_INVALID_CAP);
	/* a map goes with the allocator that made it */
	mica_cap_t sub = ksel(), rm = ksel();
	CHECK_OK(kmem_create_alloc(t.s.root, 4 * MICA_OBJ_COST, sub));
	CHECK_OK(kmem_create_rm(sub, t.task, rm));
	at = R0;
	CHECK_OK(mica_rm_attach(rm, &at, 0, 0, RW | MICA_RM_EAGER, ds));
	CHECK_OK(kprobe(t.task, R0 + 8, 0, &v));
	CHECK_OK(mica_obj_delete(sub));
	CHECK_EQ(kprobe(t.task, R0 + 8, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(used_of(t.s.root), ds_used + LARGE); /* EAGER backed the second block */
	CHECK(kmem_finish(&t.s));
}

KTEST(rm_eager_maps_at_attach)
{
	struct rmt t;
	CHECK(rmt_start(&t, 16 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, 2 * LARGE + 4 * PG, MICA_DS_LARGE);
	CHECK(ds);
	mica_word_t at = R0, v = 1;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, MICA_FPAGE_R | MICA_RM_EAGER, ds));
	/* every page there without a fault: 2 MiB ones and the 4 KiB tail */
	CHECK_OK(kprobe(t.task, R0, 0, &v));
	CHECK_EQ(v, 0);
	CHECK_OK(kprobe(t.task, R0 + LARGE + 8, 0, &v));
	CHECK_OK(kprobe(t.task, R0 + 2 * LARGE + 3 * PG, 0, &v));
	/* read-only as attached */
	v = 5;
	CHECK_EQ(kprobe(t.task, R0 + 8, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(used_of(t.s.root), 2 * MICA_OBJ_COST + 2 * LARGE + 4 * PG + 2 * PG);
	CHECK(kmem_finish(&t.s));
}

/* A map owns the task capability it was created with, in a selector of
 * the server's: each create, refused or not, and each delete gives that
 * selector back. Found by the protocol fuzzer: every map cost the server
 * a selector for good, so after some hundred the server could mint no
 * capability at all. More rounds than the server has selectors (256). */
KTEST(rm_create_and_delete_give_the_task_selector_back)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t task = ktask_create(), ro = ksel(), rm = ksel();
	CHECK(task);
	CHECK_OK(mica_cap_copy(MICA_CAP_TASK, task, ro, MICA_TASK_R_READ, 0));
	for (unsigned i = 0; i < 300; i++) {
		CHECK_OK(kmem_create_rm(s.root, task, rm));
		CHECK_OK(mica_obj_delete(rm));
		CHECK_ERR(kmem_create_rm(s.root, ro, rm), MICA_E_NO_RIGHTS);
		CHECK_ERR(kmem_create_rm(s.root, MICA_CAP_VCON, rm), MICA_E_BAD_ARG);
	}
	CHECK(kmem_finish(&s));
}

/* A fault answer the kernel cannot map (a 2 MiB page over the child's
 * UTCB area, which the kernel keeps) becomes the child's exception, and
 * the server goes on serving. */
KTEST(rm_unmappable_answer_is_exception_server_goes_on)
{
	struct rmt t;
	CHECK(rmt_start(&t, 16 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, LARGE, MICA_DS_LARGE);
	CHECK(ds);
	mica_word_t at = KCHILD_UTCB, w[4];
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	CHECK(load_faults(&t, KCHILD_UTCB + LARGE / 2));
	CHECK_OK(mica_rm_find(t.rm, KCHILD_UTCB, w));
	/* EAGER of it fails the same way (the kernel's error for the map),
	 * and leaves nothing */
	CHECK_OK(mica_rm_detach(t.rm, KCHILD_UTCB, 0, 0));
	CHECK(mica_rm_attach(t.rm, &at, 0, 0, RW | MICA_RM_EAGER, ds) != MICA_OK); /* the map's error */
	CHECK_ERR(mica_rm_find(t.rm, KCHILD_UTCB, w), MICA_E_BAD_ARG);
	CHECK(kmem_finish(&t.s));
}

/* In the child: calls the code at k->arg. */
static void caller(struct kthread *k)
{
	((void (*)(void))k->arg)();
	k->out[2] = 1;
}

/* X is a right of its own: code in an RX region runs, in an R or RW one
 * the fetch faults (present, execute) into the exception handler. */
KTEST(rm_execute_needs_x)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t ds = new_ds(&t, PG, 0);
	CHECK(ds);
	CHECK_OK(mica_ds_map(ds, 0, KALIAS, RW, KALIAS, KALIAS_LOG2, 0));
	*(volatile uint8_t *)KALIAS = 0xc3; /* ret */
	mica_word_t at = R0, a, ip, err;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, MICA_FPAGE_RX, ds));
	struct kthread *k = child(&t, caller, R0, 0, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 1);
	at = R1;
	CHECK_OK(mica_rm_attach(t.rm, &at, 0, 0, RW, ds));
	k = child(&t, toucher, R1, 1, 0); /* mapped RW first: the fetch finds it present */
	CHECK(k);
	CHECK(KWAIT(k));
	k = child(&t, caller, R1, 0, 0);
	CHECK(k);
	CHECK_EQ(exception_of(&t, &a, &ip, &err), 14);
	CHECK_EQ(a, R1);
	CHECK_EQ(ip, R1);
	CHECK_EQ(err & 0x11, 0x11); /* present, instruction fetch */
	CHECK(!k->out[2]);
	CHECK(kmem_finish(&t.s));
}

/* Copy-on-write through the region map (a ds_cow_ case: it needs this
 * file's child with a map as its pager). A read fault of a shared page
 * maps it read-only though the region is writable; the write then
 * faults and gets a page of its own, the source keeps its bytes. */
KTEST(ds_cow_write_fault_through_a_region_map_breaks_the_sharing)
{
	struct rmt t;
	CHECK(rmt_start(&t, 1 << 20, MICA_SRV_RIGHTS));
	mica_cap_t a = new_ds(&t, 2 * PG, 0), b = new_ds(&t, 2 * PG, 0);
	CHECK(a && b);
	mica_word_t ra = R0, rb = R0 + 64 * PG, v = 0;
	CHECK_OK(mica_rm_attach(t.rm, &ra, 0, 0, RW, a));
	CHECK_OK(mica_rm_attach(t.rm, &rb, 0, 0, RW, b));
	/* c: a private page of the same pool chunk, written before and
	 * after. The revocation of W at the share and the unmap at a break
	 * reach every page of the server's 2 MiB pool mapping (the kernel
	 * revokes whole mappings), so c's page loses W too: its next write
	 * faults and the map gives W back. */
	mica_cap_t c = new_ds(&t, PG, 0);
	mica_word_t rc = R0 + 128 * PG;
	CHECK(c);
	CHECK_OK(mica_rm_attach(t.rm, &rc, 0, 0, RW, c));
	struct kthread *k = child(&t, toucher, rc, 1, 0x400);
	CHECK(k);
	CHECK(KWAIT(k));
	k = child(&t, toucher, ra, 2, 0x100);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_OK(mica_ds_copy_in(b, 0, a, 0, 2 * PG));
	k = child(&t, toucher, rb, 2, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x101);
	CHECK_EQ(kprobe(t.task, rb, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	mica_word_t pool = kmem_pool.used, used = used_of(t.s.root);
	k = child(&t, toucher, rb, 1, 0x200);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(kmem_pool.used, pool + 1);
	CHECK_EQ(used_of(t.s.root), used);
	CHECK_OK(kprobe(t.task, rb, 0, &v));
	CHECK_EQ(v, 0x200);
	CHECK_OK(kprobe(t.task, rb, 1, &v)); /* writable now */
	/* a keeps its bytes, and its own write breaks its side */
	k = child(&t, toucher, ra, 2, 0x300);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x101);
	k = child(&t, toucher, rb + PG, 1, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x101);
	k = child(&t, toucher, rc, 1, 0x500);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[2], 0x400);
	CHECK_OK(kprobe(t.task, rc, 0, &v));
	CHECK_EQ(v, 0x500);
	CHECK(kmem_finish(&t.s));
}
