/* The name-space client calls of mica_ns.h: one request per name space
 * on a path. */
#include <mica/env.h>
#include <mica_clock.h>
#include <mica_env.h>
#include <mica_ns.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <string.h>

/* n bytes of s into MR[first..], 8 per word: the words used. */
static unsigned pack(unsigned first, const char *s, size_t n)
{
	mica_word_t *mr = mica_mr();
	unsigned words = (unsigned)((n + 7) / 8);
	for (unsigned i = 0; i < words; i++)
		mr[first + i] = 0;
	memcpy(&mr[first], s, n);
	return words;
}

/* Every hop of a path after the first may name something that is no
 * name space (a gate nobody serves): it gets this long to answer. */
#define HOP_TIMEOUT_NS 1000000000ul

static int call(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t cap, mica_cap_t dst)
{
	return mica_call_items(obj, op, u, cap, dst, 0);
}

static int named(mica_cap_t ns, mica_word_t op, const char *name, mica_cap_t cap)
{
	size_t n = strlen(name);
	if (n > MICA_NS_PATH_MAX)
		return MICA_E_BAD_ARG;
	mica_mr()[0] = n;
	return call(ns, op, 1 + pack(1, name, n), cap, 0);
}

int mica_ns_register(mica_cap_t ns, const char *name, mica_cap_t cap)
{
	return named(ns, MICA_NS_REGISTER, name, cap);
}

int mica_ns_unlink(mica_cap_t ns, const char *name)
{
	return named(ns, MICA_NS_UNLINK, name, 0);
}

int mica_ns_list(mica_cap_t ns, mica_word_t i, char *buf, mica_word_t *count)
{
	mica_mr()[0] = i;
	int e = call(ns, MICA_NS_LIST, 1, 0, 0);
	if (e != MICA_OK)
		return e;
	mica_word_t n = mica_mr()[1];
	if (n > MICA_NS_NAME_MAX)
		return MICA_E_BAD_ARG;
	*count = mica_mr()[0];
	memcpy(buf, &mica_mr()[2], n);
	buf[n] = 0;
	return MICA_OK;
}

int mica_ns_lookup(mica_cap_t ns, const char *path, mica_cap_t dst)
{
	size_t n = strlen(path);
	while (n && *path == '/')
		path++, n--;
	if (!n)
		return MICA_E_BAD_ARG;
	/* Each step's capability lands at dst, which the next step invokes. */
	for (mica_cap_t at = ns; n;) {
		if (n > MICA_NS_PATH_MAX)
			return MICA_E_BAD_ARG;
		mica_mr()[0] = n;
		uint32_t hop = at == ns ? MICA_TIMEOUT_NEVER : mica_timeout_ns(HOP_TIMEOUT_NS);
		int e = mica_call_items(at, MICA_NS_LOOKUP, 1 + pack(1, path, n), 0, dst,
					MICA_TIMEOUTS(hop, hop));
		if (e != MICA_OK)
			return e;
		mica_word_t used = mica_mr()[0];
		if (used == 0 || used > n)
			return MICA_E_BAD_ARG;
		path += used;
		n -= used;
		at = dst;
	}
	return MICA_OK;
}

int mica_env_lookup(const char *path, mica_cap_t dst)
{
	char first[MICA_ENV_NAME_MAX + 1];
	size_t k = 0;
	while (path[k] && path[k] != '/')
		k++;
	if (!k || k > MICA_ENV_NAME_MAX)
		return MICA_E_BAD_ARG;
	memcpy(first, path, k);
	first[k] = 0;
	mica_cap_t c = mica_env_cap(first);
	if (!c && strcmp(first, "rom") == 0 && mica_env_has(MICA_CAP_ROM))
		c = MICA_CAP_ROM;
	if (!c)
		return MICA_E_NOT_FOUND;
	if (!path[k] || !path[k + 1])
		return mica_cap_copy(MICA_CAP_TASK, c, dst, MICA_RIGHTS_ALL, 0);
	return mica_ns_lookup(c, path + k + 1, dst);
}
