/* A physical frame pool: a bitmap over one contiguous range of physical
 * memory, one bit per 4 KiB frame, set while the frame is in use. The
 * kernel's memory pool is one of these; the bitmap storage is given by
 * the caller so the same code runs in the kernel and in host tests.
 * Callers serialize access (a lock in the kernel). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define FRAME_SIZE 4096ul
#define FRAME_SHIFT 12

struct frame_pool {
	uint64_t base;	 /* physical address of the first frame */
	uint64_t frames; /* frames covered */
	uint64_t free;	 /* frames currently free */
	uint64_t hint;	 /* first frame index worth searching from */
	uint64_t *bitmap;
};

/* Bytes of bitmap storage a pool of `frames` frames needs. */
static inline uint64_t frame_bitmap_bytes(uint64_t frames)
{
	return (frames + 63) / 64 * 8;
}

/* Starts with every frame in use; release what is really free. */
void frame_pool_init(struct frame_pool *p, uint64_t base, uint64_t frames, uint64_t *bitmap);

/* Marks frames free / in use. Ranges are clipped to the pool. */
void frame_pool_release(struct frame_pool *p, uint64_t addr, uint64_t frames);
void frame_pool_reserve(struct frame_pool *p, uint64_t addr, uint64_t frames);

/* Allocates `frames` contiguous frames whose address is a multiple of
 * align_frames frames (a power of two). Returns false when none fit. */
bool frame_pool_alloc(struct frame_pool *p, uint64_t frames, uint64_t align_frames, uint64_t *addr);

enum frame_free_result { FRAME_FREED = 0, FRAME_OUTSIDE_POOL, FRAME_NOT_ALLOCATED, FRAME_MISALIGNED };

/* Frees frames from frame_pool_alloc; checks the whole range before
 * changing anything, so a bad free leaves the pool as it was. */
enum frame_free_result frame_pool_free(struct frame_pool *p, uint64_t addr, uint64_t frames);

bool frame_pool_is_used(const struct frame_pool *p, uint64_t addr);
