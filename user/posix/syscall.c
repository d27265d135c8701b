/* musl's single system-call entry on Mica: the overlay's syscall_arch.h
 * (user/posix/musl) makes every __syscallN a call of __mica_syscall,
 * which hands the Linux call number to the back end's function for it.
 * Anything else answers ENOSYS, and its first use is printed once with
 * the call's name, so a program's missing piece is visible. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <mica_obj.h>
#include <sys/syscall.h>
#include <time.h>

#include "posix.h"
#include "syscall_names.h"

/* The back end's shared state under one lock (lock.c): the descriptor
 * table and everything behind descriptors (fd.c, io.c, vfs.c, romfs.c,
 * tmpfs.c: a write to standard output is one piece in the log, even
 * when it takes several requests). Memory (mem.c) and the selectors
 * (caps.c) lock inside; threads, futexes and time need neither. */
static posix_mutex_t files_lock;

void posix_files_lock(void)
{
	posix_mutex_lock(&files_lock);
}

void posix_files_unlock(void)
{
	posix_mutex_unlock(&files_lock);
}

/* Calls whose ENOSYS was already reported, one bit each (files_lock). */
static unsigned char reported[(sizeof(posix_syscall_names) / sizeof(posix_syscall_names[0]) + 8) / 8];

static long unsupported(long n)
{
	unsigned long count = sizeof(posix_syscall_names) / sizeof(posix_syscall_names[0]);
	unsigned long i = (unsigned long)n < count ? (unsigned long)n : count;
	posix_mutex_lock(&files_lock);
	if (!(reported[i / 8] & (1u << (i % 8)))) {
		reported[i / 8] |= (unsigned char)(1u << (i % 8));
		const char *name = i < count && posix_syscall_names[i] ? posix_syscall_names[i] : "(unknown)";
		static const char pre[] = "posix: system call ", post[] = " not supported (ENOSYS)\n";
		posix_out(pre, sizeof(pre) - 1);
		posix_out(name, strlen(name));
		posix_out(post, sizeof(post) - 1);
	}
	posix_mutex_unlock(&files_lock);
	return -ENOSYS;
}

/* Whether call n runs under the files lock. */
static int needs_files_lock(long n)
{
	switch (n) {
	case SYS_read:
	case SYS_readv:
	case SYS_ioctl:
	case SYS_close:
	case SYS_write:
	case SYS_writev:
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_getcwd:
	case SYS_chdir:
	case SYS_open:
	case SYS_openat:
	case SYS_creat:
	case SYS_pread64:
	case SYS_pwrite64:
	case SYS_lseek:
	case SYS_fstat:
	case SYS_stat:
	case SYS_lstat:
	case SYS_newfstatat:
	case SYS_getdents64:
	case SYS_mkdir:
	case SYS_mkdirat:
	case SYS_unlink:
	case SYS_rmdir:
	case SYS_unlinkat:
	case SYS_rename:
	case SYS_renameat:
	case SYS_ftruncate:
	case SYS_fcntl:
	case SYS_fsync:
	case SYS_fdatasync:
		return 1;
	default:
		return 0;
	}
}

