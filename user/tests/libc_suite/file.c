/* The file group: files on /rom (the boot modules, read-only) and /tmp
 * (the RAM file server) through the system calls and stdio, and the
 * errors Linux gives for what cannot be done (ENOENT, EROFS, EBADF,
 * EISDIR, EEXIST, ENOTEMPTY, ENOTDIR). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suite.h"

/* Whether open(path, flags) fails with errno want. */
static int open_fails(const char *path, int flags, int want)
{
	errno = 0;
	int fd = open(path, flags, 0644);
	if (fd >= 0)
		close(fd);
	return fd == -1 && errno == want;
}

/* Whether the directory lists name. */
static int lists(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	int found = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

SUITE_GROUP(file)
{
	/* /rom: this program's own module */
	unsigned char head[4] = { 0 };
	struct stat st = { 0 };
	int fd = open("/rom/libc_suite", O_RDONLY);
	ssize_t got = fd >= 0 ? read(fd, head, 4) : -1;
	int fs = fd >= 0 ? fstat(fd, &st) : -1;
	off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	CHECK(rom_read_own_module, got == 4 && !memcmp(head, "\177ELF", 4));
	CHECK(rom_fstat_size_and_seek,
	      fs == 0 && S_ISREG(st.st_mode) && st.st_size > 4096 && end == st.st_size);
	void *map = fd >= 0 ? mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	CHECK(rom_mmap_reads_module,
	      map != MAP_FAILED && !memcmp(map, "\177ELF", 4) && munmap(map, 4096) == 0);
	CHECK(close_then_ebadf, fd >= 0 && close(fd) == 0 && read(fd, head, 1) == -1 && errno == EBADF);
	CHECK(rom_lists_modules, lists("/rom", "libc_suite"));
	CHECK(rom_missing_enoent, open_fails("/rom/no-such-module", O_RDONLY, ENOENT));
	CHECK(rom_write_erofs, open_fails("/rom/libc_suite", O_WRONLY, EROFS) &&
				       open_fails("/rom/new", O_CREAT | O_WRONLY, EROFS));
	CHECK(rom_unlink_mkdir_erofs, unlink("/rom/libc_suite") == -1 && errno == EROFS &&
					      mkdir("/rom/d", 0755) == -1 && errno == EROFS);

	/* /tmp through the system calls */
	mkdir("/tmp/suite", 0755);
	fd = open("/tmp/suite/a.bin", O_CREAT | O_TRUNC | O_RDWR, 0644);
	static char data[10000], back[10000];
	for (int i = 0; i < 10000; i++)
		data[i] = (char)(i * 13);
	ssize_t w = fd >= 0 ? write(fd, data, sizeof(data)) : -1;
	off_t pos = fd >= 0 ? lseek(fd, 0, SEEK_SET) : -1;
	ssize_t r = fd >= 0 ? read(fd, back, sizeof(back)) : -1;
	CHECK(tmp_write_read_back, w == 10000 && pos == 0 && r == 10000 && !memcmp(data, back, 10000));
	ssize_t eof = fd >= 0 ? read(fd, back, 1) : -1;
	CHECK(tmp_read_at_end_is_zero, eof == 0);
	/* a write past the end leaves zeros between */
	off_t far = fd >= 0 ? lseek(fd, 20000, SEEK_SET) : -1;
	ssize_t w2 = fd >= 0 ? write(fd, "end", 3) : -1;
	char hole[4] = "xxx";
	ssize_t ph = fd >= 0 ? pread(fd, hole, 3, 15000) : -1;
	CHECK(tmp_hole_reads_zeros, far == 20000 && w2 == 3 && ph == 3 && !hole[0] && !hole[1] && !hole[2]);
	int tr = fd >= 0 ? ftruncate(fd, 100) : -1;
	struct stat ts = { 0 };
	CHECK(tmp_ftruncate_stat,
	      tr == 0 && stat("/tmp/suite/a.bin", &ts) == 0 && ts.st_size == 100 && S_ISREG(ts.st_mode));
	if (fd >= 0)
		close(fd);
	int ro = open("/tmp/suite/a.bin", O_RDONLY);
	CHECK(write_to_read_only_ebadf, ro >= 0 && write(ro, "x", 1) == -1 && errno == EBADF);
	if (ro >= 0)
		close(ro);
	int ap = open("/tmp/suite/a.bin", O_WRONLY | O_APPEND);
	ssize_t wa = ap >= 0 ? write(ap, "tail", 4) : -1;
	if (ap >= 0)
		close(ap);
	CHECK(tmp_append_at_end, wa == 4 && stat("/tmp/suite/a.bin", &ts) == 0 && ts.st_size == 104);
	CHECK(tmp_excl_eexist, open_fails("/tmp/suite/a.bin", O_CREAT | O_EXCL | O_WRONLY, EEXIST));
	CHECK(tmp_missing_enoent, open_fails("/tmp/suite/none", O_RDONLY, ENOENT) &&
					  stat("/tmp/none/x", &ts) == -1 && errno == ENOENT);
	CHECK(tmp_directory_eisdir,
	      open_fails("/tmp/suite", O_WRONLY, EISDIR) && open_fails("/tmp/suite", O_RDWR, EISDIR));
	int dfd = open("/tmp/suite", O_RDONLY);
	CHECK(read_directory_eisdir, dfd >= 0 && read(dfd, back, 10) == -1 && errno == EISDIR);
	if (dfd >= 0)
		close(dfd);
	CHECK(file_as_directory_enotdir, open_fails("/tmp/suite/a.bin/x", O_RDONLY, ENOTDIR));

	/* stdio on /tmp: lines out, the same lines back */
	FILE *f = fopen("/tmp/suite/lines.txt", "w");
	for (int i = 0; f && i < 500; i++)
		fprintf(f, "line %d of %s\n", i, "the suite");
	int fc = f ? fclose(f) : -1;
	f = fopen("/tmp/suite/lines.txt", "r");
	char line[64];
	int n = 0, match = 1;
	while (f && fgets(line, sizeof(line), f)) {
		char want[64];
		snprintf(want, sizeof(want), "line %d of the suite\n", n++);
		match &= !strcmp(line, want);
	}
	CHECK(stdio_lines_round_trip, fc == 0 && f && n == 500 && match && feof(f) && !ferror(f));
	if (f)
		fclose(f);
	CHECK(rename_and_list, rename("/tmp/suite/lines.txt", "/tmp/suite/moved.txt") == 0 &&
				       lists("/tmp/suite", "moved.txt") && !lists("/tmp/suite", "lines.txt"));
	CHECK(rmdir_nonempty_enotempty, rmdir("/tmp/suite") == -1 && errno == ENOTEMPTY);
	CHECK(unlink_then_rmdir, unlink("/tmp/suite/moved.txt") == 0 && unlink("/tmp/suite/a.bin") == 0 &&
					 rmdir("/tmp/suite") == 0 && !lists("/tmp", "suite"));
	CHECK(close_bad_descriptor_ebadf,
	      close(-1) == -1 && errno == EBADF && close(63) == -1 && errno == EBADF);
}
