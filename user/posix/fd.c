/* The descriptor table: each descriptor names an open file description
 * (struct posix_file: what it is and its position), which dup, dup2,
 * dup3 and fcntl(F_DUPFD) share between descriptors as Linux does; the
 * description goes when its last descriptor is closed. 0-2 start as the
 * standard streams (io.c), and can be closed and reopened or duplicated
 * like any other. The files lock (syscall.c takes it around every call
 * on descriptors) guards it. Partial: no close-on-exec (there is no
 * exec: the flag is accepted and means nothing). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "posix.h"

static struct posix_file files[POSIX_FDS] = {
	[0] = { .kind = POSIX_FD_STD, .refs = 1, .flags = O_RDONLY },
	[1] = { .kind = POSIX_FD_STD, .refs = 1, .flags = O_WRONLY },
	[2] = { .kind = POSIX_FD_STD, .refs = 1, .flags = O_WRONLY },
};
static struct posix_file *fds[POSIX_FDS] = { &files[0], &files[1], &files[2] };

struct posix_file *posix_fd(long fd)
{
	return fd >= 0 && fd < POSIX_FDS ? fds[fd] : 0;
}

static long lowest_free(long from)
{
	for (long i = from; i < POSIX_FDS; i++)
		if (!fds[i])
			return i;
	return -EMFILE;
}

long posix_fd_new(enum posix_kind kind, struct posix_file **out)
{
	long fd = lowest_free(0);
	if (fd < 0)
		return fd;
	for (unsigned i = 0; i < POSIX_FDS; i++) /* as many descriptions as descriptors */
		if (files[i].kind == POSIX_FD_FREE) {
			memset(&files[i], 0, sizeof(files[i]));
			files[i].kind = kind;
			files[i].refs = 1;
			fds[fd] = &files[i];
			*out = &files[i];
			return fd;
		}
	return -ENFILE;
}

void posix_fd_release(long fd)
{
	struct posix_file *f = posix_fd(fd);
	if (!f)
		return;
	fds[fd] = 0;
	if (--f->refs == 0)
		f->kind = POSIX_FD_FREE;
}

long posix_file_close(long fd)
{
	struct posix_file *f = posix_fd(fd);
	if (!f)
		return -EBADF;
	long e = 0;
	if (f->refs == 1)
		e = f->kind == POSIX_FD_TMP   ? posix_tmp_close(f)
		    : f->kind == POSIX_FD_ROM ? posix_rom_close(f)
					      : 0;
	posix_fd_release(fd);
	return e;
}

/* newfd names what fd names (newfd closed first if open); from >= 0
 * instead takes the lowest free descriptor from there. */
static long dup_to(long fd, long newfd, long from)
{
	struct posix_file *f = posix_fd(fd);
	if (!f)
		return -EBADF;
	if (from >= 0) {
		if (from >= POSIX_FDS)
			return -EINVAL;
		newfd = lowest_free(from);
		if (newfd < 0)
			return newfd;
	} else if (newfd < 0 || newfd >= POSIX_FDS) {
		return -EBADF;
	} else if (newfd == fd) {
		return newfd;
	} else if (fds[newfd]) {
		posix_file_close(newfd); /* its error is not dup2's (as on Linux) */
	}
	f->refs++;
	fds[newfd] = f;
	return newfd;
}

long posix_dup(long fd)
{
	return dup_to(fd, 0, 0);
}

long posix_dup3(long fd, long newfd, long flags, int is_dup3)
{
	if (is_dup3 && (fd == newfd || (flags & ~(long)O_CLOEXEC)))
		return -EINVAL;
	return dup_to(fd, newfd, -1);
}

long posix_dupfd(long fd, long from)
{
	return from < 0 ? -EINVAL : dup_to(fd, 0, from);
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
