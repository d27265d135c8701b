/* sigma0's record of what it still owns, and the taking of free RAM,
 * devices and ports from it (see pool.h). */
#include "pool.h"

#include <string.h>

#define RANGES_MAX 512
#define DEVICES_MAX 128

enum kind { RAM, MODULE };

struct range {
	uint64_t base, end;
	enum kind kind;
};

static const struct mica_kip *kip;
static struct range ranges[RANGES_MAX]; /* sorted, disjoint */
static unsigned nranges;
static struct {
	uint64_t base, end;
} devices[DEVICES_MAX];
static unsigned ndevices;
static uint8_t ports_given[65536 / 8];
static uint64_t given;

static void add(uint64_t base, uint64_t end, enum kind kind)
{
	/* Only whole pages are handed out: free RAM rounds inwards, a
	 * module's pages outwards (the rest of its last page is its own). */
	if (kind == RAM) {
		base = (base + 0xfff) & ~0xffful;
		end &= ~0xffful;
	} else {
		base &= ~0xffful;
		end = (end + 0xfff) & ~0xffful;
	}
	if (nranges && ranges[nranges - 1].end > base)
		base = ranges[nranges - 1].end;
	if (base < end && nranges < RANGES_MAX)
		ranges[nranges++] = (struct range){ base, end, kind };
}

void pool_init(const struct mica_kip *k)
{
	kip = k;
	const struct mica_kip_mem *mem = mica_kip_at(kip, kip->mem_offset);
	for (uint32_t i = 0; i < kip->mem_count; i++) {
		if (mem[i].type == MICA_MEM_CONVENTIONAL)
			add(mem[i].base, mem[i].base + mem[i].size, RAM);
		else if (mem[i].type == MICA_MEM_MODULE)
			add(mem[i].base, mem[i].base + mem[i].size, MODULE);
	}
}

/* Removes [base, end) from range i, which holds it. */
static enum mica_error cut(unsigned i, uint64_t base, uint64_t end)
{
	struct range *r = &ranges[i];
	if (r->base < base && end < r->end) {
		if (nranges == RANGES_MAX)
			return MICA_E_NO_MEMORY; /* the table is full: refuse rather than lose memory */
		memmove(&ranges[i + 1], &ranges[i], (nranges - i) * sizeof(ranges[0]));
		nranges++;
		ranges[i].end = base;
		ranges[i + 1].base = end;
	} else if (r->base == base && end == r->end) {
		memmove(&ranges[i], &ranges[i + 1], (nranges - i - 1) * sizeof(ranges[0]));
		nranges--;
	} else if (r->base == base) {
		r->base = end;
	} else {
		r->end = base;
	}
	given += end - base;
	return MICA_OK;
}

static bool overlaps_type(uint64_t base, uint64_t end, bool (*pred)(uint32_t))
{
	const struct mica_kip_mem *mem = mica_kip_at(kip, kip->mem_offset);
	for (uint32_t i = 0; i < kip->mem_count; i++)
		if (pred(mem[i].type) && mem[i].base < end && base < mem[i].base + mem[i].size)
			return true;
	return false;
}

static bool is_ram(uint32_t type)
{
	return type == MICA_MEM_CONVENTIONAL || type == MICA_MEM_MODULE;
}

static bool not_device(uint32_t type)
{
	return type != MICA_MEM_RESERVED && type != MICA_MEM_ACPI && type != MICA_MEM_ACPI_NVS;
}

enum mica_error pool_take(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	for (unsigned i = 0; i < nranges; i++)
		if (ranges[i].base <= base && end <= ranges[i].end)
			return cut(i, base, end);
	/* RAM that is gone already, or memory that is not RAM at all. */
	return overlaps_type(base, end, is_ram) ? MICA_E_NO_MEMORY : MICA_E_NO_RIGHTS;
}

enum mica_error pool_take_any(unsigned log2, uint64_t *base)
{
	uint64_t size = 1ul << log2;
	for (unsigned i = 0; i < nranges; i++) {
		if (ranges[i].kind != RAM)
			continue;
		uint64_t b = (ranges[i].base + size - 1) & ~(size - 1);
		if (b >= ranges[i].base && b + size <= ranges[i].end && b + size > b) {
			*base = b;
			return cut(i, b, b + size);
		}
	}
	return MICA_E_NO_MEMORY;
}

enum mica_error pool_take_device(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	/* Beyond the KIP's table (memory-mapped devices are mostly in holes
	 * of the firmware's map) anything but RAM and the kernel's. */
	if (overlaps_type(base, end, not_device))
		return MICA_E_NO_RIGHTS;
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].base < end && base < devices[i].end)
			return MICA_E_NO_MEMORY;
	if (ndevices == DEVICES_MAX)
		return MICA_E_NO_MEMORY;
	devices[ndevices].base = base;
	devices[ndevices++].end = end;
	return MICA_OK;
}

static bool port_given(uint64_t p)
{
	return ports_given[p / 8] & (1u << (p % 8));
}

enum mica_error pool_take_ports(uint64_t first, uint64_t count)
{
	for (uint64_t p = first; p < first + count; p++)
		if (port_given(p))
			return MICA_E_NO_MEMORY;
	for (uint64_t p = first; p < first + count; p++)
		ports_given[p / 8] |= (uint8_t)(1u << (p % 8));
	return MICA_OK;
}

uint64_t pool_free_bytes(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < nranges; i++)
		if (ranges[i].kind == RAM)
			n += ranges[i].end - ranges[i].base;
	return n;
}

uint64_t pool_given_bytes(void)
{
	return given;
}
