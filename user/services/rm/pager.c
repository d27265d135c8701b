/* The region map as its task's pager: a page fault is answered with the
 * dataspace page behind the faulting address (one memory item from the
 * server's space), EAGER regions are mapped at attach, and detached
 * ones unmapped. The fault path is one tree lookup, mem_ds_page (which
 * zero-fills a fresh page) and the answer: nothing else. */
#include <mica/rm.h>
#include <mica_obj.h>
#include <stddef.h>

#include "rm_impl.h"

#define LARGE_MASK (MEM_LARGE - 1)

/* The flexpage of the server's space that maps g's page holding va, and
 * the task address it goes to (*base, aligned to its size): 2 MiB where
 * the dataspace has a 2 MiB page, va agrees with the offset modulo
 * 2 MiB and the region holds the whole block; else 4 KiB. It carries the
 * region's rights whatever the access: dataspace pages are private until
 * copy-on-write exists, so a read fault maps writable and spares the
 * write its own fault (with copy-on-write, a read will map read-only). */
static int resolve(const struct rm_region *g, mica_word_t va, bool write, mica_word_t *fpage,
		   mica_word_t *base)
{
	mica_word_t off = g->offset + (va - g->node.start), page;
	unsigned log2;
	int e = mem_ds_page(g->ds, off, write, &page, &log2);
	if (e != MICA_OK)
		return e;
	if (log2 == MEM_LARGE_LOG2) {
		mica_word_t block = va & ~LARGE_MASK, end = g->node.start + g->node.size;
		if (((va - off) & LARGE_MASK) || block < g->node.start || end - block < MEM_LARGE) {
			page += off & LARGE_MASK & ~(MEM_PAGE - 1);
			log2 = MEM_PAGE_LOG2;
		}
	}
	*base = va & ~((1ul << log2) - 1);
	*fpage = mica_fpage_mem(page, log2, g->flags & MICA_FPAGE_RWX);
	return MICA_OK;
}

int mem_rm_fault(struct mica_srv_req *r)
{
	const struct mem_rm *rm = (const struct mem_rm *)((char *)r->obj - offsetof(struct mem_rm, o));
	mica_word_t addr = r->in[0], access = r->in[2] & MICA_FPAGE_RWX, fpage, base;
	const struct rm_region *g = (const struct rm_region *)regions_find(&rm->regions, addr);
	/* Outside every region (a reserved area's holes too) or beyond the
	 * region's rights: the error makes it the thread's exception. */
	if (!g)
		return MICA_E_BAD_ARG;
	if (access & ~g->flags)
		return MICA_E_NO_RIGHTS;
	int e = resolve(g, addr, access & MICA_FPAGE_W, &fpage, &base);
	if (e != MICA_OK)
		return e;
	mica_srv_ret_mem(r, fpage, addr);
	return MICA_OK;
}

int mem_rm_map_all(struct mem_rm *rm, const struct rm_region *g)
{
	mica_word_t end = g->node.start + g->node.size;
	for (mica_word_t va = g->node.start; va < end;) {
		mica_word_t fpage, base;
		int e = resolve(g, va, g->flags & MICA_FPAGE_W, &fpage, &base);
		if (e != MICA_OK)
			return e;
		if ((e = mica_task_map(rm->task, MICA_CAP_TASK, fpage, base, MICA_ITEM_MAP)) != MICA_OK)
			return e;
		va = base + (1ul << mica_fpage_log2(fpage));
	}
	return MICA_OK;
}

void mem_rm_unmap(struct mem_rm *rm, mica_word_t start, mica_word_t size)
{
	/* The range as the fewest aligned power-of-two flexpages, as many
	 * per call as fit. */
	mica_word_t fp[MICA_UNMAP_MAX], end = start + size;
	unsigned n = 0;
	while (start < end) {
		unsigned log2 = (unsigned)__builtin_ctzl(start),
			 fit = 63u - (unsigned)__builtin_clzl(end - start);
		if (log2 > fit)
			log2 = fit;
		if (log2 > MICA_FPAGE_MEM_MAX)
			log2 = MICA_FPAGE_MEM_MAX;
		fp[n++] = mica_fpage_mem(start, log2, MICA_FPAGE_RWX);
		start += 1ul << log2;
		if (n == MICA_UNMAP_MAX || start >= end) {
			mica_task_unmap(rm->task, MICA_UNMAP_FLUSH, fp, n);
			n = 0;
		}
	}
}
