/* The VFS: paths to the file systems (/rom: romfs.c, /tmp: tmpfs.c, and
 * "/" itself, a directory of the two), and the system calls on paths and
 * file descriptors. Paths are resolved lexically ("." and ".." by name,
 * no symbolic links); a relative path starts at the working directory
 * (chdir, getcwd; "/" at the start). Partial: *at calls take AT_FDCWD
 * or an absolute path (ENOTSUP otherwise); no permissions beyond
 * read-only /rom. */
#include <errno.h>
#include <fcntl.h>
#include <mica/fs.h>
#include <mica/rom.h>
#include <mica_obj.h>
#include <stdbool.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "posix.h"

#define PATH_BUF 512

enum where { W_ROOT, W_ROMDIR, W_ROM, W_TMP, W_NONE };

/* The working directory: absolute, without "." or "..". */
static char cwd[PATH_BUF] = "/";

/* Where path leads, and the rest of it in out: the module's name (W_ROM)
 * or the path inside /tmp ("/..." W_TMP). -errno if it cannot be. */
static long resolve(long dirfd, const char *path, char *out, enum where *w)
{
	const char *comp[PATH_BUF / 2];
	size_t len[PATH_BUF / 2], n = 0;
	if (!path)
		return -EFAULT;
	if (!*path)
		return -ENOENT;
	if (path[0] != '/' && dirfd != AT_FDCWD)
		return -ENOTSUP;
	char full[PATH_BUF];
	if (path[0] != '/') {
		size_t c = strlen(cwd), p = strlen(path);
		if (c + 1 + p >= PATH_BUF)
			return -ENAMETOOLONG;
		memcpy(full, cwd, c);
		full[c] = '/';
		memcpy(full + c + 1, path, p);
		full[c + 1 + p] = 0;
		path = full;
	}
	if (strlen(path) >= PATH_BUF)
		return -ENAMETOOLONG;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t k = (size_t)(p - s);
		if (k == 1 && s[0] == '.')
			continue;
		if (k == 2 && s[0] == '.' && s[1] == '.') {
			if (n)
				n--;
			continue;
		}
		comp[n] = s;
		len[n++] = k;
	}
	out[0] = 0;
	if (n == 0) {
		*w = W_ROOT;
		return 0;
	}
	if (len[0] == 3 && !memcmp(comp[0], "rom", 3)) {
		if (n == 1) {
			*w = W_ROMDIR;
			return 0;
		}
		if (n > 2)
			return -ENOENT;
		if (len[1] > MICA_ROM_NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(out, comp[1], len[1]);
		out[len[1]] = 0;
		*w = W_ROM;
		return 0;
	}
	if (len[0] == 3 && !memcmp(comp[0], "tmp", 3)) {
		size_t o = 0;
		for (size_t i = 1; i < n; i++) {
			out[o++] = '/';
			memcpy(out + o, comp[i], len[i]);
			o += len[i];
		}
		if (!o)
			out[o++] = '/';
		out[o] = 0;
		*w = W_TMP;
		return 0;
	}
	*w = W_NONE;
	return 0;
}

