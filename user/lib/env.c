/* The program's environment table (mica_env.h): found through the
 * auxiliary vector once, then looked up by name. */
#include <boot_env.h>
#include <mica/program.h>
#include <mica_env.h>
#include <string.h>

static const struct mica_env *env;
static int looked;

const struct mica_env *mica_env(void)
{
	if (!looked) {
		const struct mica_env *e = (const struct mica_env *)mica_getauxval(MICA_AT_ENV);
		env = e && e->magic == MICA_ENV_MAGIC && e->count <= MICA_ENV_CAPS_MAX ? e : 0;
		looked = 1;
	}
	return env;
}

mica_cap_t mica_env_cap(const char *name)
{
	const struct mica_env *e = mica_env();
	for (unsigned i = 0; e && i < e->count; i++)
		if (strncmp(e->cap[i].name, name, sizeof(e->cap[i].name)) == 0)
			return (mica_cap_t)e->cap[i].sel;
	return 0;
}

int mica_env_has(mica_cap_t sel)
{
	const struct mica_env *e = mica_env();
	return e && sel < MICA_CAP_NAMED && (e->present >> sel) & 1;
}
