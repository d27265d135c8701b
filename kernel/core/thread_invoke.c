/* The thread object's methods. */
#include <mica/thread.h>

#include "invoke.h"
#include "sched.h"
#include "thread.h"

mica_msgtag_t thread_invoke(struct thread *caller, struct thread *target, mica_msgtag_t tag)
{
	switch (mica_msgtag_label(tag)) {
	case MICA_THREAD_HALT:
		/* Halting another thread needs its removal from a run queue,
		 * which comes with exchange-registers (capability issue). */
		if (target != caller)
			return invoke_error(caller, MICA_E_NOT_IMPLEMENTED);
		sched_stop_current(THREAD_HALTED);
		return invoke_ok(caller, 0);
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
