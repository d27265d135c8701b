/* Files through musl (user/posix: the VFS, /tmp on the RAM file server,
 * /rom from the ROM name space): stdio and the system calls on /tmp,
 * reading and mapping a module in /rom, mapping a /tmp file shared and
 * private, directories, dup and the working directory, and the errors
 * musl reports. Prints a line per
 * group and exits with status 7 if every check held (100 + the failures
 * otherwise); the libc_file_ ktest cases check its lines and status. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier): MAP_ANONYMOUS and friends under -std=c11 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int failed;

#define CHECK(c)                                                                                             \
	do {                                                                                                 \
		if (!(c) && failed++ < 8)                                                                    \
			printf("FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #c, errno);                \
	} while (0)

/* Whether fopen works (the stream closed again). */
static int opens(const char *path, const char *mode)
{
	FILE *f = fopen(path, mode);
	return f && !fclose(f);
}

static void stdio_tmp(void)
{
	FILE *f = fopen("/tmp/lines.txt", "w");
	CHECK(f);
	if (!f)
		return;
	for (int i = 0; i < 1000; i++)
		CHECK(fprintf(f, "line %d of %s\n", i, "many") > 0);
	CHECK(fclose(f) == 0);
	f = fopen("/tmp/lines.txt", "r");
	CHECK(f);
	if (!f)
		return;
	char buf[64];
	int n = 0, k;
	while (fgets(buf, sizeof(buf), f)) {
		CHECK(sscanf(buf, "line %d of many", &k) == 1 && k == n);
		n++;
	}
	CHECK(n == 1000);
	CHECK(feof(f) && !ferror(f));
	long size = ftell(f);
	CHECK(fseek(f, 5, SEEK_SET) == 0);
	CHECK(fgets(buf, sizeof(buf), f) && !strcmp(buf, "0 of many\n"));
	CHECK(fseek(f, -12, SEEK_END) == 0);
	CHECK(fgets(buf, sizeof(buf), f) && !strcmp(buf, "999 of many\n"));
	CHECK(fclose(f) == 0);
	/* Binary: 200 KB written in odd pieces, read back in others. */
	f = fopen("/tmp/bin", "w+");
	CHECK(f);
	if (!f)
		return;
	static unsigned char big[200000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 31 + (i >> 9));
	for (size_t i = 0; i < sizeof(big); i += 777)
		CHECK(fwrite(big + i, 1, sizeof(big) - i < 777 ? sizeof(big) - i : 777, f) > 0);
	rewind(f);
	static unsigned char back[200000];
	CHECK(fread(back, 1, sizeof(back), f) == sizeof(back));
	CHECK(!memcmp(big, back, sizeof(big)));
	CHECK(fclose(f) == 0);
	/* Append mode goes to the end. */
	f = fopen("/tmp/lines.txt", "a");
	CHECK(f && fputs("tail\n", f) >= 0 && fclose(f) == 0);
	struct stat st;
	CHECK(stat("/tmp/lines.txt", &st) == 0 && st.st_size == size + 5 && S_ISREG(st.st_mode));
	printf("file: stdio on /tmp ok (%ld bytes of lines)\n", size);
}

