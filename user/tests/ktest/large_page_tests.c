/* map_, unmap_ and grant_ on 2 MiB mappings: when the kernel uses a large
 * page, and what map, unmap and grant do to one (abi.md §5.6). Whether a
 * mapping is one large page shows in what it costs the receiver's
 * factory: one node and no leaf page table, against a page table pair
 * and 512 nodes. */
#include <mica_sigma0.h>

#include "mem.h"

#define LARGE (2ul << 20)
#define X 0x500000000ul /* where the cases map in their children */
#define PAGE_WORDS 512ul

/* 2 MiB of RAM from sigma0, mapped once as one large page at this
 * address of ours (outside KALIAS, which the runner flushes). */
#define KBLOCK 0x600000000ul

static volatile mica_word_t *block(void)
{
	static int have;
	if (!have && mica_sigma0_ram(MICA_CAP_PAGER, KBLOCK, 21, MICA_FPAGE_RW, 0) == MICA_OK)
		have = 1;
	return have ? (volatile mica_word_t *)KBLOCK : 0;
}

/* Marks each page of the block with its number and a seed. */
static void mark(volatile mica_word_t *b, mica_word_t seed)
{
	for (unsigned i = 0; i < 512; i++)
		b[i * PAGE_WORDS] = seed + i;
}

/* A task with nothing mapped, charged to the case's factory: the cases
 * measure costs in these, and probe in tasks that share our image. */
static mica_cap_t bare_task(void)
{
	mica_cap_t t = ksel();
	return mica_create_task(KF, t, KCHILD_UTCB, 12) == MICA_OK ? t : 0;
}

KTEST(map_large_page_from_sigma0_and_onward)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x1000);
	mica_cap_t bare = bare_task(), t = ktask_create();
	CHECK(bare && t);
	mica_word_t before = kf_used(), v;
	CHECK_OK(kmap(bare, KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
	/* a page directory (with its link page) and the page above it, and
	 * one page of nodes: no page table */
	CHECK_EQ(kf_used(), before + 4 * 4096ul);
	CHECK_OK(kmap(t, bare, X, X, 21, MICA_FPAGE_RW));
	CHECK_EQ(kprobe(t, X, 0, &v), 0);
	CHECK_EQ(v, 0x1000);
	CHECK_EQ(kprobe(t, X + LARGE - 4096, 0, &v), 0);
	CHECK_EQ(v, 0x1000 + 511);
	v = 0xfeed;
	CHECK_EQ(kprobe(t, X + 0x12345ul * 8, 1, &v), 0);
	CHECK_EQ(b[0x12345], 0xfeed);
}

KTEST(map_large_not_made_from_small_pages)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x2000);
	/* t1 gets the block page by page (derived from our large page)... */
	mica_cap_t t1 = bare_task(), t2 = bare_task(), t3 = ktask_create();
	CHECK(t1 && t2 && t3);
	for (unsigned i = 0; i < 512; i++)
		CHECK_OK(kmap(t1, KTASK, KBLOCK + i * 4096ul, X + i * 4096ul, 12, MICA_FPAGE_RW));
	/* ...and its 512 small pages go on as small pages, though they are
	 * contiguous and aligned: a page table pair and 9 pages of nodes */
	mica_word_t before = kf_used(), v;
	CHECK_OK(kmap(t2, t1, X, X, 21, MICA_FPAGE_RW));
	CHECK_EQ(kf_used(), before + (2 + 2 + 1 + 9) * 4096ul);
	CHECK_OK(kmap(t3, t2, X, X, 21, MICA_FPAGE_RW));
	CHECK_EQ(kprobe(t3, X + 300 * 4096ul, 0, &v), 0);
	CHECK_EQ(v, 0x2000 + 300);
}

