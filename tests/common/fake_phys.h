/* What the host unit tests and fuzzers share: a fake physical memory
 * for the parsers of firmware and loader data, little-endian stores and
 * the ACPI checksum. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A fake physical memory for parsers: [base, base + size) is readable. */
struct fake_phys {
	uint64_t base;
	uint64_t size;
	uint8_t *mem;
};

static inline const void *fake_phys_map(void *ctx, uint64_t phys, uint64_t len)
{
	struct fake_phys *f = ctx;
	if (phys < f->base || phys - f->base > f->size || len > f->size - (phys - f->base))
		return NULL;
	return f->mem + (phys - f->base);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static inline void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}
static inline void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* Sets the byte at `at` so that the len bytes at p sum to 0 (mod 256):
 * an ACPI table's or root pointer's checksum. */
static inline void acpi_fix_checksum(uint8_t *p, uint32_t len, uint32_t at)
{
	uint8_t sum = 0;
	p[at] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (uint8_t)-sum;
}