static void rom(void)
{
	int fd = open("/rom/libc_file", O_RDONLY);
	CHECK(fd >= 3);
	char h[4];
	CHECK(read(fd, h, 4) == 4 && !memcmp(h, "\177ELF", 4));
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 4096L);
	CHECK(lseek(fd, 0, SEEK_END) == st.st_size);
	CHECK(read(fd, h, 4) == 0);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	char *m = mmap(0, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m != MAP_FAILED) {
		char *buf = malloc((size_t)st.st_size);
		CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, (size_t)st.st_size) == st.st_size);
		CHECK(pread(fd, h, 4, 1) == 4 && !memcmp(h, "ELF", 3) &&
		      lseek(fd, 0, SEEK_CUR) == st.st_size);
		CHECK(!memcmp(m, buf, (size_t)st.st_size));
		free(buf);
		CHECK(munmap(m, (size_t)st.st_size) == 0);
	}
	CHECK(mmap(0, 4096L, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
	CHECK(close(fd) == 0);
	FILE *f = fopen("/rom/libc_file", "rb");
	CHECK(f && fgetc(f) == 0x7f && fclose(f) == 0);
	CHECK(open("/rom/libc_file", O_WRONLY) == -1 && errno == EROFS);
	CHECK(open("/rom/libc_file", O_RDWR | O_CREAT, 0644) == -1 && errno == EROFS);
	CHECK(!opens("/rom/libc_file", "w") && errno == EROFS);
	CHECK(open("/rom/no_such_module", O_RDONLY) == -1 && errno == ENOENT);
	printf("file: /rom read and mapped ok\n");
}

static void errors(void)
{
	char b[8];
	CHECK(open("/tmp/missing", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(!opens("/tmp/missing", "r") && errno == ENOENT);
	CHECK(open("/nowhere/x", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(open("/tmp", O_WRONLY) == -1 && errno == EISDIR);
	CHECK(open("/", O_RDWR) == -1 && errno == EISDIR);
	int d = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(d >= 0 && read(d, b, 8) == -1 && errno == EISDIR);
	close(d);
	CHECK(read(99, b, 1) == -1 && errno == EBADF);
	CHECK(write(42, b, 1) == -1 && errno == EBADF);
	CHECK(close(99) == -1 && errno == EBADF);
	CHECK(lseek(77, 0, SEEK_SET) == -1 && errno == EBADF);
	int fd = open("/tmp/e", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	CHECK(read(fd, b, 1) == -1 && errno == EBADF);
	CHECK(close(fd) == 0);
	CHECK(close(fd) == -1 && errno == EBADF);
	CHECK(open("/tmp/e", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST);
	CHECK(open("/tmp/e/x", O_RDONLY) == -1 && errno == ENOTDIR);
	CHECK(open("/tmp/e", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
	CHECK(mkdir("/tmp/dd", 0755) == 0);
	CHECK(mkdir("/tmp/dd", 0755) == -1 && errno == EEXIST);
	CHECK(mkdir("/tmp", 0755) == -1 && errno == EEXIST);
	CHECK(mkdir("/rom/x", 0755) == -1 && errno == EROFS);
	CHECK(mkdir("/elsewhere", 0755) == -1 && errno == EROFS);
	CHECK(unlink("/rom/libc_file") == -1 && errno == EROFS);
	CHECK(unlink("/tmp/dd") == -1 && errno == EISDIR);
	CHECK(rmdir("/tmp/e") == -1 && errno == ENOTDIR);
	CHECK(close(open("/tmp/dd/f", O_CREAT | O_WRONLY, 0644)) == 0);
	CHECK(rmdir("/tmp/dd") == -1 && errno == ENOTEMPTY);
	CHECK(unlink("/tmp/dd/f") == 0 && rmdir("/tmp/dd") == 0);
	CHECK(unlink("/tmp/e") == 0);
	CHECK(unlink("/tmp/e") == -1 && errno == ENOENT);
	CHECK(rename("/rom/libc_file", "/tmp/x") == -1 && errno == EROFS);
	/* The session's quota (1 MiB) runs out: ENOSPC, and back after unlink. */
	fd = open("/tmp/huge", O_CREAT | O_RDWR, 0644);
	static char chunk[65536];
	long total = 0, r;
	while ((r = write(fd, chunk, sizeof(chunk))) > 0)
		total += r;
	CHECK(r == -1 && errno == ENOSPC);
	CHECK(total > 512L * 1024 && total < 1024L * 1024);
	CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_CUR) == total); /* the position stays */
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, chunk, sizeof(chunk)) == sizeof(chunk));
	CHECK(close(fd) == 0 && unlink("/tmp/huge") == 0);
	printf("file: errors ok\n");
}

static void mapped(void)
{
	int fd = open("/tmp/map", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 3 * 4096L) == 0);
	char *m = mmap(0, 3 * 4096L, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	CHECK(m[5000] == 0);
	memcpy(m + 5000, "through the mapping", 19);
	char b[32];
	CHECK(pread(fd, b, 19, 5000) == 19);
	CHECK(!memcmp(b, "through the mapping", 19));
	CHECK(lseek(fd, 9000, SEEK_SET) == 9000 && write(fd, "by write", 8) == 8);
	CHECK(!memcmp(m + 9000, "by write", 8));
	CHECK(pwrite(fd, "PW", 2, 100) == 2 && lseek(fd, 0, SEEK_CUR) == 9008 && m[100] == 'P');
	/* A private writable mapping is a copy: the file stays. */
	char *p = mmap(0, 3 * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && !memcmp(p + 9000, "by write", 8));
	if (p != MAP_FAILED) {
		p[9000] = 'X';
		CHECK(m[9000] == 'b');
		CHECK(munmap(p, 3 * 4096L) == 0);
	}
	CHECK(munmap(m, 3 * 4096L) == 0);
	/* A read-only descriptor maps read-only only. */
	int ro = open("/tmp/map", O_RDONLY);
	CHECK(mmap(0, 4096L, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EACCES);
	char *r = mmap(0, 4096L * 3, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(r != MAP_FAILED && !memcmp(r + 5000, "through", 7));
	if (r != MAP_FAILED)
		munmap(r, 4096L * 3);
	/* Unlinked while open: still there through the descriptors. */
	CHECK(unlink("/tmp/map") == 0);
	CHECK(lseek(ro, 9000, SEEK_SET) == 9000 && read(ro, b, 8) == 8 && !memcmp(b, "by write", 8));
	struct stat st;
	CHECK(fstat(ro, &st) == 0 && st.st_nlink == 0 && st.st_size == 3 * 4096L);
	CHECK(close(ro) == 0 && close(fd) == 0);
	CHECK(stat("/tmp/map", &st) == -1 && errno == ENOENT);
	printf("file: mmap shared and private ok\n");
}

/* Whether dir lists name (once). */
static int lists(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	int seen = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		seen += !strcmp(e->d_name, name);
	closedir(d);
	return seen;
}

static void dirs(void)
{
	CHECK(mkdir("/tmp/dir", 0755) == 0);
	char p[64];
	for (int i = 0; i < 20; i++) {
		snprintf(p, sizeof(p), "/tmp/dir/file%02d", i);
		FILE *f = fopen(p, "w");
		CHECK(f && fprintf(f, "%d", i) > 0 && fclose(f) == 0);
	}
	CHECK(mkdir("/tmp/dir/sub", 0755) == 0);
	DIR *d = opendir("/tmp/dir");
	CHECK(d);
	int files = 0, subs = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_type == DT_REG && !strncmp(e->d_name, "file", 4))
			files++;
		if (e->d_type == DT_DIR && !strcmp(e->d_name, "sub"))
			subs++;
	}
	CHECK(files == 20 && subs == 1);
	if (d) {
		rewinddir(d);
		CHECK(readdir(d) != 0);
		long at = telldir(d);
		struct dirent *second = readdir(d);
		char name[256] = "";
		if (second)
			snprintf(name, sizeof(name), "%s", second->d_name);
		CHECK(second && readdir(d));
		seekdir(d, at); /* back to the second entry */
		second = readdir(d);
		CHECK(second && !strcmp(second->d_name, name));
		closedir(d);
	}
	CHECK(rename("/tmp/dir/file03", "/tmp/dir/sub/moved") == 0);
	CHECK(lists("/tmp/dir", "file03") == 0 && lists("/tmp/dir/sub", "moved") == 1);
	CHECK(rename("/tmp/dir/file04", "/tmp/dir/file05") == 0); /* over an existing file */
	FILE *f = fopen("/tmp/dir/file05", "r");
	int v = -1;
	CHECK(f && fscanf(f, "%d", &v) == 1 && v == 4 && fclose(f) == 0);
	struct stat st;
	CHECK(stat("/tmp/dir/sub", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat("/tmp/dir/./sub/../file05", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 1);
	CHECK(lists("/", "rom") == 1 && lists("/", "tmp") == 1);
	CHECK(lists("/rom", "libc_file") == 1);
	CHECK(lists("/tmp", "dir") == 1);
	CHECK(!opendir("/tmp/dir/file05") && errno == ENOTDIR);
	CHECK(!opendir("/tmp/none") && errno == ENOENT);
	printf("file: directories ok\n");
}

/* dup, dup2, dup3 and F_DUPFD share one description (its position);
 * the working directory (chdir, getcwd) is where relative paths start. */
static void dup_cwd(void)
{
	int before = failed;
	int fd = open("/tmp/dup.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int d = dup(fd);
	CHECK(fd >= 0 && d >= 0 && d != fd);
	CHECK(write(fd, "abc", 3) == 3 && write(d, "def", 3) == 3); /* one position */
	CHECK(lseek(d, 0, SEEK_CUR) == 6 && lseek(fd, 1, SEEK_SET) == 1 && lseek(d, 0, SEEK_CUR) == 1);
	CHECK(close(fd) == 0);
	char b[8] = { 0 };
	CHECK(read(d, b, 5) == 5 && !memcmp(b, "bcdef", 5)); /* still open through d */
	CHECK(dup2(d, 20) == 20 && lseek(20, 0, SEEK_SET) == 0 && lseek(d, 0, SEEK_CUR) == 0);
	CHECK(dup2(d, d) == d && dup3(d, d, 0) == -1 && errno == EINVAL);
	CHECK(fcntl(d, F_DUPFD, 30) == 30 && close(30) == 0);
	CHECK(dup(99) == -1 && errno == EBADF && dup2(d, 99) == -1 && errno == EBADF);
	CHECK(close(d) == 0 && close(20) == 0 && close(20) == -1 && errno == EBADF);
	/* standard output through another descriptor */
	static const char via[] = "file: written through dup(1)\n";
	int out = dup(1);
	CHECK(out >= 0 && write(out, via, sizeof(via) - 1) == (long)sizeof(via) - 1 && close(out) == 0);
	char cwd[64];
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"));
	CHECK(mkdir("/tmp/wd", 0755) == 0 && chdir("/tmp/wd") == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/tmp/wd"));
	CHECK(opens("rel.txt", "w") && opens("/tmp/wd/rel.txt", "r") && opens("../wd/./rel.txt", "r"));
	CHECK(getcwd(cwd, 4) == 0 && errno == ERANGE);
	CHECK(chdir("/tmp/wd/rel.txt") == -1 && errno == ENOTDIR);
	CHECK(chdir("/tmp/none") == -1 && errno == ENOENT);
	CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/tmp"));
	CHECK(chdir("/rom") == 0 && opens("libc_file", "r") && chdir("/") == 0);
	CHECK(unlink("/tmp/wd/rel.txt") == 0 && rmdir("/tmp/wd") == 0 && unlink("/tmp/dup.txt") == 0);
	if (failed == before)
		printf("file: dup and working directory ok\n");
}

int main(void)
{
	stdio_tmp();
	rom();
	errors();
	mapped();
	dirs();
	dup_cwd();
	printf("libc_file: %d failed\n", failed);
	return failed ? 100 + failed : 7;
}
