/* Host unit tests of the Multiboot 1 and 2 parsers, with malformed
 * inputs. */
// links: kernel/platform/pc/multiboot.c kernel/memory/memmap.c kernel/boot/cmdline.c
#include "unit.h"

#include "boot/cmdline.h"
#include "platform/pc/multiboot.h"

/* A fake physical memory of 64 KiB at 0x10000 holding the loader's data. */
#define PBASE 0x10000ul
static uint8_t mem[0x10000];
static struct fake_phys fake = { PBASE, sizeof(mem), mem };
static const struct phys_access pa = { fake_phys_map, &fake };
static struct multiboot_info bi;

static uint8_t *at(uint64_t phys)
{
	return mem + (phys - PBASE);
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	return 0;
}

/* --- Multiboot 1 ---------------------------------------------------- */

#define MB1_INFO 0x10000ul
#define MB1_MMAP 0x11000ul
#define MB1_MODS 0x12000ul
#define MB1_STR 0x13000ul

static void mb1_entry(uint64_t *pos, uint64_t base, uint64_t len, uint32_t type)
{
	put32(at(*pos), 20);
	put64(at(*pos) + 4, base);
	put64(at(*pos) + 12, len);
	put32(at(*pos) + 20, type);
	*pos += 24;
}

static void mb1_build(void)
{
	uint64_t pos = MB1_MMAP;
	mb1_entry(&pos, 0, 0x9fc00, 1);
	mb1_entry(&pos, 0x9fc00, 0x400, 2);
	mb1_entry(&pos, 0x100000, 0x7f00000, 1);
	mb1_entry(&pos, 0x7fe0000, 0x20000, 2); /* overlaps the free region's top */
	mb1_entry(&pos, 0x200000, 0, 1);	/* zero length */
	put32(at(MB1_INFO), (1u << 2) | (1u << 3) | (1u << 6));
	put32(at(MB1_INFO) + 16, MB1_STR);
	put32(at(MB1_INFO) + 20, 2);
	put32(at(MB1_INFO) + 24, MB1_MODS);
	put32(at(MB1_INFO) + 44, (uint32_t)(pos - MB1_MMAP));
	put32(at(MB1_INFO) + 48, MB1_MMAP);
	strcpy((char *)at(MB1_STR), "kernel test selftest=panic");
	strcpy((char *)at(MB1_STR + 0x100), "hello.elf one two");
	put32(at(MB1_MODS), 0x200000);
	put32(at(MB1_MODS) + 4, 0x208000);
	put32(at(MB1_MODS) + 8, MB1_STR + 0x100);
	put32(at(MB1_MODS) + 16, 0x300000);
	put32(at(MB1_MODS) + 20, 0x300100);
	put32(at(MB1_MODS) + 24, MB1_STR + 0x200);
}

static void mb1_parses(void **state)
{
	(void)state;
	mb1_build();
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_int_equal(bi.loader, BOOT_MULTIBOOT1);
	assert_string_equal(bi.boot.cmdline, "kernel test selftest=panic");
	assert_int_equal(bi.boot.module_count, 2);
	assert_int_equal(bi.boot.modules[0].start, 0x200000);
	assert_int_equal(bi.boot.modules[0].end, 0x208000);
	assert_string_equal(bi.boot.modules[0].cmdline, "hello.elf one two");
	assert_string_equal(bi.boot.modules[1].cmdline, "");
	/* Normalized: the reserved tail cuts the free region. */
	assert_int_equal(bi.boot.mem.count, 4);
	assert_int_equal(bi.boot.mem.r[2].base, 0x100000);
	assert_int_equal(bi.boot.mem.r[2].end, 0x7fe0000);
	assert_int_equal(bi.boot.mem.r[3].type, MICA_MEM_RESERVED);
	assert_int_equal(bi.warnings, 0);
}

static void mb1_bad_magic(void **state)
{
	(void)state;
	assert_int_equal(multiboot_parse(0x12345678, MB1_INFO, &pa, &bi), MULTIBOOT_BAD_MAGIC);
}

