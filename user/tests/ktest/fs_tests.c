/* The RAM file server (user/services/ramfs, include/mica/fs.h): files and
 * directories, paths, readdir, rename, unlink of open files, quotas,
 * mapped files, several clients at once and hostile requests. The server
 * runs in this task on the memory server of memsrv.c; every case ends
 * with the file system gone and the pool back where it started. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica_fs.h>
#include <ramfs/ramfs.h>
#include <string.h>

#include "memsrv.h"

#define WIN 0x3d0000000000ul
#define PG 4096ul
#define RW (MICA_FS_O_READ | MICA_FS_O_WRITE)
#define NEW (RW | MICA_FS_O_CREAT)

static struct kmem km;
static struct ramfs fs;
static mica_cap_t fscap;

/* A file system of quota bytes and a session of squota bytes. */
static mica_cap_t start(mica_word_t quota, mica_word_t squota)
{
	if (!kmem_start(&km, 64ul << 20) || ramfs_init(&fs, &kmem_mem, kmem_mem.root, quota) != MICA_OK)
		return 0;
	fscap = kmem_cap(&fs.o, MICA_FS_R_CONTROL);
	mica_cap_t s = ksel();
	return fscap && mica_fs_session(fscap, squota, s) == 0 ? s : 0;
}

/* Everything returned: the file system's memory and the pool. */
static int finish(void)
{
	ramfs_fini(&fs);
	return kmem_finish(&km);
}

static mica_word_t charged(mica_cap_t s)
{
	mica_word_t q, c;
	return mica_fs_info(s, &q, &c) == 0 ? c : ~0ul;
}

/* Creates path with len bytes of pattern seed; 0 or the status. */
static int put(mica_cap_t s, const char *path, size_t len, unsigned seed)
{
	static char buf[8192];
	mica_word_t h;
	for (size_t i = 0; i < len && i < sizeof(buf); i++)
		buf[i] = (char)(seed + i * 7);
	int e = mica_fs_open(s, path, NEW | MICA_FS_O_TRUNC, &h, 0);
	if (e)
		return e;
	e = mica_fs_pwrite(s, h, 0, buf, len);
	mica_fs_close(s, h);
	return e;
}

/* Whether path holds len bytes of pattern seed. */
static int holds(mica_cap_t s, const char *path, size_t len, unsigned seed)
{
	static char buf[8192];
	mica_word_t h, size;
	size_t got;
	if (mica_fs_open(s, path, MICA_FS_O_READ, &h, &size) || size != len)
		return 0;
	int ok = !mica_fs_pread(s, h, 0, buf, sizeof(buf), &got) && got == len;
	for (size_t i = 0; ok && i < len; i++)
		ok = buf[i] == (char)(seed + i * 7);
	mica_fs_close(s, h);
	return ok;
}

KTEST(fs_create_write_read)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	mica_word_t h, size;
	CHECK_OK(mica_fs_open(s, "/hello", NEW, &h, &size));
	CHECK_EQ(size, 0);
	size_t n;
	CHECK_OK(mica_fs_write(s, h, 0, "hello, world", 12, &n));
	CHECK_EQ(n, 12);
	char b[32] = { 0 };
	CHECK_OK(mica_fs_read(s, h, 7, b, sizeof(b), &n));
	CHECK_EQ(n, 5);
	CHECK(!memcmp(b, "world", 5));
	struct mica_fs_stat st;
	CHECK_OK(mica_fs_stat(s, h, &st));
	CHECK_EQ(st.type, MICA_FS_T_FILE);
	CHECK_EQ(st.size, 12);
	CHECK_EQ(st.nlink, 1);
	CHECK_OK(mica_fs_close(s, h));
	/* 5000 bytes across pages, read back through another open. */
	CHECK_OK(put(s, "big", 5000, 3));
	CHECK(holds(s, "/big", 5000, 3));
	CHECK(finish());
}

