/* Parsing the ACPI tables (RSDP, RSDT/XSDT, MADT) as untrusted input:
 * every length and checksum is checked before a field is read. */
#include "platform/pc/acpi.h"

#include <string.h>

#include "klib/le.h"

/* Table layouts from the ACPI Specification 6.x, 5.2. */
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define SDT_HEADER_LEN 36
#define MADT_ENTRIES 44
#define DEFAULT_LAPIC 0xfee00000ul

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
};

bool acpi_checksum_ok(const void *p, uint64_t len)
{
	uint8_t sum = 0;
	for (uint64_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

bool acpi_rsdp_valid(const void *p, uint64_t len)
{
	const uint8_t *r = p;
	if (len < RSDP_V1_LEN || memcmp(r, "RSD PTR ", 8) != 0 || !acpi_checksum_ok(r, RSDP_V1_LEN))
		return false;
	if (r[15] >= 2) {
		uint32_t full = le32(r + 20);
		if (full < RSDP_V2_LEN || full > len || !acpi_checksum_ok(r, full))
			return false;
	}
	return true;
}

static bool scan(const struct phys_access *pa, uint64_t start, uint64_t len, uint64_t *out)
{
	for (uint64_t a = start; a + RSDP_V1_LEN <= start + len; a += 16) {
		const uint8_t *p = phys_map(pa, a, RSDP_V1_LEN);
		if (!p || memcmp(p, "RSD PTR ", 8) != 0)
			continue;
		uint64_t want = p[15] >= 2 ? RSDP_V2_LEN : RSDP_V1_LEN;
		const uint8_t *full = phys_map(pa, a, want);
		if (full && acpi_rsdp_valid(full, want)) {
			*out = a;
			return true;
		}
	}
	return false;
}

bool acpi_find_rsdp(const struct phys_access *pa, uint64_t *rsdp_phys)
{
	const uint8_t *bda = phys_map(pa, 0x40e, 2); /* BDA: EBDA segment */
	if (bda) {
		uint64_t ebda = (uint64_t)le16(bda) << 4;
		if (ebda >= 0x80000 && ebda < 0xa0000 && scan(pa, ebda, 1024, rsdp_phys))
			return true;
	}
	return scan(pa, 0xe0000, 0x20000, rsdp_phys);
}

/* Maps a whole table after checking its header: signature (if sig),
 * sane length, mappable, checksum. */
static const uint8_t *map_table(const struct phys_access *pa, uint64_t phys, const char *sig)
{
	const uint8_t *h = phys_map(pa, phys, SDT_HEADER_LEN);
	if (!h || (sig && memcmp(h, sig, 4) != 0))
		return 0;
	uint32_t len = le32(h + 4);
	if (len < SDT_HEADER_LEN || len > ACPI_TABLE_MAX)
		return 0;
	const uint8_t *t = phys_map(pa, phys, len);
	if (!t || !acpi_checksum_ok(t, len))
		return 0;
	return t;
}

static void add_cpu(struct acpi_info *info, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	bool enabled = flags & 1, online_capable = flags & 2;
	if (!enabled && !online_capable)
		return;
	for (unsigned i = 0; i < info->cpu_count; i++)
		if (info->cpus[i].apic_id == apic_id)
			return; /* listed as both LAPIC and x2APIC */
	if (info->cpu_count == ACPI_MAX_CPUS) {
		info->warnings |= ACPI_WARN_TOO_MANY;
		return;
	}
	info->cpus[info->cpu_count++] = (struct acpi_cpu){ apic_id, uid, enabled };
}

static void parse_madt(const uint8_t *t, struct acpi_info *info)
{
	uint32_t len = le32(t + 4);
	if (len < MADT_ENTRIES) {
		info->warnings |= ACPI_WARN_BAD_TABLE;
		return;
	}
	info->have_madt = true;
	info->lapic_addr = le32(t + 36);
	info->madt_flags = le32(t + 40);
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
		const uint8_t *e = t + off;
		uint8_t type = e[0], elen = e[1];
		if (elen < 2 || elen > len - off) {
			info->warnings |= ACPI_WARN_BAD_ENTRY;
			return; /* cannot find the next entry: stop */
		}
		switch (type) {
		case MADT_LAPIC:
			if (elen >= 8)
				add_cpu(info, e[3], e[2], le32(e + 4));
			break;
		case MADT_X2APIC:
			if (elen >= 16)
				add_cpu(info, le32(e + 4), le32(e + 12), le32(e + 8));
			break;
		case MADT_IOAPIC:
			if (elen < 12)
				break;
			if (info->ioapic_count == ACPI_MAX_IOAPICS) {
				info->warnings |= ACPI_WARN_TOO_MANY;
				break;
			}
			info->ioapics[info->ioapic_count++] =
				(struct acpi_ioapic){ e[2], le32(e + 8), le32(e + 4) };
			break;
		case MADT_OVERRIDE:
			if (elen < 10)
				break;
			if (info->override_count == ACPI_MAX_OVERRIDES) {
				info->warnings |= ACPI_WARN_TOO_MANY;
				break;
			}
			info->overrides[info->override_count++] =
				(struct acpi_override){ e[2], e[3], le16(e + 8), le32(e + 4) };
			break;
		case MADT_LAPIC_ADDR:
			if (elen >= 12)
				info->lapic_addr = le64(e + 4);
			break;
		default:
			break;
		}
		off += elen;
	}
}

/* Walks the entries of an RSDT (4-byte pointers) or XSDT (8-byte). */
static bool find_madt(const struct phys_access *pa, const uint8_t *root, unsigned ptr_size,
		      struct acpi_info *info)
{
	uint32_t len = le32(root + 4);
	for (uint32_t off = SDT_HEADER_LEN; off + ptr_size <= len; off += ptr_size) {
		uint64_t phys = ptr_size == 8 ? le64(root + off) : le32(root + off);
		const uint8_t *h = phys_map(pa, phys, SDT_HEADER_LEN);
		if (!h || memcmp(h, "APIC", 4) != 0)
			continue;
		const uint8_t *t = map_table(pa, phys, "APIC");
		if (!t) {
			info->warnings |= ACPI_WARN_BAD_TABLE;
			continue; /* a later copy may be good */
		}
		parse_madt(t, info);
		if (info->have_madt)
			return true;
	}
	return false;
}

enum acpi_error acpi_parse(const struct phys_access *pa, const void *rsdp, uint64_t len,
			   struct acpi_info *info)
{
	memset(info, 0, sizeof(*info));
	info->lapic_addr = DEFAULT_LAPIC;
	enum acpi_error err = ACPI_OK;
	const uint8_t *r = rsdp;

	if (!acpi_rsdp_valid(r, len)) {
		err = ACPI_NO_RSDP;
		goto fallback;
	}
	info->revision = r[15];
	const uint8_t *root = 0;
	unsigned ptr_size = 4;
	if (r[15] >= 2 && le64(r + 24) != 0) {
		root = map_table(pa, le64(r + 24), "XSDT");
		ptr_size = 8;
		if (!root)
			info->warnings |= ACPI_WARN_BAD_ROOT;
	}
	if (!root) {
		root = map_table(pa, le32(r + 16), "RSDT");
		ptr_size = 4;
	}
	if (!root) {
		err = ACPI_NO_ROOT;
		goto fallback;
	}
	if (find_madt(pa, root, ptr_size, info) && info->cpu_count > 0)
		return ACPI_OK;
	err = ACPI_NO_MADT;

fallback:
	/* Without a usable MADT: one CPU, the architectural APIC address. */
	info->cpu_count = 0;
	info->lapic_addr = DEFAULT_LAPIC;
	return err;
}
