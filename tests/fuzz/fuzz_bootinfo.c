// links: kernel/platform/pc/multiboot.c kernel/memory/memmap.c
/* The Multiboot 1 and 2 information parsers and the command-line option
 * scanner. Input: a flags byte (bit 0: Multiboot 2), two bytes for where
 * the information structure sits, then physical memory at PBASE. What
 * comes out is bounded and terminated, and the memory map is normalized. */
#include "fuzz.h"

#include "boot/bootinfo.h"

#define PBASE 0x10000ul
#define MEM_SIZE 0x10000u
static uint8_t mem[MEM_SIZE];

static int terminated(const char *s, size_t max)
{
	return memchr(s, 0, max) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint32_t magic = (data[0] & 1) ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC;
	uint64_t info_phys = PBASE + ((uint64_t)data[1] | (uint64_t)(data[2] & 0x7f) << 8) * 8;
	size_t n = size - 3 < MEM_SIZE ? size - 3 : MEM_SIZE;
	memset(mem, 0, MEM_SIZE);
	memcpy(mem, data + 3, n);
	/* Only what the input covers is memory. */
	struct fake_phys fake = { PBASE, n, mem };
	const struct phys_access pa = { fake_phys_map, &fake };
	static struct boot_info bi;
	enum bootinfo_error e = bootinfo_parse(magic, info_phys, &pa, &bi);
	if (e == BOOTINFO_OK) {
		FUZZ_ASSERT(terminated(bi.cmdline, sizeof(bi.cmdline)));
		FUZZ_ASSERT(bi.module_count <= BOOT_MODULES_MAX);
		for (unsigned i = 0; i < bi.module_count; i++) {
			FUZZ_ASSERT(bi.modules[i].start <= bi.modules[i].end);
			FUZZ_ASSERT(terminated(bi.modules[i].cmdline, sizeof(bi.modules[i].cmdline)));
		}
		FUZZ_ASSERT(bi.rsdp_len <= ACPI_RSDP_COPY_MAX);
		FUZZ_ASSERT(bi.mem.count <= MEMMAP_MAX);
		for (unsigned i = 0; i < bi.mem.count; i++) {
			FUZZ_ASSERT(bi.mem.r[i].base < bi.mem.r[i].end);
			FUZZ_ASSERT(i == 0 || bi.mem.r[i - 1].end <= bi.mem.r[i].base);
		}
		char value[32];
		if (bootinfo_cmdline_option(bi.cmdline, "mica.cpus", value, sizeof(value)))
			FUZZ_ASSERT(terminated(value, sizeof(value)));
	}
	/* The option scanner on the raw input as a command line. */
	char line[BOOT_CMDLINE_MAX];
	size_t len = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	memcpy(line, mem, len);
	line[len] = 0;
	char value[8];
	if (bootinfo_cmdline_option(line, "x", value, sizeof(value)))
		FUZZ_ASSERT(terminated(value, sizeof(value)));
	bootinfo_cmdline_option(line, "test", NULL, 0);
	return 0;
}
