/* The errno group: the error numbers musl and the back end report, and
 * errno left alone by calls that succeed. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

SUITE_GROUP(errno)
{
	errno = 0;
	long big = strtol("99999999999999999999999", 0, 10);
	CHECK(strtol_overflow_erange, big == LONG_MAX && errno == ERANGE);
	errno = 1234;
	long ok = strtol("42", 0, 10);
	CHECK(success_leaves_errno, ok == 42 && errno == 1234);
	CHECK(strerror_enoent, strcmp(strerror(ENOENT), "No such file or directory") == 0);

	/* a call the back end does not serve: -1 and ENOSYS (its name is
	 * printed once: "posix: system call chroot not supported") */
	errno = 0;
	int r = chroot("/tmp");
	CHECK(enosys_for_unsupported_call, r == -1 && errno == ENOSYS);
	errno = 0;
	off_t o = lseek(0, 0, 12345);
	CHECK(einval_bad_whence_or_espipe, o == -1 && (errno == EINVAL || errno == ESPIPE));
	errno = 0;
	double h = strtod("-1e400", 0);
	CHECK(erange_strtod_overflow, h == -HUGE_VAL && errno == ERANGE);
	errno = 0;
	int fd = open("", O_RDONLY);
	CHECK(enoent_empty_path, fd == -1 && errno == ENOENT);
	char name[300];
	memset(name, 'n', sizeof(name) - 1);
	name[0] = '/';
	name[sizeof(name) - 1] = 0;
	errno = 0;
	fd = open(name, O_RDONLY);
	CHECK(long_name_fails, fd == -1 && (errno == ENAMETOOLONG || errno == ENOENT));
	errno = 0;
	void *p = mmap(0, 4096, PROT_READ, MAP_SHARED, 42, 0);
	CHECK(ebadf_mmap_bad_descriptor, p == MAP_FAILED && errno == EBADF);
	CHECK(errno_is_an_lvalue_per_thread, &errno == &errno && (errno = 77, errno == 77));
}
