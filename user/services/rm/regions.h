/* The regions of an address space, ordered by address in an AVL tree:
 * find, insert and remove in O(log n), and the search for a free range.
 * Pure (no system calls): the region map builds on it, and the host unit
 * tests (tests/unit/test_regions.c) check it directly. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct region {
	uint64_t start, size; /* [start, start + size), size > 0 */
	struct region *left, *right;
	int height;
};

struct region_tree {
	struct region *root;
	unsigned count;
};

/* The region holding addr, or 0. */
struct region *regions_find(const struct region_tree *t, uint64_t addr);

/* The first region that overlaps [start, start + size), or 0. */
struct region *regions_overlap(const struct region_tree *t, uint64_t start, uint64_t size);

/* Inserts r (its start and size set); false, and nothing changed, if it
 * overlaps a region of t. */
bool regions_insert(struct region_tree *t, struct region *r);

/* Removes r, which is in t. */
void regions_remove(struct region_tree *t, struct region *r);

/* The lowest address >= from (rounded up to align, a power of two) at
 * which size bytes are free of regions and end at or below limit:
 * true and *at, or false. */
bool regions_free(const struct region_tree *t, uint64_t from, uint64_t size, uint64_t align, uint64_t limit,
		  uint64_t *at);

/* The region with the lowest start >= addr, or 0 (for walks in order). */
struct region *regions_next(const struct region_tree *t, uint64_t addr);
