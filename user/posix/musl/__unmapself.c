/* Mica's replacement for musl's src/thread/x86_64/__unmapself.s (a
 * detached thread's end: unmap its own stack, then exit, without
 * touching that stack in between, by two syscall instructions): the
 * back end's __mica_unmapself (user/posix/thread.c) moves to a stack of
 * its own first. Built in place of the assembly file by the rule in
 * musl-build.mak. */
#include <stddef.h>

/* NOLINTNEXTLINE(bugprone-reserved-identifier): the back end's, in the C library's name space */
void __mica_unmapself(void *base, size_t size) __attribute__((noreturn));

/* As src/internal/pthread_impl.h declares it. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
__attribute__((visibility("hidden"))) void __unmapself(void *base, size_t size);

/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
void __unmapself(void *base, size_t size)
{
	__mica_unmapself(base, size);
}
