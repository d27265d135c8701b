/* Common includes of the host unit tests (cmocka, under ASan and UBSan).
 * Each test file names the kernel sources it links in a line
 * "// links: FILE..." that the Makefile reads. */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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