KTEST(fs_open_errors)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	mica_word_t h;
	CHECK_ERR(mica_fs_open(s, "/nope", MICA_FS_O_READ, &h, 0), MICA_FS_ENOENT);
	CHECK_ERR(mica_fs_open(s, "/nope/x", NEW, &h, 0), MICA_FS_ENOENT);
	CHECK_OK(put(s, "/f", 10, 1));
	CHECK_ERR(mica_fs_open(s, "/f", NEW | MICA_FS_O_EXCL, &h, 0), MICA_FS_EEXIST);
	CHECK_ERR(mica_fs_open(s, "/f/x", MICA_FS_O_READ, &h, 0), MICA_FS_ENOTDIR);
	CHECK_ERR(mica_fs_open(s, "/f", MICA_FS_O_READ | MICA_FS_O_DIRECTORY, &h, 0), MICA_FS_ENOTDIR);
	CHECK_ERR(mica_fs_open(s, "/", RW, &h, 0), MICA_FS_EISDIR);
	CHECK_ERR(mica_fs_open(s, "/f", 0, &h, 0), MICA_FS_EINVAL);
	CHECK_ERR(mica_fs_open(s, "/f", MICA_FS_O_READ | 64, &h, 0), MICA_FS_EINVAL);
	CHECK_ERR(mica_fs_open(s, "", MICA_FS_O_READ, &h, 0), MICA_FS_EINVAL);
	CHECK_OK(mica_fs_open(s, "/", MICA_FS_O_READ | MICA_FS_O_DIRECTORY, &h, 0));
	size_t n;
	char b[8];
	CHECK_ERR(mica_fs_read(s, h, 0, b, 8, &n), MICA_FS_EISDIR);
	CHECK_ERR(mica_fs_dataspace(s, h, ksel(), 0), MICA_FS_EISDIR);
	CHECK(finish());
}

KTEST(fs_mkdir_rmdir_unlink)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(mica_fs_mkdir(s, "/d"));
	CHECK_ERR(mica_fs_mkdir(s, "/d"), MICA_FS_EEXIST);
	CHECK_ERR(mica_fs_mkdir(s, "/"), MICA_FS_EEXIST);
	CHECK_ERR(mica_fs_mkdir(s, "/x/y"), MICA_FS_ENOENT);
	CHECK_OK(mica_fs_mkdir(s, "/d/e"));
	CHECK_OK(put(s, "/d/e/f", 100, 2));
	CHECK_ERR(mica_fs_rmdir(s, "/d"), MICA_FS_ENOTEMPTY);
	CHECK_ERR(mica_fs_rmdir(s, "/d/e/f"), MICA_FS_ENOTDIR);
	CHECK_ERR(mica_fs_unlink(s, "/d/e"), MICA_FS_EISDIR);
	CHECK_ERR(mica_fs_rmdir(s, "/"), MICA_FS_EBUSY);
	CHECK_ERR(mica_fs_unlink(s, "/d/e/g"), MICA_FS_ENOENT);
	mica_word_t c0 = charged(s);
	CHECK_OK(mica_fs_unlink(s, "/d/e/f"));
	CHECK_EQ(charged(s), c0 - MICA_FS_NODE_COST - PG);
	CHECK_OK(mica_fs_rmdir(s, "/d/e"));
	CHECK_OK(mica_fs_rmdir(s, "/d"));
	CHECK_EQ(charged(s), 0);
	CHECK(finish());
}

KTEST(fs_paths_dot_dotdot_slashes)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(mica_fs_mkdir(s, "a"));
	CHECK_OK(mica_fs_mkdir(s, "//a//b/"));
	CHECK_OK(put(s, "/a/./b/../b/f", 9, 4));
	CHECK(holds(s, "a/b/f", 9, 4));
	CHECK(holds(s, "/../../a/b/./f", 9, 4));
	mica_word_t h;
	CHECK_OK(mica_fs_open(s, "/a/b/..", MICA_FS_O_READ | MICA_FS_O_DIRECTORY, &h, 0));
	CHECK_ERR(mica_fs_rmdir(s, "/a/b/."), MICA_FS_EINVAL);
	CHECK(finish());
}

KTEST(fs_name_limits)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	char name[80], path[300];
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[64] = 0; /* 63 bytes after the slash */
	CHECK_OK(put(s, name, 1, 1));
	name[64] = 'n';
	name[65] = 0;
	mica_word_t h;
	CHECK_ERR(mica_fs_open(s, name, NEW, &h, 0), MICA_FS_ENAMETOOLONG);
	memset(path, 'p', sizeof(path));
	path[299] = 0;
	CHECK_ERR(mica_fs_open(s, path, NEW, &h, 0), MICA_FS_ENAMETOOLONG);
	CHECK_ERR(mica_fs_mkdir(s, path), MICA_FS_ENAMETOOLONG);
	/* A NUL inside, and a length past the words sent. */
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_FS_O_READ;
	mr[1] = 3;
	memcpy(&mr[2], "a\0b", 4);
	CHECK_EQ(mica_error(mica_call(s, MICA_FS_OPEN, 3)), 0);
	CHECK_EQ(mr[0], MICA_FS_EINVAL);
	mr[0] = MICA_FS_O_READ;
	mr[1] = 200;
	CHECK_EQ(mica_error(mica_call(s, MICA_FS_OPEN, 3)), 0);
	CHECK_EQ(mr[0], MICA_FS_EINVAL);
	mr[0] = 200;
	mr[1] = 1;
	CHECK_EQ(mica_error(mica_call(s, MICA_FS_RENAME, 4)), 0);
	CHECK_EQ(mr[0], MICA_FS_EINVAL);
	/* Too few words for the method: the framework's error. */
	CHECK_EQ(mica_error(mica_call(s, MICA_FS_READ, 1)), MICA_E_BAD_TAG);
	CHECK(finish());
}

