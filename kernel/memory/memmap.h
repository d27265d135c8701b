/* A normalized physical memory map: sorted, non-overlapping regions, each
 * with one type. Firmware maps arrive unsorted and overlapping; adding a
 * region where another lies keeps the type of higher precedence, so a
 * reserved range is never turned back into free memory. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <mica/kip.h>

#define MEMMAP_MAX 128

struct mem_region {
	uint64_t base;
	uint64_t end;  /* exclusive */
	uint32_t type; /* enum mica_mem_type */
};

struct memmap {
	unsigned count;
	unsigned dropped; /* regions lost because the table was full */
	struct mem_region r[MEMMAP_MAX];
};

void memmap_init(struct memmap *m);

/* Adds [base, base + size) with the given type; zero sizes are ignored and
 * a range that would wrap is cut at the top of the address space. Returns
 * false (and counts a drop) if the table had no room. */
bool memmap_add(struct memmap *m, uint64_t base, uint64_t size, uint32_t type);

/* Marks [base, base + size) as type no matter what it was (for carving
 * the kernel and modules out of free memory). */
bool memmap_set(struct memmap *m, uint64_t base, uint64_t size, uint32_t type);

/* The total bytes of one type. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/* Precedence of a type when firmware regions overlap: higher wins. */
unsigned memmap_precedence(uint32_t type);

/* Whether any part of [base, base + size) has the given type. */
bool memmap_overlaps(const struct memmap *m, uint64_t base, uint64_t size, uint32_t type);

/* The final map after boot (kernel and modules carved out), as the KIP
 * publishes it. */
extern const struct memmap *boot_memmap;
