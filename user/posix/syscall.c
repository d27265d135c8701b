/* musl's single system-call entry on Mica: the overlay's syscall_arch.h
 * (user/posix/musl) makes every __syscallN a call of __mica_syscall,
 * which hands the Linux call number to the back end's function for it.
 * Anything else answers ENOSYS, and its first use is printed once with
 * the call's name, so a program's missing piece is visible. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "posix.h"
#include "syscall_names.h"

/* Calls whose ENOSYS was already reported, one bit each. */
static unsigned char reported[(sizeof(posix_syscall_names) / sizeof(posix_syscall_names[0]) + 8) / 8];

static long unsupported(long n)
{
	unsigned long count = sizeof(posix_syscall_names) / sizeof(posix_syscall_names[0]);
	unsigned long i = (unsigned long)n < count ? (unsigned long)n : count;
	if (!(reported[i / 8] & (1u << (i % 8)))) {
		reported[i / 8] |= (unsigned char)(1u << (i % 8));
		const char *name = i < count && posix_syscall_names[i] ? posix_syscall_names[i] : "(unknown)";
		static const char pre[] = "posix: system call ", post[] = " not supported (ENOSYS)\n";
		posix_out(pre, sizeof(pre) - 1);
		posix_out(name, strlen(name));
		posix_out(post, sizeof(post) - 1);
	}
	return -ENOSYS;
}

/* NOLINTNEXTLINE(bugprone-reserved-identifier): part of the C library, in its name space */
long __mica_syscall(long n, long a, long b, long c, long d, long e, long f)
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
	case SYS_gettid:
		return posix_getpid();
	case SYS_uname:
		return posix_uname(a);
	case SYS_clock_gettime:
		return posix_clock_gettime(a, b);
	case SYS_exit:
	case SYS_exit_group:
		posix_exit(a);
	case SYS_rt_sigprocmask:
		return 0; /* no signals on Mica yet: every mask is the same */
	default:
		return unsupported(n);
	}
}