KTEST(fs_write_past_end_reads_zeros)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	mica_word_t h;
	size_t n;
	CHECK_OK(mica_fs_open(s, "/g", NEW, &h, 0));
	CHECK_OK(mica_fs_write(s, h, 10000, "end", 3, &n));
	struct mica_fs_stat st;
	CHECK_OK(mica_fs_stat(s, h, &st));
	CHECK_EQ(st.size, 10003);
	static char b[10003];
	memset(b, 1, sizeof(b));
	CHECK_OK(mica_fs_pread(s, h, 0, b, sizeof(b), &n));
	CHECK_EQ(n, 10003);
	for (unsigned i = 0; i < 10000; i++)
		CHECK_EQ(b[i], 0);
	CHECK(!memcmp(b + 10000, "end", 3));
	CHECK_EQ(charged(s), MICA_FS_NODE_COST + 3 * PG);
	CHECK(finish());
}

KTEST(fs_truncate_shrink_and_grow)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(put(s, "/t", 8000, 5));
	mica_word_t h;
	size_t n;
	CHECK_OK(mica_fs_open(s, "/t", RW, &h, 0));
	mica_word_t used = fs.alloc->used;
	CHECK_OK(mica_fs_truncate(s, h, 100));
	CHECK_EQ(charged(s), MICA_FS_NODE_COST + PG);
	CHECK(fs.alloc->used < used); /* the second page went back */
	CHECK_OK(mica_fs_truncate(s, h, 6000));
	char b[16];
	CHECK_OK(mica_fs_read(s, h, 96, b, 16, &n));
	CHECK_EQ(n, 16);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(b[i], (char)(5 + (96 + i) * 7));
	for (unsigned i = 4; i < 16; i++)
		CHECK_EQ(b[i], 0);
	CHECK_ERR(mica_fs_truncate(s, h, MICA_FS_FILE_MAX + 1), MICA_FS_EFBIG);
	CHECK_OK(mica_fs_truncate(s, h, 0));
	CHECK_EQ(charged(s), MICA_FS_NODE_COST);
	CHECK(finish());
}

KTEST(fs_unlink_open_file_stays_readable)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(put(s, "/u", 3000, 6));
	mica_word_t h, h2;
	CHECK_OK(mica_fs_open(s, "/u", RW, &h, 0));
	CHECK_OK(mica_fs_unlink(s, "/u"));
	CHECK_ERR(mica_fs_open(s, "/u", MICA_FS_O_READ, &h2, 0), MICA_FS_ENOENT);
	/* A new file of the name is another file. */
	CHECK_OK(put(s, "/u", 10, 9));
	static char b[3000];
	size_t n;
	CHECK_OK(mica_fs_pread(s, h, 0, b, sizeof(b), &n));
	CHECK_EQ(n, 3000);
	for (unsigned i = 0; i < 3000; i++)
		CHECK_EQ(b[i], (char)(6 + i * 7));
	CHECK_OK(mica_fs_write(s, h, 0, "x", 1, &n));
	struct mica_fs_stat st;
	CHECK_OK(mica_fs_stat(s, h, &st));
	CHECK_EQ(st.nlink, 0);
	CHECK(holds(s, "/u", 10, 9));
	/* Closing the last handle frees it. */
	mica_word_t c = charged(s);
	CHECK_OK(mica_fs_close(s, h));
	CHECK_EQ(charged(s), c - MICA_FS_NODE_COST - PG);
	CHECK(finish());
}

