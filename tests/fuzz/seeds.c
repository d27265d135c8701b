/* Writes well-formed starting inputs for the harnesses whose formats a
 * fuzzer would take long to discover on its own (ACPI tables, Multiboot 1
 * and 2 information), in the layouts the harnesses read:
 *   seeds DIR   writes DIR/fuzz_acpi/seed-* and DIR/fuzz_bootinfo/seed-*
 * (The ELF harness starts from the user programs; fuzz_msg and fuzz_fpage
 * need no seeds.) Layouts from the ACPI 6 and Multiboot 1/2 specifications. */
#include <stdio.h>
#include <stdlib.h>

#include "../common/fake_phys.h"

static uint8_t buf[4096];

static void save(const char *dir, const char *name, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* fuzz_acpi: flags, a 36-byte RSDP, then memory from 0 (the harness
 * fixes the checksums). A root table at 0x40 pointing to a MADT at 0x100
 * with two local APICs, an x2APIC, an I/O APIC and two overrides. */
static size_t acpi(int xsdt)
{
	memset(buf, 0, sizeof(buf));
	uint8_t *rsdp = buf + 1, *mem = buf + 37;
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = xsdt ? 2 : 0;
	put32(rsdp + 16, 0x40);
	put32(rsdp + 20, 36);
	if (xsdt)
		put64(rsdp + 24, 0x40);
	memcpy(mem + 0x40, xsdt ? "XSDT" : "RSDT", 4);
	put32(mem + 0x44, 36 + (xsdt ? 8 : 4));
	if (xsdt)
		put64(mem + 0x40 + 36, 0x100);
	else
		put32(mem + 0x40 + 36, 0x100);
	uint8_t *m = mem + 0x100, *e = m + 44;
	memcpy(m, "APIC", 4);
	put32(m + 36, 0xfee00000);
	put32(m + 40, 1);
	for (int i = 0; i < 2; i++, e += 8) { /* local APIC: uid, id, enabled */
		e[0] = 0, e[1] = 8, e[2] = (uint8_t)i, e[3] = (uint8_t)i;
		put32(e + 4, 1);
	}
	e[0] = 9, e[1] = 16; /* x2APIC: id, flags, uid */
	put32(e + 4, 0x100);
	put32(e + 8, 1);
	put32(e + 12, 7);
	e += 16;
	e[0] = 1, e[1] = 12, e[2] = 0; /* I/O APIC: id, address, GSI base */
	put32(e + 4, 0xfec00000);
	put32(e + 8, 0);
	e += 12;
	for (int i = 0; i < 2; i++, e += 10) { /* override: bus, source, GSI, flags */
		e[0] = 2, e[1] = 10, e[2] = 0, e[3] = (uint8_t)(i * 9);
		put32(e + 4, i ? 9 : 2);
		put16(e + 8, i ? 0xd : 0);
	}
	put32(m + 4, (uint32_t)(e - m));
	return (size_t)(e - buf);
}

#define PBASE 0x10000u /* where fuzz_bootinfo puts its memory */

/* fuzz_bootinfo, Multiboot 1: the information at PBASE with memory
 * sizes, a command line, two modules and a memory map. */
static size_t mb1(void)
{
	memset(buf, 0, sizeof(buf));
	uint8_t *mem = buf + 3, *info = mem;
	put32(info, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6));
	put32(info + 4, 639);
	put32(info + 8, 65536);
	put32(info + 16, PBASE + 0x100);
	strcpy((char *)mem + 0x100, "mica.cpus=2 test");
	put32(info + 20, 2);
	put32(info + 24, PBASE + 0x200);
	for (unsigned i = 0; i < 2; i++) {
		uint8_t *mod = mem + 0x200 + 16 * i;
		put32(mod, 0x200000 + i * 0x10000);
		put32(mod + 4, 0x208000 + i * 0x10000);
		put32(mod + 8, PBASE + 0x300 + 0x20 * i);
	}
	strcpy((char *)mem + 0x300, "sigma0.elf");
	strcpy((char *)mem + 0x320, "root.elf arg");
	put32(info + 44, 3 * 24);
	put32(info + 48, PBASE + 0x400);
	static const uint64_t map[3][3] = { { 0, 0x9fc00, 1 },
					    { 0xf0000, 0x10000, 2 },
					    { 0x100000, 0xff00000, 1 } };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t *ent = mem + 0x400 + 24 * i;
		put32(ent, 20);
		put64(ent + 4, map[i][0]);
		put64(ent + 12, map[i][1]);
		put32(ent + 20, (uint32_t)map[i][2]);
	}
	return 3 + 0x400 + 3 * 24;
}

static uint8_t *mb2_tag(uint8_t **at, uint32_t type, uint32_t size)
{
	uint8_t *t = *at;
	put32(t, type);
	put32(t + 4, size);
	*at += (size + 7) & ~7u;
	return t;
}

/* fuzz_bootinfo, Multiboot 2: command line, basic memory, a module, a
 * memory map, an ACPI 1.0 RSDP and the end tag. */
static size_t mb2(void)
{
	memset(buf, 0, sizeof(buf));
	buf[0] = 1;
	uint8_t *info = buf + 3, *at = info + 8;
	strcpy((char *)mb2_tag(&at, 1, 8 + 17) + 8, "mica.cpus=4 test");
	uint8_t *t = mb2_tag(&at, 4, 16);
	put32(t + 8, 639);
	put32(t + 12, 65536);
	t = mb2_tag(&at, 3, 16 + 11);
	put32(t + 8, 0x200000);
	put32(t + 12, 0x210000);
	strcpy((char *)t + 16, "sigma0.elf");
	t = mb2_tag(&at, 6, 16 + 2 * 24);
	put32(t + 8, 24);
	put64(t + 16, 0);
	put64(t + 24, 0x9fc00);
	put32(t + 32, 1);
	put64(t + 40, 0x100000);
	put64(t + 48, 0xff00000);
	put32(t + 56, 1);
	t = mb2_tag(&at, 14, 8 + 20);
	memcpy(t + 8, "RSD PTR ", 8);
	mb2_tag(&at, 0, 8);
	put32(info, (uint32_t)(at - info));
	return (size_t)(at - buf);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	char dir[400];
	snprintf(dir, sizeof(dir), "%s/fuzz_acpi", argv[1]);
	save(dir, "seed-rsdt", acpi(0));
	save(dir, "seed-xsdt", acpi(1));
	snprintf(dir, sizeof(dir), "%s/fuzz_bootinfo", argv[1]);
	save(dir, "seed-mb1", mb1());
	save(dir, "seed-mb2", mb2());
	return 0;
}
