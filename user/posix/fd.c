/* The descriptor table: 0-2 are the standard descriptors (io.c), the rest
 * files and directories of the VFS (vfs.c). The files lock (syscall.c
 * takes it around every call on files) guards it. Partial: no
 * close-on-exec (there is no exec). */
#include <errno.h>
#include <string.h>

#include "posix.h"

static struct posix_file fds[POSIX_FDS] = {
	[0] = { .kind = POSIX_FD_STD },
	[1] = { .kind = POSIX_FD_STD },
	[2] = { .kind = POSIX_FD_STD },
};

struct posix_file *posix_fd(long fd)
{
	return fd >= 0 && fd < POSIX_FDS && fds[fd].kind != POSIX_FD_FREE ? &fds[fd] : 0;
}

long posix_fd_new(enum posix_kind kind, struct posix_file **out)
{
	for (long i = 0; i < POSIX_FDS; i++)
		if (fds[i].kind == POSIX_FD_FREE) {
			memset(&fds[i], 0, sizeof(fds[i]));
			fds[i].kind = kind;
			*out = &fds[i];
			return i;
		}
	return -EMFILE;
}

void posix_fd_free(struct posix_file *f)
{
	f->kind = POSIX_FD_FREE;
}

mica_word_t posix_dirent(char *buf, mica_word_t room, mica_word_t ino, mica_word_t next, unsigned char type,
			 const char *name, mica_word_t len)
{
	/* struct linux_dirent64: ino, off, reclen, type, name, NUL, aligned to 8. */
	mica_word_t rec = (8 + 8 + 2 + 1 + len + 1 + 7) & ~7ul;
	if (rec > room)
		return 0;
	memset(buf, 0, rec);
	memcpy(buf, &ino, 8);
	memcpy(buf + 8, &next, 8);
	unsigned short r = (unsigned short)rec;
	memcpy(buf + 16, &r, 2);
	buf[18] = (char)type;
	memcpy(buf + 19, name, len);
	return rec;
}
