/* Kernel memory: the pool of physical frames the kernel keeps for its own
 * objects and page tables. Everything else goes to user level (sigma0). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "memory/memmap.h"

/* Chooses the pool from the memory map, records it there as
 * MICA_MEM_KERNEL, and starts the allocator. */
void kmem_init(struct memmap *map);

/* One zeroed 4 KiB frame. */
bool kmem_alloc_frame(uint64_t *phys);
void kmem_free_frame(uint64_t phys);

/* `frames` physically contiguous zeroed frames. */
bool kmem_alloc_contig(uint64_t frames, uint64_t *phys);

uint64_t kmem_free_bytes(void);
uint64_t kmem_total_bytes(void);

#ifdef MICA_DEBUG
/* The frame ledger of debug builds: which factory each frame is charged
 * to. Charging a frame twice, or refunding it to another factory than
 * the one it was charged to, panics. */
struct factory;
void kmem_charge(uint64_t phys, uint64_t frames, struct factory *f);
void kmem_refund(uint64_t phys, struct factory *f);
struct factory *kmem_owner(uint64_t phys);
/* The owner of any physical address: 0 outside the pool. */
struct factory *kmem_owner_or_0(uint64_t phys);
/* The first charged frame at or after *phys: its address and factory. */
bool kmem_next_charged(uint64_t *phys, struct factory **f);
/* The checker's marks on pool frames: clear all; mark one (false if it
 * was marked already); ask. */
void kmem_seen_clear(void);
bool kmem_mark_seen(uint64_t phys);
bool kmem_was_seen(uint64_t phys);
/* Whether the frame allocator's lock is free (the checker asks). */
bool kmem_unlocked(void);
#endif
