/* Address-to-name lookup in the kernel's symbol table, for backtraces. */
#include "debug/ksym.h"

/* Generated (the first link pass uses an empty table). */
extern const uint64_t ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_names[];
extern const char ksym_strings[];

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
