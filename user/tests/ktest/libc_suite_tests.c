/* The libc test program (user/tests/libc_suite, built with mica-cc on
 * musl and the POSIX back end): one case per check it makes. The first
 * case to run starts the program once under the loader, with a RAM file
 * system for its /tmp, and keeps its output; every case then looks for
 * its own check's `ok` line, exactly once, and no `not ok` line. The
 * list of checks is generated from the program's sources
 * (tools/libc-suite-cases.sh). */
#include <console.h>
#include <mica/program.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

/* Its 100,000 small blocks at once, an 8 MiB one, the file and thread
 * groups. The kernel quota pays for the task (48 KiB with its 16 KiB UTCB
 * area), each thread's object and IRQ (up to 5 threads at a time) and the
 * page tables of what it maps (about 128 bytes a page, seen here): 256 KiB
 * ran out at about 7 MiB mapped at once, which a program sees as a page
 * fault that ends it (user/posix/README.md: no ENOMEM for that yet). */
#define MEMQ (20ul << 20)
#define KQ (768ul << 10)
#define FSQ (4ul << 20)

static struct {
	int ran, started, clean;
	mica_word_t st[5];
	char out[sizeof(kldr.out)];
	unsigned out_len;
} suite;

/* Runs the program the first time it is called; whether it ran to its
 * end (the details: the libc_suite_ cases below). */
static int suite_ran(void)
{
	static const char cmd[] = "libc_suite";
	if (suite.ran)
		return suite.started;
	suite.ran = 1;
	int e = MICA_E_NO_MEMORY;
	if (!kldr_start(32ul << 20) || !kldr_fs(FSQ) ||
	    (e = kldr_run(MEMQ, KQ, cmd, sizeof(cmd) - 1, suite.st)) != MICA_OK) {
		printf("# libc_suite did not run: error %d\n", e);
		kldr_finish();
		return 0;
	}
	suite.started = 1;
	memcpy(suite.out, kldr.out, kldr.out_len);
	suite.out_len = kldr.out_len;
	suite.clean = kldr_finish();
	if (suite.st[0] != MICA_PROGRAM_EXITED || suite.st[1] != 0) {
		vcon_write(suite.out, suite.out_len); /* its failures, for the log */
		printf("# libc_suite ended: status %lu %lx %lx %lx %lx\n", suite.st[0], suite.st[1],
		       suite.st[2], suite.st[3], suite.st[4]);
	}
	return 1;
}

/* How often a, b and c one after the other occur in its output. */
static unsigned occurs(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c), n = la + lb + lc;
	unsigned k = 0;
	for (size_t i = 0; i + n <= suite.out_len; i++) {
		const char *o = suite.out + i;
		k += !memcmp(o, a, la) && !memcmp(o + la, b, lb) && !memcmp(o + la + lb, c, lc);
	}
	return k;
}

/* The program exits with the number of checks that failed. */
KTEST(libc_suite_exit_status_is_failures)
{
	CHECK(suite_ran());
	CHECK_EQ(suite.st[0], MICA_PROGRAM_EXITED);
	unsigned failed = occurs("| not ok libc_", "", "");
	char num[12], *p = num + sizeof(num) - 1;
	*p = 0;
	unsigned v = failed;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	CHECK_EQ(occurs("| libc_suite: ", p, " failed\n"), 1); /* it counted what it printed */
	CHECK_EQ(suite.st[1], failed > 255 ? 255 : failed);
}

/* Everything it had (memory, kernel quota, log, file sessions) is back
 * once it ended. */
KTEST(libc_suite_everything_returned)
{
	CHECK(suite_ran());
	CHECK(suite.clean);
}

/* One case per check: `ok libc_<group>_<name>` once, `not ok` never. */
#define LIBC_SUITE_CASE(g, n)                                                                                \
	KTEST(libc_##g##_##n)                                                                                \
	{                                                                                                    \
		CHECK(suite_ran());                                                                          \
		CHECK_EQ(occurs("| not ok ", "libc_" #g "_" #n, ":"), 0);                                    \
		CHECK_EQ(occurs("| ok ", "libc_" #g "_" #n, "\n"), 1);                                       \
	}
#include "libc_suite_cases.h"
