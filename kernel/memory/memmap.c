/* Normalizing the physical memory map: overlapping, zero-length and
 * wrapping regions resolved by type precedence. Pure, host-tested
 * (tests/unit/test_memmap.c). */
#include "memory/memmap.h"

#include <string.h>

void memmap_init(struct memmap *m)
{
	memset(m, 0, sizeof(*m));
}

unsigned memmap_precedence(uint32_t type)
{
	switch (type) {
	case MICA_MEM_CONVENTIONAL:
		return 0;
	case MICA_MEM_MODULE:
		return 1;
	case MICA_MEM_KERNEL:
		return 2;
	case MICA_MEM_ACPI:
		return 3;
	case MICA_MEM_ACPI_NVS:
		return 4;
	case MICA_MEM_BAD:
		return 6;
	default:
		return 5; /* reserved and anything unknown */
	}
}

/* Rebuilds the table with [base, end) overlaid: where force is set the
 * new type replaces whatever was there, otherwise the higher-precedence
 * type of the two stays. Works on a copy so a full table leaves the old
 * map untouched. */
static bool overlay(struct memmap *m, uint64_t base, uint64_t end, uint32_t type, bool force)
{
	static struct mem_region out[MEMMAP_MAX]; /* callers are serialized: boot only */
	unsigned n = 0;
	uint64_t cursor = base; /* start of the part of [base,end) not yet emitted */

#define EMIT(b, e, t)                                                                                        \
	do {                                                                                                 \
		if ((b) < (e)) {                                                                             \
			if (n && out[n - 1].end == (b) && out[n - 1].type == (t)) {                          \
				out[n - 1].end = (e);                                                        \
			} else {                                                                             \
				if (n == MEMMAP_MAX)                                                         \
					return false;                                                        \
				out[n++] = (struct mem_region){ (b), (e), (t) };                             \
			}                                                                                    \
		}                                                                                            \
	} while (0)

	for (unsigned i = 0; i < m->count; i++) {
		const struct mem_region *r = &m->r[i];
		if (r->end <= base || r->base >= end) {
			if (r->base >= end && cursor < end) {
				EMIT(cursor, end, type);
				cursor = end;
			}
			EMIT(r->base, r->end, r->type);
			continue;
		}
		EMIT(r->base, base, r->type); /* part of r below the new range */
		if (cursor < r->base)
			EMIT(cursor, r->base, type); /* a gap in the old map */
		uint64_t ob = r->base > base ? r->base : base;
		uint64_t oe = r->end < end ? r->end : end;
		uint32_t t = type;
		if (!force && memmap_precedence(r->type) > memmap_precedence(type))
			t = r->type;
		EMIT(ob, oe, t);
		cursor = oe;
		EMIT(end, r->end, r->type); /* part of r above the new range */
	}
	if (cursor < end)
		EMIT(cursor, end, type);
#undef EMIT
	memcpy(m->r, out, n * sizeof(out[0]));
	m->count = n;
	return true;
}

static bool add(struct memmap *m, uint64_t base, uint64_t size, uint32_t type, bool force)
{
	if (size == 0)
		return true;
	uint64_t end = base + size;
	if (end < base)
		end = UINT64_MAX; /* wrapped: cut at the top */
	if (!overlay(m, base, end, type, force)) {
		m->dropped++;
		return false;
	}
	return true;
}

bool memmap_add(struct memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	return add(m, base, size, type, false);
}

bool memmap_set(struct memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	return add(m, base, size, type, true);
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < m->count; i++)
		if (m->r[i].type == type)
			sum += m->r[i].end - m->r[i].base;
	return sum;
}

bool memmap_overlaps(const struct memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	uint64_t end = base + size < base ? ~0ul : base + size;
	for (unsigned i = 0; i < m->count; i++)
		if (m->r[i].type == type && m->r[i].base < end && base < m->r[i].end)
			return true;
	return false;
}
