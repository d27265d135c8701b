/* The physical page pool (pool.h). Each 2 MiB chunk of the window is
 * ABSENT (not obtained from sigma0), FREE, PART (4 KiB pages and short
 * runs, a bitmap says which are taken) or WHOLE (a 2 MiB page or part
 * of a long run). FREE and PART-with-room chunks sit on lists, so a
 * 4 KiB or 2 MiB page costs O(1): a list head and at most 8 bitmap
 * words. Only contiguous runs and growing the pool scan. */
#include <mica/fpage.h>
#include <mica_sigma0.h>
#include <string.h>

#include "pool.h"

enum { ABSENT, FREE, PART, WHOLE };

#define NIL (-1)

static void push(struct mem_pool *p, int16_t *head, unsigned i)
{
	struct mem_chunk *c = &p->chunk[i];
	c->prev = NIL;
	c->next = *head;
	if (*head != NIL)
		p->chunk[*head].prev = (int16_t)i;
	*head = (int16_t)i;
}

static void unlink_chunk(struct mem_pool *p, int16_t *head, unsigned i)
{
	struct mem_chunk *c = &p->chunk[i];
	if (c->prev != NIL)
		p->chunk[c->prev].next = c->next;
	else
		*head = c->next;
	if (c->next != NIL)
		p->chunk[c->next].prev = c->prev;
	c->prev = c->next = NIL;
}

/* Zero-fills whole pages: one rep stosq, 8 bytes a step (the fault path
 * of a fresh page pays for this, and memset goes a byte at a time). */
static void zero(mica_word_t va, mica_word_t bytes)
{
	mica_word_t n = bytes / 8;
	__asm__ volatile("rep stosq" : "+D"(va), "+c"(n) : "a"(0ul) : "memory");
}

static mica_word_t chunk_va(const struct mem_pool *p, unsigned i)
{
	return p->base + ((mica_word_t)i << MEM_LARGE_LOG2);
}

void mem_pool_init(struct mem_pool *p, mica_cap_t sigma0, mica_word_t base, unsigned log2)
{
	memset(p, 0, sizeof(*p));
	p->sigma0 = sigma0;
	p->base = base;
	mica_word_t n = log2 > MEM_LARGE_LOG2 ? 1ul << (log2 - MEM_LARGE_LOG2) : 0;
	p->nchunks = n > MEM_POOL_MAX_CHUNKS ? MEM_POOL_MAX_CHUNKS : (unsigned)n;
	p->free_head = p->part_head = NIL;
	for (unsigned i = 0; i < MEM_POOL_MAX_CHUNKS; i++)
		p->chunk[i].prev = p->chunk[i].next = NIL;
}

/* Obtains 2^k chunks from sigma0 as one block (physically contiguous,
 * size-aligned) into the first aligned stretch of absent chunks; they go
 * on the free list. */
static int grow(struct mem_pool *p, unsigned k)
{
	unsigned n = 1u << k;
	for (unsigned i = 0; i + n <= p->nchunks; i += n) {
		unsigned j = 0;
		while (j < n && p->chunk[i + j].state == ABSENT)
			j++;
		if (j < n)
			continue;
		mica_word_t phys;
		if (mica_sigma0_ram(p->sigma0, chunk_va(p, i), MEM_LARGE_LOG2 + k, MICA_FPAGE_RWX, &phys) !=
		    MICA_OK)
			return MICA_E_NO_MEMORY;
		/* Pushed in reverse, so the block's chunks come off the free
		 * list in address order. */
		for (j = n; j-- > 0;) {
			p->chunk[i + j].phys = phys + ((mica_word_t)j << MEM_LARGE_LOG2);
			p->chunk[i + j].state = FREE;
			push(p, &p->free_head, i + j);
		}
		p->held += (mica_word_t)n * MEM_CHUNK_PAGES;
		return MICA_OK;
	}
	return MICA_E_NO_MEMORY;
}

/* A free chunk taken off the free list (grown if there is none), or -1. */
static int take_free(struct mem_pool *p)
{
	if (p->free_head == NIL && grow(p, 0) != MICA_OK)
		return -1;
	int i = p->free_head;
	unlink_chunk(p, &p->free_head, (unsigned)i);
	return i;
}

static void set_bits(struct mem_chunk *c, unsigned first, unsigned n, int on)
{
	for (unsigned b = first; b < first + n; b++) {
		if (on)
			c->bits[b / 64] |= 1ull << (b % 64);
		else
			c->bits[b / 64] &= ~(1ull << (b % 64));
	}
}

/* Marks n pages from `first` of PART chunk i taken. */
static void take_pages(struct mem_pool *p, unsigned i, unsigned first, unsigned n)
{
	struct mem_chunk *c = &p->chunk[i];
	set_bits(c, first, n, 1);
	c->used = (uint16_t)(c->used + n);
	if (c->used == MEM_CHUNK_PAGES)
		unlink_chunk(p, &p->part_head, i);
	p->used += n;
}

static void give_pages(struct mem_pool *p, unsigned i, unsigned first, unsigned n)
{
	struct mem_chunk *c = &p->chunk[i];
	if (c->used == MEM_CHUNK_PAGES)
		push(p, &p->part_head, i);
	set_bits(c, first, n, 0);
	c->used = (uint16_t)(c->used - n);
	p->used -= n;
	if (!c->used) {
		unlink_chunk(p, &p->part_head, i);
		c->state = FREE;
		push(p, &p->free_head, i);
	}
}

