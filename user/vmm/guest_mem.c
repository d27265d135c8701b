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
			if (!entry(GS->cr3, (gva >> 39) & 511, &e) || !entry(e, (gva >> 30) & 511, &e))
				return false;
			if (e & PTE_PS) {
				page = 1ul << 30;
			} else if (!entry(e, (gva >> 21) & 511, &e)) {
				return false;
			} else if (e & PTE_PS) {
				page = 2ul << 20;
			} else if (!entry(e, (gva >> 12) & 511, &e)) {
				return false;
			}
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
