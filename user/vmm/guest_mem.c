/* Guest memory as the guest's own code sees it: a guest-virtual address
 * through the guest's 4-level page tables (long mode, 4 KiB, 2 MiB and
 * 1 GiB pages) to guest RAM, for the instructions the monitor must
 * decode itself (the CPU's decode assists are not relied on). */
#include <string.h>

#include "vmm.h"

#define PTE_P 1ul
#define PTE_PS 0x80ul
#define ADDR_MASK 0x000ffffffffff000ul

static bool entry(uint64_t table, unsigned index, uint64_t *e)
{
	uint64_t gpa = (table & ADDR_MASK) + index * 8ul;
	if (gpa + 8 > ram_size)
		return false;
	memcpy(e, ram + gpa, 8);
	return (*e & PTE_P) != 0;
}

bool guest_read(uint64_t gva, void *buf, size_t n)
{
	uint8_t *out = buf;
	while (n) {
		uint64_t gpa = gva, e, page = 4096;
		if (GS->cr0 & (1ul << 31)) {
			/* Down the levels until a leaf: 1 GiB, 2 MiB or 4 KiB. */
			uint64_t table = GS->cr3;
			unsigned shift = 39;
			for (;;) {
				if (!entry(table, (gva >> shift) & 511, &e))
					return false;
				if (shift == 12 || (shift < 39 && (e & PTE_PS)))
					break;
				table = e;
				shift -= 9;
			}
			page = 1ul << shift;
			gpa = (e & ADDR_MASK & ~(page - 1)) | (gva & (page - 1));
		}
		size_t chunk = page - (gva & (page - 1));
		if (chunk > n)
			chunk = n;
		if (gpa + chunk > ram_size)
			return false;
		memcpy(out, ram + gpa, chunk);
		out += chunk;
		gva += chunk;
		n -= chunk;
	}
	return true;
}
