/* Files through musl (user/tests/libc/file.c): the program runs under the
 * loader with a RAM file system, so its /tmp is a session of its own; its
 * lines say which groups held, its status whether every check did, and
 * what it left in /tmp outlives it while everything else returns. */
#include <console.h>
#include <mica/program.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

#define MEMQ (8ul << 20)
#define KQ (256ul << 10)

/* Runs libc_file with a file system: its STATUS words in st. */
static int run_file(mica_word_t st[5])
{
	static const char cmd[] = "libc_file";
	if (!kldr_fs(4ul << 20))
		return MICA_E_NO_MEMORY;
	int e = kldr_run(MEMQ, KQ, cmd, sizeof(cmd) - 1, st);
	if (e == MICA_OK && st[1] != 7)
		vcon_write(kldr.out, kldr.out_len); /* its failures, for the log */
	return e;
}

/* Runs libc_file to its end under a fresh loader: whether it printed
 * `line` exactly once and everything it had came back. */
static int printed_once(const char *line)
{
	mica_word_t st[5];
	if (!kldr_start(32ul << 20) || run_file(st) != MICA_OK)
		return 0;
	unsigned n = kldr_occurs(line);
	return kldr_finish() && n == 1;
}

KTEST(libc_file_all_checks_hold)
{
	CHECK(kldr_start(32ul << 20));
	mica_word_t st[5];
	CHECK_OK(run_file(st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 7);
	CHECK_EQ(kldr_occurs("FAIL "), 0);
	CHECK_EQ(kldr_occurs("| libc_file: 0 failed\n"), 1);
	CHECK(kldr_finish());
}

KTEST(libc_file_stdio_on_tmp)
{
	CHECK(printed_once("| file: stdio on /tmp ok (16890 bytes of lines)\n"));
}

KTEST(libc_file_rom_read_and_mapped)
{
	CHECK(printed_once("| file: /rom read and mapped ok\n"));
}

KTEST(libc_file_errors_as_musl_expects)
{
	CHECK(printed_once("| file: errors ok\n"));
}

KTEST(libc_file_mmap_shared_and_private)
{
	CHECK(printed_once("| file: mmap shared and private ok\n"));
}

KTEST(libc_file_opendir_readdir)
{
	CHECK(printed_once("| file: directories ok\n"));
}

KTEST(libc_file_dup_and_working_directory)
{
	CHECK(printed_once("| file: dup and working directory ok\n"));
}

KTEST(libc_file_files_outlive_the_program)
{
	CHECK(kldr_start(32ul << 20));
	mica_word_t st[5];
	CHECK_OK(run_file(st));
	CHECK_EQ(st[1], 7);
	/* Its session is gone, its files stay (paid by the file system). */
	for (unsigned i = 0; i < RAMFS_SESSIONS; i++)
		CHECK(!kldr.fs.ses[i].used);
	char path[] = "/lines.txt";
	struct ramfs_walk w;
	CHECK_OK(ramfs_walk(&kldr.fs, path, &w));
	CHECK(w.node);
	CHECK_EQ(w.node->size, 16890 + 5);
	CHECK(w.node->opens == 0 && !w.node->owner);
	CHECK(kldr_finish());
}
