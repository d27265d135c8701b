/* Client calls of the RAM file system protocol (include/mica/fs.h). Each
 * returns 0, a MICA_FS_E* status the server answered (positive), or a
 * transport error as -MICA_E_* (negative: rights, a stale capability). */
#pragma once

#include <mica/fs.h>
#include <mica_sys.h>
#include <stddef.h>

struct mica_fs_stat {
	mica_word_t type, size, ino, nlink;
};

/* A session of quota bytes of the file system fs, at dst. */
int mica_fs_session(mica_cap_t fs, mica_word_t quota, mica_cap_t dst);
int mica_fs_open(mica_cap_t s, const char *path, unsigned flags, mica_word_t *h, mica_word_t *size);
int mica_fs_close(mica_cap_t s, mica_word_t h);
/* One request: at most MICA_FS_IO_MAX bytes; *got = bytes moved. */
int mica_fs_read(mica_cap_t s, mica_word_t h, mica_word_t off, void *buf, size_t len, size_t *got);
int mica_fs_write(mica_cap_t s, mica_word_t h, mica_word_t off, const void *buf, size_t len, size_t *got);
/* As many requests as len needs (a short read only at the end). */
int mica_fs_pread(mica_cap_t s, mica_word_t h, mica_word_t off, void *buf, size_t len, size_t *got);
int mica_fs_pwrite(mica_cap_t s, mica_word_t h, mica_word_t off, const void *buf, size_t len);
int mica_fs_truncate(mica_cap_t s, mica_word_t h, mica_word_t size);
int mica_fs_stat(mica_cap_t s, mica_word_t h, struct mica_fs_stat *st);
/* The entry after cookie: *next = 0 at the end (name untouched), else
 * name (NUL-terminated, MICA_FS_NAME_MAX + 1 bytes), *type, *ino. */
int mica_fs_readdir(mica_cap_t s, mica_word_t h, mica_word_t cookie, mica_word_t *next, char *name,
		    mica_word_t *type, mica_word_t *ino);
int mica_fs_mkdir(mica_cap_t s, const char *path);
int mica_fs_rmdir(mica_cap_t s, const char *path);
int mica_fs_unlink(mica_cap_t s, const char *path);
int mica_fs_rename(mica_cap_t s, const char *from, const char *to);
/* The file's dataspace at dst, and its size. */
int mica_fs_dataspace(mica_cap_t s, mica_word_t h, mica_cap_t dst, mica_word_t *size);
int mica_fs_info(mica_cap_t s, mica_word_t *quota, mica_word_t *charged);
