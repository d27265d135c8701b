/* The few stdlib.h functions of the freestanding environments. */
#pragma once

/* C's strtoul, for bases 0 (0x.. hexadecimal, 0.. octal, else decimal),
 * 10 and 16; no locale, no errno: overflow wraps. */
unsigned long strtoul(const char *s, char **end, int base);
