/* musl on Mica (user/posix): user/tests/libc/hello.c, built with mica-cc
 * from Debian's musl and the POSIX back end, started by the loader like
 * any program: its exit status, its standard output in the log, and
 * everything it had back afterwards. */
#include <console.h>
#include <mica/program.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

/* Its 20,000 small blocks and 1 MiB ones, one at a time. */
#define MEMQ (6ul << 20)
#define KQ (256ul << 10)

/* Runs libc_hello: its STATUS words in st. */
static int run_hello(mica_word_t st[5])
{
	static const char cmd[] = "libc_hello\0one\0two";
	int e = kldr_run(MEMQ, KQ, cmd, sizeof(cmd) - 1, st);
	if (e == MICA_OK && st[1] != 7)
		vcon_write(kldr.out, kldr.out_len); /* its failures, for the log */
	return e;
}

KTEST(libc_hello_exits_with_status_7)
{
	CHECK(kldr_start(16ul << 20));
	mica_word_t st[5];
	CHECK_OK(run_hello(st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 7); /* 100 + failures if any of its checks failed */
	CHECK_EQ(kldr_occurs("FAIL "), 0);
	CHECK(kldr_finish()); /* its memory, kernel quota and log all back */
}

KTEST(libc_hello_output_reaches_the_log)
{
	CHECK(kldr_start(16ul << 20));
	mica_word_t st[5];
	CHECK_OK(run_hello(st));
	CHECK_EQ(st[1], 7);
	CHECK_EQ(kldr_occurs("libc_hello\033[0m | libc_hello: argc 3, argv[0] libc_hello\n"), 1);
	CHECK_EQ(kldr_occurs("| stdio: hello from musl 42 2.500 0xbeef\n"), 1);
	CHECK_EQ(kldr_occurs("| malloc: 20000 blocks written, checked and freed; 16 MiB in 1 MiB blocks\n"),
		 1);
	CHECK_EQ(kldr_occurs("| numbers: strtod 0.0015, qsort of 1000 sorted=1\n"), 1);
	CHECK_EQ(kldr_occurs("| control: setjmp/longjmp 17, tls 15\n"), 1);
	CHECK_EQ(kldr_occurs("| system: Mica, clock moved forward, ENOSYS ok\n"), 1);
	CHECK_EQ(kldr_occurs("| stderr: unbuffered, to the same log\n"), 1);
	CHECK_EQ(kldr_occurs("| libc_hello: 0 failed\n"), 1);
	/* the last, unterminated line is flushed at exit */
	CHECK_EQ(kldr_occurs("| no newline at the end"), 1);
	CHECK(kldr_finish());
}

KTEST(libc_unsupported_call_is_reported_once_by_name)
{
	CHECK(kldr_start(16ul << 20));
	mica_word_t st[5];
	CHECK_OK(run_hello(st));
	CHECK_EQ(st[1], 7); /* it called pipe twice, got ENOSYS both times */
	CHECK_EQ(kldr_occurs("| posix: system call pipe not supported (ENOSYS)\n"), 1);
	CHECK_EQ(kldr_occurs("not supported"), 1);
	CHECK(kldr_finish());
}
