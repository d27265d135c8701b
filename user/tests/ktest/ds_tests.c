/* Dataspaces of the memory server (user/services/mem, mica/dataspace.h):
 * demand-zero pages, MAP and its hot spot, rights, ranges, CLEAR, PHYS
 * of pinned and contiguous memory, 2 MiB pages, COPY_IN and delete. The
 * server runs in this task; clients are this thread and threads of child
 * tasks. Every case ends with the pool back where it started. */
#include <mica/dataspace.h>
#include <mica/factory.h>

#include "mem.h"
#include "memsrv.h"

#define CHILD_DS 0x300 /* where a child task holds the dataspace */
#define PG 4096ul

/* In a child task: maps offset k->arg of dataspace k->cap with rights
 * k->arg2 at hot spot KALIAS + out[1] (window: KALIAS); out[0] = the
 * error, out[2] = the log2 of the flexpage sent, out[3] = the word at the
 * hot spot; then writes out[4] there, if not 0. */
static void child_map(struct kthread *k)
{
	mica_word_t fp = 0;
	k->out[0] = (mica_word_t)mica_ds_map(k->cap, k->arg, KALIAS + k->out[1], k->arg2, KALIAS, KALIAS_LOG2,
					     &fp);
	k->out[2] = mica_fpage_log2(fp);
	if (k->out[0] != MICA_OK)
		return;
	volatile mica_word_t *p = (volatile mica_word_t *)(KALIAS + k->out[1]);
	k->out[3] = *p;
	if (k->out[4])
		*p = k->out[4];
}

static struct kthread *child_map_run(mica_cap_t task, mica_word_t off, mica_word_t rights, mica_word_t at,
				     mica_word_t write)
{
	struct kthread *k = kthread_new(task, child_map, off);
	if (!k)
		return 0;
	k->cap = CHILD_DS;
	k->arg2 = rights;
	k->out[1] = at;
	k->out[4] = write;
	return kthread_go(k) == MICA_OK && KWAIT(k) ? k : 0;
}

/* A child task holding ds at CHILD_DS. */
static mica_cap_t child_with(mica_cap_t ds)
{
	mica_cap_t c = ktask_create();
	return c && kgive(c, ds, CHILD_DS) == MICA_OK ? c : 0;
}

static mica_word_t root_used(const struct kmem *s)
{
	mica_word_t limit, used;
	return mica_alloc_info(s->root, &limit, &used) == MICA_OK ? used : ~0ul;
}

static mica_word_t peek(mica_word_t addr)
{
	return *(volatile mica_word_t *)addr;
}

KTEST(ds_demand_zero_page_is_backed_on_map_at_the_hot_spot)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t ds = ksel(), c;
	CHECK_OK(kmem_create_ds(s.root, 16 * PG, 0, ds));
	mica_word_t pool = kmem_pool.used;
	CHECK_EQ(root_used(&s), MICA_OBJ_COST); /* nothing backed yet */
	CHECK(c = child_with(ds));
	struct kthread *k = child_map_run(c, 0x3008, MICA_FPAGE_RW, 0x5000, 0x77);
	CHECK(k);
	CHECK_OK(k->out[0]);
	CHECK_EQ(k->out[2], 12);
	CHECK_EQ(k->out[3], 0);
	/* The page and its table, nothing else. */
	CHECK_EQ(kmem_pool.used, pool + 2);
	CHECK_EQ(root_used(&s), MICA_OBJ_COST + 2 * PG);
	/* It landed at the hot spot's page: the write went to offset 0x3000. */
	CHECK_OK(mica_ds_map(ds, 0x3000, KALIAS, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0));
	CHECK_EQ(peek(KALIAS), 0x77);
	CHECK_EQ(peek(KALIAS + 8), 0);
	CHECK(kmem_finish(&s));
}

KTEST(ds_writes_are_visible_through_a_second_map)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t ds = ksel(), c1, c2;
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, 0, ds));
	CHECK(c1 = child_with(ds));
	CHECK(c2 = child_with(ds));
	struct kthread *k = child_map_run(c1, 2 * PG, MICA_FPAGE_RW, 0x10000, 0x1234);
	CHECK(k);
	CHECK_OK(k->out[0]);
	k = child_map_run(c2, 2 * PG, MICA_FPAGE_R, 0x7000, 0);
	CHECK(k);
	CHECK_OK(k->out[0]);
	CHECK_EQ(k->out[3], 0x1234);
	/* Again in the first, elsewhere: the same page. */
	k = child_map_run(c1, 2 * PG, MICA_FPAGE_R, 0x20000, 0);
	CHECK(k);
	CHECK_EQ(k->out[3], 0x1234);
	CHECK(kmem_finish(&s));
}

