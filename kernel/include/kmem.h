/* Kernel memory: the pool of physical frames the kernel keeps for its own
 * objects and page tables. Everything else goes to user level (sigma0). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "memmap.h"

struct boot_info;

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
