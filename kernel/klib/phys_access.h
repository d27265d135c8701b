/* How parsers of firmware and loader data reach physical memory. The
 * kernel maps through its direct map; host tests map into a buffer. A
 * parser asks for exactly the bytes it reads, so a structure that points
 * outside accessible memory is detected instead of followed. */
#pragma once

#include <stdint.h>

struct phys_access {
	/* Returns a pointer to [phys, phys + len), or NULL if any of it is not
	 * accessible. */
	const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *ctx;
};

static inline const void *phys_map(const struct phys_access *pa, uint64_t phys, uint64_t len)
{
	if (phys + len < phys)
		return 0;
	return pa->map(pa->ctx, phys, len);
}