KTEST(ds_read_only_capability_cannot_map_writable)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t ds = ksel(), src = ksel(), c;
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, MICA_DS_PINNED, ds));
	struct mica_srv_obj *o = kmem_made;
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, 0, src));
	mica_cap_t ro = kmem_cap(o, MICA_DS_R_READ), rw = kmem_cap(o, MICA_DS_R_READ | MICA_DS_R_WRITE);
	CHECK(ro && rw);
	/* INFO says how the capability asked through sees it. */
	mica_word_t size, flags;
	CHECK_OK(mica_ds_info(ro, &size, &flags));
	CHECK_EQ(flags, MICA_DS_PINNED);
	CHECK_OK(mica_ds_info(rw, &size, &flags));
	CHECK_EQ(flags, MICA_DS_PINNED | MICA_DS_RW);
	CHECK_ERR(mica_ds_map(ro, 0, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_ds_map(ro, 0, KALIAS, MICA_FPAGE_RX, KALIAS, KALIAS_LOG2, 0));
	CHECK_ERR(mica_ds_clear(ro, 0, PG), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_ds_copy_in(ro, 0, src, 0, 8), MICA_E_NO_RIGHTS);
	mica_word_t pa, n;
	CHECK_ERR(mica_ds_phys(rw, 0, &pa, &n), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_obj_delete(rw), MICA_E_NO_RIGHTS);
	/* A source needs READ: a write-only capability is no source. */
	CHECK_ERR(mica_ds_copy_in(src, 0, kmem_cap(o, MICA_DS_R_WRITE), 0, 8), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_ds_copy_in(src, 0, ro, 0, 8));
	/* The same from another task. */
	CHECK(c = child_with(ro));
	struct kthread *k = child_map_run(c, 0, MICA_FPAGE_RW, 0, 0);
	CHECK(k);
	CHECK_EQ(k->out[0], MICA_E_NO_RIGHTS);
	CHECK(kmem_finish(&s));
}

KTEST(ds_offsets_outside_the_size_are_refused)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t ds = ksel();
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, 0, ds));
	mica_word_t pool = kmem_pool.used, used = root_used(&s), pa, n;
	mica_word_t bad_off[] = { 4 * PG, 4 * PG + 1, ~0ul, 1ul << 63 };
	for (unsigned i = 0; i < sizeof(bad_off) / sizeof(bad_off[0]); i++)
		CHECK_ERR(mica_ds_map(ds, bad_off[i], KALIAS, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0),
			  MICA_E_BAD_ARG);
	mica_word_t bad_rights[] = { 0, MICA_FPAGE_W, MICA_FPAGE_X, MICA_FPAGE_R | 8, ~0ul };
	for (unsigned i = 0; i < sizeof(bad_rights) / sizeof(bad_rights[0]); i++)
		CHECK_ERR(mica_ds_map(ds, 0, KALIAS, bad_rights[i], KALIAS, KALIAS_LOG2, 0), MICA_E_BAD_ARG);
	/* Ranges whose end overflows or passes the size. */
	CHECK_ERR(mica_ds_clear(ds, 3 * PG, 2 * PG), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_clear(ds, PG, ~0ul), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_clear(ds, ~0ul - PG + 1, 2 * PG), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_copy_in(ds, 0, ds, 2 * PG, ~0ul), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_copy_in(ds, ~0ul, ds, 0, 2), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_copy_in(ds, 0, ds, 0, MICA_DS_COPY_MAX + 1), MICA_E_BAD_ARG);
	/* Overlapping ranges of one dataspace, and a source that is none. */
	CHECK_ERR(mica_ds_copy_in(ds, 0, ds, 8, 16), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_copy_in(ds, 0, KF, 0, 8), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ds_copy_in(ds, 0, s.root, 0, 8), MICA_E_BAD_ARG);
	mica_mr()[0] = 0;
	CHECK_TAG_ERR(mica_call(ds, MICA_DS_COPY_IN, 3), MICA_E_BAD_ARG, 0);
	/* PHYS is for pinned memory; short requests. */
	CHECK_ERR(mica_ds_phys(ds, 0, &pa, &n), MICA_E_BAD_ARG);
	CHECK_TAG_ERR(mica_call(ds, MICA_DS_MAP, 2), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_call(ds, 0x77, 0), MICA_E_UNKNOWN_OP, 0);
	/* Nothing was backed or charged. */
	CHECK_EQ(kmem_pool.used, pool);
	CHECK_EQ(root_used(&s), used);
	CHECK(kmem_finish(&s));
}

