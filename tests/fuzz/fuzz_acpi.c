// links: kernel/platform/pc/acpi.c
/* ACPI discovery: the root pointer, the RSDT/XSDT and the MADT. Input:
 * a flags byte, 36 bytes of RSDP, then physical memory from address 0.
 * Unless flags bit 0 is set, the harness repairs the RSDP signature and
 * every checksum it can find, so that the fuzzer reaches the MADT parser
 * instead of stopping at the first checksum. */
#include "fuzz.h"

#include "platform/pc/acpi.h"

#define MEM_SIZE 0x10000u
#define RSDP_LEN 36u
#define HEADER_LEN 36u
static uint8_t mem[MEM_SIZE];

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* The table at phys, if it lies in mem: its checksum; returns its length. */
static uint32_t fix_table(uint64_t phys)
{
	if (phys > MEM_SIZE - HEADER_LEN)
		return 0;
	uint32_t len = get32(mem + phys + 4);
	if (len < HEADER_LEN || len > MEM_SIZE - phys)
		return 0;
	acpi_fix_checksum(mem + phys, len, 9);
	return len;
}

/* A root table and the first tables it points to (entries of ptr bytes;
 * all of them would make each input quadratic in its size). */
static void fix_root(uint64_t phys, unsigned ptr)
{
	uint32_t len = fix_table(phys);
	for (uint32_t at = HEADER_LEN; at + ptr <= len && at < HEADER_LEN + 16 * ptr; at += ptr)
		fix_table(ptr == 8 ? fuzz_word(mem + phys + at) : get32(mem + phys + at));
	fix_table(phys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 + RSDP_LEN)
		return 0;
	uint8_t rsdp[RSDP_LEN];
	memcpy(rsdp, data + 1, RSDP_LEN);
	memset(mem, 0, MEM_SIZE);
	memcpy(mem, data + 1 + RSDP_LEN, size - 1 - RSDP_LEN < MEM_SIZE ? size - 1 - RSDP_LEN : MEM_SIZE);
	if (!(data[0] & 1)) {
		memcpy(rsdp, "RSD PTR ", 8);
		fix_root(get32(rsdp + 16), 4);
		fix_root(fuzz_word(rsdp + 24), 8);
		acpi_fix_checksum(rsdp, 20, 8);
		acpi_fix_checksum(rsdp, RSDP_LEN, 32);
	}
	struct fake_phys fake = { 0, MEM_SIZE, mem };
	const struct phys_access pa = { fake_phys_map, &fake };
	struct acpi_info info;
	enum acpi_error e = acpi_parse(&pa, rsdp, RSDP_LEN, &info);
	FUZZ_ASSERT(acpi_rsdp_valid(rsdp, RSDP_LEN) || e == ACPI_NO_RSDP);
	if (e == ACPI_OK) {
		FUZZ_ASSERT(info.have_madt && info.cpu_count >= 1 && info.cpu_count <= ACPI_MAX_CPUS);
		for (unsigned i = 0; i < info.cpu_count; i++)
			for (unsigned k = 0; k < i; k++)
				FUZZ_ASSERT(info.cpus[i].apic_id != info.cpus[k].apic_id);
	} else {
		FUZZ_ASSERT(info.cpu_count == 0);
	}
	FUZZ_ASSERT(info.ioapic_count <= ACPI_MAX_IOAPICS && info.override_count <= ACPI_MAX_OVERRIDES);
	/* The BIOS-area scan over the same bytes, placed at 0xe0000. */
	struct fake_phys bios = { 0xe0000, MEM_SIZE, mem };
	const struct phys_access bpa = { fake_phys_map, &bios };
	uint64_t found;
	if (acpi_find_rsdp(&bpa, &found)) {
		FUZZ_ASSERT(found >= 0xe0000 && found - 0xe0000 <= MEM_SIZE - 20);
		FUZZ_ASSERT(acpi_rsdp_valid(mem + (found - 0xe0000), MEM_SIZE - (found - 0xe0000)));
	}
	return 0;
}
