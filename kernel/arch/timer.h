/* This CPU's one-shot timer. Deadlines are time-stamp counter values
 * (arch_timestamp); the interrupt calls core_timer_interrupt(). */
#pragma once

#include <stdint.h>

/* The interrupt comes at or soon after deadline; 0 cancels. */
void arch_timer_set(uint64_t deadline);

/* How the timer works, for the boot log (e.g. "TSC deadline"). */
const char *arch_timer_mode(void);

/* The timer's resolution in ns (one count of its clock). */
uint64_t arch_timer_resolution_ns(void);

/* Called by the architecture when the timer fires. */
void core_timer_interrupt(void);