long posix_openat(long dirfd, long path, long flags, long mode)
{
	(void)mode; /* no permissions */
	char rest[PATH_BUF];
	enum where w;
	struct posix_file *f;
	long e = resolve(dirfd, (const char *)path, rest, &w);
	if (e)
		return e;
	if (w == W_NONE)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	bool dir = w == W_ROOT || w == W_ROMDIR;
	if (dir && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (w == W_ROM && (flags & O_DIRECTORY))
		return -ENOTDIR;
	long fd = posix_fd_new(w == W_TMP ? POSIX_FD_TMP : w == W_ROM ? POSIX_FD_ROM : POSIX_FD_DIR, &f);
	if (fd < 0)
		return fd;
	f->flags = (int)flags;
	if (dir) {
		f->dir = w == W_ROOT ? 1 : 2;
		return fd;
	}
	e = w == W_TMP ? posix_tmp_open(rest, (int)flags, f) : posix_rom_open(rest, (int)flags, f);
	if (e) {
		posix_fd_release(fd);
		return e;
	}
	return fd;
}

long posix_file_read(long fd, long buf, long n)
{
	struct posix_file *f = posix_fd(fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (f->kind == POSIX_FD_DIR || (f->kind == POSIX_FD_TMP && f->dir))
		return -EISDIR;
	if (f->kind == POSIX_FD_ROM)
		return posix_rom_read(f, (char *)buf, (mica_word_t)n);
	return posix_tmp_read(f, (char *)buf, (mica_word_t)n);
}

long posix_file_write(long fd, long buf, long n)
{
	struct posix_file *f = posix_fd(fd);
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (f->kind != POSIX_FD_TMP)
		return -EBADF; /* /rom only opens read-only */
	return posix_tmp_write(f, (const char *)buf, (mica_word_t)n);
}

/* pread/pwrite: at off, the position untouched. */
long posix_pread(long fd, long buf, long n, long off, int write)
{
	struct posix_file *f = posix_fd(fd);
	if (!f || f->kind == POSIX_FD_STD)
		return f ? -ESPIPE : -EBADF;
	if (off < 0)
		return -EINVAL;
	mica_word_t pos = f->off;
	int app = f->flags & O_APPEND;
	f->flags &= ~O_APPEND; /* Linux's pwrite appends anyway; ours writes at off */
	f->off = (mica_word_t)off;
	long r = write ? posix_file_write(fd, buf, n) : posix_file_read(fd, buf, n);
	f->off = pos;
	f->flags |= app;
	return r;
}

long posix_lseek(long fd, long off, long whence)
{
	struct posix_file *f = posix_fd(fd);
	if (!f || f->kind == POSIX_FD_STD)
		return f ? -ESPIPE : -EBADF;
	long base;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (long)f->off;
		break;
	case SEEK_END:
		base = f->kind == POSIX_FD_ROM	 ? (long)f->size
		       : f->kind == POSIX_FD_TMP ? (long)posix_tmp_size(f)
						 : 0;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > __LONG_MAX__ - off) || base + off < 0)
		return -EINVAL;
	/* A directory's position is its cookie (getdents64's d_off, which
	 * seekdir hands back): set, never computed. */
	if ((f->kind == POSIX_FD_DIR || f->dir) && whence != SEEK_SET)
		return -EINVAL;
	f->off = (mica_word_t)(base + off);
	return base + off;
}

static void dir_stat(struct stat *st, int which)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)which;
	st->st_ino = (ino_t)which;
	st->st_nlink = 2;
	st->st_mode = S_IFDIR | 0555;
	st->st_blksize = 4096;
}

long posix_fstat(long fd, long st)
{
	struct posix_file *f = posix_fd(fd);
	struct stat *s = (struct stat *)st;
	if (!f)
		return -EBADF;
	switch (f->kind) {
	case POSIX_FD_TMP:
		return posix_tmp_fstat(f, s);
	case POSIX_FD_ROM:
		return posix_rom_fstat(f, s);
	case POSIX_FD_DIR:
		dir_stat(s, f->dir);
		return 0;
	default: /* a terminal */
		memset(s, 0, sizeof(*s));
		s->st_mode = S_IFCHR | 0620;
		s->st_nlink = 1;
		s->st_blksize = 1024;
		return 0;
	}
}

