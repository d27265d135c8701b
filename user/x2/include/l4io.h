/* Formatted output for X.2 programs (the X.2 world's l4io.h). */
#pragma once

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