KTEST(fs_rename_over_existing_file)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(put(s, "/a", 100, 1));
	CHECK_OK(put(s, "/b", 200, 2));
	mica_word_t hb;
	CHECK_OK(mica_fs_open(s, "/b", MICA_FS_O_READ, &hb, 0));
	CHECK_OK(mica_fs_rename(s, "/a", "/b"));
	CHECK(holds(s, "/b", 100, 1));
	mica_word_t h;
	CHECK_ERR(mica_fs_open(s, "/a", MICA_FS_O_READ, &h, 0), MICA_FS_ENOENT);
	/* The replaced file lives on through its handle. */
	char c;
	size_t n;
	CHECK_OK(mica_fs_read(s, hb, 199, &c, 1, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(c, (char)(2 + 199 * 7));
	CHECK_OK(mica_fs_close(s, hb));
	CHECK_EQ(charged(s), MICA_FS_NODE_COST + PG);
	/* Into a directory, and the same name. */
	CHECK_OK(mica_fs_mkdir(s, "/d"));
	CHECK_OK(mica_fs_rename(s, "/b", "/d/c"));
	CHECK_OK(mica_fs_rename(s, "/d/c", "/d/c"));
	CHECK(holds(s, "/d/c", 100, 1));
	CHECK_ERR(mica_fs_rename(s, "/b", "/e"), MICA_FS_ENOENT);
	CHECK(finish());
}

KTEST(fs_rename_directory_rules)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(mica_fs_mkdir(s, "/d"));
	CHECK_OK(mica_fs_mkdir(s, "/d/e"));
	CHECK_OK(mica_fs_mkdir(s, "/empty"));
	CHECK_OK(put(s, "/f", 1, 1));
	CHECK_ERR(mica_fs_rename(s, "/d", "/d/e/x"), MICA_FS_EINVAL);
	CHECK_ERR(mica_fs_rename(s, "/d", "/f"), MICA_FS_ENOTDIR);
	CHECK_ERR(mica_fs_rename(s, "/f", "/empty"), MICA_FS_EISDIR);
	CHECK_ERR(mica_fs_rename(s, "/empty", "/d"), MICA_FS_ENOTEMPTY);
	CHECK_ERR(mica_fs_rename(s, "/", "/x"), MICA_FS_EINVAL);
	CHECK_OK(mica_fs_rename(s, "/d", "/empty"));
	CHECK_OK(mica_fs_mkdir(s, "/empty/e/z"));
	CHECK_ERR(mica_fs_mkdir(s, "/d"), 0);
	CHECK(finish());
}

static void append(char *to, const char *s)
{
	size_t n = strlen(to);
	memcpy(to + n, s, strlen(s) + 1);
}

/* The names of dir, in order, joined by ',' into out. */
static int list(mica_cap_t s, const char *dir, char *out)
{
	mica_word_t h, next = 0, type, ino;
	char name[MICA_FS_NAME_MAX + 1];
	int e = mica_fs_open(s, dir, MICA_FS_O_READ | MICA_FS_O_DIRECTORY, &h, 0);
	out[0] = 0;
	while (!e && !(e = mica_fs_readdir(s, h, next, &next, name, &type, &ino)) && next) {
		append(out, name);
		append(out, type == MICA_FS_T_DIR ? "/," : ",");
	}
	mica_fs_close(s, h);
	return e;
}

KTEST(fs_readdir_lists_in_creation_order)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	char out[256];
	CHECK_OK(list(s, "/", out));
	CHECK(!strcmp(out, ""));
	CHECK_OK(put(s, "/z", 1, 1));
	CHECK_OK(mica_fs_mkdir(s, "/m"));
	CHECK_OK(put(s, "/a", 1, 1));
	CHECK_OK(list(s, "/", out));
	CHECK(!strcmp(out, "z,m/,a,"));
	mica_word_t h, next, t, ino;
	char name[64];
	CHECK_OK(mica_fs_open(s, "/z", MICA_FS_O_READ, &h, 0));
	CHECK_ERR(mica_fs_readdir(s, h, 0, &next, name, &t, &ino), MICA_FS_ENOTDIR);
	CHECK(finish());
}

KTEST(fs_readdir_of_a_changing_directory)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	const char *names[] = { "/a", "/b", "/c", "/d" };
	for (unsigned i = 0; i < 4; i++)
		CHECK_OK(put(s, names[i], 1, 1));
	mica_word_t h, next, t, ino;
	char name[64], seen[64] = "";
	CHECK_OK(mica_fs_open(s, "/", MICA_FS_O_READ, &h, 0));
	CHECK_OK(mica_fs_readdir(s, h, 0, &next, name, &t, &ino));
	append(seen, name);
	CHECK_OK(mica_fs_readdir(s, h, next, &next, name, &t, &ino));
	append(seen, name);
	/* Meanwhile: one seen goes, one not yet seen goes, one comes. */
	CHECK_OK(mica_fs_unlink(s, "/a"));
	CHECK_OK(mica_fs_unlink(s, "/c"));
	CHECK_OK(put(s, "/e", 1, 1));
	CHECK_OK(put(s, "/a", 1, 1));
	while (!mica_fs_readdir(s, h, next, &next, name, &t, &ino) && next)
		append(seen, name);
	CHECK(!strcmp(seen, "abdea")); /* b and d once each, c never */
	CHECK(finish());
}

