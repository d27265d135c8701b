/* The name-space server (include/mica/ns.h, user/services/ns) under the
 * suite's loader server: register, look up by path, unlink, list, the
 * protocol's errors, quotas, revocation, the ROM as a name space, and a
 * hostile client. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/ns.h>
#include <mica_mem.h>
#include <mica_ns.h>
#include <mica_obj.h>
#include <string.h>

#include <ns/ns.h>

#include "ldsrv.h"

/* A name space of alloc at a fresh selector (0 on failure). */
static mica_cap_t new_ns(mica_cap_t alloc)
{
	mica_cap_t ns = ksel();
	mica_mr()[0] = MICA_PROTO_NAMESPACE;
	return mica_call_into(alloc, MICA_FACTORY_CREATE, 1, ns) == MICA_OK ? ns : 0;
}

static mica_cap_t new_gate(void)
{
	mica_cap_t g = ksel();
	return mica_create_gate(KF, g, 0, 0) == MICA_OK ? g : 0;
}

/* A raw request: op, MR0 = n, the bytes, and u words in all. */
static int raw(mica_cap_t ns, mica_word_t op, mica_word_t n, const char *s, unsigned u)
{
	mica_word_t *mr = mica_mr();
	memset(mr, 0, 8ul * (u ? u : 1));
	mr[0] = n;
	if (s && u > 1)
		memcpy(&mr[1], s, strlen(s) < (u - 1) * 8ul ? strlen(s) : (u - 1) * 8ul);
	return mica_error(mica_call(ns, op, u));
}

static int same(mica_cap_t a, mica_cap_t b)
{
	int s = 0;
	return mica_cap_same(KTASK, a, b, &s) == MICA_OK && s;
}

KTEST(ns_register_then_lookup_gives_the_capability)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), g = new_gate(), got = ksel();
	CHECK(ns && g);
	CHECK_OK(mica_ns_register(ns, "echo", g));
	CHECK_OK(mica_ns_lookup(ns, "echo", got));
	CHECK(same(g, got));
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_unknown_name_is_not_found)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc);
	CHECK(ns);
	CHECK_ERR(mica_ns_lookup(ns, "nothing", ksel()), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_ns_unlink(ns, "nothing"), MICA_E_NOT_FOUND);
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_taken_name_is_exists)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), g = new_gate(), got = ksel();
	CHECK_OK(mica_ns_register(ns, "a", g));
	CHECK_ERR(mica_ns_register(ns, "a", new_gate()), MICA_E_EXISTS);
	CHECK_OK(mica_ns_lookup(ns, "a", got));
	CHECK(same(g, got)); /* the first stays */
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_register_without_capability_is_bad_arg)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc);
	CHECK_ERR(raw(ns, MICA_NS_REGISTER, 1, "a", 2), MICA_E_BAD_ARG);
	mica_word_t count;
	char name[MICA_NS_NAME_MAX + 1];
	CHECK_ERR(mica_ns_list(ns, 0, name, &count), MICA_E_NOT_FOUND);
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_bad_names_are_refused)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), g = new_gate();
	CHECK_ERR(mica_ns_register(ns, "", g), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ns_register(ns, "a/b", g), MICA_E_BAD_ARG);
	CHECK_ERR(mica_ns_register(ns, "0123456789abcdef0123456789abcdefX", g), MICA_E_BAD_ARG); /* 33 */
	CHECK_OK(mica_ns_register(ns, "0123456789abcdef0123456789abcde", g));			 /* 31 */
	/* a length past the words sent, and a NUL inside the name */
	CHECK_ERR(raw(ns, MICA_NS_LOOKUP, 30, "abc", 2), MICA_E_BAD_ARG);
	CHECK_ERR(raw(ns, MICA_NS_UNLINK, 5, "ab", 2), MICA_E_BAD_ARG);
	CHECK_ERR(raw(ns, MICA_NS_LOOKUP, 0, 0, 1), MICA_E_BAD_ARG);
	CHECK_ERR(raw(ns, MICA_NS_LOOKUP, 1ul << 40, 0, 1), MICA_E_BAD_ARG);
	CHECK_ERR(raw(ns, MICA_NS_LOOKUP, 1, 0, 0), MICA_E_BAD_TAG);
	CHECK_ERR(raw(ns, 0x77, 1, "a", 2), MICA_E_UNKNOWN_OP);
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_unlink_removes_the_name_and_capability)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), g = new_gate();
	CHECK_OK(mica_ns_register(ns, "x", g));
	CHECK_OK(mica_ns_unlink(ns, "x"));
	CHECK_ERR(mica_ns_lookup(ns, "x", ksel()), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_ns_unlink(ns, "x"), MICA_E_NOT_FOUND);
	CHECK_OK(mica_ns_register(ns, "x", g)); /* the name is free again */
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish()); /* every selector back: the unlinked one too */
}

