/* sigma0's paging of the root task from its boot module (see
 * root_pager.h). */
#include "root_pager.h"

#include <elf.h>
#include <mica/fpage.h>
#include <mica/layout.h>
#include <mica_sys.h>
#include <string.h>

#include "phys.h"
#include "pool.h"

#define PAGE 4096ul
/* The root task's stack may grow this far below its top. */
#define STACK_MAX (1ul << 20)
/* Which frame backs which page of the root task, so that a page it
 * unmapped itself comes back with its contents: 2^13 pages (32 MiB). */
#define TABLE_LOG2 13
#define TABLE_SIZE (1ul << TABLE_LOG2)

struct entry {
	uint64_t va; /* 0: free */
	uint64_t pa;
};

static struct elf_image elf;
static const uint8_t *image; /* the module, in the physical window */
static struct entry *table;  /* in frames sigma0 took for itself */

bool root_pager_init(const struct mica_kip *kip)
{
	if (kip->module_count < 2)
		return false;
	const struct mica_kip_module *m = mica_kip_at(kip, kip->module_offset);
	image = phys_map(m[1].base, m[1].size, MICA_FPAGE_R);
	uint64_t tpa;
	unsigned tlog2 = TABLE_LOG2 + 4; /* 16-byte entries */
	if (!image || pool_take_any(tlog2, &tpa) != MICA_OK ||
	    !(table = phys_map(tpa, 1ul << tlog2, MICA_FPAGE_RW)))
		return false;
	memset(table, 0, 1ul << tlog2);
	/* The kernel checked it before it started the root task. */
	return elf_validate(image, m[1].size, MICA_USER_MIN, MICA_USER_END, &elf) == ELF_OK;
}

static struct entry *lookup(uint64_t va)
{
	uint64_t h = (va >> 12) * 0x9e3779b97f4a7c15ul >> (64 - TABLE_LOG2);
	for (uint64_t n = 0; n < TABLE_SIZE; n++) {
		struct entry *e = &table[(h + n) & (TABLE_SIZE - 1)];
		if (e->va == va || e->va == 0)
			return e;
	}
	return 0;
}

/* The backing of va: a segment (its rights, and the file bytes to copy)
 * or the stack. */
static bool backing(uint64_t va, uint64_t *rights, const struct elf_segment **seg)
{
	*seg = 0;
	for (unsigned i = 0; i < elf.count; i++) {
		const struct elf_segment *s = &elf.seg[i];
		if (va + PAGE > s->vaddr && va < s->vaddr + s->memsz) {
			*seg = s;
			*rights = elf_rights(s->flags);
			return true;
		}
	}
	*rights = MICA_FPAGE_RW;
	return va >= MICA_BOOT_STACK_TOP - STACK_MAX && va < MICA_BOOT_STACK_TOP;
}

static bool fill(uint64_t va, uint64_t pa, const struct elf_segment *s)
{
	uint8_t *p = phys_map(pa, PAGE, MICA_FPAGE_RW);
	if (!p)
		return false;
	memset(p, 0, PAGE);
	if (s) {
		uint64_t lo = va > s->vaddr ? va : s->vaddr;
		uint64_t hi = va + PAGE < s->vaddr + s->filesz ? va + PAGE : s->vaddr + s->filesz;
		if (hi > lo)
			memcpy(p + (lo - va), image + s->offset + (lo - s->vaddr), hi - lo);
	}
	return true;
}

mica_msgtag_t root_page_fault(mica_word_t *mr)
{
	uint64_t va = mr[0] & ~(PAGE - 1), access = mr[2] & MICA_FPAGE_RIGHTS, rights;
	const struct elf_segment *seg;
	if (!table || !backing(va, &rights, &seg))
		return mica_error_tag(MICA_E_BAD_ARG); /* not the root task's memory */
	if ((access & rights) != access)
		return mica_error_tag(MICA_E_NO_RIGHTS); /* e.g. a write to its text */
	struct entry *e = lookup(va);
	if (!e)
		return mica_error_tag(MICA_E_NO_MEMORY);
	if (!e->va) {
		uint64_t pa;
		if (pool_take_any(12, &pa) != MICA_OK || !fill(va, pa, seg))
			return mica_error_tag(MICA_E_NO_MEMORY);
		*e = (struct entry){ va, pa };
	}
	mr[0] = mica_item_mem(va, MICA_ITEM_MAP);
	mr[1] = mica_fpage_mem(e->pa, 12, rights);
	return mica_msgtag(0, 0, MICA_ITEM_WORDS, 0);
}