KTEST(fs_quota_exhaustion_is_enospc)
{
	mica_cap_t s = start(1ul << 20, 5 * PG);
	CHECK(s);
	mica_word_t h;
	size_t n;
	static char b[PG];
	CHECK_OK(mica_fs_open(s, "/q", NEW, &h, 0));
	/* The node, then 4 pages of bytes. */
	CHECK_OK(mica_fs_pwrite(s, h, 0, b, 4 * PG));
	CHECK_ERR(mica_fs_write(s, h, 4 * PG, "x", 1, &n), MICA_FS_ENOSPC);
	CHECK_EQ(n, 0);
	struct mica_fs_stat st;
	CHECK_OK(mica_fs_stat(s, h, &st));
	CHECK_EQ(st.size, 4 * PG); /* nothing of the failed write */
	CHECK_ERR(mica_fs_truncate(s, h, 5 * PG), MICA_FS_ENOSPC);
	mica_word_t h2;
	CHECK_ERR(mica_fs_open(s, "/r", NEW, &h2, 0), MICA_FS_ENOSPC);
	CHECK_ERR(mica_fs_mkdir(s, "/dir"), MICA_FS_ENOSPC);
	/* Room again once the bytes go. */
	CHECK_OK(mica_fs_truncate(s, h, PG));
	CHECK_OK(mica_fs_mkdir(s, "/dir"));
	CHECK(finish());
}

KTEST(fs_quota_is_per_session)
{
	mica_cap_t a = start(1ul << 20, 3 * PG);
	CHECK(a);
	mica_cap_t b = ksel();
	CHECK_OK(mica_fs_session(fscap, 3 * PG, b));
	CHECK_OK(put(a, "/fa", 2 * PG, 1));
	CHECK_ERR(put(a, "/fa2", 1, 1), MICA_FS_ENOSPC);
	CHECK_OK(put(b, "/fb", 2 * PG, 2));
	/* Writing a's file charges a (its creator), even from b. */
	mica_word_t h;
	size_t n;
	CHECK_OK(mica_fs_open(b, "/fa", RW, &h, 0));
	CHECK_ERR(mica_fs_write(b, h, 2 * PG, "x", 1, &n), MICA_FS_ENOSPC);
	CHECK_EQ(charged(a), 3 * PG);
	CHECK_EQ(charged(b), 3 * PG);
	CHECK(finish());
}

KTEST(fs_session_quotas_are_bounded)
{
	mica_cap_t s = start(1ul << 20, 1ul << 19);
	CHECK(s);
	mica_cap_t x = ksel();
	CHECK_ERR(mica_fs_session(fscap, 0, x), -MICA_E_BAD_ARG);
	CHECK_ERR(mica_fs_session(fscap, (1ul << 19) + 1, x), -MICA_E_BAD_ARG);
	CHECK_ERR(mica_fs_session(fscap, ~0ul, x), -MICA_E_BAD_ARG);
	for (unsigned i = 1; i < RAMFS_SESSIONS; i++)
		CHECK_OK(mica_fs_session(fscap, PG, ksel()));
	CHECK_ERR(mica_fs_session(fscap, PG, x), -MICA_E_NO_MEMORY);
	/* A session cannot make sessions. */
	CHECK_ERR(mica_fs_session(s, PG, x), -MICA_E_UNKNOWN_OP);
	CHECK(finish());
}

KTEST(fs_hostile_bad_handles)
{
	mica_cap_t s = start(2ul << 20, 1ul << 20);
	CHECK(s);
	mica_cap_t t = ksel();
	CHECK_OK(mica_fs_session(fscap, PG * 4, t));
	mica_word_t h, h2;
	size_t n;
	char b[8];
	CHECK_OK(put(s, "/f", 10, 1));
	CHECK_OK(mica_fs_open(s, "/f", RW, &h, 0));
	CHECK_OK(mica_fs_close(s, h));
	CHECK_ERR(mica_fs_close(s, h), MICA_FS_EBADF);
	CHECK_ERR(mica_fs_read(s, h, 0, b, 8, &n), MICA_FS_EBADF);
	/* The slot reused: the old number is still stale. */
	CHECK_OK(mica_fs_open(s, "/f", RW, &h2, 0));
	CHECK_EQ(h2 & 0xff, h & 0xff);
	CHECK_ERR(mica_fs_write(s, h, 0, "x", 1, &n), MICA_FS_EBADF);
	CHECK_ERR(mica_fs_stat(t, h2, &(struct mica_fs_stat){ 0 }), MICA_FS_EBADF); /* another session's */
	const mica_word_t bad[] = { 0, 0xff, RAMFS_HANDLES, ~0ul, 1ul << 40, h2 + 256 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_ERR(mica_fs_read(s, bad[i], 0, b, 8, &n), MICA_FS_EBADF);
		CHECK_ERR(mica_fs_truncate(s, bad[i], 0), MICA_FS_EBADF);
		CHECK_ERR(mica_fs_dataspace(s, bad[i], ksel(), 0), MICA_FS_EBADF);
	}
	CHECK_OK(mica_fs_read(s, h2, 0, b, 8, &n));
	CHECK_EQ(n, 8);
	/* A session's handles run out; the others' do not. */
	for (unsigned i = 1; i < RAMFS_HANDLES; i++)
		CHECK_OK(mica_fs_open(s, "/f", MICA_FS_O_READ, &h, 0));
	CHECK_ERR(mica_fs_open(s, "/f", MICA_FS_O_READ, &h, 0), MICA_FS_EMFILE);
	CHECK_OK(mica_fs_open(t, "/f", MICA_FS_O_READ, &h, 0));
	CHECK(finish());
}

