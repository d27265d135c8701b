/* CPU control that core code needs. <machine/cpu.h> gives, for each
 * architecture: struct arch_percpu (its part of the per-CPU data),
 * this_cpu(), and inline arch_timestamp() and arch_copy_words(), which
 * the IPC paths use on every message. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <machine/cpu.h>

__attribute__((noreturn)) void arch_halt_forever(void);

/* Stops the other CPUs (after a panic). */
void arch_stop_other_cpus(void);

/* Waits with interrupts enabled until one arrives, then returns with
 * interrupts disabled again. */
void arch_idle_wait(void);

/* Waits with interrupts enabled until *flag is set (by another CPU, or
 * by an interrupt taken meanwhile), or spins times round a pause loop;
 * returns with interrupts disabled, whether the flag was set. */
bool arch_idle_poll(const volatile bool *flag, unsigned spins);

/* Prints a backtrace starting at the caller's frame (fp = 0) or at the
 * given frame pointer. */
void arch_backtrace(uint64_t fp, uint64_t ip);
