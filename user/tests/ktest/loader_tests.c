/* The loader (user/services/loader) with user/tests/progtest, the
 * program that checks its own start: arguments, environment, auxiliary
 * vector, data, bss and stack growth, and the exceptions that end it. */
#include <mica/program.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

/* Room for progtest's 256 KiB of bss and 400 KiB of stack. */
#define MEMQ (2ul << 20)
#define KQ (256ul << 10)

/* Runs progtest with the strings cmd (n bytes): its exit status, or
 * MICA_EXIT_EXCEPTION + vector (*addr the fault address), or -1000 -
 * the loader's error. */
static long progtest(const char *cmd, size_t n, mica_word_t *addr)
{
	mica_cap_t p = ksel();
	mica_word_t st[5] = { 0 };
	int e = kldr_create(kldr.alloc, MEMQ, KQ, cmd, n, p);
	if (e == MICA_OK)
		e = kldr_wait(p, st);
	if (e != MICA_OK)
		return -1000 - e;
	if (addr)
		*addr = st[3];
	mica_obj_delete(p);
	return (long)st[1];
}
#define PROGTEST(lit) progtest("progtest\0" lit, sizeof("progtest\0" lit) - 1, 0)

KTEST(loader_progtest_runs_and_exits)
{
	CHECK(kldr_start(8ul << 20));
	CHECK_EQ(PROGTEST("exit\0"
			  "42"),
		 42);
	CHECK_EQ(PROGTEST("exit\0"
			  "0"),
		 0);
	CHECK(kldr_finish());
}

KTEST(loader_progtest_argv_and_envp)
{
	CHECK(kldr_start(8ul << 20));
	CHECK_EQ(PROGTEST("args\0alpha\0beta\0\0KEY=value\0X="), 0);
	CHECK(kldr_finish());
}

KTEST(loader_progtest_auxv)
{
	CHECK(kldr_start(8ul << 20));
	CHECK_EQ(PROGTEST("auxv"), 0);
	CHECK(kldr_finish());
}

KTEST(loader_progtest_data_bss_and_stack_growth)
{
	CHECK(kldr_start(8ul << 20));
	CHECK_EQ(PROGTEST("memory"), 0);
	CHECK(kldr_finish());
}

KTEST(loader_progtest_exception_is_reported)
{
	CHECK(kldr_start(8ul << 20));
	CHECK_EQ(PROGTEST("ud"), MICA_EXIT_EXCEPTION + 6);
	CHECK(kldr_finish());
}

KTEST(loader_progtest_no_write_to_text_no_exec_of_data)
{
	CHECK(kldr_start(8ul << 20));
	mica_word_t addr = 0;
	CHECK_EQ(PROGTEST("write-text"), MICA_EXIT_EXCEPTION + 14);
	CHECK_EQ(PROGTEST("exec-data"), MICA_EXIT_EXCEPTION + 14);
	static const char out[] = "progtest\0outside";
	CHECK_EQ(progtest(out, sizeof(out) - 1, &addr), MICA_EXIT_EXCEPTION + 14);
	CHECK_EQ(addr, 0x10000000);
	CHECK(kldr_finish());
}

/* Arguments that do not fit the stack's top page are refused, and
 * nothing is left of the attempt. */
KTEST(loader_arguments_must_fit_a_page)
{
	CHECK(kldr_start(8ul << 20));
	static char longarg[3000];
	memset(longarg, 'a', sizeof(longarg) - 1);
	const char *const argv[] = { "progtest", longarg, longarg, 0 };
	struct ldr_params pp = { .name = "progtest",
				 .argv = argv,
				 .alloc = &kldr.root,
				 .mem_quota = MEMQ,
				 .factory = KF,
				 .kern_quota = KQ };
	struct ldr_prog *p;
	int elf_error;
	mica_word_t used = kldr.root.used;
	CHECK_ERR(ldr_prepare(&kldr.l, &pp, &p, &elf_error), MICA_E_BAD_ARG);
	CHECK_EQ(elf_error, 0);
	CHECK_EQ(kldr.root.used, used);
	CHECK(kldr_finish());
}

/* The pages of progtest's data (the writable segment's whole pages
 * inside its file part) that the module's frames back in p. */
