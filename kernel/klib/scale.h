/* x * num / den without 128-bit division (a freestanding kernel has no
 * libgcc): a factor mult / 2^shift, fixed once, then one 128-bit
 * multiply per use. */
#pragma once

#include <stdint.h>

struct scale {
	uint64_t mult;
	uint32_t shift;
};

static inline struct scale scale_of(uint64_t num, uint64_t den)
{
	uint32_t sh = 32;
	while (sh > 0 && num > (UINT64_MAX >> sh))
		sh--;
	return (struct scale){ den ? (num << sh) / den : 0, sh };
}

/* Rounded down; saturates at UINT64_MAX. */
static inline uint64_t scale_apply(struct scale s, uint64_t x)
{
	unsigned __int128 v = ((unsigned __int128)x * s.mult) >> s.shift;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}
