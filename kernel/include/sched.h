/* Which thread runs next on this CPU. So far: a FIFO of ready threads per
 * CPU; priorities and time slices come with the scheduling issue. */
#pragma once

#include "thread.h"

void sched_make_ready(struct thread *t);

/* Stops the current thread (HALTED or DEAD) so it does not run again. */
void sched_stop_current(enum thread_state why);