static unsigned rom_backed_data(struct ldr_prog *p, const struct kmod *m, mica_word_t *first)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->nseg; i++) {
		if (mem_ds_is_fixed(p->seg[i].ds))
			continue; /* text and read-only data: attached from the module */
		for (mica_word_t va = p->seg[i].vaddr; va < p->seg[i].vaddr + p->seg[i].size; va += 4096) {
			mica_word_t a = ldr_page(p, va);
			if (a >= m->addr && a < m->addr + m->size) {
				if (!n++)
					*first = va;
			}
		}
	}
	return n;
}

/* Two instances of progtest before they run: their data's whole pages
 * are the module's frames (charged to neither); then each writes its
 * data and sees its own, the module unchanged. */
KTEST(loader_cow_data_shared_with_the_rom_until_written_instances_isolated)
{
	CHECK(kldr_start(8ul << 20));
	const struct kmod *m = kmod_find("progtest");
	CHECK(m);
	static const char *const argv_a[] = { "progtest", "cow", "17", 0 };
	static const char *const argv_b[] = { "progtest", "cow", "42", 0 };
	struct ldr_params pp = { .name = "progtest",
				 .argv = argv_a,
				 .alloc = &kldr.root,
				 .mem_quota = MEMQ,
				 .factory = KF,
				 .kern_quota = KQ };
	struct ldr_prog *a, *b;
	int elf_error;
	CHECK_OK(ldr_prepare(&kldr.l, &pp, &a, &elf_error));
	pp.argv = argv_b;
	CHECK_OK(ldr_prepare(&kldr.l, &pp, &b, &elf_error));
	mica_word_t va = 0, vb = 0;
	CHECK_EQ(rom_backed_data(a, m, &va), 3);
	CHECK_EQ(rom_backed_data(b, m, &vb), 3);
	CHECK_EQ(va, vb);
	unsigned char *rom = (unsigned char *)ldr_page(a, va);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(ldr_page(b, va + i * 4096ul), (mica_word_t)rom + i * 4096ul);
	CHECK_EQ(rom[0], 1);
	/* The shared pages cost the programs nothing yet. */
	CHECK_EQ(a->sub->used, b->sub->used);
	mica_cap_t ca, cb;
	CHECK_OK(ldr_cap(a, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, &ca));
	CHECK_OK(ldr_cap(b, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, &cb));
	CHECK_OK(ldr_start(a));
	CHECK_OK(ldr_start(b));
	mica_word_t st[5];
	CHECK_OK(kldr_wait(ca, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 0);
	CHECK_OK(kldr_wait(cb, st));
	CHECK_EQ(st[1], 0);
	/* The module is as it was. */
	CHECK_EQ(rom[0], 1);
	CHECK_EQ(rom[8192], 3);
	CHECK_OK(mica_obj_delete(ca));
	CHECK_OK(mica_obj_delete(cb));
	CHECK(kldr_finish());
}

/* A first write to a shared data page when the program's quota has no
 * page left is a page-fault exception ending it, and everything returns:
 * the smallest quota progtest "cow" runs in, less a page, faults at its
 * last new page, cow_data's third. */
KTEST(loader_cow_break_beyond_the_quota_is_an_exception)
{
	CHECK(kldr_start(8ul << 20));
	mica_word_t lo = 0, hi = MEMQ, st[5];
	CHECK_EQ(PROGTEST("cow\0"
			  "5"),
		 0);
	/* The smallest quota in pages it exits 0 with: hi. */
	while (hi - lo > 4096) {
		mica_word_t q = (lo + hi) / 2 & ~4095ul;
		mica_cap_t p = ksel();
		int ok = KLDR_RUN(kldr.alloc, q, KQ,
				  "progtest\0cow\0"
				  "5",
				  p) == MICA_OK &&
			 kldr_wait(p, st) == MICA_OK && st[0] == MICA_PROGRAM_EXITED && st[1] == 0;
		mica_obj_delete(p);
		if (ok)
			hi = q;
		else
			lo = q;
	}
	mica_cap_t p = ksel();
	CHECK_OK(KLDR_RUN(kldr.alloc, hi - 4096, KQ,
			  "progtest\0cow\0"
			  "5",
			  p));
	CHECK_OK(kldr_wait(p, st));
	CHECK_EQ(st[0], MICA_PROGRAM_FAULTED);
	CHECK_EQ(st[2], 14);
	CHECK_EQ(st[3], 0x406000); /* cow_data + 8192 */
	CHECK_OK(mica_obj_delete(p));
	CHECK(kldr_finish());
}