KTEST(fs_hostile_huge_offsets_and_counts)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	mica_word_t h;
	size_t n;
	char b[MICA_FS_IO_MAX + 8];
	CHECK_OK(mica_fs_open(s, "/o", NEW, &h, 0));
	CHECK_ERR(mica_fs_write(s, h, ~0ul - 2, "abcd", 4, &n), MICA_FS_EFBIG);
	CHECK_ERR(mica_fs_write(s, h, MICA_FS_FILE_MAX, "a", 1, &n), MICA_FS_EFBIG);
	CHECK_ERR(mica_fs_write(s, h, MICA_FS_FILE_MAX - 1, "ab", 2, &n), MICA_FS_EFBIG);
	CHECK_OK(mica_fs_write(s, h, 10, "ab", 2, &n));
	CHECK_OK(mica_fs_read(s, h, ~0ul, b, 8, &n));
	CHECK_EQ(n, 0);
	CHECK_OK(mica_fs_read(s, h, 11, b, 8, &n));
	CHECK_EQ(n, 1);
	CHECK_ERR(mica_fs_truncate(s, h, ~0ul), MICA_FS_EFBIG);
	/* Counts beyond a message, or beyond the words sent. */
	mica_word_t *mr = mica_mr();
	mr[0] = h;
	mr[1] = 0;
	mr[2] = MICA_FS_IO_MAX + 1;
	CHECK_EQ(mica_error(mica_call(s, MICA_FS_READ, 3)), 0);
	CHECK_EQ(mr[0], MICA_FS_EINVAL);
	mr[0] = h;
	mr[1] = 0;
	mr[2] = 100;
	CHECK_EQ(mica_error(mica_call(s, MICA_FS_WRITE, 5)), 0);
	CHECK_EQ(mr[0], MICA_FS_EINVAL);
	struct mica_fs_stat st;
	CHECK_OK(mica_fs_stat(s, h, &st));
	CHECK_EQ(st.size, 12);
	CHECK_EQ(charged(s), MICA_FS_NODE_COST + PG);
	CHECK(finish());
}

KTEST(fs_modes_and_rights)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(put(s, "/f", 10, 1));
	mica_word_t r, w;
	size_t n;
	char b[4];
	CHECK_OK(mica_fs_open(s, "/f", MICA_FS_O_READ, &r, 0));
	CHECK_OK(mica_fs_open(s, "/f", MICA_FS_O_WRITE, &w, 0));
	CHECK_ERR(mica_fs_write(s, r, 0, "x", 1, &n), MICA_FS_EBADF);
	CHECK_ERR(mica_fs_truncate(s, r, 0), MICA_FS_EBADF);
	CHECK_ERR(mica_fs_read(s, w, 0, b, 4, &n), MICA_FS_EBADF);
	/* A read-only capability to the session. */
	mica_cap_t ro = kmem_cap(&fs.ses[0].o, MICA_FS_R_READ);
	CHECK(ro);
	CHECK_ERR(mica_fs_open(ro, "/f", RW, &w, 0), MICA_FS_EACCES);
	CHECK_ERR(mica_fs_open(ro, "/g", MICA_FS_O_READ | MICA_FS_O_CREAT, &w, 0), MICA_FS_EACCES);
	CHECK_ERR(mica_fs_unlink(ro, "/f"), -MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_fs_mkdir(ro, "/d"), -MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_obj_delete(ro), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_fs_open(ro, "/f", MICA_FS_O_READ, &r, 0));
	CHECK_OK(mica_fs_read(ro, r, 0, b, 4, &n));
	CHECK_EQ(n, 4);
	CHECK(finish());
}

