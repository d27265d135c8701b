/* Host unit tests of ELF validation. */
// links: lib/elf.c
#include "unit.h"

#include "elf.h"

#define USER_MIN 0x1000ul
#define USER_END 0x00007ffffffff000ul

static uint8_t img[0x3000];
static struct elf_image out;

/* A valid two-segment executable: text (r-x) at 0x400000, data (rw-) at 0x401000. */
static void build(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 2;
	img[5] = 1;
	img[6] = 1;
	put16(img + 16, 2);  /* ET_EXEC */
	put16(img + 18, 62); /* x86-64 */
	put32(img + 20, 1);
	put64(img + 24, 0x400010);
	put64(img + 32, 64); /* phoff */
	put16(img + 54, 56);
	put16(img + 56, 2);
	uint8_t *p = img + 64;
	put32(p, 1);
	put32(p + 4, 5);
	put64(p + 8, 0x1000);
	put64(p + 16, 0x400000);
	put64(p + 32, 0x100);
	put64(p + 40, 0x100);
	put64(p + 48, 0x1000);
	p += 56;
	put32(p, 1);
	put32(p + 4, 6);
	put64(p + 8, 0x2000);
	put64(p + 16, 0x401000);
	put64(p + 32, 0x80);
	put64(p + 40, 0x2000); /* .bss beyond the file part */
	put64(p + 48, 0x1000);
}

static uint8_t *phdr(int i)
{
	return img + 64 + 56 * i;
}

static enum elf_error validate(void)
{
	return elf_validate(img, sizeof(img), USER_MIN, USER_END, &out);
}

static void valid_image(void **state)
{
	(void)state;
	build();
	assert_int_equal(validate(), ELF_OK);
	assert_int_equal(out.entry, 0x400010);
	assert_int_equal(out.count, 2);
	assert_int_equal(out.seg[0].flags, ELF_SEG_R | ELF_SEG_X);
	assert_int_equal(out.seg[1].memsz, 0x2000);
	assert_int_equal(out.seg[1].filesz, 0x80);
	/* The headers at file offset 64 are in no segment. */
	assert_int_equal(out.phoff, 64);
	assert_int_equal(out.phnum, 2);
	assert_int_equal(out.phdr_addr, 0);
}

/* Program headers inside the text segment get their loaded address. */
static void program_headers_loaded(void **state)
{
	(void)state;
	build();
	put64(phdr(0) + 8, 0); /* text from file offset 0 at 0x400000 */
	put64(phdr(0) + 32, 0x200);
	put64(phdr(0) + 40, 0x200);
	assert_int_equal(validate(), ELF_OK);
	assert_int_equal(out.phdr_addr, 0x400040);
}

static void bad_header_fields(void **state)
{
	(void)state;
	build();
	img[1] = 'X';
	assert_int_equal(validate(), ELF_BAD_MAGIC);
	build();
	img[4] = 1;
	assert_int_equal(validate(), ELF_BAD_CLASS);
	build();
	img[5] = 2;
	assert_int_equal(validate(), ELF_BAD_ENCODING);
	build();
	put16(img + 16, 3);
	assert_int_equal(validate(), ELF_BAD_TYPE);
	build();
	put16(img + 18, 3);
	assert_int_equal(validate(), ELF_BAD_MACHINE);
	build();
	put32(img + 20, 2);
	assert_int_equal(validate(), ELF_BAD_VERSION);
	assert_int_equal(elf_validate(img, 63, USER_MIN, USER_END, &out), ELF_TOO_SMALL);
}

static void program_headers_out_of_file(void **state)
{
	(void)state;
	build();
	put64(img + 32, sizeof(img) - 60);
	assert_int_equal(validate(), ELF_BAD_PHDRS);
	build();
	put64(img + 32, UINT64_MAX - 10); /* wraps */
	assert_int_equal(validate(), ELF_BAD_PHDRS);
	build();
	put16(img + 54, 32);
	assert_int_equal(validate(), ELF_BAD_PHDRS);
	build();
	put16(img + 56, 0xffff);
	assert_int_equal(validate(), ELF_BAD_PHDRS);
}

static void segment_out_of_bounds(void **state)
{
	(void)state;
	build();
	put64(phdr(0) + 8, sizeof(img) - 0x80); /* file part past the end */
	assert_int_equal(validate(), ELF_SEGMENT_OUT_OF_FILE);
	build();
	put64(phdr(0) + 8, UINT64_MAX);
	assert_int_equal(validate(), ELF_SEGMENT_OUT_OF_FILE);
	build();
	put64(phdr(1) + 40, 0x40); /* memsz below filesz */
	assert_int_equal(validate(), ELF_SEGMENT_BAD_SIZE);
	build();
	put64(phdr(0) + 16, 0); /* the null page */
	assert_int_equal(validate(), ELF_SEGMENT_OUT_OF_RANGE);
	build();
	put64(phdr(1) + 16, 0xffffffff80000000ul); /* kernel addresses */
	assert_int_equal(validate(), ELF_SEGMENT_OUT_OF_RANGE);
	build();
	put64(phdr(1) + 16, USER_END - 0x1000);
	put64(phdr(1) + 40, UINT64_MAX - 0x100); /* wraps */
	assert_int_equal(validate(), ELF_SEGMENT_OUT_OF_RANGE);
}

static void overlapping_segments(void **state)
{
	(void)state;
	build();
	put64(phdr(1) + 16, 0x400080); /* shares the text page */
	assert_int_equal(validate(), ELF_SEGMENT_OVERLAP);
	build();
	put64(phdr(1) + 16, 0x3ff000); /* its bss reaches into the text */
	assert_int_equal(validate(), ELF_SEGMENT_OVERLAP);
}

static void entry_and_segments(void **state)
{
	(void)state;
	build();
	put64(img + 24, 0x401000); /* in the data segment: not executable */
	assert_int_equal(validate(), ELF_BAD_ENTRY);
	build();
	put32(phdr(0), 3); /* PT_INTERP */
	assert_int_equal(validate(), ELF_DYNAMIC);
	build();
	put32(phdr(0), 4); /* PT_NOTE: ignored */
	put32(phdr(1), 4);
	assert_int_equal(validate(), ELF_NO_SEGMENTS);
	build();
	put64(phdr(1) + 48, 3);
	assert_int_equal(validate(), ELF_BAD_ALIGN);
	build();
	put32(phdr(1) + 4, 7); /* rwx data */
	assert_int_equal(validate(), ELF_WRITABLE_CODE);
	assert_string_equal(elf_error_name(ELF_BAD_ENTRY), "entry point not in an executable segment");
	assert_string_equal(elf_error_name((enum elf_error)999), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_image),		 cmocka_unit_test(program_headers_loaded),
		cmocka_unit_test(bad_header_fields),	 cmocka_unit_test(program_headers_out_of_file),
		cmocka_unit_test(segment_out_of_bounds), cmocka_unit_test(overlapping_segments),
		cmocka_unit_test(entry_and_segments),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
