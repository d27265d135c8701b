/* Host unit tests of ACPI discovery: checksums, truncated and looping
 * tables, the MADT's entries. */
// links: kernel/platform/pc/acpi.c
#include "unit.h"

#include "platform/pc/acpi.h"

/* Fake physical memory covering 0x0-0x100000 (BDA, EBDA, BIOS area). */
static uint8_t mem[0x100000];
static struct fake_phys fake = { 0, sizeof(mem), mem };
static const struct phys_access pa = { fake_phys_map, &fake };
static struct acpi_info info;

#define RSDP_AT 0xe0010u
#define XSDT_AT 0x1000u
#define RSDT_AT 0x2000u
#define MADT_AT 0x3000u

static void header(uint32_t at, const char *sig, uint32_t len)
{
	memcpy(mem + at, sig, 4);
	put32(mem + at + 4, len);
	acpi_fix_checksum(mem + at, len, 9);
}

static uint32_t madt_len;

static void madt_add(const uint8_t *e)
{
	memcpy(mem + MADT_AT + madt_len, e, e[1]);
	madt_len += e[1];
}

static void build(int revision)
{
	memset(mem, 0, sizeof(mem));
	uint8_t *r = mem + RSDP_AT;
	memcpy(r, "RSD PTR ", 8);
	r[15] = (uint8_t)revision;
	put32(r + 16, RSDT_AT);
	put32(r + 20, 36);
	put64(r + 24, revision >= 2 ? XSDT_AT : 0);
	acpi_fix_checksum(r, 20, 8);
	acpi_fix_checksum(r, 36, 32);

	madt_len = 44;
	put32(mem + MADT_AT + 36, 0xfee00000);
	put32(mem + MADT_AT + 40, 1);
	const uint8_t cpu0[8] = { 0, 8, 0, 0, 1, 0, 0, 0 };
	const uint8_t cpu1[8] = { 0, 8, 1, 2, 1, 0, 0, 0 };
	const uint8_t cpu_off[8] = { 0, 8, 2, 5, 0, 0, 0, 0 }; /* neither enabled nor online-capable */
	const uint8_t ioapic[12] = { 1, 12, 7, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
	const uint8_t iso[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
	uint8_t x2[16] = { 9, 16, 0, 0 };
	put32(x2 + 4, 0x100);
	put32(x2 + 8, 1);
	put32(x2 + 12, 9);
	madt_add(cpu0);
	madt_add(cpu1);
	madt_add(cpu_off);
	madt_add(ioapic);
	madt_add(iso);
	madt_add(x2);
	header(MADT_AT, "APIC", madt_len);

	put32(mem + RSDT_AT + 36, MADT_AT);
	header(RSDT_AT, "RSDT", 40);
	put64(mem + XSDT_AT + 36, MADT_AT);
	header(XSDT_AT, "XSDT", 44);
}

static void finds_rsdp_in_bios_area(void **state)
{
	(void)state;
	build(2);
	uint64_t at = 0;
	assert_true(acpi_find_rsdp(&pa, &at));
	assert_int_equal(at, RSDP_AT);
	mem[RSDP_AT + 8] ^= 1; /* bad checksum: not found */
	assert_false(acpi_find_rsdp(&pa, &at));
}

static void finds_rsdp_in_ebda(void **state)
{
	(void)state;
	build(0);
	memcpy(mem + 0x9fc00, mem + RSDP_AT, 20);
	memset(mem + RSDP_AT, 0, 36);
	put16(mem + 0x40e, 0x9fc0);
	uint64_t at = 0;
	assert_true(acpi_find_rsdp(&pa, &at));
	assert_int_equal(at, 0x9fc00);
}

static void parses_madt(void **state)
{
	(void)state;
	build(2);
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 36, &info), ACPI_OK);
	assert_int_equal(info.revision, 2);
	assert_int_equal(info.cpu_count, 3); /* 0, 1 and the x2APIC 0x100; not the disabled one */
	assert_int_equal(info.cpus[1].apic_id, 2);
	assert_int_equal(info.cpus[2].apic_id, 0x100);
	assert_int_equal(info.cpus[2].uid, 9);
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].addr, 0xfec00000);
	assert_int_equal(info.ioapics[0].id, 7);
	assert_int_equal(info.override_count, 1);
	assert_int_equal(info.overrides[0].source, 0);
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_int_equal(info.lapic_addr, 0xfee00000);
	assert_int_equal(info.warnings, 0);
}

