/* Parsing what a Multiboot 1 or 2 loader hands over (command line,
 * modules, memory map, RSDP) into the kernel's one form, as untrusted
 * input. */
#include "platform/pc/multiboot.h"

#include <string.h>

#include "klib/le.h"

/* Multiboot 1 information structure offsets (Multiboot Specification 0.6.96, 3.3) */
#define MB1_FLAGS 0
#define MB1_MEM_LOWER 4
#define MB1_MEM_UPPER 8
#define MB1_CMDLINE 16
#define MB1_MODS_COUNT 20
#define MB1_MODS_ADDR 24
#define MB1_MMAP_LENGTH 44
#define MB1_MMAP_ADDR 48
#define MB1_INFO_SIZE 52
#define MB1_F_MEM (1u << 0)
#define MB1_F_CMDLINE (1u << 2)
#define MB1_F_MODS (1u << 3)
#define MB1_F_MMAP (1u << 6)

/* Multiboot 2 tag types (Multiboot2 Specification, 3.6) */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_INFO_MAX (1u << 20) /* larger claims are treated as corrupt */

/* A field at byte offset off of a loader structure. */
#define F32(p, off) le32((const uint8_t *)(p) + (off))
#define F64(p, off) le64((const uint8_t *)(p) + (off))

static uint32_t mem_type_from_firmware(uint32_t t)
{
	switch (t) { /* the E820 types both Multiboot versions pass on */
	case 1:
		return MICA_MEM_CONVENTIONAL;
	case 3:
		return MICA_MEM_ACPI;
	case 4:
		return MICA_MEM_ACPI_NVS;
	case 5:
		return MICA_MEM_BAD;
	default:
		return MICA_MEM_RESERVED;
	}
}

/* Copies a NUL-terminated string from physical memory, byte by byte so
 * that a string ending right at the edge of accessible memory still
 * works. Returns false if it was cut. */
static bool copy_phys_string(const struct phys_access *pa, uint64_t phys, char *dst, unsigned size)
{
	for (unsigned i = 0; i + 1 < size; i++) {
		const char *c = phys_map(pa, phys + i, 1);
		if (!c || !*c) {
			dst[i] = '\0';
			return c != 0;
		}
		dst[i] = *c;
	}
	dst[size - 1] = '\0';
	return false;
}

/* Copies a string that must end inside [p, p + len). */
static bool copy_bounded_string(const char *p, uint64_t len, char *dst, unsigned size)
{
	unsigned n = 0;
	while (n < len && p[n] && n + 1 < size) {
		dst[n] = p[n];
		n++;
	}
	dst[n] = '\0';
	return n < len && p[n] == '\0';
}

static void add_module(struct multiboot_info *bi, uint64_t start, uint64_t end)
{
	if (end < start) {
		bi->warnings |= BOOT_WARN_BAD_MODULE;
		return;
	}
	if (bi->boot.module_count == BOOT_MODULES_MAX) {
		bi->warnings |= BOOT_WARN_MODULES_DROPPED;
		return;
	}
	struct boot_module *m = &bi->boot.modules[bi->boot.module_count++];
	m->start = start;
	m->end = end;
	m->cmdline[0] = '\0';
}

static void add_firmware_region(struct multiboot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (!memmap_add(&bi->boot.mem, base, len, mem_type_from_firmware(type)))
		bi->warnings |= BOOT_WARN_MMAP_FULL;
}

static enum multiboot_error parse_mb1(uint64_t info_phys, const struct phys_access *pa,
				      struct multiboot_info *bi)
{
	const uint8_t *info = phys_map(pa, info_phys, MB1_INFO_SIZE);
	if (!info)
		return MULTIBOOT_UNREADABLE;
	uint32_t flags = F32(info, MB1_FLAGS);

	if ((flags & MB1_F_CMDLINE) &&
	    !copy_phys_string(pa, F32(info, MB1_CMDLINE), bi->boot.cmdline, sizeof(bi->boot.cmdline)))
		bi->warnings |= BOOT_WARN_CMDLINE_CUT;

	if (flags & MB1_F_MODS) {
		uint32_t count = F32(info, MB1_MODS_COUNT), addr = F32(info, MB1_MODS_ADDR);
		for (uint32_t i = 0; i < count; i++) {
			const uint8_t *mod = phys_map(pa, (uint64_t)addr + 16ul * i, 16);
			if (!mod) {
				bi->warnings |= BOOT_WARN_BAD_MODULE;
				break;
			}
			unsigned before = bi->boot.module_count;
			add_module(bi, F32(mod, 0), F32(mod, 4));
			if (bi->boot.module_count > before &&
			    !copy_phys_string(pa, F32(mod, 8), bi->boot.modules[before].cmdline,
					      sizeof(bi->boot.modules[before].cmdline)))
				bi->warnings |= BOOT_WARN_CMDLINE_CUT;
		}
	}

