/* Mica's replacement for musl's arch/x86_64/syscall_arch.h (found first
 * through -iquote, user/posix/README.md): every system call musl makes
 * from C is a call of the user-level POSIX back end, __mica_syscall
 * (user/posix/syscall.c), not the syscall instruction, which Mica's
 * kernel does not give Linux meaning. Only the seven __syscallN entries
 * and the two 64-bit argument macros are defined; the vDSO lookup is
 * left out (a Mica program has none). */
#ifndef MICA_SYSCALL_ARCH_H
#define MICA_SYSCALL_ARCH_H

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

long __mica_syscall(long n, long a, long b, long c, long d, long e, long f);

static __inline long __syscall0(long n)
{
	return __mica_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a)
{
	return __mica_syscall(n, a, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a, long b)
{
	return __mica_syscall(n, a, b, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a, long b, long c)
{
	return __mica_syscall(n, a, b, c, 0, 0, 0);
}

static __inline long __syscall4(long n, long a, long b, long c, long d)
{
	return __mica_syscall(n, a, b, c, d, 0, 0);
}

static __inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	return __mica_syscall(n, a, b, c, d, e, 0);
}

static __inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	return __mica_syscall(n, a, b, c, d, e, f);
}

#define IPC_64 0

#endif