static void bad_rsdp_checksum(void **state)
{
	(void)state;
	build(2);
	mem[RSDP_AT + 20] ^= 0xff; /* extended part, covered by the extended checksum */
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 36, &info), ACPI_NO_RSDP);
	assert_int_equal(info.cpu_count, 0);
	assert_int_equal(info.lapic_addr, 0xfee00000);
}

static void bad_xsdt_falls_back_to_rsdt(void **state)
{
	(void)state;
	build(2);
	mem[XSDT_AT + 20] ^= 1;
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 36, &info), ACPI_OK);
	assert_true(info.warnings & ACPI_WARN_BAD_ROOT);
	assert_int_equal(info.cpu_count, 3);
}

static void no_valid_root(void **state)
{
	(void)state;
	build(0);
	mem[RSDT_AT] = 'X';
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_NO_ROOT);
}

static void madt_bad_checksum_skipped(void **state)
{
	(void)state;
	build(0);
	mem[MADT_AT + 50] ^= 1;
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_NO_MADT);
	assert_true(info.warnings & ACPI_WARN_BAD_TABLE);
	assert_int_equal(info.cpu_count, 0);
}

static void truncated_madt(void **state)
{
	(void)state;
	build(0);
	put32(mem + MADT_AT + 4, 0x200000); /* longer than the table limit */
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_NO_MADT);
	put32(mem + MADT_AT + 4, sizeof(mem) - MADT_AT + 4); /* runs past the end of memory */
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_NO_MADT);
	put32(mem + RSDT_AT + 36, sizeof(mem) - 8); /* table header beyond memory */
	header(RSDT_AT, "RSDT", 40);
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_NO_MADT);
}

static void madt_entry_length_zero(void **state)
{
	(void)state;
	build(0);
	mem[MADT_AT + 44 + 8 + 1] = 0; /* second entry: length 0 would never advance */
	header(MADT_AT, "APIC", madt_len);
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_OK);
	assert_true(info.warnings & ACPI_WARN_BAD_ENTRY);
	assert_int_equal(info.cpu_count, 1);
}

static void madt_entry_overruns_table(void **state)
{
	(void)state;
	build(0);
	mem[MADT_AT + 44 + 8 + 1] = 200;
	header(MADT_AT, "APIC", madt_len);
	assert_int_equal(acpi_parse(&pa, mem + RSDP_AT, 20, &info), ACPI_OK);
	assert_true(info.warnings & ACPI_WARN_BAD_ENTRY);
	assert_int_equal(info.cpu_count, 1);
}

static void rsdp_too_short(void **state)
{
	(void)state;
	build(2);
	assert_false(acpi_rsdp_valid(mem + RSDP_AT, 19));
	assert_false(acpi_rsdp_valid(mem + RSDP_AT, 30)); /* revision 2 needs 36 bytes */
	assert_true(acpi_rsdp_valid(mem + RSDP_AT, 36));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_rsdp_in_bios_area),
		cmocka_unit_test(finds_rsdp_in_ebda),
		cmocka_unit_test(parses_madt),
		cmocka_unit_test(bad_rsdp_checksum),
		cmocka_unit_test(bad_xsdt_falls_back_to_rsdt),
		cmocka_unit_test(no_valid_root),
		cmocka_unit_test(madt_bad_checksum_skipped),
		cmocka_unit_test(truncated_madt),
		cmocka_unit_test(madt_entry_length_zero),
		cmocka_unit_test(madt_entry_overruns_table),
		cmocka_unit_test(rsdp_too_short),
	};
	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