	bool have_map = false;
	if (flags & MB1_F_MMAP) {
		uint64_t pos = F32(info, MB1_MMAP_ADDR);
		uint64_t end = pos + F32(info, MB1_MMAP_LENGTH);
		/* Each entry: u32 size (not counting itself), u64 base, u64 length, u32 type. */
		while (pos + 4 <= end) {
			const uint8_t *e = phys_map(pa, pos, 4);
			uint32_t size = e ? F32(e, 0) : 0;
			if (!e || size < 20 || pos + 4 + size > end || !(e = phys_map(pa, pos, 4 + size))) {
				bi->warnings |= BOOT_WARN_BAD_MMAP_ENTRY;
				break;
			}
			add_firmware_region(bi, F64(e, 4), F64(e, 12), F32(e, 20));
			have_map = true;
			pos += 4 + size;
		}
	}
	if (!have_map && (flags & MB1_F_MEM)) {
		add_firmware_region(bi, 0, (uint64_t)F32(info, MB1_MEM_LOWER) << 10, 1);
		add_firmware_region(bi, 1ul << 20, (uint64_t)F32(info, MB1_MEM_UPPER) << 10, 1);
		have_map = true;
	}
	return have_map ? MULTIBOOT_OK : MULTIBOOT_NO_MEMORY_MAP;
}

static void parse_mb2_mmap(const uint8_t *tag, uint32_t size, struct multiboot_info *bi, bool *have_map)
{
	if (size < 16) {
		bi->warnings |= BOOT_WARN_BAD_TAG;
		return;
	}
	uint32_t entry_size = F32(tag, 8);
	if (entry_size < 24) {
		bi->warnings |= BOOT_WARN_BAD_MMAP_ENTRY;
		return;
	}
	for (uint32_t off = 16; off + entry_size <= size; off += entry_size) {
		add_firmware_region(bi, F64(tag, off), F64(tag, off + 8), F32(tag, off + 16));
		*have_map = true;
	}
}

static enum multiboot_error parse_mb2(uint64_t info_phys, const struct phys_access *pa,
				      struct multiboot_info *bi)
{
	const uint8_t *hdr = phys_map(pa, info_phys, 8);
	if (!hdr)
		return MULTIBOOT_UNREADABLE;
	uint32_t total = F32(hdr, 0);
	if (total < 16 || total > MB2_INFO_MAX)
		return MULTIBOOT_MALFORMED;
	const uint8_t *info = phys_map(pa, info_phys, total);
	if (!info)
		return MULTIBOOT_UNREADABLE;

	bool have_map = false, have_basic = false, ended = false;
	uint32_t mem_lower = 0, mem_upper = 0;
	uint32_t off = 8;
	while (off + 8 <= total) {
		const uint8_t *tag = info + off;
		uint32_t type = F32(tag, 0), size = F32(tag, 4);
		if (size < 8 || size > total - off) {
			bi->warnings |= BOOT_WARN_BAD_TAG;
			break;
		}
		if (type == MB2_TAG_END) {
			ended = true;
			break;
		}
		switch (type) {
		case MB2_TAG_CMDLINE:
			if (!copy_bounded_string((const char *)tag + 8, size - 8, bi->boot.cmdline,
						 sizeof(bi->boot.cmdline)))
				bi->warnings |= BOOT_WARN_CMDLINE_CUT;
			break;
		case MB2_TAG_MODULE:
			if (size < 16) {
				bi->warnings |= BOOT_WARN_BAD_TAG;
				break;
			}
			unsigned before = bi->boot.module_count;
			add_module(bi, F32(tag, 8), F32(tag, 12));
			if (bi->boot.module_count > before &&
			    !copy_bounded_string((const char *)tag + 16, size - 16,
						 bi->boot.modules[before].cmdline,
						 sizeof(bi->boot.modules[before].cmdline)))
				bi->warnings |= BOOT_WARN_CMDLINE_CUT;
			break;
		case MB2_TAG_BASIC_MEMINFO:
			if (size >= 16) {
				mem_lower = F32(tag, 8);
				mem_upper = F32(tag, 12);
				have_basic = true;
			}
			break;
		case MB2_TAG_MMAP:
			parse_mb2_mmap(tag, size, bi, &have_map);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			uint32_t len = size - 8;
			if (len > ACPI_RSDP_COPY_MAX)
				len = ACPI_RSDP_COPY_MAX;
			/* The ACPI 2.0 copy wins over the 1.0 one, whichever comes first. */
			if (type == MB2_TAG_ACPI_NEW || bi->rsdp_len == 0) {
				memcpy(bi->rsdp, tag + 8, len);
				bi->rsdp_len = len;
			}
			break;
		}
		default:
			break; /* tags we do not use */
		}
		off += (size + 7) & ~7u;
	}
	if (!ended)
		bi->warnings |= BOOT_WARN_NO_END_TAG;
	if (!have_map && have_basic) {
		add_firmware_region(bi, 0, (uint64_t)mem_lower << 10, 1);
		add_firmware_region(bi, 1ul << 20, (uint64_t)mem_upper << 10, 1);
		have_map = true;
	}
	return have_map ? MULTIBOOT_OK : MULTIBOOT_NO_MEMORY_MAP;
}

enum multiboot_error multiboot_parse(uint32_t magic, uint64_t info_phys, const struct phys_access *pa,
				     struct multiboot_info *out)
{
	memset(out, 0, sizeof(*out));
	memmap_init(&out->boot.mem);
	switch (magic) {
	case MB1_BOOT_MAGIC:
		out->loader = BOOT_MULTIBOOT1;
		return parse_mb1(info_phys, pa, out);
	case MB2_BOOT_MAGIC:
		out->loader = BOOT_MULTIBOOT2;
		return parse_mb2(info_phys, pa, out);
	default:
		return MULTIBOOT_BAD_MAGIC;
	}
}