KTEST(fs_dataspace_shares_the_pages)
{
	mica_cap_t s = start(1ul << 20, 1ul << 20);
	CHECK(s);
	CHECK_OK(put(s, "/m", 5000, 8));
	mica_word_t h, r, size, fp, dsz, fl;
	size_t n;
	mica_cap_t ds = ksel(), rds = ksel();
	CHECK_OK(mica_fs_open(s, "/m", RW, &h, 0));
	CHECK_OK(mica_fs_dataspace(s, h, ds, &size));
	CHECK_EQ(size, 5000);
	CHECK_OK(mica_ds_info(ds, &dsz, &fl));
	CHECK_EQ(dsz, MICA_FS_FILE_MAX);
	CHECK(fl & MICA_DS_RW);
	CHECK_OK(mica_ds_map(ds, PG, WIN + PG, MICA_FPAGE_RW, WIN, 13, &fp));
	volatile char *p = (volatile char *)(WIN + PG);
	CHECK_EQ(p[10], (char)(8 + 4106 * 7));
	/* A store through the mapping is what the server reads, and back. */
	p[10] = 'M';
	char c;
	CHECK_OK(mica_fs_read(s, h, 4106, &c, 1, &n));
	CHECK_EQ(c, 'M');
	CHECK_OK(mica_fs_write(s, h, 4107, "W", 1, &n));
	CHECK_EQ(p[11], 'W');
	/* A read-only handle's dataspace maps read-only. */
	CHECK_OK(mica_fs_open(s, "/m", MICA_FS_O_READ, &r, 0));
	CHECK_OK(mica_fs_dataspace(s, r, rds, 0));
	CHECK_OK(mica_ds_info(rds, &dsz, &fl));
	CHECK(!(fl & MICA_DS_RW));
	CHECK_ERR(mica_ds_map(rds, 0, WIN, MICA_FPAGE_RW, WIN, 13, &fp), MICA_E_NO_RIGHTS);
	/* Unlinked and closed: the dataspace goes (its capabilities name nothing). */
	CHECK_OK(mica_fs_unlink(s, "/m"));
	CHECK_OK(mica_fs_close(s, h));
	CHECK_OK(mica_fs_close(s, r));
	CHECK(mica_ds_info(ds, &dsz, &fl) != MICA_OK);
	CHECK(finish());
}

/* A client in a child task: session k->cap writes record k->arg (k->arg2
 * times) at its own offsets of /shared, and its own file. */
static void writer(struct kthread *k)
{
	mica_cap_t s = k->cap;
	mica_word_t h, h2;
	char rec[64], path[8] = "/own0";
	size_t n;
	path[4] = (char)('0' + k->arg);
	memset(rec, 'A' + (int)k->arg, sizeof(rec));
	if (mica_fs_open(s, "/shared", RW, &h, 0) || mica_fs_open(s, path, NEW, &h2, 0))
		return;
	for (mica_word_t i = 0; i < k->arg2; i++) {
		if (mica_fs_write(s, h, (i * 2 + k->arg) * sizeof(rec), rec, sizeof(rec), &n) ||
		    mica_fs_write(s, h2, i * sizeof(rec), rec, sizeof(rec), &n))
			return;
		kyield();
	}
	mica_fs_close(s, h);
	mica_fs_close(s, h2);
	k->out[0] = 1;
}

KTEST(fs_concurrent_writers_in_two_tasks)
{
	mica_cap_t s = start(1ul << 20, 1ul << 19);
	CHECK(s);
	CHECK_OK(put(s, "/shared", 0, 0));
	struct kthread *k[2];
	for (unsigned i = 0; i < 2; i++) {
		mica_cap_t task = ktask_create(), ses = ksel();
		CHECK(task);
		CHECK_OK(mica_fs_session(fscap, 1ul << 17, ses));
		CHECK_OK(kgive(task, ses, 0x300));
		k[i] = kthread_new(task, writer, i);
		CHECK(k[i]);
		k[i]->cap = 0x300;
		k[i]->arg2 = 40;
	}
	CHECK_OK(kthread_go(k[0]));
	CHECK_OK(kthread_go(k[1]));
	CHECK(KWAIT(k[0]));
	CHECK(KWAIT(k[1]));
	CHECK_EQ(k[0]->out[0], 1);
	CHECK_EQ(k[1]->out[0], 1);
	static char b[80 * 64];
	mica_word_t h;
	size_t n;
	CHECK_OK(mica_fs_open(s, "/shared", MICA_FS_O_READ, &h, 0));
	CHECK_OK(mica_fs_pread(s, h, 0, b, sizeof(b), &n));
	CHECK_EQ(n, sizeof(b));
	for (unsigned i = 0; i < sizeof(b); i++)
		CHECK_EQ(b[i], 'A' + (int)(i / 64 % 2));
	CHECK_OK(mica_fs_open(s, "/own1", MICA_FS_O_READ, &h, 0));
	CHECK_OK(mica_fs_pread(s, h, 0, b, sizeof(b), &n));
	CHECK_EQ(n, 40 * 64);
	CHECK_EQ(b[40 * 64 - 1], 'B');
	CHECK(finish());
}