KTEST(ns_list_in_registration_order)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc);
	static const char *const names[] = { "zeta", "alpha", "mid" };
	for (unsigned i = 0; i < 3; i++)
		CHECK_OK(mica_ns_register(ns, names[i], new_gate()));
	CHECK_OK(mica_ns_unlink(ns, "alpha"));
	CHECK_OK(mica_ns_register(ns, "last", new_gate()));
	static const char *const want[] = { "zeta", "mid", "last" };
	char name[MICA_NS_NAME_MAX + 1];
	mica_word_t count = 0;
	for (unsigned i = 0; i < 3; i++) {
		CHECK_OK(mica_ns_list(ns, i, name, &count));
		CHECK_EQ(count, 3);
		CHECK(!strcmp(name, want[i]));
	}
	CHECK_ERR(mica_ns_list(ns, 3, name, &count), MICA_E_NOT_FOUND);
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_full_name_space_is_no_memory)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), g = new_gate();
	char name[8];
	for (unsigned i = 0; i < MICA_NS_ENTRIES; i++) {
		name[0] = 'n';
		name[1] = (char)('0' + i / 10);
		name[2] = (char)('0' + i % 10);
		name[3] = 0;
		CHECK_OK(mica_ns_register(ns, name, g));
	}
	CHECK_ERR(mica_ns_register(ns, "more", g), MICA_E_NO_MEMORY);
	CHECK_OK(mica_ns_unlink(ns, "n17"));
	CHECK_OK(mica_ns_register(ns, "more", g));
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_path_walks_nested_name_spaces)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t top = new_ns(kldr.alloc), sub = new_ns(kldr.alloc), g = new_gate(), got = ksel();
	CHECK(top && sub);
	CHECK_OK(mica_ns_register(sub, "leaf", g));
	CHECK_OK(mica_ns_register(top, "sub", sub));
	CHECK_OK(mica_ns_lookup(top, "sub/leaf", got));
	CHECK(same(g, got));
	CHECK_OK(mica_ns_lookup(top, "/sub/leaf", got));
	CHECK_ERR(mica_ns_lookup(top, "sub/none", ksel()), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_ns_lookup(top, "none/leaf", ksel()), MICA_E_NOT_FOUND);
	/* a path through something that is no name space (a gate nobody
	 * serves): the walk gives up instead of waiting for ever */
	CHECK_ERR(mica_ns_lookup(top, "sub/leaf/x", ksel()), MICA_E_TIMEOUT);
	CHECK_OK(mica_obj_delete(sub));
	CHECK_OK(mica_obj_delete(top));
	CHECK(kldr_finish());
}

KTEST(ns_rom_is_reachable_as_a_name_space)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), ds = ksel();
	CHECK_OK(mica_ns_register(ns, "rom", kldr.rom_cap));
	CHECK_OK(mica_ns_lookup(ns, "rom/exit0", ds));
	mica_word_t size, flags;
	CHECK_OK(mica_ds_info(ds, &size, &flags));
	CHECK_EQ(size, (kmod_find("exit0")->size + 4095) & ~4095ul);
	CHECK_ERR(mica_ns_lookup(ns, "rom/nothing", ksel()), MICA_E_NOT_FOUND);
	/* and listed by the ROM itself */
	char name[MICA_NS_NAME_MAX + 1];
	mica_word_t count;
	CHECK_OK(mica_ns_list(kldr.rom_cap, 0, name, &count));
	CHECK_EQ(count, kldr.rom.count);
	CHECK(!strcmp(name, kldr.rom.mod[0].name));
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}

KTEST(ns_rights_are_checked)
{
	CHECK(kldr_start(1ul << 20));
	struct ns *o;
	mica_cap_t g = new_gate();
	CHECK_OK(ns_create(&kldr.root, &o));
	mica_cap_t rd = kldr_cap(&o->o, MICA_NS_R_READ), wr = kldr_cap(&o->o, MICA_NS_R_WRITE);
	CHECK(rd && wr);
	CHECK_ERR(mica_ns_register(rd, "a", g), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_ns_register(wr, "a", g));
	CHECK_ERR(mica_ns_lookup(wr, "a", ksel()), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_ns_lookup(rd, "a", ksel()));
	CHECK_ERR(mica_ns_unlink(rd, "a"), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_obj_delete(wr), MICA_E_NO_RIGHTS);
	ns_delete(o);
	CHECK(kldr_finish());
}

