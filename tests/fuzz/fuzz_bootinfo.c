// links: kernel/platform/pc/multiboot.c kernel/memory/memmap.c kernel/boot/cmdline.c
/* The Multiboot 1 and 2 information parsers and the command-line option
 * scanner. Input: a flags byte (bit 0: Multiboot 2), two bytes for where
 * the information structure sits, then physical memory at PBASE. What
 * comes out is bounded and terminated, and the memory map is normalized. */
#include "fuzz.h"

#include "boot/cmdline.h"
#include "platform/pc/multiboot.h"

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
	static struct multiboot_info bi;
	enum multiboot_error e = multiboot_parse(magic, info_phys, &pa, &bi);
	if (e == MULTIBOOT_OK) {
		FUZZ_ASSERT(terminated(bi.boot.cmdline, sizeof(bi.boot.cmdline)));
		FUZZ_ASSERT(bi.boot.module_count <= BOOT_MODULES_MAX);
		for (unsigned i = 0; i < bi.boot.module_count; i++) {
			FUZZ_ASSERT(bi.boot.modules[i].start <= bi.boot.modules[i].end);
			FUZZ_ASSERT(
				terminated(bi.boot.modules[i].cmdline, sizeof(bi.boot.modules[i].cmdline)));
		}
		FUZZ_ASSERT(bi.rsdp_len <= ACPI_RSDP_COPY_MAX);
		FUZZ_ASSERT(bi.boot.mem.count <= MEMMAP_MAX);
		for (unsigned i = 0; i < bi.boot.mem.count; i++) {
			FUZZ_ASSERT(bi.boot.mem.r[i].base < bi.boot.mem.r[i].end);
			FUZZ_ASSERT(i == 0 || bi.boot.mem.r[i - 1].end <= bi.boot.mem.r[i].base);
		}
		char value[32];
		if (cmdline_option(bi.boot.cmdline, "mica.cpus", value, sizeof(value)))
			FUZZ_ASSERT(terminated(value, sizeof(value)));
	}
	/* The option scanner on the raw input as a command line. */
	char line[BOOT_CMDLINE_MAX];
	size_t len = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	memcpy(line, mem, len);
	line[len] = 0;
	char value[8];
	if (cmdline_option(line, "x", value, sizeof(value)))
		FUZZ_ASSERT(terminated(value, sizeof(value)));
	cmdline_option(line, "test", NULL, 0);
	return 0;
}
