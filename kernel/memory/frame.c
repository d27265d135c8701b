/* The physical frame pool: a bitmap allocator over one contiguous range.
 * Pure, host-tested (tests/unit/test_frame.c). */
#include "memory/frame.h"

static bool used(const struct frame_pool *p, uint64_t i)
{
	return (p->bitmap[i / 64] >> (i % 64)) & 1;
}

static void mark(struct frame_pool *p, uint64_t i, bool in_use)
{
	uint64_t bit = 1ul << (i % 64);
	if (in_use && !(p->bitmap[i / 64] & bit)) {
		p->bitmap[i / 64] |= bit;
		p->free--;
	} else if (!in_use && (p->bitmap[i / 64] & bit)) {
		p->bitmap[i / 64] &= ~bit;
		p->free++;
	}
}

void frame_pool_init(struct frame_pool *p, uint64_t base, uint64_t frames, uint64_t *bitmap)
{
	p->base = base & ~(FRAME_SIZE - 1);
	p->frames = frames;
	p->free = 0;
	p->hint = 0;
	p->bitmap = bitmap;
	for (uint64_t w = 0; w < (frames + 63) / 64; w++)
		bitmap[w] = ~0ul;
}

/* Clips [addr, addr + frames * 4K) to the pool as frame indices. */
static bool clip(const struct frame_pool *p, uint64_t addr, uint64_t frames, uint64_t *first, uint64_t *last)
{
	uint64_t start = addr >> FRAME_SHIFT, base = p->base >> FRAME_SHIFT;
	uint64_t end = start + frames;
	if (end < start)
		end = UINT64_MAX;
	if (end <= base || start >= base + p->frames)
		return false;
	*first = start > base ? start - base : 0;
	*last = (end < base + p->frames ? end : base + p->frames) - base;
	return true;
}

void frame_pool_release(struct frame_pool *p, uint64_t addr, uint64_t frames)
{
	uint64_t i, end;
	if (!clip(p, addr, frames, &i, &end))
		return;
	for (; i < end; i++)
		mark(p, i, false);
	p->hint = 0;
}

void frame_pool_reserve(struct frame_pool *p, uint64_t addr, uint64_t frames)
{
	uint64_t i, end;
	if (!clip(p, addr, frames, &i, &end))
		return;
	for (; i < end; i++)
		mark(p, i, true);
}

static bool alloc_one(struct frame_pool *p, uint64_t *addr)
{
	for (uint64_t w = p->hint / 64; w < (p->frames + 63) / 64; w++) {
		if (p->bitmap[w] == ~0ul)
			continue;
		uint64_t i = w * 64 + (uint64_t)__builtin_ctzll(~p->bitmap[w]);
		if (i >= p->frames)
			break;
		mark(p, i, true);
		p->hint = i;
		*addr = p->base + (i << FRAME_SHIFT);
		return true;
	}
	return false;
}

bool frame_pool_alloc(struct frame_pool *p, uint64_t frames, uint64_t align_frames, uint64_t *addr)
{
	if (frames == 0 || frames > p->free || align_frames == 0 || (align_frames & (align_frames - 1)))
		return false;
	if (frames == 1 && align_frames == 1)
		return alloc_one(p, addr);

	/* Alignment is of the physical address, not the index in the pool.
	 * Every frame below the hint is in use, and whole words of used
	 * frames are skipped at once: a scan frame by frame from the start
	 * cost each page-table pair about 3,500 instructions. */
	uint64_t base = p->base >> FRAME_SHIFT;
	uint64_t i = ((base + p->hint + align_frames - 1) & ~(align_frames - 1)) - base;
	while (i + frames <= p->frames) {
		if (p->bitmap[i / 64] == ~0ul) {
			uint64_t next = base + (i | 63) + 1;
			i = ((next + align_frames - 1) & ~(align_frames - 1)) - base;
			continue;
		}
		uint64_t run = 0;
		while (run < frames && !used(p, i + run))
			run++;
		if (run == frames) {
			for (uint64_t k = 0; k < frames; k++)
				mark(p, i + k, true);
			*addr = p->base + (i << FRAME_SHIFT);
			return true;
		}
		/* Skip past the used frame, to the next aligned start. */
		uint64_t next = base + i + run + 1;
		i = ((next + align_frames - 1) & ~(align_frames - 1)) - base;
	}
	return false;
}

enum frame_free_result frame_pool_free(struct frame_pool *p, uint64_t addr, uint64_t frames)
{
	if (addr & (FRAME_SIZE - 1))
		return FRAME_MISALIGNED;
	if (addr < p->base || frames == 0 || frames > p->frames)
		return FRAME_OUTSIDE_POOL;
	uint64_t first = (addr - p->base) >> FRAME_SHIFT;
	if (first > p->frames - frames)
		return FRAME_OUTSIDE_POOL;
	for (uint64_t i = first; i < first + frames; i++)
		if (!used(p, i))
			return FRAME_NOT_ALLOCATED;
	for (uint64_t i = first; i < first + frames; i++)
		mark(p, i, false);
	if (first < p->hint)
		p->hint = first;
	return FRAME_FREED;
}

bool frame_pool_is_used(const struct frame_pool *p, uint64_t addr)
{
	if (addr < p->base || ((addr - p->base) >> FRAME_SHIFT) >= p->frames)
		return true;
	return used(p, (addr - p->base) >> FRAME_SHIFT);
}