KTEST(ns_delete_revokes_and_returns_the_quota)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t sub = ksel();
	CHECK_OK(mica_alloc_sub(kldr.alloc, 64ul << 10, sub));
	mica_cap_t ns = new_ns(sub), g = new_gate(), got = ksel();
	mica_word_t limit, used;
	CHECK_OK(mica_alloc_info(sub, &limit, &used));
	CHECK_EQ(used, MICA_OBJ_COST);
	CHECK_OK(mica_ns_register(ns, "g", g));
	CHECK_OK(mica_ns_lookup(ns, "g", got));
	CHECK_OK(mica_obj_delete(ns));
	CHECK_ERR(mica_ns_lookup(ns, "g", ksel()), MICA_E_INVALID_CAP);
	CHECK_OK(mica_alloc_info(sub, &limit, &used));
	CHECK_EQ(used, 0);
	/* what was looked up stays (derived from the registrant's own) */
	CHECK(same(g, got));
	/* an allocator without room for the object's page */
	mica_cap_t tiny = ksel();
	CHECK_OK(mica_alloc_sub(kldr.alloc, 1024, tiny));
	mica_mr()[0] = MICA_PROTO_NAMESPACE;
	CHECK_ERR(mica_call_into(tiny, MICA_FACTORY_CREATE, 1, ksel()), MICA_E_NO_MEMORY);
	CHECK_OK(mica_obj_delete(tiny));
	CHECK_OK(mica_obj_delete(sub));
	CHECK(kldr_finish());
}

KTEST(ns_goes_with_its_allocator)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t sub = ksel();
	CHECK_OK(mica_alloc_sub(kldr.alloc, 64ul << 10, sub));
	mica_cap_t ns = new_ns(sub);
	CHECK_OK(mica_ns_register(ns, "g", new_gate()));
	CHECK_OK(mica_obj_delete(sub));
	CHECK_ERR(mica_ns_lookup(ns, "g", ksel()), MICA_E_INVALID_CAP);
	CHECK(kldr_finish());
}

/* A hostile client: every opcode with random lengths, words, items
 * (its own gate, the name space itself, the ROM, nothing) and word
 * counts; afterwards the name space still answers as before and
 * everything goes back exactly. */
KTEST(ns_hostile_client)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ns = new_ns(kldr.alloc), g = new_gate(), got = ksel();
	CHECK_OK(mica_ns_register(ns, "keep", g));
	uint64_t x = 0x9e3779b97f4a7c15ull;
	static const mica_word_t ops[] = {
		MICA_NS_LOOKUP, MICA_NS_REGISTER, MICA_NS_UNLINK, MICA_NS_LIST, 0, 99
	};
	const mica_cap_t items[] = { 0, g, ns, kldr.rom_cap, KF };
	for (unsigned i = 0; i < 3000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		mica_word_t *mr = mica_mr();
		unsigned u = (unsigned)(x % 8);
		for (unsigned k = 0; k < 8; k++)
			mr[k] = (x >> (k * 5)) & ((k == 0) ? 0x3f : 0x7f7f7f7f7f7f7f7full);
		if ((x >> 40) % 4 == 0)
			mr[0] = x; /* huge lengths and indices */
		mica_cap_t item = items[(x >> 20) % 5];
		unsigned t = 0;
		if (item) {
			mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
			mr[u + 1] = mica_fpage_obj(item, 0, MICA_RIGHTS_ALL);
			t = 2;
		}
		mica_msgtag_t r =
			mica_ipc(ns, mica_msgtag(ops[(x >> 30) % 6], u, t, 0), MICA_IPC_CALL, 0, 0, 0);
		(void)r;
		/* unlink whatever got registered, but "keep" */
		if (i % 64 == 63) {
			char name[MICA_NS_NAME_MAX + 1];
			mica_word_t count;
			while (mica_ns_list(ns, 1, name, &count) == MICA_OK)
				CHECK_OK(mica_ns_unlink(ns, name));
		}
	}
	char name[MICA_NS_NAME_MAX + 1];
	mica_word_t count;
	while (mica_ns_list(ns, 1, name, &count) == MICA_OK)
		CHECK_OK(mica_ns_unlink(ns, name));
	CHECK_OK(mica_ns_list(ns, 0, name, &count));
	CHECK_EQ(count, 1);
	CHECK_OK(mica_ns_lookup(ns, "keep", got));
	CHECK(same(g, got));
	CHECK_OK(mica_obj_delete(ns));
	CHECK(kldr_finish());
}
