/* Host unit tests of the KIP encoder: the layout it writes and its
 * truncation. */
// links: kernel/boot/kip_encode.c kernel/memory/memmap.c
#include "unit.h"

#include "boot/kip_encode.h"

static uint8_t kipbuf[MICA_KIP_SIZE];
static const struct mica_kip *kip = (const struct mica_kip *)kipbuf;
static struct memmap mem;
static struct boot_module mods[2];
static struct kip_cpu_desc cpus[3] = {
	{ 0, MICA_KIP_CPU_ONLINE | MICA_KIP_CPU_BOOT, 0, 2000000000, 62500000 },
	{ 4, 0, MICA_KIP_CPU_NO_ID, 2000000000, 62500000 }, /* listed, did not start */
	{ 6, MICA_KIP_CPU_ONLINE, 1, 2000000000, 62500000 },
};

static struct kip_params params(void)
{
	memmap_init(&mem);
	memmap_add(&mem, 0, 0x9fc00, MICA_MEM_CONVENTIONAL);
	memmap_add(&mem, 0x100000, 0x100000, MICA_MEM_KERNEL);
	memmap_add(&mem, 0x200000, 0x1000, MICA_MEM_MODULE);
	mods[0] = (struct boot_module){ 0x200000, 0x200800, "hello.elf a b" };
	mods[1] = (struct boot_module){ 0x300000, 0x300100, "" };
	struct kip_params p = {
		.build = "mica test",
		.cmdline = "test selftest=x",
		.mem = &mem,
		.cpu_count = 3,
		.cpus = cpus,
		.module_count = 2,
		.modules = mods,
		.clock = { .tsc_hz = 2000000000, .timer_hz = 62500000, .flags = MICA_CLOCK_TSC_INVARIANT },
		.user_end = 0x00007ffffffff000ul,
		.wall_boot_ns = 1796601600000000000ull, /* 2026-12-07 00:00 UTC */
	};
	return p;
}

static void header_fields(void **state)
{
	(void)state;
	struct kip_params p = params();
	memset(kipbuf, 0xaa, sizeof(kipbuf)); /* leftovers must not survive */
	kip_build(kipbuf, &p);
	assert_memory_equal(kipbuf, "L4\xe6K", 4);
	assert_int_equal(kip->api_version, (MICA_API_VERSION_MAJOR << 16) | MICA_API_VERSION_MINOR);
	assert_int_equal(kip->kip_size, MICA_KIP_SIZE);
	assert_int_equal(kip->kernel_id, MICA_KERNEL_ID);
	assert_string_equal(kip->build, "mica test");
	assert_int_equal(kip->utcb_size, 1024);
	assert_int_equal(kip->user_end, 0x00007ffffffff000ul);
	assert_int_equal(kip->wall_boot_ns, 1796601600000000000ull);
	assert_int_equal(kip->clock.tsc_hz, 2000000000);
	assert_int_equal(kip->clock.flags, MICA_CLOCK_TSC_INVARIANT);
	assert_int_equal(kip->flags, 0);
	assert_int_equal(kipbuf[MICA_KIP_SIZE - 1], 0);
	assert_string_equal((const char *)mica_kip_at(kip, kip->cmdline), "test selftest=x");
}

static void tables(void **state)
{
	(void)state;
	struct kip_params p = params();
	kip_build(kipbuf, &p);
	const struct mica_kip_mem *m = mica_kip_at(kip, kip->mem_offset);
	assert_int_equal(kip->mem_count, 3);
	assert_int_equal(m[1].base, 0x100000);
	assert_int_equal(m[1].size, 0x100000);
	assert_int_equal(m[1].type, MICA_MEM_KERNEL);
	const struct mica_kip_cpu *c = mica_kip_at(kip, kip->cpu_offset);
	assert_int_equal(kip->cpu_count, 3);
	assert_int_equal(c[0].flags, MICA_KIP_CPU_ONLINE | MICA_KIP_CPU_BOOT);
	assert_int_equal(c[0].id, 0);
	assert_int_equal(c[0].tsc_khz, 2000000);
	assert_int_equal(c[0].timer_khz, 62500);
	assert_int_equal(c[1].apic_id, 4);
	assert_int_equal(c[1].flags, 0);
	assert_int_equal(c[1].id, MICA_KIP_CPU_NO_ID);
	assert_int_equal(c[2].apic_id, 6);
	assert_int_equal(c[2].flags, MICA_KIP_CPU_ONLINE);
	assert_int_equal(c[2].id, 1);
	assert_int_equal(c[2].timer_khz, 62500);
	/* The CPU table ends before the memory table starts. */
	assert_true(kip->cpu_offset + MICA_KIP_CPU_MAX * sizeof(*c) <= kip->mem_offset);
	const struct mica_kip_module *mo = mica_kip_at(kip, kip->module_offset);
	assert_int_equal(kip->module_count, 2);
	assert_int_equal(mo[0].base, 0x200000);
	assert_int_equal(mo[0].size, 0x800);
	assert_string_equal((const char *)mica_kip_at(kip, mo[0].cmdline), "hello.elf a b");
	assert_string_equal((const char *)mica_kip_at(kip, mo[1].cmdline), "");
	/* Tables lie inside the KIP and do not overlap the header. */
	assert_true(kip->mem_offset >= sizeof(struct mica_kip));
	assert_true(kip->module_offset + kip->module_count * sizeof(*mo) <= MICA_KIP_SIZE);
}

