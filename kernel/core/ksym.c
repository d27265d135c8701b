#include "ksym.h"

/* Weak empty table for the first link pass; the generated table in the
 * .ksyms section overrides it in the final image. */
__attribute__((weak)) const uint64_t ksym_count = 0;
__attribute__((weak)) const uint64_t ksym_addrs[1];
__attribute__((weak)) const uint32_t ksym_names[1];
__attribute__((weak)) const char ksym_strings[1];

extern char _text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t n = ksym_count;
	if (n == 0 || addr < ksym_addrs[0] || addr >= (uint64_t)_text_end)
		return 0;
	uint64_t lo = 0, hi = n; /* find the last symbol at or below addr */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksym_addrs[lo];
	return ksym_strings + ksym_names[lo];
}