KTEST(ds_clear_zeroes_pages_and_returns_their_quota)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t ds = ksel();
	CHECK_OK(kmem_create_ds(s.root, 1ul << 30, 0, ds)); /* 1 GiB, sparse */
	CHECK_OK(mica_ds_map(ds, 0, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	CHECK_OK(mica_ds_map(ds, PG, KALIAS + PG, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	*(volatile mica_word_t *)KALIAS = 0x11;
	*(volatile mica_word_t *)(KALIAS + PG) = 0x22;
	*(volatile mica_word_t *)(KALIAS + PG + 8) = 0x33;
	mica_word_t used = root_used(&s), pool = kmem_pool.used;
	/* Part of a page: zeroed in place, still backed. */
	CHECK_OK(mica_ds_clear(ds, PG + 8, 8));
	CHECK_EQ(peek(KALIAS + PG), 0x22);
	CHECK_EQ(peek(KALIAS + PG + 8), 0);
	CHECK_EQ(root_used(&s), used);
	/* A whole page goes back, and reads as zero when mapped again. */
	CHECK_OK(mica_ds_clear(ds, 0, PG));
	CHECK_EQ(root_used(&s), used - PG);
	CHECK_EQ(kmem_pool.used, pool - 1);
	CHECK_OK(mica_ds_map(ds, 0, KALIAS + 0x10000, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0));
	CHECK_EQ(peek(KALIAS + 0x10000), 0);
	/* The whole gigabyte, holes skipped: only backed pages count. */
	CHECK_OK(mica_ds_clear(ds, 0, 1ul << 30));
	CHECK_EQ(root_used(&s), used - 2 * PG);
	CHECK(kmem_finish(&s));
}

KTEST(ds_pinned_and_contiguous_memory_tell_their_physical_addresses)
{
	struct kmem s;
	CHECK(kmem_start(&s, 16ul << 20));
	mica_cap_t pin = ksel(), con = ksel(), big = ksel();
	mica_word_t pa, n, pa2;
	/* Pinned: backed and charged at creation. */
	CHECK_OK(kmem_create_ds(s.root, 8 * PG, MICA_DS_PINNED, pin));
	CHECK_EQ(root_used(&s), MICA_OBJ_COST + PG + 8 * PG);
	CHECK_OK(mica_ds_phys(pin, 0x1010, &pa, &n));
	CHECK_EQ(pa % PG, 0x10);
	CHECK(n >= PG - 0x10 && n <= 8 * PG - 0x1010);
	/* Contiguous: one run to the end. */
	CHECK_OK(kmem_create_ds(s.root, 16 * PG, MICA_DS_CONTIG, con));
	mica_word_t size, flags;
	CHECK_OK(mica_ds_info(con, &size, &flags));
	CHECK_EQ(size, 16 * PG);
	CHECK_EQ(flags, MICA_DS_CONTIG | MICA_DS_PINNED | MICA_DS_RW);
	CHECK_OK(mica_ds_phys(con, 0, &pa, &n));
	CHECK_EQ(n, 16 * PG);
	CHECK_EQ(pa % PG, 0);
	CHECK_OK(mica_ds_phys(con, 0x3008, &pa2, &n));
	CHECK_EQ(pa2, pa + 0x3008);
	CHECK_EQ(n, 16 * PG - 0x3008);
	CHECK_ERR(mica_ds_phys(con, 16 * PG, &pa2, &n), MICA_E_BAD_ARG);
	/* Longer than a chunk: whole chunks, still one run. */
	mica_word_t bigsize = (4ul << 20) + 2 * PG;
	CHECK_OK(kmem_create_ds(s.root, bigsize, MICA_DS_CONTIG, big));
	CHECK_OK(mica_ds_phys(big, 0, &pa, &n));
	CHECK_EQ(n, bigsize);
	CHECK_OK(mica_ds_phys(big, bigsize - 8, &pa2, &n));
	CHECK_EQ(pa2, pa + bigsize - 8);
	/* Clearing pinned memory zeroes it in place. */
	mica_word_t used = root_used(&s);
	CHECK_OK(mica_ds_clear(big, 0, bigsize));
	CHECK_OK(mica_ds_phys(big, 0, &pa2, &n));
	CHECK_EQ(pa2, pa);
	CHECK_EQ(root_used(&s), used);
	CHECK(kmem_finish(&s));
}

KTEST(ds_large_pages_map_2mib_where_offset_and_hot_spot_agree)
{
	struct kmem s;
	CHECK(kmem_start(&s, 16ul << 20));
	mica_cap_t ds = ksel(), odd = ksel();
	mica_word_t fp, used;
	CHECK_OK(kmem_create_ds(s.root, 4ul << 20, MICA_DS_LARGE, ds));
	used = root_used(&s);
	CHECK_OK(mica_ds_map(ds, 0x205000, KALIAS + 0x205000, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, &fp));
	CHECK_EQ(mica_fpage_log2(fp), 21);
	CHECK_EQ(root_used(&s), used + MEM_LARGE + PG); /* the page and the root table */
	*(volatile mica_word_t *)(KALIAS + 0x205000) = 0x5a5a;
	/* Disagreeing modulo 2 MiB: the 4 KiB part of the same page. */
	CHECK_OK(mica_ds_map(ds, 0x205000, KALIAS + 0x6000, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, &fp));
	CHECK_EQ(mica_fpage_log2(fp), 12);
	CHECK_EQ(peek(KALIAS + 0x6000), 0x5a5a);
	CHECK_EQ(root_used(&s), used + MEM_LARGE + PG);
	/* A tail shorter than 2 MiB has 4 KiB pages. */
	CHECK_OK(kmem_create_ds(s.root, (2ul << 20) + PG, MICA_DS_LARGE, odd));
	CHECK_OK(mica_ds_map(odd, 2ul << 20, KALIAS + (2ul << 20), MICA_FPAGE_R, KALIAS + (8ul << 20), 21,
			     &fp));
	CHECK_EQ(mica_fpage_log2(fp), 12);
	CHECK_OK(mica_ds_map(odd, 0, KALIAS + (16ul << 20), MICA_FPAGE_R, KALIAS, KALIAS_LOG2, &fp));
	CHECK_EQ(mica_fpage_log2(fp), 21);
	/* Pinned and large: 2 MiB pages at creation. */
	CHECK_OK(kmem_create_ds(s.root, 4ul << 20, MICA_DS_LARGE | MICA_DS_PINNED, ksel()));
	CHECK(kmem_finish(&s));
}

/* A LARGE dataspace of exactly one 2 MiB block keeps its page in the
 * root entry, with no table: delete (and CLEAR) return it whole, quota
 * and pool. Found by the region map's cases: delete took it for a
 * table, refunded 4 KiB of it and gave the pool a 4 KiB page of a
 * 2 MiB chunk. */
KTEST(ds_large_single_block_goes_back_whole)
{
	struct kmem s;
	CHECK(kmem_start(&s, 16ul << 20));
	mica_cap_t ds = ksel(), again = ksel();
	mica_word_t fp;
	CHECK_OK(kmem_create_ds(s.root, 2ul << 20, MICA_DS_LARGE, ds));
	CHECK_OK(mica_ds_map(ds, PG, KALIAS + PG, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, &fp));
	CHECK_EQ(mica_fpage_log2(fp), 21);
	CHECK_EQ(root_used(&s), MICA_OBJ_COST + MEM_LARGE);
	CHECK_OK(mica_obj_delete(ds));
	CHECK_EQ(root_used(&s), 0);
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	CHECK_OK(kmem_create_ds(s.root, 2ul << 20, MICA_DS_LARGE, again));
	CHECK_OK(mica_ds_map(again, 0, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, &fp));
	CHECK_OK(mica_ds_clear(again, 0, 2ul << 20));
	CHECK_EQ(root_used(&s), MICA_OBJ_COST);
	CHECK(kmem_finish(&s));
}

KTEST(ds_copy_in_copies_bytes_between_dataspaces)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(kmem_create_ds(s.root, 3 * PG, 0, a));
	CHECK_OK(kmem_create_ds(s.root, 3 * PG, 0, b));
	CHECK_OK(mica_ds_map(a, 0, KALIAS, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	CHECK_OK(mica_ds_map(a, PG, KALIAS + PG, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0));
	*(volatile mica_word_t *)(KALIAS + PG - 8) = 0x1111;
	*(volatile mica_word_t *)(KALIAS + PG) = 0x2222;
	/* Across a page boundary on both sides. */
	CHECK_OK(mica_ds_copy_in(b, 2 * PG - 8, a, PG - 8, 16));
	CHECK_OK(mica_ds_map(b, PG, KALIAS + 0x10000, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0));
	CHECK_OK(mica_ds_map(b, 2 * PG, KALIAS + 0x11000, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, 0));
	CHECK_EQ(peek(KALIAS + 0x11000 - 8), 0x1111);
	CHECK_EQ(peek(KALIAS + 0x11000), 0x2222);
	/* From a hole: zeros, and the hole stays one. */
	mica_word_t pool = kmem_pool.used;
	CHECK_OK(mica_ds_copy_in(b, 2 * PG - 8, a, 2 * PG, 16));
	CHECK_EQ(peek(KALIAS + 0x11000 - 8), 0);
	CHECK_EQ(peek(KALIAS + 0x11000), 0);
	CHECK_EQ(kmem_pool.used, pool);
	/* Within one dataspace, not overlapping. */
	CHECK_OK(mica_ds_copy_in(a, 0, a, PG, 8));
	CHECK_EQ(peek(KALIAS), 0x2222);
	CHECK(kmem_finish(&s));
}

KTEST(ds_delete_unmaps_everywhere_and_revokes_every_capability)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t ds = ksel(), c;
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, 0, ds));
	mica_cap_t ro = kmem_cap(kmem_made, MICA_DS_R_READ);
	CHECK(c = child_with(ds));
	struct kthread *k = child_map_run(c, 0, MICA_FPAGE_RW, 0x3000, 9);
	CHECK(k);
	CHECK_OK(k->out[0]);
	mica_word_t v = 0;
	CHECK_EQ(kprobe(c, KALIAS + 0x3000, 0, &v), 0);
	CHECK_EQ(v, 9);
	CHECK_OK(mica_obj_delete(ds));
	CHECK_EQ(kmem_pool.used, s.pool_used0);
	CHECK_EQ(root_used(&s), 0);
	CHECK(kprobe(c, KALIAS + 0x3000, 0, &v) & KPROBE_FAULT);
	mica_word_t size, flags;
	CHECK_ERR(mica_ds_info(ds, &size, &flags), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_ds_info(ro, &size, &flags), MICA_E_INVALID_CAP);
	k = child_map_run(c, 0, MICA_FPAGE_R, 0, 0);
	CHECK(k);
	CHECK_EQ(k->out[0], MICA_E_INVALID_CAP);
	CHECK(kmem_finish(&s));
}

/* ---- copy-on-write (COPY_IN of whole pages) ---- */

static mica_word_t used_of(mica_cap_t alloc)
{
	mica_word_t limit, used;
	return mica_alloc_info(alloc, &limit, &used) == MICA_OK ? used : ~0ul;
}

/* The server page a read-only MAP of ds at off answers with (mapped at
 * KALIAS + at), or 0. */
static mica_word_t frame_of(mica_cap_t ds, mica_word_t off, mica_word_t at)
{
	mica_word_t fp = 0;
	if (mica_ds_map(ds, off, KALIAS + at, MICA_FPAGE_R, KALIAS, KALIAS_LOG2, &fp) != MICA_OK)
		return 0;
	return mica_fpage_rights(fp) == MICA_FPAGE_R ? mica_fpage_base(fp) : 0;
}

/* The word at off of ds, read through a read-only MAP at KALIAS + at. */
static mica_word_t ds_peek(mica_cap_t ds, mica_word_t off, mica_word_t at)
{
	return frame_of(ds, off & ~(PG - 1), at) ? peek(KALIAS + at + off % PG) : ~0ul;
}

/* Writes v at off of ds through a writable MAP at KALIAS + at. */
static int ds_poke(mica_cap_t ds, mica_word_t off, mica_word_t at, mica_word_t v)
{
	int e = mica_ds_map(ds, off & ~(PG - 1), KALIAS + at, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0);
	if (e == MICA_OK)
		*(volatile mica_word_t *)(KALIAS + at + off % PG) = v;
	return e;
}

KTEST(ds_cow_copy_in_shares_whole_pages_charged_to_each_view)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, 0, a));
	CHECK_OK(kmem_create_ds(s.root, 4 * PG, 0, b));
	for (mica_word_t i = 0; i < 4; i++)
		CHECK_OK(ds_poke(a, i * PG + 8, i * PG, 0xa0 + i));
	mica_word_t pool = kmem_pool.used, used = root_used(&s);
	CHECK_OK(mica_ds_copy_in(b, 0, a, 0, 4 * PG));
	/* No page copied: b's table and at most a page of share counts. */
	CHECK(kmem_pool.used <= pool + 2);
	/* b pays for its view: four pages and its table. */
	CHECK_EQ(root_used(&s), used + 5 * PG);
	for (mica_word_t i = 0; i < 4; i++) {
		mica_word_t fa = frame_of(a, i * PG, 0x10000 + i * PG);
		CHECK(fa);
		CHECK_EQ(frame_of(b, i * PG, 0x20000 + i * PG), fa);
		CHECK_EQ(peek(KALIAS + 0x20000 + i * PG + 8), 0xa0 + i);
	}
	/* Copying the same again changes nothing. */
	CHECK_OK(mica_ds_copy_in(b, 0, a, 0, 4 * PG));
	CHECK_EQ(root_used(&s), used + 5 * PG);
	CHECK(kmem_pool.used <= pool + 2);
	CHECK(kmem_finish(&s));
}

