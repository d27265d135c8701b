/* Fatal errors. panic() prints the message and a backtrace, stops every
 * CPU, and in test mode ends the QEMU run with the panic status.
 * assert() checks internal invariants in debug builds (MICA_DEBUG) and is
 * type-checked but not evaluated otherwise; conditions that must hold
 * even in release builds use PANIC_IF. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* The two halves of panic() for reports that print more (a kernel
 * exception's register dump): panic_begin stops the other CPUs and takes
 * the console (a nested panic halts at once); panic_end prints the
 * backtrace from (fp, ip), or from the caller if fp is 0, and halts. */
void panic_begin(void);
__attribute__((noreturn)) void panic_end(uint64_t fp, uint64_t ip);

#define PANIC_IF(cond, ...)                                                                                  \
	do {                                                                                                 \
		if (__builtin_expect(!!(cond), 0))                                                           \
			panic(__VA_ARGS__);                                                                  \
	} while (0)

#ifdef MICA_DEBUG
#define assert(cond) PANIC_IF(!(cond), "assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__)
#else
#define assert(cond) ((void)sizeof(!(cond)))
#endif
