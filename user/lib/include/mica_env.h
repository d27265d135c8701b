/* A program's initial environment (include/mica/env.h) as the start code
 * recorded it from the auxiliary vector (MICA_AT_ENV). */
#pragma once

#include <mica/env.h>

/* The environment table, or 0 (a boot task, or a loader without one). */
const struct mica_env *mica_env(void);

/* The selector of the capability named name, or 0 if there is none. */
mica_cap_t mica_env_cap(const char *name);

/* Whether the fixed selector sel (< MICA_CAP_NAMED) was filled. */
int mica_env_has(mica_cap_t sel);
