/* The program's capability selectors for the objects the back end
 * creates (dataspaces, the TLS helper's thread and gate): from the first
 * one the loader left free (mica_env()->first_free) upward, freed ones
 * reused first. Partial: single-threaded (no lock) until threads come. */
#include <mica/env.h>
#include <mica_env.h>

#include "posix.h"

#define POSIX_FREE_MAX 256

static mica_cap_t next_sel, free_sels[POSIX_FREE_MAX];
static unsigned free_count;

mica_cap_t posix_cap_alloc(void)
{
	if (free_count)
		return free_sels[--free_count];
	if (!next_sel) {
		const struct mica_env *e = mica_env();
		next_sel = e && e->first_free >= MICA_CAP_NAMED ? (mica_cap_t)e->first_free : 64;
	}
	return next_sel++;
}

void posix_cap_free(mica_cap_t sel)
{
	if (free_count < POSIX_FREE_MAX)
		free_sels[free_count++] = sel;
}