KTEST(fs_session_end_returns_every_byte)
{
	mica_cap_t s = start(1ul << 20, 1ul << 19);
	CHECK(s);
	mica_word_t pool0 = kmem_pool.used, alloc0 = fs.alloc->used, res0 = fs.reserved;
	mica_cap_t t = ksel();
	CHECK_OK(mica_fs_session(fscap, 1ul << 18, t));
	CHECK_EQ(fs.reserved, res0 + (1ul << 18));
	/* Open files, some unlinked, and mapped pages. */
	mica_word_t h;
	for (unsigned i = 0; i < 5; i++) {
		char p[4] = "/x0";
		p[2] = (char)('0' + i);
		CHECK_OK(put(t, p, 2000ul * i, i));
		CHECK_OK(mica_fs_open(t, p, RW, &h, 0));
		if (i % 2)
			CHECK_OK(mica_fs_unlink(t, p));
	}
	CHECK_OK(mica_fs_dataspace(t, h, ksel(), 0));
	CHECK_OK(mica_obj_delete(t));
	CHECK_ERR(mica_fs_info(t, &h, &h), -MICA_E_INVALID_CAP);
	/* The linked files stay, paid by the file system now. */
	CHECK(holds(s, "/x2", 4000, 2));
	CHECK(holds(s, "/x4", 8000, 4));
	CHECK_EQ(fs.reserved, res0 + 3 * MICA_FS_NODE_COST + (1 + 2) * PG);
	for (unsigned i = 0; i < 5; i += 2) {
		char p[4] = "/x0";
		p[2] = (char)('0' + i);
		CHECK_OK(mica_fs_unlink(s, p));
	}
	CHECK_EQ(fs.reserved, res0);
	CHECK_EQ(fs.alloc->used, alloc0);
	CHECK_EQ(kmem_pool.used, pool0);
	CHECK(finish());
}

KTEST(fs_node_table_full_and_back)
{
	mica_cap_t s = start(8ul << 20, 1ul << 20), ses[5] = { s };
	CHECK(s);
	char p[8] = "/n000";
	unsigned made = 0;
	mica_word_t h;
	int e = 0;
	/* Each session makes what it may (RAMFS_SESSION_NODES), until the
	 * table is full. */
	for (unsigned k = 0; k < 5 && made < RAMFS_NODES - 1; k++) {
		unsigned mine = 0;
		if (k)
			CHECK_OK(mica_fs_session(fscap, 1ul << 20, ses[k] = ksel()));
		for (; made < RAMFS_NODES - 1; made++, mine++) {
			p[2] = (char)('0' + made / 100);
			p[3] = (char)('0' + made / 10 % 10);
			p[4] = (char)('0' + made % 10);
			if ((e = mica_fs_open(ses[k], p, NEW, &h, 0)))
				break;
			CHECK_OK(mica_fs_close(ses[k], h));
		}
		if (k < 3)
			CHECK_EQ(e, MICA_FS_ENOSPC);
		CHECK_EQ(mine, k < 3 ? RAMFS_SESSION_NODES : RAMFS_NODES - 1 - 3 * RAMFS_SESSION_NODES);
	}
	CHECK_EQ(made, RAMFS_NODES - 1); /* and the root */
	CHECK_ERR(mica_fs_mkdir(ses[0], "/x"), MICA_FS_ENOSPC);
	CHECK_ERR(mica_fs_open(ses[3], "/y", NEW, &h, 0), MICA_FS_ENOSPC); /* the table is full */
	CHECK_OK(mica_fs_unlink(ses[3], "/n007")); /* ses[0]'s node: its count goes down */
	CHECK_OK(mica_fs_mkdir(ses[0], "/n007"));
	/* Ended, a session's nodes are no longer counted against anyone. */
	CHECK_OK(mica_obj_delete(ses[1]));
	CHECK_OK(mica_fs_unlink(ses[0], "/n070"));
	CHECK_OK(mica_fs_mkdir(ses[3], "/n070"));
	CHECK(finish());
}

KTEST(fs_stale_session_and_file_system)
{
	mica_cap_t s = start(1ul << 20, 1ul << 19);
	CHECK(s);
	CHECK_OK(put(s, "/f", 1, 1));
	CHECK_OK(mica_obj_delete(s));
	mica_word_t h;
	CHECK_ERR(mica_fs_open(s, "/f", MICA_FS_O_READ, &h, 0), -MICA_E_INVALID_CAP);
	/* A new session gets the old slot: the old capability stays stale. */
	mica_cap_t t = ksel();
	CHECK_OK(mica_fs_session(fscap, PG * 4, t));
	CHECK_ERR(mica_fs_open(s, "/f", MICA_FS_O_READ, &h, 0), -MICA_E_INVALID_CAP);
	CHECK_OK(mica_fs_open(t, "/f", MICA_FS_O_READ, &h, 0));
	/* Unknown methods, short requests. */
	CHECK_EQ(mica_error(mica_call(t, 77, 0)), MICA_E_UNKNOWN_OP);
	CHECK_EQ(mica_error(mica_call(t, MICA_FS_OPEN, 1)), MICA_E_BAD_TAG);
	CHECK_EQ(mica_error(mica_call(fscap, MICA_FS_SESSION, 0)), MICA_E_BAD_TAG);
	CHECK(finish());
}