KTEST(map_part_of_large_page)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x3000);
	mica_cap_t bare = bare_task(), t = ktask_create();
	CHECK(bare && t);
	mica_word_t before = kf_used(), v;
	/* 64 KiB from the middle of the large page: small pages */
	CHECK_OK(kmap(bare, KTASK, KBLOCK + 0x100000, X, 16, MICA_FPAGE_R));
	CHECK_EQ(kf_used(), before + (2 + 2 + 1 + 1) * 4096ul);
	CHECK_OK(kmap(t, KTASK, KBLOCK + 0x100000, X, 16, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, X + 0x1000, 0, &v), 0);
	CHECK_EQ(v, 0x3000 + 257);
	CHECK_EQ(kprobe(t, X + 0x10000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* they are derived from the large page: its unmap takes them */
	CHECK_OK(kunmap(KTASK, KBLOCK, 21, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(t, X + 0x1000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(map_large_same_mapping_again_extends_rights)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v = 0x4321;
	CHECK_OK(kmap(t, KTASK, KBLOCK, X, 21, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, X + 0x80000, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	mica_word_t before = kf_used();
	CHECK_OK(kmap(t, KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
	CHECK_EQ(kf_used(), before);
	CHECK_EQ(kprobe(t, X + 0x80000, 1, &v), 0);
	CHECK_EQ(b[0x80000 / 8], 0x4321);
}

KTEST(map_large_page_replaces_small_pages)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x5000);
	karena[5][0] = 55;
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KPAGE(5), X + 0x3000, 12, MICA_FPAGE_R));
	CHECK_OK(kmap(t, KTASK, KPAGE(5), X + 0x1ff000, 12, MICA_FPAGE_R));
	mica_word_t small = kf_used();
	CHECK_OK(kmap(t, KTASK, KBLOCK, X, 21, MICA_FPAGE_R));
	/* the page table pair went back (nodes stay in the task's pool) */
	CHECK_EQ(kf_used(), small - 2 * 4096ul);
	CHECK_EQ(kprobe(t, X + 0x3000, 0, &v), 0);
	CHECK_EQ(v, 0x5000 + 3);
	CHECK_EQ(kprobe(t, X + 0x1ff000, 0, &v), 0);
	CHECK_EQ(v, 0x5000 + 511);
}

KTEST(map_page_into_large_mapping_replaces_all_of_it)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x6000);
	karena[6][0] = 66;
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KBLOCK, X, 21, MICA_FPAGE_R));
	CHECK_OK(kmap(t, KTASK, KPAGE(6), X + 0x1000, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, X + 0x1000, 0, &v), 0);
	CHECK_EQ(v, 66);
	CHECK_EQ(kprobe(t, X, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t, X + 0x2000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

/* The map fast path walks through each space's last table of 4 KiB
 * leaves (arch/vm.h: leaf_table); a large page that replaces that table
 * frees it, and the next one-page map out of the space and into it
 * walks again. */
KTEST(map_page_after_its_page_table_went)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x7000);
	karena[7][0] = 77;
	mica_cap_t s = bare_task(), t = ktask_create();
	CHECK(s && t);
	mica_word_t v;
	CHECK_OK(kmap(s, KTASK, KPAGE(7), X + 0x1000, 12, MICA_FPAGE_R));
	CHECK_OK(kmap(t, s, X + 0x1000, X + 0x1000, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, X + 0x1000, 0, &v), 0);
	CHECK_EQ(v, 77);
	/* both tables at X go */
	CHECK_OK(kmap(s, KTASK, KBLOCK, X, 21, MICA_FPAGE_R));
	CHECK_OK(kmap(t, KTASK, KBLOCK, X, 21, MICA_FPAGE_R));
	CHECK_OK(kmap(t, s, X + 0x3000, X + 0x5000, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, X + 0x5000, 0, &v), 0);
	CHECK_EQ(v, 0x7000 + 3);
	CHECK_EQ(kprobe(t, X, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* and a new table there is found again */
	CHECK_OK(kmap(t, s, X + 0x4000, X + 0x6000, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, X + 0x6000, 0, &v), 0);
	CHECK_EQ(v, 0x7000 + 4);
}

KTEST(unmap_part_of_large_page_unmaps_all_of_it)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
	/* one page's write right: the whole large page is read-only now */
	CHECK_OK(kunmap(t, X + 0x5000, 12, MICA_FPAGE_W, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kprobe(t, X + 0x100000, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(kprobe(t, X + 0x100000, 0, &v), 0);
	/* one page entirely: all of it goes */
	CHECK_OK(kunmap(t, X + 0x5000, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kprobe(t, X + 0x1ff000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t, X, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	/* ours, the source, is untouched */
	CHECK_EQ(kprobe(KTASK, KBLOCK + 0x5000, 1, &v), 0);
}

KTEST(unmap_large_pages_three_levels_deep)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mica_cap_t t[3];
	for (unsigned i = 0; i < 3; i++)
		CHECK(t[i] = ktask_create());
	CHECK_OK(kmap(t[0], KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
	CHECK_OK(kmap(t[1], t[0], X, X, 21, MICA_FPAGE_RW));
	CHECK_OK(kmap(t[2], t[1], X + 0x7000, X + 0x7000, 12, MICA_FPAGE_RW));
	mica_word_t v = 0x77;
	CHECK_EQ(kprobe(t[2], X + 0x7000, 1, &v), 0);
	/* status: the write through the small page at the bottom shows */
	mica_word_t st = 0;
	CHECK_OK(kunmap(t[0], X, 21, MICA_FPAGE_RWX, 0, &st));
	CHECK(st & MICA_UNMAP_DIRTY);
	CHECK_EQ(kprobe(t[0], X + 0x7000, 0, &v), 0);
	CHECK_EQ(v, 0x77);
	CHECK_EQ(kprobe(t[1], X, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t[2], X + 0x7000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(grant_large_page_moves_it)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0x9000);
	mica_cap_t t1 = ktask_create(), t2 = ktask_create();
	CHECK(t1 && t2);
	mica_word_t v;
	CHECK_OK(kmap(t1, KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
	CHECK_OK(kgrant(t2, t1, X, X + LARGE, 21));
	CHECK_EQ(kprobe(t1, X, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t2, X + LARGE + 0x4000, 0, &v), 0);
	CHECK_EQ(v, 0x9000 + 4);
	/* it took t1's place below ours */
	CHECK_OK(kunmap(KTASK, KBLOCK, 21, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(t2, X + LARGE, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(grant_part_of_large_page_maps_it)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mark(b, 0xa000);
	mica_cap_t t1 = ktask_create(), t2 = ktask_create();
	CHECK(t1 && t2);
	mica_word_t v;
	CHECK_OK(kmap(t1, KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
	CHECK_OK(kgrant(t2, t1, X + 0x8000, X, 12));
	CHECK_EQ(kprobe(t2, X, 0, &v), 0);
	CHECK_EQ(v, 0xa000 + 8);
	/* the granter keeps its large page, and the page is derived from it */
	CHECK_EQ(kprobe(t1, X + 0x8000, 0, &v), 0);
	CHECK_OK(kunmap(t1, X, 21, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(t2, X, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(destroy_refunds_large_mappings_exactly)
{
	volatile mica_word_t *b = block();
	CHECK(b);
	mica_word_t before = kf_used();
	for (unsigned round = 0; round < 3; round++) {
		mica_cap_t t1 = bare_task(), t2 = bare_task();
		CHECK(t1 && t2);
		CHECK_OK(kmap(t1, KTASK, KBLOCK, X, 21, MICA_FPAGE_RW));
		CHECK_OK(kmap(t2, t1, X, X + LARGE, 21, MICA_FPAGE_RW));
		CHECK_OK(kmap(t2, t1, X + 0x1000, X, 12, MICA_FPAGE_RW));
		/* t1 first: t2's mappings lose their source */
		CHECK_OK(mica_task_destroy(t1));
		CHECK_OK(mica_cap_delete(KTASK, t2));
		CHECK_EQ(kf_used(), before);
	}
}