static void mb1_info_out_of_memory(void **state)
{
	(void)state;
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, 0xfffffff0, &pa, &bi), MULTIBOOT_UNREADABLE);
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, PBASE + sizeof(mem) - 8, &pa, &bi),
			 MULTIBOOT_UNREADABLE);
}

static void mb1_truncated_mmap_entry(void **state)
{
	(void)state;
	mb1_build();
	put32(at(MB1_MMAP + 24), 0x1000); /* second entry claims a huge size */
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_true(bi.warnings & BOOT_WARN_BAD_MMAP_ENTRY);
	assert_int_equal(bi.boot.mem.count, 1); /* only the first entry */
	put32(at(MB1_MMAP), 4);			/* first entry too small: nothing usable */
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_NO_MEMORY_MAP);
}

static void mb1_bad_pointers(void **state)
{
	(void)state;
	mb1_build();
	put32(at(MB1_INFO) + 24, 0xfff00000); /* module table outside memory */
	put32(at(MB1_INFO) + 16, 0xfff00000); /* command line outside memory */
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_int_equal(bi.boot.module_count, 0);
	assert_true(bi.warnings & BOOT_WARN_BAD_MODULE);
	assert_string_equal(bi.boot.cmdline, "");
}

static void mb1_module_end_before_start(void **state)
{
	(void)state;
	mb1_build();
	put32(at(MB1_MODS) + 4, 0x100000);
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_int_equal(bi.boot.module_count, 1);
	assert_true(bi.warnings & BOOT_WARN_BAD_MODULE);
}

static void mb1_too_many_modules(void **state)
{
	(void)state;
	mb1_build();
	put32(at(MB1_INFO) + 20, 100);
	for (int i = 0; i < 100; i++) {
		put32(at(MB1_MODS) + 16 * i, 0x400000 + 0x1000 * i);
		put32(at(MB1_MODS) + 16 * i + 4, 0x400000 + 0x1000 * i + 0x10);
		put32(at(MB1_MODS) + 16 * i + 8, MB1_STR + 0x200);
	}
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_int_equal(bi.boot.module_count, BOOT_MODULES_MAX);
	assert_true(bi.warnings & BOOT_WARN_MODULES_DROPPED);
}

static void mb1_basic_memory_fallback(void **state)
{
	(void)state;
	put32(at(MB1_INFO), 1u << 0);
	put32(at(MB1_INFO) + 4, 639);
	put32(at(MB1_INFO) + 8, 64512);
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_int_equal(memmap_total(&bi.boot.mem, MICA_MEM_CONVENTIONAL), (639ul + 64512ul) << 10);
	put32(at(MB1_INFO), 0);
	assert_int_equal(multiboot_parse(MB1_BOOT_MAGIC, MB1_INFO, &pa, &bi), MULTIBOOT_NO_MEMORY_MAP);
}

/* --- Multiboot 2 ---------------------------------------------------- */

#define MB2_INFO 0x14000ul

static uint32_t tag(uint32_t off, uint32_t type, uint32_t size)
{
	put32(at(MB2_INFO + off), type);
	put32(at(MB2_INFO + off) + 4, size);
	return off + ((size + 7) & ~7u);
}

static uint32_t mb2_build(void)
{
	uint32_t off = 8;
	uint32_t t = off;
	off = tag(off, 1, 8 + 10);
	strcpy((char *)at(MB2_INFO + t + 8), "test mode");
	t = off;
	off = tag(off, 3, 16 + 10);
	put32(at(MB2_INFO + t + 8), 0x200000);
	put32(at(MB2_INFO + t + 12), 0x201000);
	strcpy((char *)at(MB2_INFO + t + 16), "/boot/a b");
	t = off;
	off = tag(off, 6, 16 + 2 * 24);
	put32(at(MB2_INFO + t + 8), 24);
	put64(at(MB2_INFO + t + 16), 0x0);
	put64(at(MB2_INFO + t + 24), 0x9fc00);
	put32(at(MB2_INFO + t + 32), 1);
	put64(at(MB2_INFO + t + 40), 0x100000);
	put64(at(MB2_INFO + t + 48), 0x3f00000);
	put32(at(MB2_INFO + t + 56), 3);
	t = off;
	off = tag(off, 14, 8 + 20);
	memcpy(at(MB2_INFO + t + 8), "RSD PTR ", 8);
	off = tag(off, 0, 8);
	put32(at(MB2_INFO), off);
	return off;
}

