/* Finding options on the kernel's command line. */
#include "boot/cmdline.h"

#include <stddef.h>
#include <string.h>

bool cmdline_option(const char *cmdline, const char *name, char *value, unsigned value_size)
{
	size_t n = strlen(name);
	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) < n || strncmp(word, name, n) != 0)
			continue;
		if (word + n == p) {
			if (value && value_size)
				value[0] = '\0';
			return true;
		}
		if (word[n] != '=')
			continue;
		if (value && value_size) {
			unsigned i = 0;
			for (const char *v = word + n + 1; v < p && i + 1 < value_size; v++)
				value[i++] = *v;
			value[i] = '\0';
		}
		return true;
	}
	return false;
}