/* A free chunk made PART (on the partial list), or -1. */
static int new_part(struct mem_pool *p)
{
	int i = take_free(p);
	if (i < 0)
		return -1;
	p->chunk[i].state = PART;
	p->chunk[i].used = 0;
	memset(p->chunk[i].bits, 0, sizeof(p->chunk[i].bits));
	push(p, &p->part_head, (unsigned)i);
	return i;
}

int mem_pool_get(struct mem_pool *p, unsigned log2, mica_word_t *va)
{
	if (log2 == MEM_LARGE_LOG2) {
		int i = take_free(p);
		if (i < 0)
			return MICA_E_NO_MEMORY;
		p->chunk[i].state = WHOLE;
		p->used += MEM_CHUNK_PAGES;
		*va = chunk_va(p, (unsigned)i);
		zero(*va, MEM_LARGE);
		return MICA_OK;
	}
	int i = p->part_head;
	if (i == NIL && (i = new_part(p)) < 0)
		return MICA_E_NO_MEMORY;
	struct mem_chunk *c = &p->chunk[i];
	unsigned w = 0;
	while (c->bits[w] == ~0ull) /* a chunk on the list has a free page */
		w++;
	unsigned b = w * 64 + (unsigned)__builtin_ctzll(~c->bits[w]);
	take_pages(p, (unsigned)i, b, 1);
	*va = chunk_va(p, (unsigned)i) + ((mica_word_t)b << MEM_PAGE_LOG2);
	zero(*va, MEM_PAGE);
	return MICA_OK;
}

void mem_pool_put(struct mem_pool *p, mica_word_t va, unsigned log2)
{
	unsigned i = (unsigned)((va - p->base) >> MEM_LARGE_LOG2);
	if (log2 == MEM_LARGE_LOG2) {
		p->chunk[i].state = FREE;
		p->used -= MEM_CHUNK_PAGES;
		push(p, &p->free_head, i);
		return;
	}
	give_pages(p, i, (unsigned)((va >> MEM_PAGE_LOG2) % MEM_CHUNK_PAGES), 1);
}

/* The first run of n free pages in chunk c, or -1. */
static int find_run(const struct mem_chunk *c, unsigned n)
{
	unsigned len = 0;
	for (unsigned b = 0; b < MEM_CHUNK_PAGES; b++) {
		len = (c->bits[b / 64] >> (b % 64)) & 1 ? 0 : len + 1;
		if (len == n)
			return (int)(b + 1 - n);
	}
	return -1;
}

/* k free chunks in a row, physically contiguous: the first's index or -1. */
static int find_chunks(const struct mem_pool *p, unsigned k)
{
	for (unsigned i = 0; i + k <= p->nchunks; i++) {
		unsigned j = 0;
		while (j < k && p->chunk[i + j].state == FREE &&
		       p->chunk[i + j].phys == p->chunk[i].phys + ((mica_word_t)j << MEM_LARGE_LOG2))
			j++;
		if (j == k)
			return (int)i;
	}
	return -1;
}

int mem_pool_get_run(struct mem_pool *p, mica_word_t npages, mica_word_t *va)
{
	if (!npages || npages > (mica_word_t)p->nchunks * MEM_CHUNK_PAGES)
		return MICA_E_NO_MEMORY;
	if (npages <= MEM_CHUNK_PAGES) {
		unsigned n = (unsigned)npages;
		int i, b = -1;
		for (i = p->part_head; i != NIL; i = p->chunk[i].next)
			if ((b = find_run(&p->chunk[i], n)) >= 0)
				break;
		if (b < 0) {
			if ((i = new_part(p)) < 0)
				return MICA_E_NO_MEMORY;
			b = 0;
		}
		take_pages(p, (unsigned)i, (unsigned)b, n);
		*va = chunk_va(p, (unsigned)i) + ((mica_word_t)b << MEM_PAGE_LOG2);
		zero(*va, npages << MEM_PAGE_LOG2);
		return MICA_OK;
	}
	unsigned k = (unsigned)((npages + MEM_CHUNK_PAGES - 1) / MEM_CHUNK_PAGES);
	int i = find_chunks(p, k);
	if (i < 0) {
		unsigned log2k = 0;
		while ((1u << log2k) < k)
			log2k++;
		if (grow(p, log2k) != MICA_OK || (i = find_chunks(p, k)) < 0)
			return MICA_E_NO_MEMORY;
	}
	for (unsigned j = 0; j < k; j++) {
		unlink_chunk(p, &p->free_head, (unsigned)i + j);
		p->chunk[i + j].state = WHOLE;
	}
	p->used += (mica_word_t)k * MEM_CHUNK_PAGES;
	*va = chunk_va(p, (unsigned)i);
	zero(*va, npages << MEM_PAGE_LOG2);
	return MICA_OK;
}

void mem_pool_put_run(struct mem_pool *p, mica_word_t va, mica_word_t npages)
{
	unsigned i = (unsigned)((va - p->base) >> MEM_LARGE_LOG2);
	if (npages <= MEM_CHUNK_PAGES) {
		give_pages(p, i, (unsigned)((va >> MEM_PAGE_LOG2) % MEM_CHUNK_PAGES), (unsigned)npages);
		return;
	}
	unsigned k = (unsigned)((npages + MEM_CHUNK_PAGES - 1) / MEM_CHUNK_PAGES);
	for (unsigned j = 0; j < k; j++)
		mem_pool_put(p, chunk_va(p, i + j), MEM_LARGE_LOG2);
}

mica_word_t mem_pool_phys(const struct mem_pool *p, mica_word_t va)
{
	mica_word_t off = va - p->base;
	return p->chunk[off >> MEM_LARGE_LOG2].phys + (off & (MEM_LARGE - 1));
}
