/* The process: exit and exit_group end the program through the parent
 * protocol (docs/abi.md §12, MICA_PARENT_EXIT with the status; the
 * loader then destroys the task), getpid and uname.
 * Threads (thread.c) share the one process id, 1. exit_group from any
 * thread ends the program: the loader destroys the task with all of
 * them. */
#include <errno.h>
#include <mica/env.h>
#include <mica/program.h>
#include <mica/thread.h>
#include <mica_env.h>
#include <mica_log.h>
#include <mica_sys.h>
#include <string.h>
#include <sys/utsname.h>

#include "posix.h"

#define POSIX_PID POSIX_MAIN_TID

long posix_exit(long status)
{
	if (mica_env_has(MICA_CAP_LOG))
		mica_log_flush(MICA_CAP_LOG); /* a last line without its newline */
	mica_mr()[0] = (mica_word_t)(status & 0xff);
	mica_call(MICA_CAP_PARENT, MICA_PARENT_EXIT, 1);
	/* No parent (or it answered): stop for good. */
	for (;;)
		mica_send(posix_self_cap(), MICA_THREAD_HALT, 0);
}

long posix_getpid(void)
{
	return POSIX_PID;
}

long posix_uname(long buf)
{
	struct utsname *u = (struct utsname *)buf;
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Mica");
	strcpy(u->nodename, "mica");
	strcpy(u->release, "0");
	strcpy(u->version, "Mica microkernel, musl on the POSIX back end");
	strcpy(u->machine, "x86_64");
	return 0;
}