KTEST(ds_cow_write_through_a_map_breaks_the_sharing_source_unchanged)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel(), c;
	CHECK_OK(kmem_create_ds(s.root, 2 * PG, 0, a));
	CHECK_OK(kmem_create_ds(s.root, 2 * PG, 0, b));
	CHECK(c = child_with(a));
	struct kthread *k = child_map_run(c, 0, MICA_FPAGE_RW, 0x3000, 0x55);
	CHECK(k);
	CHECK_OK(k->out[0]);
	CHECK_OK(ds_poke(a, PG, 0x1000, 0x56));
	CHECK_OK(mica_ds_copy_in(b, 0, a, 0, 2 * PG));
	/* a's writable mapping in the child became read-only. */
	mica_word_t v = 0;
	CHECK_EQ(kprobe(c, KALIAS + 0x3000, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_OK(kprobe(c, KALIAS + 0x3000, 0, &v));
	CHECK_EQ(v, 0x55);
	mica_word_t pool = kmem_pool.used, used = root_used(&s), fa = frame_of(a, 0, 0x10000);
	/* MAP with W: a fresh page with the bytes, no new charge (the view
	 * was charged). b never handed the shared page out, so no mapping
	 * of it goes (one that did would unmap it in every task). */
	CHECK_OK(ds_poke(b, 16, 0x12000, 0x66));
	CHECK_EQ(kmem_pool.used, pool + 1);
	CHECK_EQ(root_used(&s), used);
	CHECK_EQ(peek(KALIAS + 0x12000), 0x55);
	CHECK_EQ(peek(KALIAS + 0x12000 + 16), 0x66);
	CHECK(frame_of(b, 0, 0x13000) != fa);
	/* The source is unchanged and the child's mapping undisturbed. */
	CHECK_EQ(ds_peek(a, 16, 0x14000), 0);
	v = 0;
	CHECK_OK(kprobe(c, KALIAS + 0x3000, 0, &v));
	CHECK_EQ(v, 0x55);
	/* The other page is still shared. */
	CHECK_EQ(frame_of(b, PG, 0x15000), frame_of(a, PG, 0x16000));
	CHECK_EQ(peek(KALIAS + 0x15000), 0x56);
	CHECK(kmem_finish(&s));
}

KTEST(ds_cow_both_sides_written_independently_the_last_holder_keeps_the_frame)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(kmem_create_ds(s.root, PG, 0, a));
	CHECK_OK(kmem_create_ds(s.root, PG, 0, b));
	CHECK_OK(ds_poke(a, 0, 0, 0x11));
	CHECK_OK(mica_ds_copy_in(b, 0, a, 0, PG));
	mica_word_t fa = frame_of(a, 0, 0x1000), used = root_used(&s);
	CHECK(fa);
	/* a writes first: it gets a copy, b keeps the frame. */
	CHECK_OK(ds_poke(a, 0, 0x2000, 0x22));
	CHECK(frame_of(a, 0, 0x3000) != fa);
	CHECK_EQ(ds_peek(b, 0, 0x4000), 0x11);
	CHECK_EQ(frame_of(b, 0, 0x5000), fa);
	/* b is its only holder now: its write takes it back, no copy. */
	mica_word_t pool = kmem_pool.used;
	CHECK_OK(ds_poke(b, 0, 0x6000, 0x33));
	CHECK_EQ(kmem_pool.used, pool);
	CHECK_EQ(frame_of(b, 0, 0x7000), fa);
	CHECK_EQ(ds_peek(a, 0, 0x8000), 0x22);
	CHECK_EQ(ds_peek(b, 0, 0x9000), 0x33);
	CHECK_EQ(root_used(&s), used);
	CHECK(kmem_finish(&s));
}

