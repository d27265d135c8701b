/* kdb_: the kernel debugger's method of the debug object, as far as it
 * runs without the console's input: RUN executes a command line and
 * returns (its output goes to the console, which the QEMU cases kdb_
 * read), and the decoder refuses what it must. */
#include <mica/error.h>
#include <mica/kdebug.h>
#include <mica_sys.h>

#include "ktest.h"

KTEST(kdb_run_returns_after_the_commands)
{
	CHECK_OK(mica_kdebug_kdb(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB_RUN, 0, "cpus; tr"));
	/* `go` in a command line only ends the line; nothing more runs. */
	CHECK_OK(mica_kdebug_kdb(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB_RUN, 0, "go; threads"));
	CHECK_OK(mica_kdebug_kdb(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB_RUN, 0, ""));
}

KTEST(kdb_bad_arguments)
{
	mica_word_t *mr = mica_mr();
	CHECK_ERR(mica_kdebug_kdb(MICA_CAP_KDEBUG, 2, 0, "help"), MICA_E_BAD_ARG);
	CHECK_ERR(mica_kdebug_kdb(MICA_CAP_KDEBUG, ~0u, 0, "help"), MICA_E_BAD_ARG);
	/* A text longer than the message that carries it. */
	mr[0] = MICA_KDEBUG_KDB_RUN;
	mr[1] = 0;
	mr[2] = 40;
	CHECK_EQ(mica_error(mica_call(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB, 4)), MICA_E_BAD_ARG);
	/* Longer than the limit, and a length of -1. */
	mr[2] = MICA_KDEBUG_KDB_TEXT_MAX + 1;
	CHECK_EQ(mica_error(mica_call(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB, 63)), MICA_E_BAD_ARG);
	mr[2] = ~0ul;
	CHECK_EQ(mica_error(mica_call(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB, 63)), MICA_E_BAD_ARG);
	/* Too few words for the three it needs. */
	CHECK_EQ(mica_error(mica_call(MICA_CAP_KDEBUG, MICA_KDEBUG_KDB, 2)), MICA_E_BAD_TAG);
}

KTEST(kdb_needs_the_write_right)
{
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(MICA_CAP_TASK, MICA_CAP_KDEBUG, ro, MICA_KDEBUG_R_READ, 0));
	CHECK_ERR(mica_kdebug_kdb(ro, MICA_KDEBUG_KDB_RUN, 0, "cpus"), MICA_E_NO_RIGHTS);
	mica_word_t objects, checks; /* the checker needs only READ */
	CHECK_OK(mica_kdebug_check(ro, &objects, &checks));
	CHECK_OK(mica_cap_delete(MICA_CAP_TASK, ro));
}
