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

/* A CPU time stamp (TSC); inline, the IPC fast path reads it. */
static inline uint64_t arch_timestamp(void)
{
	uint64_t t, hi;
	__asm__ volatile("rdtsc; shl $32, %1; or %1, %0" : "=a"(t), "=d"(hi));
	return t;
}

/* Copies n words between message registers (UTCBs of user threads) in
 * one instruction. The kernel runs with the direction flag clear. */
static inline void arch_copy_words(volatile uint64_t *dst, const volatile uint64_t *src, uint64_t n)
{
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
