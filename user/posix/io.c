/* The standard streams: a descriptor naming one (0-2 at the start, or
 * their duplicates) writes to the program's log (each whole line printed
 * as `name | text`) or, without one, the Vcon, and reads the Vcon. Every
 * other descriptor is a file of the VFS (vfs.c). Called with the files
 * lock held (syscall.c); a read of the console lets it go while it
 * waits for input. */
#include <errno.h>
#include <mica/env.h>
#include <limits.h>
#include <mica/syscall.h>
#include <mica/vcon.h>
#include <mica_env.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "posix.h"

static int vcon_out(const char *s, unsigned long n)
{
	while (n) {
		unsigned long k = n < MICA_VCON_WRITE_MAX ? n : MICA_VCON_WRITE_MAX;
		mica_mr()[0] = k;
		memcpy(&mica_mr()[1], s, k);
		mica_msgtag_t r = mica_send(MICA_CAP_VCON, MICA_VCON_WRITE, 1 + (unsigned)((k + 7) / 8));
		if (mica_msgtag_is_error(r))
			return (int)mica_msgtag_label(r);
		s += k;
		n -= k;
	}
	return MICA_OK;
}

int posix_out(const char *s, unsigned long n)
{
	if (mica_env_has(MICA_CAP_LOG))
		return mica_log_write(MICA_CAP_LOG, s, n);
	return vcon_out(s, n);
}

static int is_std(long fd)
{
	const struct posix_file *f = posix_fd(fd);
	return f && f->kind == POSIX_FD_STD;
}

long posix_write(long fd, long buf, long n)
{
	if (!is_std(fd))
		return posix_file_write(fd, buf, n);
	if (n < 0)
		return -EINVAL;
	return posix_out((const char *)buf, (unsigned long)n) == MICA_OK ? n : -EIO;
}

long posix_writev(long fd, long iov, long cnt)
{
	const struct iovec *v = (const struct iovec *)iov;
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	long total = 0;
	for (long i = 0; i < cnt; i++) {
		long r = posix_write(fd, (long)v[i].iov_base, (long)v[i].iov_len);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}

long posix_read(long fd, long buf, long n)
{
	if (!is_std(fd))
		return posix_file_read(fd, buf, n);
	if (n <= 0)
		return n < 0 ? -EINVAL : 0;
	if (!mica_env_has(MICA_CAP_VCON))
		return 0; /* no console: end of file */
	unsigned max = n < (long)MICA_VCON_READ_MAX ? (unsigned)n : (unsigned)MICA_VCON_READ_MAX, got = 0;
	/* Waiting for input may take forever: the other threads' files go on. */
	posix_files_unlock();
	int e = mica_vcon_read(MICA_CAP_VCON, (char *)buf, max, MICA_TIMEOUT_NEVER, &got);
	posix_files_lock();
	return e == MICA_OK ? (long)got : -EIO;
}

long posix_readv(long fd, long iov, long cnt)
{
	const struct iovec *v = (const struct iovec *)iov;
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	if (!is_std(fd)) { /* a file fills every buffer it can */
		long total = 0;
		for (long i = 0; i < cnt; i++) {
			long r = posix_file_read(fd, (long)v[i].iov_base, (long)v[i].iov_len);
			if (r < 0)
				return total ? total : r;
			total += r;
			if ((size_t)r < v[i].iov_len)
				break;
		}
		return total;
	}
	/* One read fills the first buffer with room: what the Vcon has. */
	for (long i = 0; i < cnt; i++)
		if (v[i].iov_len)
			return posix_read(fd, (long)v[i].iov_base, (long)v[i].iov_len);
	return 0;
}

long posix_ioctl(long fd, long req, long arg)
{
	if (!is_std(fd)) /* files are no terminals: stdio buffers them fully */
		return posix_fd(fd) ? -ENOTTY : -EBADF;
	/* The standard descriptors are a terminal: musl then buffers
	 * standard output by line, so each printf line reaches the log. */
	if (req == TIOCGWINSZ) {
		struct winsize *w = (struct winsize *)arg;
		w->ws_row = 25;
		w->ws_col = 80;
		w->ws_xpixel = w->ws_ypixel = 0;
		return 0;
	}
	return -ENOTTY;
}

long posix_close(long fd)
{
	return posix_file_close(fd);
}