/* Either side deleted first returns exactly its own charge; the other
 * keeps the bytes. */
KTEST(ds_cow_delete_of_either_side_returns_exactly)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	/* one dataspace of two written pages: object, table and pages */
	const mica_word_t one = MICA_OBJ_COST + 3 * PG;
	for (int first = 0; first < 2; first++) {
		mica_cap_t ds[2] = { ksel(), ksel() };
		CHECK_OK(kmem_create_ds(s.root, 2 * PG, 0, ds[0]));
		CHECK_OK(kmem_create_ds(s.root, 2 * PG, 0, ds[1]));
		CHECK_OK(ds_poke(ds[0], 0, 0, 0x71));
		CHECK_OK(ds_poke(ds[0], PG, 0x1000, 0x72));
		CHECK_OK(mica_ds_copy_in(ds[1], 0, ds[0], 0, 2 * PG));
		CHECK_EQ(root_used(&s), 2 * one);
		CHECK_OK(mica_obj_delete(ds[first]));
		CHECK_EQ(root_used(&s), one);
		mica_cap_t left = ds[!first];
		CHECK_EQ(ds_peek(left, 0, 0x2000), 0x71);
		CHECK_EQ(ds_peek(left, PG, 0x3000), 0x72);
		CHECK_OK(ds_poke(left, 8, 0x4000, 0x73));
		CHECK_EQ(ds_peek(left, 0, 0x5000), 0x71);
		CHECK_EQ(root_used(&s), one);
		CHECK_OK(mica_obj_delete(left));
		CHECK_EQ(root_used(&s), 0);
		CHECK_EQ(kmem_pool.used, s.pool_used0);
	}
	CHECK(kmem_finish(&s));
}

