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
	kmem_delete(p);
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
