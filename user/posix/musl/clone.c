/* Mica's replacement for musl's src/thread/x86_64/clone.s, which makes a
 * thread with the syscall instruction and Linux's clone: here the back
 * end's __mica_clone (user/posix/thread.c) makes a Mica thread in the
 * same task that runs fn(arg) on the given stack with the given thread
 * pointer, and ends it with fn's value as exit() would. Built in place
 * of the assembly file by the rule in musl-build.mak. */
#include <stdarg.h>

/* NOLINTNEXTLINE(bugprone-reserved-identifier): the back end's, in the C library's name space */
int __mica_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls, int *ctid);

/* As src/internal/pthread_impl.h declares it. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
__attribute__((visibility("hidden"))) int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);

/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	void *tls = va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);
	return __mica_clone(fn, stack, flags, arg, ptid, tls, ctid);
}
