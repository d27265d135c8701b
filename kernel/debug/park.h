/* Stopping every other CPU at a quiescent point and letting them go
 * again: the invariant checker and the kernel debugger work on a kernel
 * that nothing else changes meanwhile (debug builds). */
#pragma once

#ifdef MICA_DEBUG

#include <stdint.h>

/* Parks every other online CPU in its remote-request interrupt, at a
 * point where it holds no lock and is in the middle of nothing (user
 * mode, idle, or waiting for a CPU lock); a CPU that is in the
 * middle of a kernel operation is asked again until it is through. One
 * parker at a time: a second waits in park_others, serving requests,
 * and is parked by the first. */
void park_others(void);
/* Lets them go: each runs `on_release` (if set) before it returns to
 * what it was doing, so that it picks up state the parker changed
 * (the debugger's debug registers). */
void unpark_others(void (*on_release)(void));

/* Where a parked CPU was: the frame pointer of its parking function,
 * for a backtrace of what it interrupted (0 if cpu is not parked). */
uint64_t park_frame(unsigned cpu);

#endif
