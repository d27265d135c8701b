/* rt_sigaction: signal dispositions, kept per signal and reported back as
 * Linux does, though Mica delivers no signal yet (nothing raises one:
 * no kill, no terminal signals). A program that installs a handler (Lua
 * for SIGINT, system() ignoring SIGINT and SIGQUIT) gets what it set and
 * no ENOSYS. PARTIAL (issue 21): no delivery, so handlers never run.
 * Not thread-safe across concurrent changes of the same signal; musl
 * itself serialises what needs it. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "posix.h"

/* The kernel's struct sigaction as musl passes it (its ksigaction.h). */
struct posix_ksigaction {
	unsigned long handler, flags, restorer;
	unsigned mask[2];
};

static struct posix_ksigaction actions[_NSIG];

long posix_rt_sigaction(long sig, long act, long old, long size)
{
	if (sig < 1 || sig >= _NSIG || size != _NSIG / 8)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	struct posix_ksigaction prev = actions[sig];
	if (act)
		memcpy(&actions[sig], (const void *)act, sizeof(actions[sig]));
	if (old)
		memcpy((void *)old, &prev, sizeof(prev));
	return 0;
}