KTEST(ds_cow_clear_of_a_shared_range)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(kmem_create_ds(s.root, 3 * PG, 0, a));
	CHECK_OK(kmem_create_ds(s.root, 3 * PG, 0, b));
	for (mica_word_t i = 0; i < 3; i++) {
		CHECK_OK(ds_poke(a, i * PG + 8, i * PG, 0x10 + i));
		CHECK_OK(ds_poke(a, i * PG + PG - 8, i * PG, 0x20 + i));
	}
	CHECK_OK(mica_ds_copy_in(b, 0, a, 0, 3 * PG));
	mica_word_t used = root_used(&s);
	/* A whole shared page: b lets it go (and its charge), a keeps it. */
	CHECK_OK(mica_ds_clear(b, 0, PG));
	CHECK_EQ(root_used(&s), used - PG);
	CHECK_EQ(ds_peek(a, 8, 0x10000), 0x10);
	CHECK_EQ(ds_peek(b, 8, 0x11000), 0);
	/* Part of one: b's sharing breaks first (a page, no new charge). */
	mica_word_t pool = kmem_pool.used;
	used = root_used(&s);
	CHECK_OK(mica_ds_clear(b, PG + 8, 8));
	CHECK_EQ(kmem_pool.used, pool + 1);
	CHECK_EQ(root_used(&s), used);
	CHECK_EQ(ds_peek(b, PG + 8, 0x12000), 0);
	CHECK_EQ(ds_peek(b, 2 * PG - 8, 0x12000), 0x21);
	CHECK_EQ(ds_peek(a, PG + 8, 0x13000), 0x11);
	/* The source cleared: the copy keeps its bytes. */
	CHECK_OK(mica_ds_clear(a, 2 * PG, PG));
	CHECK_EQ(ds_peek(a, 2 * PG + 8, 0x14000), 0);
	CHECK_EQ(ds_peek(b, 2 * PG + 8, 0x15000), 0x12);
	CHECK_EQ(ds_peek(b, 3 * PG - 8, 0x15000), 0x22);
	CHECK(kmem_finish(&s));
}

