/* The ROM object (include/mica/rom.h): boot modules by name, each a
 * fixed, read-only dataspace over its image, and its arguments. */
#include <mica/dataspace.h>
#include <mica/fpage.h>
#include <mica/gate.h>
#include <mica_sigma0.h>
#include <progname.h>
#include <mica/ns.h>
#include <string.h>

#include "rom.h"

/* "rom/hello" is "hello": the path an L4Re user writes, the name
 * space's own name first. Returns the name's length without it. */
static size_t strip_prefix(const char **name, size_t n)
{
	if (n > MICA_ROM_PREFIX_LEN && memcmp(*name, MICA_ROM_PREFIX, MICA_ROM_PREFIX_LEN) == 0) {
		*name += MICA_ROM_PREFIX_LEN;
		n -= MICA_ROM_PREFIX_LEN;
	}
	return n;
}

const struct rom_module *rom_find(const struct rom *r, const char *name, size_t n)
{
	n = strip_prefix(&name, n);
	if (n == 0 || n > MICA_ROM_NAME_MAX)
		return 0;
	for (unsigned i = 0; i < r->count; i++)
		if (strlen(r->mod[i].name) == n && memcmp(r->mod[i].name, name, n) == 0)
			return &r->mod[i];
	return 0;
}

int rom_add(struct rom *r, const char *cmdline, mica_word_t addr, mica_word_t size)
{
	struct rom_module *m = &r->mod[r->count];
	if (r->count == ROM_MODULES_MAX)
		return MICA_E_NO_MEMORY;
	if (addr % MEM_PAGE || !size)
		return MICA_E_BAD_ARG;
	progname(cmdline, m->name, sizeof(m->name));
	if (!m->name[0])
		return MICA_E_BAD_ARG;
	const char *a = cmdline;
	while (*a && *a != ' ')
		a++;
	while (*a == ' ')
		a++;
	size_t n = strlen(a);
	if (n > MICA_ROM_ARGS_MAX)
		n = MICA_ROM_ARGS_MAX;
	memcpy(m->args, a, n);
	m->args[n] = 0;
	m->addr = addr;
	m->size = size;
	int e = mem_ds_create_fixed(r->m->root, addr, (size + MEM_PAGE - 1) & ~(MEM_PAGE - 1), &m->ds);
	if (e != MICA_OK)
		return e;
	r->count++;
	return MICA_OK;
}

int rom_map_module(mica_cap_t sigma0, mica_word_t pa, mica_word_t size, mica_word_t window, mica_word_t *addr)
{
	int e = mica_sigma0_map_phys(sigma0, MICA_SIGMA0_MEM, pa, size, window + pa,
				     MICA_FPAGE_R | MICA_FPAGE_X);
	*addr = window + pa;
	return e;
}

/* The module a request names (MR0 = length, MR1.. = bytes). */
static int named(struct mica_srv_req *r, const struct rom_module **out)
{
	mica_word_t n = r->in[0];
	const char *name = (const char *)&r->in[1];
	if (n > (mica_word_t)(r->n - 1) * sizeof(mica_word_t))
		return MICA_E_BAD_ARG;
	n = strip_prefix(&name, n);
	if (n == 0 || n > MICA_ROM_NAME_MAX)
		return MICA_E_BAD_ARG;
	*out = rom_find((const struct rom *)r->obj, name, n);
	return *out ? MICA_OK : MICA_E_NOT_FOUND;
}

/* Appends n bytes to the answer, 8 per word. */
static void ret_bytes(struct mica_srv_req *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i += sizeof(mica_word_t)) {
		mica_word_t w = 0;
		memcpy(&w, s + i, n - i < sizeof(w) ? n - i : sizeof(w));
		mica_srv_ret(r, w);
	}
}

static int query(struct mica_srv_req *r)
{
	const struct rom_module *m;
	mica_cap_t c;
	int e = named(r, &m);
	if (e != MICA_OK || (e = mica_srv_cap(r->srv, mem_ds_obj(m->ds), MICA_DS_R_READ, &c)) != MICA_OK)
		return e;
	mica_srv_ret(r, m->size);
	mica_srv_ret_cap(r, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

static int args(struct mica_srv_req *r)
{
	const struct rom_module *m;
	int e = named(r, &m);
	if (e != MICA_OK)
		return e;
	size_t n = strlen(m->args);
	mica_srv_ret(r, n);
	ret_bytes(r, m->args, n);
	return MICA_OK;
}

/* Entry in[0] of the ROM's list: the count, the size if with_size, and
 * the name (both LISTs). */
static int list_entry(struct mica_srv_req *r, bool with_size)
{
	const struct rom *rom = (const struct rom *)r->obj;
	if (r->in[0] >= rom->count)
		return MICA_E_NOT_FOUND;
	const struct rom_module *m = &rom->mod[r->in[0]];
	size_t n = strlen(m->name);
	mica_srv_ret(r, rom->count);
	if (with_size)
		mica_srv_ret(r, m->size);
	mica_srv_ret(r, n);
	ret_bytes(r, m->name, n);
	return MICA_OK;
}

static int list(struct mica_srv_req *r)
{
	return list_entry(r, true);
}

/* The name-space protocol's LOOKUP (mica/ns.h): a module by name, with
 * the whole name used. */
static int ns_lookup(struct mica_srv_req *r)
{
	const struct rom_module *m;
	mica_cap_t c;
	int e = named(r, &m);
	if (e != MICA_OK || (e = mica_srv_cap(r->srv, mem_ds_obj(m->ds), MICA_DS_R_READ, &c)) != MICA_OK)
		return e;
	mica_srv_ret(r, r->in[0]);
	mica_srv_ret(r, MICA_DS_R_READ);
	mica_srv_ret_cap(r, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

/* ... and its LIST: the modules' names. */
static int ns_list(struct mica_srv_req *r)
{
	return list_entry(r, false);
}

static const struct mica_srv_method rom_methods[] = {
	{ MICA_NS_LOOKUP, 1, MICA_ROM_R_READ, ns_lookup }, { MICA_NS_LIST, 1, MICA_ROM_R_READ, ns_list },
	{ MICA_ROM_QUERY, 1, MICA_ROM_R_READ, query },	   { MICA_ROM_ARGS, 1, MICA_ROM_R_READ, args },
	{ MICA_ROM_LIST, 1, MICA_ROM_R_READ, list },
};

static const struct mica_srv_type rom_type = { "rom", rom_methods,
					       sizeof(rom_methods) / sizeof(rom_methods[0]), 0 };

int rom_init(struct rom *r, struct mem *m)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	return mica_srv_add(m->srv, &r->o, &rom_type);
}

void rom_fini(struct rom *r)
{
	for (unsigned i = 0; i < r->count; i++)
		mem_ds_delete(r->mod[i].ds);
	r->count = 0;
	mica_srv_remove(r->m->srv, &r->o);
}