static void mb2_parses(void **state)
{
	(void)state;
	mb2_build();
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_int_equal(bi.loader, BOOT_MULTIBOOT2);
	assert_string_equal(bi.boot.cmdline, "test mode");
	assert_int_equal(bi.boot.module_count, 1);
	assert_string_equal(bi.boot.modules[0].cmdline, "/boot/a b");
	assert_int_equal(bi.boot.mem.count, 2);
	assert_int_equal(bi.boot.mem.r[1].type, MICA_MEM_ACPI);
	assert_int_equal(bi.rsdp_len, 20);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
	assert_int_equal(bi.warnings, 0);
	assert_true(cmdline_option(bi.boot.cmdline, "test", NULL, 0));
	assert_false(cmdline_option(bi.boot.cmdline, "tes", NULL, 0));
}

static void mb2_total_size_bad(void **state)
{
	(void)state;
	mb2_build();
	put32(at(MB2_INFO), 4);
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_MALFORMED);
	put32(at(MB2_INFO), 0x7fffffff);
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_MALFORMED);
	put32(at(MB2_INFO), 0x20000); /* beyond the accessible memory */
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_UNREADABLE);
}

static void mb2_tag_overruns(void **state)
{
	(void)state;
	mb2_build();
	put32(at(MB2_INFO + 8) + 4, 0x10000); /* first tag claims more than the total */
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_NO_MEMORY_MAP);
	assert_true(bi.warnings & BOOT_WARN_BAD_TAG);
	put32(at(MB2_INFO + 8) + 4, 0); /* a zero-size tag would loop forever */
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_NO_MEMORY_MAP);
	assert_true(bi.warnings & BOOT_WARN_BAD_TAG);
}

static void mb2_unterminated_strings(void **state)
{
	(void)state;
	mb2_build();
	memset(at(MB2_INFO + 16), 'x', 10); /* cmdline without NUL inside its tag */
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_true(bi.warnings & BOOT_WARN_CMDLINE_CUT);
	assert_string_equal(bi.boot.cmdline, "xxxxxxxxxx");
}

static void mb2_missing_end_tag(void **state)
{
	(void)state;
	uint32_t total = mb2_build();
	put32(at(MB2_INFO), total - 8); /* cut off the end tag */
	assert_int_equal(multiboot_parse(MB2_BOOT_MAGIC, MB2_INFO, &pa, &bi), MULTIBOOT_OK);
	assert_true(bi.warnings & BOOT_WARN_NO_END_TAG);
}

static void cmdline_values(void **state)
{
	(void)state;
	char v[8];
	assert_true(cmdline_option("a selftest=fault b", "selftest", v, sizeof(v)));
	assert_string_equal(v, "fault");
	assert_true(cmdline_option("x=verylongvalue", "x", v, sizeof(v)));
	assert_string_equal(v, "verylon");
	assert_false(cmdline_option("selftests=1", "selftest", v, sizeof(v)));
	assert_false(cmdline_option("", "test", NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(mb1_parses, setup),
		cmocka_unit_test_setup(mb1_bad_magic, setup),
		cmocka_unit_test_setup(mb1_info_out_of_memory, setup),
		cmocka_unit_test_setup(mb1_truncated_mmap_entry, setup),
		cmocka_unit_test_setup(mb1_bad_pointers, setup),
		cmocka_unit_test_setup(mb1_module_end_before_start, setup),
		cmocka_unit_test_setup(mb1_too_many_modules, setup),
		cmocka_unit_test_setup(mb1_basic_memory_fallback, setup),
		cmocka_unit_test_setup(mb2_parses, setup),
		cmocka_unit_test_setup(mb2_total_size_bad, setup),
		cmocka_unit_test_setup(mb2_tag_overruns, setup),
		cmocka_unit_test_setup(mb2_unterminated_strings, setup),
		cmocka_unit_test_setup(mb2_missing_end_tag, setup),
		cmocka_unit_test(cmdline_values),
	};
	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