long posix_fstatat(long dirfd, long path, long st, long flags)
{
	if ((flags & AT_EMPTY_PATH) && path && !*(const char *)path)
		return posix_fstat(dirfd, st);
	long fd = posix_openat(dirfd, path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	long e = posix_fstat(fd, st);
	posix_file_close(fd);
	return e;
}

long posix_getdents64(long fd, long buf, long n)
{
	struct posix_file *f = posix_fd(fd);
	char *b = (char *)buf;
	if (!f)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (f->kind == POSIX_FD_TMP && f->dir)
		return posix_tmp_getdents(f, b, (mica_word_t)n);
	if (f->kind == POSIX_FD_DIR && f->dir == 2)
		return posix_rom_getdents(f, b, (mica_word_t)n);
	if (f->kind == POSIX_FD_DIR) {
		static const char *const names[] = { "rom", "tmp" };
		mica_word_t done = 0;
		for (; f->off < 2; f->off++) {
			mica_word_t k = posix_dirent(b + done, (mica_word_t)n - done, f->off + 2, f->off + 1,
						     DT_DIR, names[f->off], 3);
			if (!k)
				return done ? (long)done : -EINVAL;
			done += k;
		}
		return (long)done;
	}
	return -ENOTDIR;
}

/* A path for a change of the tree: /tmp's inside path, or the error for
 * anywhere else (on_rom: read-only; on_dir: the root, /rom, /tmp). */
static long tmp_path(long dirfd, long path, char *rest, long on_dir)
{
	enum where w;
	long e = resolve(dirfd, (const char *)path, rest, &w);
	if (e)
		return e;
	if (w == W_TMP)
		return rest[1] ? 0 : on_dir;
	if (w == W_ROOT || w == W_ROMDIR)
		return on_dir;
	return w == W_ROM ? -EROFS : -ENOENT;
}

long posix_mkdirat(long dirfd, long path, long mode)
{
	(void)mode;
	char rest[PATH_BUF];
	long e = tmp_path(dirfd, path, rest, -EEXIST);
	if (e == -ENOENT)
		e = -EROFS; /* outside /rom and /tmp nothing can be made */
	return e ? e : posix_tmp_mkdir(rest);
}

long posix_unlinkat(long dirfd, long path, long flags)
{
	char rest[PATH_BUF];
	bool dir = flags & AT_REMOVEDIR;
	long e = tmp_path(dirfd, path, rest, dir ? -EBUSY : -EISDIR);
	if (e)
		return e;
	return dir ? posix_tmp_rmdir(rest) : posix_tmp_unlink(rest);
}

long posix_renameat(long olddir, long old, long newdir, long new_)
{
	char a[PATH_BUF], b[PATH_BUF];
	long e = tmp_path(olddir, old, a, -EBUSY);
	long e2 = tmp_path(newdir, new_, b, -EBUSY);
	if (e || e2)
		return e == -EROFS || e2 == -EROFS ? -EROFS : e ? e : e2;
	return posix_tmp_rename(a, b);
}

long posix_ftruncate(long fd, long size)
{
	struct posix_file *f = posix_fd(fd);
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return f && f->kind == POSIX_FD_ROM ? -EROFS : -EBADF;
	if (size < 0)
		return -EINVAL;
	if (f->kind != POSIX_FD_TMP || f->dir)
		return -EINVAL;
	return posix_tmp_truncate(f, (mica_word_t)size);
}

long posix_fcntl(long fd, long cmd, long arg)
{
	struct posix_file *f = posix_fd(fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_GETFD:
	case F_SETFD:
		return 0; /* no exec: close-on-exec changes nothing */
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return posix_dupfd(fd, arg);
	case F_GETFL:
		return f->flags & (O_ACCMODE | O_APPEND);
	case F_SETFL:
		f->flags = (f->flags & ~O_APPEND) | (int)(arg & O_APPEND);
		return 0;
	default:
		return -EINVAL;
	}
}

long posix_file_ds(long fd, long prot, mica_cap_t *ds)
{
	struct posix_file *f = posix_fd(fd);
	if (!f || f->kind == POSIX_FD_STD || f->kind == POSIX_FD_DIR || f->dir)
		return f ? -ENODEV : -EBADF;
	if (f->kind == POSIX_FD_ROM) {
		if (prot & 2 /* PROT_WRITE */)
			return -EACCES;
		mica_cap_t c = posix_cap_alloc();
		if (mica_cap_copy(MICA_CAP_TASK, f->ds, c, MICA_RIGHTS_ALL, 0) != MICA_OK) {
			posix_cap_free(c);
			return -ENOMEM;
		}
		*ds = c;
		return 0;
	}
	if ((prot & 2) && (f->flags & O_ACCMODE) == O_RDONLY)
		return -EACCES;
	return posix_tmp_ds(f, ds);
}

long posix_getcwd(long buf, long size)
{
	size_t n = strlen(cwd) + 1;
	if (size < 0 || (size_t)size < n)
		return -ERANGE;
	memcpy((char *)buf, cwd, n);
	return (long)n;
}

long posix_chdir(long path)
{
	char rest[PATH_BUF];
	enum where w;
	long e = resolve(AT_FDCWD, (const char *)path, rest, &w);
	if (e)
		return e;
	switch (w) {
	case W_ROOT:
		strcpy(cwd, "/");
		return 0;
	case W_ROMDIR:
		strcpy(cwd, "/rom");
		return 0;
	case W_ROM:
		return -ENOTDIR;
	case W_TMP:
		break;
	default:
		return -ENOENT;
	}
	long fd = posix_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	posix_file_close(fd);
	if (!rest[1]) {
		strcpy(cwd, "/tmp");
		return 0;
	}
	size_t n = strlen(rest);
	if (4 + n >= PATH_BUF)
		return -ENAMETOOLONG;
	memcpy(cwd, "/tmp", 4);
	memcpy(cwd + 4, rest, n);
	cwd[4 + n] = 0;
	return 0;
}
