/* Fatal errors. panic() prints the message and a backtrace, stops every
 * CPU, and in test mode ends the QEMU run with the panic status.
 * assert() checks internal invariants in debug builds (MICA_DEBUG) and is
 * type-checked but not evaluated otherwise; conditions that must hold
 * even in release builds use PANIC_IF. */
#pragma once

#include <stdbool.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

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
