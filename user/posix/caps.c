/* The program's capability selectors for the objects the back end
 * creates (dataspaces, the TLS helper's thread and gate): from the first
 * one the loader left free (mica_env()->first_free) upward, freed ones
 * reused first, under a spin lock (every thread allocates). */
#include <mica/env.h>
#include <mica_env.h>

#include "posix.h"

#define POSIX_FREE_MAX 256

static mica_cap_t next_sel, free_sels[POSIX_FREE_MAX];
static unsigned free_count;
static posix_spin_t lock;

mica_cap_t posix_cap_alloc(void)
{
	mica_cap_t sel;
	posix_spin_lock(&lock);
	if (free_count) {
		sel = free_sels[--free_count];
	} else {
		if (!next_sel) {
			const struct mica_env *e = mica_env();
			next_sel = e && e->first_free >= MICA_CAP_NAMED ? (mica_cap_t)e->first_free : 64;
		}
		sel = next_sel++;
	}
	posix_spin_unlock(&lock);
	return sel;
}

void posix_cap_free(mica_cap_t sel)
{
	posix_spin_lock(&lock);
	if (free_count < POSIX_FREE_MAX)
		free_sels[free_count++] = sel;
	posix_spin_unlock(&lock);
}
