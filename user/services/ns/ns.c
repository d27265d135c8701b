/* The name-space server: registering, looking up, unlinking and listing
 * capabilities by name (mica/ns.h, docs/protocols.md §10). */
#include <mica/factory.h>
#include <mica/gate.h>
#include <mica_obj.h>
#include <stddef.h>
#include <string.h>

#include "ns.h"

static const struct mica_srv_type ns_type;

/* A name from n bytes at in (up to a '/' if path): its length, or 0 if
 * empty, too long or holding a NUL. */
static size_t name_len(const char *in, size_t n, int path)
{
	size_t i = 0;
	while (i < n && !(path && in[i] == '/')) {
		if (in[i] == 0 || (!path && in[i] == '/'))
			return 0;
		i++;
	}
	return i <= MICA_NS_NAME_MAX ? i : 0;
}

static struct ns_entry *find(struct ns *ns, const char *name, size_t n)
{
	for (unsigned i = 0; i < MICA_NS_ENTRIES; i++)
		if (ns->e[i].name[0] && strlen(ns->e[i].name) == n && !memcmp(ns->e[i].name, name, n))
			return &ns->e[i];
	return 0;
}

static void drop(struct ns *ns, struct ns_entry *e)
{
	mica_cap_delete(MICA_CAP_TASK, e->sel);
	mica_srv_sel_free(ns->owner->m->srv, e->sel);
	memset(e, 0, sizeof(*e));
	ns->count--;
}

int ns_register(struct ns *ns, const char *name, size_t n, mica_cap_t sel, mica_word_t rights)
{
	if (!n || n > MICA_NS_NAME_MAX || name_len(name, n, 0) != n)
		return MICA_E_BAD_ARG;
	if (find(ns, name, n))
		return MICA_E_EXISTS;
	for (unsigned i = 0; i < MICA_NS_ENTRIES; i++) {
		struct ns_entry *e = &ns->e[i];
		if (e->name[0])
			continue;
		memcpy(e->name, name, n);
		e->name[n] = 0;
		e->sel = sel;
		e->rights = rights;
		e->seq = ++ns->seq;
		ns->count++;
		return MICA_OK;
	}
	return MICA_E_NO_MEMORY;
}

void ns_delete(struct ns *ns)
{
	mica_srv_remove(ns->owner->m->srv, &ns->o);
	mem_disown(&ns->own);
	for (unsigned i = 0; i < MICA_NS_ENTRIES; i++)
		if (ns->e[i].name[0])
			drop(ns, &ns->e[i]);
	mem_obj_free(ns->owner, ns);
}

static void destroy_owned(struct mem_owned *w)
{
	ns_delete((struct ns *)((char *)w - offsetof(struct ns, own)));
}

int ns_create(struct mem_alloc *a, struct ns **out)
{
	void *page;
	int e = mem_obj_new(a, &page);
	if (e != MICA_OK)
		return e;
	struct ns *ns = page;
	if ((e = mica_srv_add(a->m->srv, &ns->o, &ns_type)) != MICA_OK) {
		mem_obj_free(a, page);
		return e;
	}
	ns->owner = a;
	ns->seq = 0;
	ns->count = 0;
	memset(ns->e, 0, sizeof(ns->e));
	mem_own(a, &ns->own, destroy_owned);
	*out = ns;
	return MICA_OK;
}

/* The request's MR0 = n bytes from MR1 as a string of at most max: its
 * start, or 0 if n is 0, above max or past the words sent. */
static const char *bytes(const struct mica_srv_req *r, size_t max, size_t *n)
{
	*n = r->in[0];
	if (*n == 0 || *n > max || *n > (mica_word_t)(r->n - 1) * sizeof(mica_word_t))
		return 0;
	return (const char *)&r->in[1];
}

static int m_lookup(struct mica_srv_req *r)
{
	struct ns *ns = (struct ns *)r->obj;
	size_t n, k;
	const char *path = bytes(r, MICA_NS_PATH_MAX, &n);
	if (!path || !(k = name_len(path, n, 1)))
		return MICA_E_BAD_ARG;
	struct ns_entry *e = find(ns, path, k);
	if (!e)
		return MICA_E_NOT_FOUND;
	mica_srv_ret(r, k < n ? k + 1 : k);
	mica_srv_ret(r, e->rights);
	mica_srv_ret_cap(r, e->sel, MICA_RIGHTS_ALL, MICA_ITEM_MAP);
	return MICA_OK;
}

