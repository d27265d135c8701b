/* /tmp: the program's session of the RAM file system (MICA_CAP_FS,
 * include/mica/fs.h); reads copy from the file's mapped dataspace, writes
 * go through the server (which keeps the size and the quota). The server's status words are Linux errno
 * values, passed on as they are. A program without a session has an empty, read-only /tmp (ENOENT, EROFS). */
#include <errno.h>
#include <fcntl.h>
#include <mica/env.h>
#include <mica/error.h>
#include <mica_env.h>
#include <mica/fpage.h>
#include <mica/rm.h>
#include <mica_fs.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "posix.h"

#define FS MICA_CAP_FS
#define TMP_MAP_BASE 0x100000000ul /* where the search for room starts */

/* A client call's result as -errno. */
static long err(int e)
{
	if (e > 0)
		return -e;
	if (e == -MICA_E_NO_RIGHTS)
		return -EACCES;
	return e ? -EIO : 0;
}

long posix_tmp_open(const char *path, int flags, struct posix_file *f)
{
	unsigned fl = 0;
	int acc = flags & O_ACCMODE;
	if (!mica_env_has(FS))
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	fl |= acc == O_WRONLY ? MICA_FS_O_WRITE
	      : acc == O_RDWR ? MICA_FS_O_READ | MICA_FS_O_WRITE
			      : MICA_FS_O_READ;
	if (flags & O_CREAT)
		fl |= MICA_FS_O_CREAT;
	if (flags & O_EXCL)
		fl |= MICA_FS_O_EXCL;
	if ((flags & O_TRUNC) && acc != O_RDONLY)
		fl |= MICA_FS_O_TRUNC;
	if (flags & O_DIRECTORY)
		fl |= MICA_FS_O_DIRECTORY;
	mica_word_t h;
	int e = mica_fs_open(FS, path, fl, &h, 0);
	if (e)
		return err(e);
	struct mica_fs_stat st;
	f->h = h;
	f->dir = mica_fs_stat(FS, h, &st) == 0 && st.type == MICA_FS_T_DIR;
	return 0;
}

mica_word_t posix_tmp_size(struct posix_file *f)
{
	struct mica_fs_stat st;
	return mica_fs_stat(FS, f->h, &st) ? 0 : st.size;
}

/* Reads copy from the file's dataspace, mapped read-only at the first
 * read (its pages shared with the server and every other opener): one
 * STAT for the size instead of a READ per 480 bytes. */
static long tmp_map(struct posix_file *f)
{
	mica_cap_t ds = 0;
	long e = posix_tmp_ds(f, &ds);
	if (e)
		return e;
	mica_word_t at = TMP_MAP_BASE;
	if (mica_rm_attach(MICA_CAP_RM, &at, MICA_FS_FILE_MAX, 0, MICA_FPAGE_R | MICA_RM_SEARCH, ds) !=
	    MICA_OK) {
		mica_cap_delete(MICA_CAP_TASK, ds);
		posix_cap_free(ds);
		return -ENOMEM;
	}
	f->ds = ds;
	f->map = at;
	return 0;
}

long posix_tmp_read(struct posix_file *f, char *buf, mica_word_t n)
{
	struct mica_fs_stat st;
	long e;
	if (!f->map && (e = tmp_map(f)))
		return e;
	if ((e = mica_fs_stat(FS, f->h, &st)))
		return err((int)e);
	if (f->off >= st.size)
		return 0;
	if (n > st.size - f->off)
		n = st.size - f->off;
	memcpy(buf, (const char *)(f->map + f->off), n);
	f->off += n;
	return (long)n;
}

long posix_tmp_write(struct posix_file *f, const char *buf, mica_word_t n)
{
	if (f->flags & O_APPEND)
		f->off = posix_tmp_size(f);
	/* Piece by piece: what was written before an error counts. */
	mica_word_t done = 0;
	while (done < n) {
		size_t k;
		int e = mica_fs_write(FS, f->h, f->off, buf + done, n - done, &k);
		if (e)
			return done ? (long)done : err(e);
		done += k;
		f->off += k;
	}
	return (long)done;
}

long posix_tmp_close(struct posix_file *f)
{
	if (f->map) {
		mica_rm_detach(MICA_CAP_RM, f->map, 0, 0);
		mica_cap_delete(MICA_CAP_TASK, f->ds);
		posix_cap_free(f->ds);
	}
	return err(mica_fs_close(FS, f->h));
}

long posix_tmp_fstat(struct posix_file *f, struct stat *st)
{
	struct mica_fs_stat s;
	int e = mica_fs_stat(FS, f->h, &s);
	if (e)
		return err(e);
	memset(st, 0, sizeof(*st));
	st->st_dev = 2;
	st->st_ino = s.ino;
	st->st_nlink = s.nlink;
	st->st_mode = s.type == MICA_FS_T_DIR ? S_IFDIR | 0755 : S_IFREG | 0644;
	st->st_size = (off_t)s.size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((s.size + 4095) / 4096 * 8);
	return 0;
}

long posix_tmp_truncate(struct posix_file *f, mica_word_t size)
{
	return err(mica_fs_truncate(FS, f->h, size));
}

long posix_tmp_getdents(struct posix_file *f, char *buf, mica_word_t n)
{
	mica_word_t done = 0, next, type, ino;
	char name[MICA_FS_NAME_MAX + 1];
	for (;;) {
		int e = mica_fs_readdir(FS, f->h, f->off, &next, name, &type, &ino);
		if (e)
			return done ? (long)done : err(e);
		if (!next)
			return (long)done;
		mica_word_t k = posix_dirent(buf + done, n - done, ino, next,
					     type == MICA_FS_T_DIR ? DT_DIR : DT_REG, name, strlen(name));
		if (!k)
			return done ? (long)done : -EINVAL;
		done += k;
		f->off = next;
	}
}

long posix_tmp_mkdir(const char *path)
{
	return mica_env_has(FS) ? err(mica_fs_mkdir(FS, path)) : -EROFS;
}

long posix_tmp_unlink(const char *path)
{
	return mica_env_has(FS) ? err(mica_fs_unlink(FS, path)) : -ENOENT;
}

long posix_tmp_rmdir(const char *path)
{
	return mica_env_has(FS) ? err(mica_fs_rmdir(FS, path)) : -ENOENT;
}

long posix_tmp_rename(const char *from, const char *to)
{
	return mica_env_has(FS) ? err(mica_fs_rename(FS, from, to)) : -ENOENT;
}

long posix_tmp_ds(struct posix_file *f, mica_cap_t *ds)
{
	mica_cap_t c = posix_cap_alloc();
	int e = mica_fs_dataspace(FS, f->h, c, 0);
	if (e) {
		posix_cap_free(c);
		return err(e);
	}
	*ds = c;
	return 0;
}