static long dispatch(long n, long a, long b, long c, long d, long e, long f)
{
	switch (n) {
	case SYS_read:
		return posix_read(a, b, c);
	case SYS_readv:
		return posix_readv(a, b, c);
	case SYS_write:
		return posix_write(a, b, c);
	case SYS_writev:
		return posix_writev(a, b, c);
	case SYS_ioctl:
		return posix_ioctl(a, b, c);
	case SYS_close:
		return posix_close(a);
	case SYS_open:
		return posix_openat(AT_FDCWD, a, b, c);
	case SYS_openat:
		return posix_openat(a, b, c, d);
	case SYS_creat:
		return posix_openat(AT_FDCWD, a, O_CREAT | O_WRONLY | O_TRUNC, b);
	case SYS_pread64:
		return posix_pread(a, b, c, d, 0);
	case SYS_pwrite64:
		return posix_pread(a, b, c, d, 1);
	case SYS_lseek:
		return posix_lseek(a, b, c);
	case SYS_fstat:
		return posix_fstat(a, b);
	case SYS_stat:
	case SYS_lstat:
		return posix_fstatat(AT_FDCWD, a, b, 0);
	case SYS_newfstatat:
		return posix_fstatat(a, b, c, d);
	case SYS_getdents64:
		return posix_getdents64(a, b, c);
	case SYS_mkdir:
		return posix_mkdirat(AT_FDCWD, a, b);
	case SYS_mkdirat:
		return posix_mkdirat(a, b, c);
	case SYS_unlink:
		return posix_unlinkat(AT_FDCWD, a, 0);
	case SYS_rmdir:
		return posix_unlinkat(AT_FDCWD, a, AT_REMOVEDIR);
	case SYS_unlinkat:
		return posix_unlinkat(a, b, c);
	case SYS_rename:
		return posix_renameat(AT_FDCWD, a, AT_FDCWD, b);
	case SYS_renameat:
		return posix_renameat(a, b, c, d);
	case SYS_ftruncate:
		return posix_ftruncate(a, b);
	case SYS_fcntl:
		return posix_fcntl(a, b, c);
	case SYS_fsync:
	case SYS_fdatasync:
		return posix_fd(a) ? 0 : -EBADF; /* in memory already */
	case SYS_dup:
		return posix_dup(a);
	case SYS_dup2:
		return posix_dup3(a, b, 0, 0);
	case SYS_dup3:
		return posix_dup3(a, b, c, 1);
	case SYS_getcwd:
		return posix_getcwd(a, b);
	case SYS_chdir:
		return posix_chdir(a);
	case SYS_brk:
		return posix_brk(a);
	case SYS_mmap:
		return posix_mmap(a, b, c, d, e, f);
	case SYS_munmap:
		return posix_munmap(a, b);
	case SYS_mprotect:
		return posix_mprotect(a, b, c);
	case SYS_madvise:
		return 0; /* advice only: nothing is paged out yet */
	case SYS_arch_prctl:
		return posix_arch_prctl(a, b);
	case SYS_set_tid_address:
		return posix_set_tid_address(a);
	case SYS_getpid:
		return posix_getpid();
	case SYS_gettid:
		return posix_gettid();
	case SYS_futex:
		return posix_futex(a, b, c, d, e, f);
	case SYS_getcpu:
		return posix_getcpu(a, b);
	case SYS_sched_getaffinity:
		return posix_sched_getaffinity(a, b, c);
	case SYS_sched_yield:
		mica_thread_yield(posix_self_cap());
		return 0;
	case SYS_uname:
		return posix_uname(a);
	case SYS_clock_gettime:
		return posix_clock_gettime(a, b);
	case SYS_clock_getres:
		return posix_clock_getres(a, b);
	case SYS_nanosleep:
		return posix_nanosleep(CLOCK_REALTIME, 0, a, b);
	case SYS_clock_nanosleep:
		return posix_nanosleep(a, b, c, d);
	case SYS_exit:
		posix_thread_exit(a);
	case SYS_exit_group:
		posix_exit(a);
	case SYS_rt_sigprocmask:  /* no signals on Mica yet: every mask is the same */
	case SYS_set_robust_list: /* musl walks the robust list itself at a thread's end */
		return 0;
	case SYS_rt_sigaction:
		return posix_rt_sigaction(a, b, c, d);
	default:
		return unsupported(n);
	}
}

/* NOLINTNEXTLINE(bugprone-reserved-identifier): part of the C library, in its name space */
long __mica_syscall(long n, long a, long b, long c, long d, long e, long f)
{
	if (!needs_files_lock(n))
		return dispatch(n, a, b, c, d, e, f);
	posix_mutex_lock(&files_lock);
	long r = dispatch(n, a, b, c, d, e, f);
	posix_mutex_unlock(&files_lock);
	return r;
}