static void truncation_is_flagged(void **state)
{
	(void)state;
	struct kip_params p = params();
	static struct boot_module many[MICA_KIP_MODULE_MAX + 3];
	static struct kip_cpu_desc many_cpus[MICA_KIP_CPU_MAX + 2];
	for (unsigned i = 0; i < MICA_KIP_CPU_MAX + 2; i++)
		many_cpus[i] = (struct kip_cpu_desc){ i, MICA_KIP_CPU_ONLINE, i, 1000, 1000 };
	p.cpus = many_cpus;
	p.cpu_count = MICA_KIP_CPU_MAX + 2;
	static char long_line[4000];
	memset(long_line, 'y', sizeof(long_line) - 1);
	p.cmdline = long_line;
	for (unsigned i = 0; i < MICA_KIP_MODULE_MAX + 3; i++)
		many[i] = (struct boot_module){ 0x1000ul * i, 0x1000ul * i + 1, "m" };
	p.modules = many;
	p.module_count = MICA_KIP_MODULE_MAX + 3;
	kip_build(kipbuf, &p);
	assert_int_equal(kip->module_count, MICA_KIP_MODULE_MAX);
	assert_true(kip->flags & MICA_KIP_MODULES_TRUNCATED);
	assert_int_equal(kip->cpu_count, MICA_KIP_CPU_MAX);
	assert_true(kip->flags & MICA_KIP_CPUS_TRUNCATED);
	/* The last CPU that fits is whole, and the memory table after it intact. */
	const struct mica_kip_cpu *c = mica_kip_at(kip, kip->cpu_offset);
	assert_int_equal(c[MICA_KIP_CPU_MAX - 1].apic_id, MICA_KIP_CPU_MAX - 1);
	const struct mica_kip_mem *m = mica_kip_at(kip, kip->mem_offset);
	assert_int_equal(m[1].base, 0x100000);
	assert_true(kip->flags & MICA_KIP_STRINGS_TRUNCATED);
	const char *cl = mica_kip_at(kip, kip->cmdline);
	assert_int_equal(strlen(cl), MICA_KIP_SIZE - MICA_KIP_STRING_AREA - 1);
	/* Module strings that no longer fit point at an empty string inside the KIP. */
	const struct mica_kip_module *mo = mica_kip_at(kip, kip->module_offset);
	assert_true(mo[0].cmdline < MICA_KIP_SIZE);
	assert_string_equal((const char *)mica_kip_at(kip, mo[0].cmdline), "");
}

static void clock_scale(void **state)
{
	(void)state;
	uint64_t mult;
	uint32_t shift;
	const uint64_t freqs[] = { 1000000, 1193182, 62500000, 2000000000, 3999999999ul, 10000000000ul };
	for (unsigned i = 0; i < sizeof(freqs) / sizeof(freqs[0]); i++) {
		kip_clock_scale(freqs[i], &mult, &shift);
		assert_true(mult < (1ul << 32));
		/* One second of ticks converts to one second, within 1 us. */
		unsigned __int128 ns = ((unsigned __int128)freqs[i] * mult) >> shift;
		assert_true(ns <= 1000000000 && ns >= 1000000000 - 1000);
		/* and a day of ticks does not overflow the 128-bit product */
		ns = ((unsigned __int128)(freqs[i] * 86400) * mult) >> shift;
		assert_true(ns >= 86400ul * 1000000000 - 86400ul * 1000);
	}
	kip_clock_scale(0, &mult, &shift);
	assert_int_equal(mult, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_fields),
		cmocka_unit_test(tables),
		cmocka_unit_test(truncation_is_flagged),
		cmocka_unit_test(clock_scale),
	};
	return cmocka_run_group_tests_name("kip", tests, NULL, NULL);
}