/* Parts of pages, pages at different offsets within the page, and
 * PINNED dataspaces on either side are copied, never shared. */
KTEST(ds_cow_partial_pages_and_pinned_dataspaces_are_copied)
{
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	mica_cap_t a = ksel(), b = ksel(), p = ksel();
	CHECK_OK(kmem_create_ds(s.root, 3 * PG, 0, a));
	CHECK_OK(kmem_create_ds(s.root, 3 * PG, 0, b));
	for (mica_word_t i = 0; i < 3; i++)
		CHECK_OK(ds_poke(a, i * PG + 8, i * PG, 0x40 + i));
	mica_word_t pool = kmem_pool.used;
	CHECK_OK(mica_ds_copy_in(b, 8, a, 8, PG - 8));	      /* part of a page */
	CHECK_OK(mica_ds_copy_in(b, PG + 16, a, PG + 8, PG)); /* a page's worth, unaligned */
	/* b's table and its three pages, all its own */
	CHECK_EQ(kmem_pool.used, pool + 4);
	CHECK(frame_of(b, 0, 0x10000) != frame_of(a, 0, 0x11000));
	CHECK_EQ(peek(KALIAS + 0x10000 + 8), 0x40);
	CHECK_EQ(ds_peek(b, PG + 16, 0x12000), 0x41);
	/* PINNED: into it and out of it, whole pages are copied. */
	CHECK_OK(kmem_create_ds(s.root, PG, MICA_DS_PINNED, p));
	CHECK_OK(mica_ds_copy_in(p, 0, a, 2 * PG, PG));
	CHECK(frame_of(p, 0, 0x13000) != frame_of(a, 2 * PG, 0x14000));
	CHECK_EQ(peek(KALIAS + 0x13000 + 8), 0x42);
	CHECK_OK(mica_ds_copy_in(b, 2 * PG, p, 0, PG));
	CHECK(frame_of(b, 2 * PG, 0x15000) != frame_of(p, 0, 0x16000));
	CHECK_EQ(peek(KALIAS + 0x15000 + 8), 0x42);
	CHECK(kmem_finish(&s));
}

