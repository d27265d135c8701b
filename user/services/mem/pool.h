/* The memory server's physical page pool: RAM obtained from sigma0 in
 * 2 MiB chunks (or larger blocks for long contiguous runs), mapped at a
 * fixed window of the server's own address space, and handed out as
 * zero-filled 4 KiB pages, 2 MiB pages and physically contiguous runs.
 * Memory taken from sigma0 is never given back: freed pages stay in the
 * pool for the next request. Not thread-safe: one serving thread owns it. */
#pragma once

#include <mica/error.h>
#include <mica/types.h>
#include <stdbool.h>
#include <stdint.h>

#define MEM_PAGE_LOG2 12
#define MEM_LARGE_LOG2 21
#define MEM_PAGE 4096ul
#define MEM_LARGE (1ul << MEM_LARGE_LOG2)
#define MEM_CHUNK_PAGES 512
/* The largest window: 1 GiB of chunks. */
#define MEM_POOL_MAX_CHUNKS 512

struct mem_chunk {
	mica_word_t phys; /* of the chunk's first byte (sigma0 tells it) */
	uint16_t used;	  /* 4 KiB pages handed out (PART chunks) */
	uint8_t state;	  /* enum in pool.c */
	int16_t prev, next;
	uint64_t bits[MEM_CHUNK_PAGES / 64]; /* PART chunks: pages handed out */
	/* Copy-on-write sharing: holders beyond the first of each 4 KiB
	 * page (a pool page of its own, taken when the chunk's first page is
	 * shared and returned when its last one is private again; 0: none
	 * shared), and how many of its pages are shared. */
	uint32_t *extra;
	uint16_t nshared;
};

struct mem_pool {
	mica_cap_t sigma0;
	mica_word_t base; /* of the window, 2 MiB aligned */
	unsigned nchunks; /* window size in chunks */
	mica_word_t used; /* 4 KiB pages handed out (whole chunks of long runs count whole) */
	mica_word_t held; /* 4 KiB pages obtained from sigma0 */
	/* Chunk lists: wholly free, and partly used with pages left. */
	int16_t free_head, part_head;
	struct mem_chunk chunk[MEM_POOL_MAX_CHUNKS];
};

/* An empty pool drawing on sigma0 (a gate to it), mapping at [base, base
 * + 2^log2) (base aligned to 2^log2, so blocks of any size align; at most MEM_POOL_MAX_CHUNKS chunks
 * are used). */
void mem_pool_init(struct mem_pool *p, mica_cap_t sigma0, mica_word_t base, unsigned log2);

/* A zero-filled page of 2^log2 bytes (12 or 21) at *va: MICA_OK or
 * MICA_E_NO_MEMORY (window full or sigma0 out of RAM). */
int mem_pool_get(struct mem_pool *p, unsigned log2, mica_word_t *va);
/* Returns a page (a shared 4 KiB page: one holder lets go). */
void mem_pool_put(struct mem_pool *p, mica_word_t va, unsigned log2);

/* Copy-on-write: one more holder of the 4 KiB page va (handed out by
 * mem_pool_get), so that mem_pool_put frees it only when the last holder
 * puts it. MICA_OK, or MICA_E_NO_MEMORY (no page for the chunk's counts,
 * or the count is full): the caller copies instead. The counts' page is
 * the server's own overhead (at most one per chunk with shared pages),
 * charged to nobody. */
int mem_pool_share(struct mem_pool *p, mica_word_t va);
/* Whether the 4 KiB page va has more than one holder. */
bool mem_pool_shared(const struct mem_pool *p, mica_word_t va);
/* Whether va lies in the pool's window (else: memory not the pool's,
 * e.g. a boot module's). */
bool mem_pool_holds(const struct mem_pool *p, mica_word_t va);

/* npages zero-filled pages, physically contiguous, at *va: runs up to
 * 2 MiB lie inside one chunk; longer ones take whole chunks (the last
 * one's tail stays unused until the run is freed). */
int mem_pool_get_run(struct mem_pool *p, mica_word_t npages, mica_word_t *va);
void mem_pool_put_run(struct mem_pool *p, mica_word_t va, mica_word_t npages);

/* The physical address behind va (a byte of a page handed out). */
mica_word_t mem_pool_phys(const struct mem_pool *p, mica_word_t va);
