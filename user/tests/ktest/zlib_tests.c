/* zlib from Debian's source package, built unmodified with mica-cc: its
 * test program minigzip compresses a file in /tmp and decompresses it
 * again, under the loader with a RAM file system, and the result is the
 * original byte for byte (user/tests/libc/zdata.c makes and checks the
 * data; the programs share /tmp as programs do). */
#include <console.h>
#include <mica/program.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

#define MEMQ (8ul << 20)
#define KQ (256ul << 10)

/* Runs one program (cmd: its NUL-separated words, as a literal) to its
 * end: its exit status, or -1 if it could not run or did not exit. */
#define RUN(lit) run((lit), sizeof(lit) - 1)
static long run(const char *cmd, size_t n)
{
	mica_word_t st[5];
	if (kldr_run(MEMQ, KQ, cmd, n, st) != MICA_OK || st[0] != MICA_PROGRAM_EXITED)
		return -1;
	return (long)st[1];
}

/* A loader with a file system; what the case's programs printed is
 * shown if the case fails (kldr.out). */
static int start(void)
{
	return kldr_start(32ul << 20) && kldr_fs(4ul << 20);
}

KTEST(zlib_minigzip_compresses_a_tmp_file)
{
	CHECK(start());
	CHECK_EQ(RUN("libc_zdata\0make\0/tmp/z.dat"), 0);
	CHECK_EQ(RUN("minigzip\0/tmp/z.dat"), 0);
	CHECK_EQ(RUN("libc_zdata\0gz\0/tmp/z.dat.gz"), 0); /* gzip of the data, under half its size */
	CHECK_EQ(RUN("libc_zdata\0same\0/tmp/z.dat"), 1);  /* minigzip removed the original */
	CHECK_EQ(kldr_occurs("| zdata: cannot read /tmp/z.dat: No such file or directory\n"), 1);
	CHECK(kldr_finish());
}

KTEST(zlib_round_trip_byte_for_byte)
{
	CHECK(start());
	CHECK_EQ(RUN("libc_zdata\0make\0/tmp/z.dat"), 0);
	CHECK_EQ(RUN("minigzip\0-9\0/tmp/z.dat"), 0);
	CHECK_EQ(RUN("minigzip\0-d\0/tmp/z.dat.gz"), 0);
	CHECK_EQ(RUN("libc_zdata\0same\0/tmp/z.dat"), 0);
	CHECK_EQ(kldr_occurs("| zdata: /tmp/z.dat matches byte for byte (262144 bytes)\n"), 1);
	CHECK_EQ(RUN("libc_zdata\0same\0/tmp/z.dat.gz"), 1); /* and the .gz is gone */
	CHECK(kldr_finish());
}

KTEST(zlib_corrupt_file_is_refused)
{
	CHECK(start());
	CHECK_EQ(RUN("libc_zdata\0make\0/tmp/z.dat"), 0);
	CHECK_EQ(RUN("minigzip\0-1\0/tmp/z.dat"), 0);
	CHECK_EQ(RUN("libc_zdata\0flip\0/tmp/z.dat.gz"), 0);
	CHECK_EQ(RUN("minigzip\0-d\0/tmp/z.dat.gz"), 1); /* its error exit */
	CHECK_EQ(kldr_occurs("incorrect data check"), 1);
	CHECK(kldr_finish());
}