/* A module's pages (a fixed dataspace) shared into a small allocator's
 * dataspace cost nothing until written; a write beyond the quota is
 * NO_MEMORY with nothing changed: the page stays shared. */
KTEST(ds_cow_break_beyond_the_quota_fails_with_nothing_half_made)
{
	static unsigned char image[2 * PG] __attribute__((aligned(4096)));
	struct kmem s;
	CHECK(kmem_start(&s, 1 << 20));
	image[8] = 0x31;
	image[PG + 8] = 0x32;
	struct mem_ds *f;
	CHECK_OK(mem_ds_create_fixed(kmem_mem.root, (mica_word_t)image, 2 * PG, &f));
	mica_cap_t fc = kmem_cap(mem_ds_obj(f), MICA_DS_R_READ), sub = ksel(), d = ksel();
	CHECK(fc);
	CHECK_OK(kmem_create_alloc(s.root, MICA_OBJ_COST + 2 * PG, sub));
	CHECK_OK(kmem_create_ds(sub, 2 * PG, 0, d));
	CHECK_OK(mica_ds_copy_in(d, 0, fc, 0, 2 * PG));
	CHECK_EQ(used_of(sub), MICA_OBJ_COST + PG); /* its table only */
	CHECK_EQ(frame_of(d, 0, 0), (mica_word_t)image);
	CHECK_EQ(frame_of(d, PG, 0x1000), (mica_word_t)image + PG);
	CHECK_OK(ds_poke(d, 0, 0x2000, 0x41));
	CHECK_EQ(used_of(sub), MICA_OBJ_COST + 2 * PG);
	mica_word_t pool = kmem_pool.used;
	CHECK_ERR(mica_ds_map(d, PG, KALIAS + 0x3000, MICA_FPAGE_RW, KALIAS, KALIAS_LOG2, 0),
		  MICA_E_NO_MEMORY);
	CHECK_EQ(used_of(sub), MICA_OBJ_COST + 2 * PG);
	CHECK_EQ(kmem_pool.used, pool);
	CHECK_EQ(frame_of(d, PG, 0x4000), (mica_word_t)image + PG);
	/* CLEAR of part of it needs the same page: likewise refused. */
	CHECK_ERR(mica_ds_clear(d, PG + 8, 8), MICA_E_NO_MEMORY);
	CHECK_EQ(peek(KALIAS + 0x4000 + 8), 0x32);
	CHECK_EQ(image[8], 0x31); /* the module is never written */
	CHECK_EQ(ds_peek(d, 0, 0x5000), 0x41);
	CHECK_OK(mica_obj_delete(d));
	CHECK_EQ(used_of(sub), 0);
	CHECK(kmem_finish(&s));
}
