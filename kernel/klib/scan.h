/* Finding the next used entry of a sparse table of words (page tables,
 * the capability space's tables) eight entries a step. */
#pragma once

#include <stdint.h>

/* Entries of any pointer or integer type, read as words. */
typedef uint64_t __attribute__((may_alias)) scan_word;

/* The index of the first nonzero entry of w[from, n), or n. Walks over
 * tables that are mostly empty (task destruction, unmap of a sparse
 * range) cost a step per eight entries instead of a test per entry:
 * destroying a small task's address space scanned 1,800 empty entries. */
static inline unsigned scan_next(const void *table, unsigned from, unsigned n)
{
	const scan_word *w = table;
	if (from < n && w[from])
		return from; /* the common case of a walk over a used range */
	unsigned i = from;
	for (; i < n && (i & 7); i++)
		if (w[i])
			return i;
	for (; i + 8 <= n; i += 8)
		if (w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7])
			break;
	for (; i < n; i++)
		if (w[i])
			return i;
	return n;
}
