/* Mica's replacement for musl's src/thread/x86_64/__set_thread_area.s,
 * which sets the thread pointer with the syscall instruction: here it is
 * arch_prctl(ARCH_SET_FS) through __syscall like every other call, so
 * the back end (user/posix/tls.c) decides how the FS base is set. Built
 * in place of the assembly file by the rule tools/musl-build.sh adds to
 * musl's config.mak. */
#include "syscall.h"

#define MICA_ARCH_SET_FS 0x1002

/* NOLINTNEXTLINE(bugprone-reserved-identifier): musl's name for it */
int __set_thread_area(void *p)
{
	return (int)__syscall(SYS_arch_prctl, MICA_ARCH_SET_FS, p);
}
