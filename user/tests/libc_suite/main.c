/* The libc test program's driver: runs every group of the suite (the
 * files beside it, suite.h) once, in name order, prints one line per
 * check and exits with the number of failed checks (0: all held). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"

/* The linker's bounds of the section SUITE_GROUP puts the groups in. */
extern const struct suite_group
	__start_suite_groups[]; /* NOLINT(bugprone-reserved-identifier): the linker's name */
extern const struct suite_group
	__stop_suite_groups[]; /* NOLINT(bugprone-reserved-identifier): the linker's name */

static const char *current; /* the group being run: CHECK's prefix */
static int failed;

int suite_check(const char *name, int cond, const char *file, int line)
{
	char buf[256];
	int n;
	if (cond)
		n = snprintf(buf, sizeof(buf), "ok libc_%s_%s\n", current, name);
	else
		n = snprintf(buf, sizeof(buf), "not ok libc_%s_%s: %s:%d\n", current, name, file, line);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)strlen(buf);
	/* Threads of a group check concurrently: each line is one stdio
	 * call on the locked stream, so lines never interleave. */
	fwrite(buf, 1, (size_t)n, stdout);
	if (!cond)
		__atomic_fetch_add(&failed, 1, __ATOMIC_RELAXED);
	return cond;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct suite_group *)a)->name, ((const struct suite_group *)b)->name);
}

int main(void)
{
	size_t n = ((uintptr_t)__stop_suite_groups - (uintptr_t)__start_suite_groups) /
		   sizeof(struct suite_group);
	static struct suite_group order[64];
	if (n > sizeof(order) / sizeof(order[0])) {
		printf("libc_suite: %zu groups, room for %zu\n", n, sizeof(order) / sizeof(order[0]));
		return 255;
	}
	memcpy(order, __start_suite_groups, n * sizeof(order[0]));
	qsort(order, n, sizeof(order[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		current = order[i].name;
		order[i].fn();
	}
	current = "?";
	int f = __atomic_load_n(&failed, __ATOMIC_RELAXED);
	printf("libc_suite: %d failed\n", f);
	fflush(stdout);
	/* An exit status has 8 bits: more failures than that still fail. */
	return f > 255 ? 255 : f;
}