static int m_register(struct mica_srv_req *r)
{
	struct ns *ns = (struct ns *)r->obj;
	size_t n;
	const char *name = bytes(r, MICA_NS_NAME_MAX, &n);
	mica_word_t type, rights = 0;
	if (!name || (!r->rcv && !r->local) || name_len(name, n, 0) != n)
		return MICA_E_BAD_ARG;
	if (find(ns, name, n))
		return MICA_E_EXISTS;
	if (ns->count == MICA_NS_ENTRIES)
		return MICA_E_NO_MEMORY;
	mica_cap_t sel;
	if (r->rcv) {
		mica_cap_info(MICA_CAP_TASK, r->rcv, &type, &rights);
		/* Ours from now on; a window of its own for the next request. */
		sel = mica_srv_take_cap(r);
	} else {
		/* An object of this server (its local id): a copy of its minted
		 * capability with the sender's rights, revoked with it. */
		mica_cap_t minted;
		int e = mica_srv_cap(r->srv, r->local, r->local_rights, &minted);
		if (e != MICA_OK)
			return e;
		if (!(sel = mica_srv_sel_alloc(r->srv)))
			return MICA_E_NO_MEMORY;
		if ((e = mica_cap_copy(MICA_CAP_TASK, minted, sel, MICA_RIGHTS_ALL, 0)) != MICA_OK) {
			mica_srv_sel_free(r->srv, sel);
			return e;
		}
		rights = r->local_rights;
	}
	return ns_register(ns, name, n, sel, rights);
}

static int m_unlink(struct mica_srv_req *r)
{
	struct ns *ns = (struct ns *)r->obj;
	size_t n;
	const char *name = bytes(r, MICA_NS_NAME_MAX, &n);
	if (!name || name_len(name, n, 0) != n)
		return MICA_E_BAD_ARG;
	struct ns_entry *e = find(ns, name, n);
	if (!e)
		return MICA_E_NOT_FOUND;
	drop(ns, e);
	return MICA_OK;
}

static int m_list(struct mica_srv_req *r)
{
	struct ns *ns = (struct ns *)r->obj;
	mica_word_t want = r->in[0];
	if (want >= ns->count)
		return MICA_E_NOT_FOUND;
	/* The want-th by registration order: the entry with exactly want
	 * older ones (a table of 48, no state kept between calls). */
	for (unsigned i = 0; i < MICA_NS_ENTRIES; i++) {
		if (!ns->e[i].name[0])
			continue;
		mica_word_t older = 0;
		for (unsigned j = 0; j < MICA_NS_ENTRIES; j++)
			older += ns->e[j].name[0] && ns->e[j].seq < ns->e[i].seq;
		if (older != want)
			continue;
		size_t n = strlen(ns->e[i].name);
		mica_srv_ret(r, ns->count);
		mica_srv_ret(r, n);
		for (size_t k = 0; k < n; k += 8) {
			mica_word_t w = 0;
			memcpy(&w, ns->e[i].name + k, n - k < 8 ? n - k : 8);
			mica_srv_ret(r, w);
		}
		return MICA_OK;
	}
	return MICA_E_NOT_FOUND;
}

static int m_delete(struct mica_srv_req *r)
{
	ns_delete((struct ns *)r->obj);
	return MICA_OK;
}

static const struct mica_srv_method ns_methods[] = {
	{ MICA_NS_LOOKUP, 1, MICA_NS_R_READ, m_lookup },
	{ MICA_NS_REGISTER, 1, MICA_NS_R_WRITE, m_register },
	{ MICA_NS_UNLINK, 1, MICA_NS_R_WRITE, m_unlink },
	{ MICA_NS_LIST, 1, MICA_NS_R_READ, m_list },
	{ MICA_OBJ_DELETE, 0, MICA_NS_R_CONTROL, m_delete },
};

static const struct mica_srv_type ns_type = { "namespace", ns_methods,
					      sizeof(ns_methods) / sizeof(ns_methods[0]), 0 };

/* CREATE of MICA_PROTO_NAMESPACE: no words beyond the type. */
static int create_ns(struct mem_alloc *a, struct mica_srv_req *r)
{
	struct ns *ns;
	mica_cap_t sel;
	int e = ns_create(a, &ns);
	if (e != MICA_OK)
		return e;
	if ((e = mica_srv_cap(r->srv, &ns->o, MICA_SRV_RIGHTS, &sel)) != MICA_OK) {
		ns_delete(ns);
		return e;
	}
	mica_srv_ret_cap(r, sel, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

void ns_setup(struct mem *m)
{
	m->create_ns = create_ns;
}
