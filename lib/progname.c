/* A program's short name from its command line (see progname.h). */
#include "progname.h"

#include <string.h>

void progname(const char *cmdline, char *name, size_t size)
{
	const char *start = cmdline, *end = cmdline;
	while (*end && *end != ' ') {
		if (*end == '/')
			start = end + 1;
		end++;
	}
	size_t n = (size_t)(end - start);
	if (n > 4 && memcmp(end - 4, ".elf", 4) == 0)
		n -= 4;
	if (n >= size)
		n = size - 1;
	memcpy(name, start, n);
	name[n] = '\0';
}
