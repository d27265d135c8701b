/* CPU control that core code needs. */
#pragma once

#include <stdint.h>

__attribute__((noreturn)) void arch_halt_forever(void);

/* Stops the other CPUs (after a panic). */
void arch_stop_other_cpus(void);

/* Waits with interrupts enabled until one arrives, then returns with
 * interrupts disabled again. */
void arch_idle_wait(void);

/* Prints a backtrace starting at the caller's frame (fp = 0) or at the
 * given frame pointer. */
void arch_backtrace(uint64_t fp, uint64_t ip);

/* A CPU time stamp (TSC). */
uint64_t arch_timestamp(void);
