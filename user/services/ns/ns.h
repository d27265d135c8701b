/* The name-space server (mica/ns.h) for the memory server's loop: name
 * spaces made by allocators (MICA_PROTO_NAMESPACE), each a page of names
 * and the capabilities registered under them. */
#pragma once

#include <mem/mem.h>
#include <mica/factory.h>
#include <mica/ns.h>

struct ns_entry {
	char name[MICA_NS_NAME_MAX + 1]; /* "" : free */
	mica_cap_t sel;			 /* the registered capability, a server selector */
	mica_word_t rights;		 /* the object rights it arrived with */
	uint64_t seq;			 /* registration order, for LIST */
};

struct ns {
	struct mica_srv_obj o; /* first */
	struct mem_owned own;  /* it goes with its allocator */
	struct mem_alloc *owner;
	uint64_t seq;
	unsigned count;
	struct ns_entry e[MICA_NS_ENTRIES];
};

_Static_assert(sizeof(struct ns) <= MICA_OBJ_COST, "a name space fits its page");

/* Lets m's allocators make name spaces. */
void ns_setup(struct mem *m);
/* A name space of a (MICA_OK and *out), for the server's owner. */
int ns_create(struct mem_alloc *a, struct ns **out);
/* Registers sel (a server selector the name space keeps) under name. */
int ns_register(struct ns *ns, const char *name, size_t n, mica_cap_t sel, mica_word_t rights);
void ns_delete(struct ns *ns);
