/* A program for the loader cases (user/tests/ktest/loader_tests.c): argv[1]
 * says what to check or do; the exit status says how it went (0: all
 * as expected; otherwise the number of the check that failed). */
#include <boot_env.h>
#include <mica/program.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <string.h>

extern char _start[];

static volatile int initialised = 1234;
static volatile char big_bss[256 * 1024];
/* Three whole pages of data (the loader_cow_ cases): shared with the
 * module until written. */
static volatile unsigned char cow_data[3 * 4096]
	__attribute__((aligned(4096))) = { [0] = 1, [4096] = 2, [8192] = 3 };

static int check_args(int argc, char **argv, char **envp)
{
	if (argc != 4)
		return 1;
	if (strcmp(argv[2], "alpha") != 0 || strcmp(argv[3], "beta") != 0 || argv[4])
		return 2;
	if (!envp[0] || strcmp(envp[0], "KEY=value") != 0 || !envp[1] || strcmp(envp[1], "X=") != 0 ||
	    envp[2])
		return 3;
	/* argc sat at the 16-byte aligned stack pointer, argv right above. */
	if (((mica_word_t)argv - 8) % 16)
		return 4;
	return 0;
}

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static int check_auxv(void)
{
	if (mica_getauxval(MICA_AT_PAGESZ) != 4096)
		return 1;
	if (mica_getauxval(MICA_AT_ENTRY) != (mica_word_t)_start)
		return 2;
	if (mica_getauxval(MICA_AT_PHENT) != sizeof(struct phdr) || mica_getauxval(MICA_AT_PHNUM) == 0)
		return 3;
	/* One loadable, executable program header covers the entry point. */
	const struct phdr *ph = (const struct phdr *)mica_getauxval(MICA_AT_PHDR);
	int found = 0;
	for (mica_word_t i = 0; ph && i < mica_getauxval(MICA_AT_PHNUM); i++)
		found |= ph[i].type == 1 && (ph[i].flags & 1) && (mica_word_t)_start >= ph[i].vaddr &&
			 (mica_word_t)_start < ph[i].vaddr + ph[i].memsz;
	if (!found)
		return 4;
	const uint8_t *rnd = (const uint8_t *)mica_getauxval(MICA_AT_RANDOM);
	int nonzero = 0;
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	if (!nonzero)
		return 5;
	if (!boot_kip || boot_kip->magic[0] != 'L' || boot_kip->magic[3] != 'K')
		return 6;
	return 0;
}

/* Recurses through deep stack frames: pages below the first are made
 * on demand by the loader. */
// NOLINTNEXTLINE(misc-no-recursion): the deep stack is the point
static int deep(int n)
{
	volatile char frame[4000];
	frame[0] = (char)n;
	frame[3999] = (char)n;
	return n ? deep(n - 1) + frame[0] - frame[3999] : 0;
}

static int check_memory(void)
{
	if (initialised != 1234)
		return 1;
	for (unsigned i = 0; i < sizeof(big_bss); i += 4096)
		if (big_bss[i])
			return 2;
	big_bss[sizeof(big_bss) - 1] = 7;
	initialised = 5;
	if (big_bss[sizeof(big_bss) - 1] != 7 || initialised != 5)
		return 3;
	if (deep(100) != 0) /* 400 KiB of stack */
		return 4;
	return 0;
}

/* Writes v to the first and last of cow_data's pages (the last write is
 * its last new page), yields a while, then checks it sees its own bytes
 * and the untouched middle page. */
static int check_cow(int v)
{
	if (cow_data[0] != 1 || cow_data[4096] != 2 || cow_data[8192] != 3)
		return 1;
	cow_data[0] = (unsigned char)v;
	for (int i = 0; i < 20; i++)
		mica_thread_yield(MICA_CAP_THREAD);
	cow_data[8192] = (unsigned char)(v + 1);
	for (int i = 0; i < 20; i++)
		mica_thread_yield(MICA_CAP_THREAD);
	if (cow_data[0] != v || cow_data[4096] != 2 || cow_data[8192] != v + 1)
		return 2;
	return 0;
}

static int parse(const char *s)
{
	int n = 0;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

int main(int argc, char **argv, char **envp)
{
	if (argc < 2)
		return 100;
	const char *what = argv[1];
	if (!strcmp(what, "args"))
		return check_args(argc, argv, envp);
	if (!strcmp(what, "auxv"))
		return check_auxv();
	if (!strcmp(what, "memory"))
		return check_memory();
	if (!strcmp(what, "exit") && argc > 2)
		return parse(argv[2]);
	if (!strcmp(what, "cow") && argc > 2)
		return check_cow(parse(argv[2]));
	if (!strcmp(what, "ud"))
		__asm__ volatile("ud2");
	if (!strcmp(what, "write-text"))
		*(volatile char *)_start = 0;
	if (!strcmp(what, "exec-data"))
		((void (*)(void))(mica_word_t)&initialised)();
	if (!strcmp(what, "outside"))
		return *(volatile int *)0x10000000;
	return 101;
}
