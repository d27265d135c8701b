/* The loader_ cases' program (user/tests/ktest/loader_tests.c): what it
 * does is its first argument; its exit status says what it found.
 *   status N   exits with N
 *   env        checks argv, envp and the auxiliary vector: 0 if right
 *   named      calls the capability named "echo" (label 7, MR0 = 41),
 *              exits with the answer's MR0 (0x100 + error if it fails)
 *   data N     writes N to its data, yields a while, exits with what it reads
 *   null       reads address 0x10 (no region there)
 *   rodata     writes to its read-only data
 *   overflow   recurses until the stack's guard page
 *   spin       runs until killed
 *   attach     makes a dataspace from its allocator (MICA_CAP_MEM),
 *              attaches it in its region map (MICA_CAP_RM) and uses it: 0
 *   envwrite   writes to its (read-only) environment page
 *   print K    prints 20 lines "line K.i ..." */
#include <boot_env.h>
#include <console.h>
#include <mica/factory.h>
#include <mica/kip.h>
#include <mica/rm.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica_env.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdlib.h>
#include <string.h>

static volatile long data = 5;
static const long rodata = 7;

static int check_env(int argc, char **argv, char **envp)
{
	if (argc != 3 || strcmp(argv[0], "ldtest") != 0 || strcmp(argv[1], "env") != 0 ||
	    strcmp(argv[2], "two words") != 0)
		return 1;
	if (!envp[0] || strcmp(envp[0], "A=1") != 0 || !envp[1] || strcmp(envp[1], "B=two") != 0 || envp[2])
		return 2;
	const struct mica_kip *kip = (const struct mica_kip *)mica_getauxval(MICA_AT_KIP);
	if (!kip || kip != boot_kip || kip->magic[0] != 'L' || kip->magic[1] != '4')
		return 3;
	if (mica_getauxval(MICA_AT_PAGESZ) != 4096 || mica_getauxval(MICA_AT_PHENT) != 56 ||
	    !mica_getauxval(MICA_AT_PHNUM) || !mica_getauxval(MICA_AT_RANDOM))
		return 4;
	if (mica_getauxval(MICA_AT_ENTRY) != 0x400000)
		return 5;
	const struct mica_env *e = mica_env();
	if (!e || !mica_env_has(MICA_CAP_PARENT) || !mica_env_has(MICA_CAP_MEM) ||
	    !mica_env_has(MICA_CAP_ROM))
		return 6;
	/* The environment page is read-only; the stack is 16-byte aligned. */
	long local;
	if (((mica_word_t)&local & 7) || mica_env_cap("nothing") != 0)
		return 7;
	return 0;
}

static int named(void)
{
	mica_cap_t c = mica_env_cap("echo");
	if (!c)
		return 0x1ff;
	mica_mr()[0] = 41;
	mica_msgtag_t t = mica_call(c, 7, 1);
	if (mica_msgtag_is_error(t))
		return 0x100 + (int)mica_error(t);
	return (int)mica_mr()[0];
}

static volatile int depth_limit = 1 << 30; /* never reached: the guard page is */
static volatile long *volatile nowhere = (long *)0x10;

// NOLINTNEXTLINE(misc-no-recursion): overflowing the stack is the point
static int recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	return n < depth_limit ? recurse(n + 1) + pad[0] : 0;
}

/* Memory of its own quota, in its own address space. */
static int attach(void)
{
	const struct mica_env *env = mica_env();
	mica_cap_t ds = (mica_cap_t)env->first_free;
	mica_word_t at = 0x500000000000ul;
	int e = mica_alloc_ds(MICA_CAP_MEM, 8192, 0, ds);
	if (e != MICA_OK)
		return 0x100 + e;
	if ((e = mica_rm_attach(MICA_CAP_RM, &at, 8192, 0, MICA_FPAGE_RW, ds)) != MICA_OK)
		return 0x200 + e;
	volatile long *p = (volatile long *)at;
	if (p[0] != 0 || p[512] != 0)
		return 3;
	p[0] = 77;
	p[512] = 88;
	return p[0] + p[512] == 165 ? 0 : 4;
}

int main(int argc, char **argv, char **envp)
{
	const char *what = argc > 1 ? argv[1] : "";
	long arg = argc > 2 ? (long)strtoul(argv[2], 0, 0) : 0;
	if (!strcmp(what, "status"))
		return (int)arg;
	if (!strcmp(what, "env"))
		return check_env(argc, argv, envp);
	if (!strcmp(what, "named"))
		return named();
	if (!strcmp(what, "data")) {
		data = arg;
		for (int i = 0; i < 20; i++)
			mica_thread_yield(MICA_CAP_THREAD);
		return (int)data;
	}
	if (!strcmp(what, "null"))
		return (int)*nowhere;
	if (!strcmp(what, "rodata")) {
		*(volatile long *)&rodata = 8;
		return 1;
	}
	if (!strcmp(what, "overflow"))
		return recurse(0);
	if (!strcmp(what, "spin"))
		for (;;)
			mica_thread_yield(MICA_CAP_THREAD);
	if (!strcmp(what, "attach"))
		return attach();
	if (!strcmp(what, "envwrite")) {
		*(volatile char *)mica_env() = 0;
		return 1;
	}
	if (!strcmp(what, "print")) {
		for (int i = 0; i < 20; i++)
			printf("line %ld.%d of a program printing concurrently with others\n", arg, i);
		return 0;
	}
	return 99;
}
