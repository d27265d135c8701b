/* The loader the root task uses (user/lib/loader.c), run from here: ELF
 * programs from a boot module, their initial stack, paging and exit
 * status (the program is user/tests/progtest). */
#include <boot_env.h>
#include <mica/kip.h>
#include <mica/program.h>
#include <mica_loader.h>
#include <mica_sigma0.h>
#include <string.h>

#include "ktest.h"
#include "ldsrv.h"
#include "mem.h"

/* Program memory of the loader, never reused (the loader does not
 * recycle it: see mica_program_destroy). */
static mica_word_t heap = 0x200000000000ul;

/* The progtest module's image, mapped once (ldsrv.c: the ROM's cases
 * map every module, and a module's frames leave sigma0 once). */
static const uint8_t *image(mica_word_t *size)
{
	const struct kmod *m = kmod_find("progtest");
	*size = m ? m->size : 0;
	return m ? (const uint8_t *)m->addr : 0;
}

struct kprog {
	struct mica_loader l;
	struct mica_program p;
};

static int load(struct kprog *k, const void *img, mica_word_t size, const char *const *argv,
		const char *const *envp, mica_word_t label)
{
	k->l = (struct mica_loader){ KF, MICA_CAP_PAGER, ksel(), heap, heap + (64ul << 20) };
	heap += 64ul << 20;
	int e = mica_create_gate(KF, k->l.gate, 0, 0);
	if (e != MICA_OK)
		return e;
	k->p = (struct mica_program){ .task = ksel(), .thread = ksel(), .factory = ksel(), .label = label };
	return mica_program_load(&k->l, img, size, argv, envp, &k->p);
}

static int run(const char *const *argv, const char *const *envp)
{
	mica_word_t size;
	const uint8_t *img = image(&size);
	struct kprog k;
	if (!img)
		return -1;
	int e = load(&k, img, size, argv, envp, 1);
	if (e != MICA_OK)
		return -100 - e;
	struct mica_program *progs[] = { &k.p };
	e = mica_loader_serve(&k.l, progs, 1, 1, 0);
	return e != MICA_OK ? -1000 - e : k.p.status;
}

KTEST(root_program_runs_and_exits)
{
	static const char *const argv[] = { "progtest", "exit", "42", 0 };
	CHECK_EQ(run(argv, 0), 42);
	static const char *const argv0[] = { "progtest", "exit", "0", 0 };
	CHECK_EQ(run(argv0, 0), 0);
}

KTEST(root_argv_and_envp)
{
	static const char *const argv[] = { "progtest", "args", "alpha", "beta", 0 };
	static const char *const envp[] = { "KEY=value", "X=", 0 };
	CHECK_EQ(run(argv, envp), 0);
}

KTEST(root_auxv)
{
	static const char *const argv[] = { "progtest", "auxv", 0 };
	CHECK_EQ(run(argv, 0), 0);
}

KTEST(root_data_bss_and_stack_growth)
{
	static const char *const argv[] = { "progtest", "memory", 0 };
	CHECK_EQ(run(argv, 0), 0);
}

KTEST(root_exception_is_reported)
{
	static const char *const argv[] = { "progtest", "ud", 0 };
	CHECK_EQ(run(argv, 0), MICA_EXIT_EXCEPTION + 6);
}

KTEST(root_no_write_to_text_no_exec_of_data)
{
	static const char *const wt[] = { "progtest", "write-text", 0 };
	CHECK_EQ(run(wt, 0), MICA_EXIT_EXCEPTION + 14);
	static const char *const xd[] = { "progtest", "exec-data", 0 };
	CHECK_EQ(run(xd, 0), MICA_EXIT_EXCEPTION + 14);
	static const char *const out[] = { "progtest", "outside", 0 };
	CHECK_EQ(run(out, 0), MICA_EXIT_EXCEPTION + 14);
}

/* Malformed images are refused before anything is created. */
KTEST(root_rejects_malformed_elf)
{
	static uint8_t copy[16384];
	mica_word_t size;
	const uint8_t *img = image(&size);
	CHECK(img && size > sizeof(copy));
	static const char *const argv[] = { "progtest", 0 };
	struct kprog k;
	mica_word_t used = kf_used();
	memcpy(copy, img, sizeof(copy));
	copy[1] = 'X'; /* magic */
	CHECK_ERR(load(&k, copy, sizeof(copy), argv, 0, 1), MICA_E_BAD_ARG);
	CHECK_EQ(k.p.elf_error, ELF_BAD_MAGIC);
	memcpy(copy, img, sizeof(copy));
	CHECK_ERR(load(&k, copy, 40, argv, 0, 1), MICA_E_BAD_ARG); /* truncated */
	CHECK_EQ(k.p.elf_error, ELF_TOO_SMALL);
	/* The first program header: flags at +4, file size at +32. */
	uint64_t phoff;
	memcpy(&phoff, copy + 32, 8);
	CHECK(phoff + 56 <= sizeof(copy));
	copy[phoff + 4] = 7; /* rwx */
	CHECK_ERR(load(&k, copy, sizeof(copy), argv, 0, 1), MICA_E_BAD_ARG);
	CHECK_EQ(k.p.elf_error, ELF_WRITABLE_CODE);
	memcpy(copy, img, sizeof(copy));
	uint64_t huge = 1ul << 40;
	memcpy(copy + phoff + 32, &huge, 8);
	CHECK_ERR(load(&k, copy, sizeof(copy), argv, 0, 1), MICA_E_BAD_ARG);
	CHECK_EQ(k.p.elf_error, ELF_SEGMENT_OUT_OF_FILE);
	memcpy(copy, img, sizeof(copy));
	copy[16] = 3; /* ET_DYN */
	CHECK_ERR(load(&k, copy, sizeof(copy), argv, 0, 1), MICA_E_BAD_ARG);
	CHECK_EQ(k.p.elf_error, ELF_BAD_TYPE);
	/* Only the gates were made. */
	CHECK_EQ(kf_used(), used + 5 * 4096ul);
}

KTEST(root_arguments_must_fit_a_page)
{
	static char longarg[3000];
	memset(longarg, 'a', sizeof(longarg) - 1);
	const char *const argv[] = { "progtest", longarg, longarg, 0 };
	mica_word_t size;
	const uint8_t *img = image(&size);
	struct kprog k;
	CHECK(img);
	CHECK_ERR(load(&k, img, size, argv, 0, 1), MICA_E_BAD_ARG);
	CHECK_EQ(k.p.elf_error, ELF_OK);
	mica_program_destroy(&k.p);
}

/* Two programs at once through one gate, told apart by label; each
 * program's objects go back to the factory when it ends. */
KTEST(root_two_programs_and_quota_refunded)
{
	mica_word_t size;
	const uint8_t *img = image(&size);
	CHECK(img);
	mica_word_t before = kf_used();
	static const char *const a[] = { "progtest", "exit", "3", 0 };
	static const char *const b[] = { "progtest", "memory", 0 };
	struct kprog k;
	CHECK_OK(load(&k, img, size, a, 0, 1));
	struct mica_program second = {
		.task = ksel(), .thread = ksel(), .factory = ksel(), .label = 2, .quota = 64 * 1024ul
	};
	CHECK_OK(mica_program_load(&k.l, img, size, b, 0, &second));
	struct mica_program *progs[] = { &k.p, &second };
	CHECK_OK(mica_loader_serve(&k.l, progs, 2, 2, 0));
	CHECK_EQ(k.p.status, 3);
	CHECK_EQ(second.status, 0);
	CHECK_EQ(kf_used(), before + 4096); /* the gate */
}
