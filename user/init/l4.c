/* The L4 package of init's scripts (docs/init.md): capabilities as Lua
 * values with rights reduction and labels, factories (kernel and
 * user-level: one CREATE), name spaces, L4.Env and L4.Proto. */
#include <lauxlib.h>
#include <mica/factory.h>
#include <mica/ns.h>
#include <mica_clock.h>
#include <mica_env.h>
#include <mica_mem.h>
#include <mica_ns.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdio.h>
#include <string.h>

#include "init.h"

/* ---- selectors ---- */

#define SEL_BASE 0x1000u
#define SEL_COUNT 8192u
static uint64_t sel_used[SEL_COUNT / 64];

mica_cap_t l4_sel_alloc(void)
{
	for (unsigned w = 0; w < SEL_COUNT / 64; w++)
		if (~sel_used[w]) {
			unsigned b = (unsigned)__builtin_ctzll(~sel_used[w]);
			sel_used[w] |= 1ull << b;
			return SEL_BASE + w * 64 + b;
		}
	return 0;
}

void l4_sel_free(mica_cap_t sel)
{
	if (sel < SEL_BASE || sel >= SEL_BASE + SEL_COUNT)
		return;
	mica_cap_delete(MICA_CAP_TASK, sel);
	sel -= SEL_BASE;
	sel_used[sel / 64] &= ~(1ull << (sel % 64));
}

/* ---- errors ---- */

const char *l4_error_name(int e)
{
	static const char *const names[] = { "OK",	  "INVALID_CAP",     "WRONG_TYPE", "NO_RIGHTS",
					     "BAD_TAG",	  "BAD_ARG",	     "UNKNOWN_OP", "NO_MEMORY",
					     "TIMEOUT",	  "CANCELED",	     "ABORTED",	   "NO_PARTNER",
					     "OVERFLOW",  "NOT_IMPLEMENTED", "EXISTS",	   "BUSY",
					     "NOT_FOUND", "NOT_SCHEDULED" };
	return e >= 0 && (unsigned)e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

int l4_fail(lua_State *L, const char *what, int e)
{
	return luaL_error(L, "%s: error %s (%d)", what, l4_error_name(e), e);
}

/* ---- capabilities ---- */

struct l4_cap *l4_push_cap(lua_State *L, mica_cap_t sel, int owned)
{
	struct l4_cap *c = lua_newuserdatauv(L, sizeof(*c), 0);
	mica_word_t type = 0, rights = 0;
	mica_cap_info(MICA_CAP_TASK, sel, &type, &rights);
	c->sel = sel;
	c->type = (unsigned)type;
	c->rights = (unsigned)rights;
	c->owned = owned;
	c->channel = 0;
	luaL_setmetatable(L, L4_CAP);
	return c;
}

struct l4_cap *l4_check_cap(lua_State *L, int i)
{
	return luaL_checkudata(L, i, L4_CAP);
}

/* A fresh selector, or a Lua error. */
static mica_cap_t new_sel(lua_State *L)
{
	mica_cap_t s = l4_sel_alloc();
	if (!s)
		luaL_error(L, "init has no free capability selectors");
	return s;
}

/* A copy of c with rights mask and label: the new value on the stack. */
static int derive(lua_State *L, struct l4_cap *c, unsigned mask, mica_word_t label)
{
	mica_cap_t s = new_sel(L);
	int e = mica_cap_copy(MICA_CAP_TASK, c->sel, s, mask, label);
	if (e != MICA_OK) {
		l4_sel_free(s);
		return l4_fail(L, "capability copy", e);
	}
	l4_push_cap(L, s, 1)->channel = c->channel;
	return 1;
}

/* The timeout of a call to a user-level server, in ms (L4.timeout). */
static uint32_t call_timeout(lua_State *L)
{
	lua_getglobal(L, "L4");
	lua_getfield(L, -1, "timeout");
	lua_Integer ms = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 5000;
	lua_pop(L, 2);
	return ms <= 0 ? MICA_TIMEOUT_NEVER : mica_timeout_ns((uint64_t)ms * 1000000u);
}

/* A call to a server (bounded by L4.timeout) with u words in MR0.. whose
 * answer's object item lands at s: MICA_OK only if one did. */
static int call_for_cap(lua_State *L, mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t s)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_obj(s, 0, MICA_RIGHTS_ALL);
	uint32_t to = call_timeout(L);
	int e = mica_error(
		mica_ipc(obj, mica_msgtag(op, u, 0, 0), MICA_IPC_CALL, 0, MICA_TIMEOUTS(to, to), 0));
	*br = saved;
	mica_word_t type = 0, rights = 0;
	if (e == MICA_OK && (mica_cap_info(MICA_CAP_TASK, s, &type, &rights) != MICA_OK || !type))
		e = MICA_E_BAD_ARG; /* the server answered without an object */
	return e;
}

/* A server's object with only the object rights in mask: minted by its
 * server (MICA_OBJ_REDUCE), the new value on the stack. */
static int reduce_served(lua_State *L, struct l4_cap *c, unsigned mask)
{
	mica_cap_t s = new_sel(L);
	mica_mr()[0] = mask;
	int e = call_for_cap(L, c->sel, MICA_OBJ_REDUCE, 1, s);
	if (e != MICA_OK) {
		l4_sel_free(s);
		return l4_fail(L, "cap:m", e);
	}
	l4_push_cap(L, s, 1);
	return 1;
}

/* cap:m("rws"): a copy with only the rights the letters name. A channel
 * (new_channel): r and w are SEND and MAP (a client), s RECV (the
 * server). A server's object: r READ, w WRITE, c (x, d) CONTROL, minted
 * by its server. Another kernel object: r, w, x rights bits 0, 1, 2. */
static int cap_m(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	const char *spec = luaL_checkstring(L, 2);
	int served = c->type == MICA_OBJ_GATE && !c->channel;
	unsigned mask = 0;
	for (const char *p = spec; *p; p++) {
		switch (*p) {
		case 'r':
		case 'w':
			mask |= c->channel ? MICA_GATE_R_SEND | MICA_GATE_R_MAP : (*p == 'r' ? 1u : 2u);
			break;
		case 's':
			mask |= c->channel ? MICA_GATE_R_RECV : 0;
			break;
		case 'x':
		case 'd':
		case 'c':
			mask |= 4u;
			break;
		default:
			return luaL_error(L, "cap:m: unknown right '%c' in \"%s\"", *p, spec);
		}
	}
	return served ? reduce_served(L, c, mask) : derive(L, c, mask, 0);
}

/* cap:full() and cap:svr(): the capability with every right it has. */
static int cap_full(lua_State *L)
{
	l4_check_cap(L, 1);
	lua_settop(L, 1);
	return 1;
}

/* cap:label(n): a copy of an unlabeled gate capability carrying label n,
 * which only the receiver of a message through it sees. */
static int cap_label(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n <= 0)
		return luaL_error(L, "cap:label: a label is a positive number");
	return derive(L, c, MICA_RIGHTS_ALL, (mica_word_t)n);
}

static const char *type_name(unsigned t)
{
	static const char *const n[] = { "none", "task", "thread", "gate",	"factory",
					 "vcon", "irq",	 "icu",	   "scheduler", "kdebug" };
	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

/* cap:info() -> type name, rights bits, selector. */
static int cap_info(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	mica_word_t type = 0, rights = 0;
	mica_cap_info(MICA_CAP_TASK, c->sel, &type, &rights);
	lua_pushstring(L, type_name((unsigned)type));
	lua_pushinteger(L, (lua_Integer)rights);
	lua_pushinteger(L, (lua_Integer)c->sel);
	return 3;
}

static int cap_tostring(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	lua_pushfstring(L, "cap(%s, rights %d, sel %d)", type_name(c->type), (int)c->rights, (int)c->sel);
	return 1;
}

static int cap_gc(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	if (c->owned && c->sel)
		l4_sel_free(c->sel);
	c->sel = 0;
	return 0;
}

/* cap:create(proto, ...): a kernel factory's (L4.Proto.Factory: quota
 * bytes; Gate, Irq, ...) or a server's factory protocol (numbers as
 * words, a string as its length and bytes), bounded by L4.timeout. */
static int cap_create(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	lua_Integer proto = luaL_checkinteger(L, 2);
	int top = lua_gettop(L), e;
	mica_cap_t s = new_sel(L);
	if (c->type == MICA_OBJ_FACTORY) {
		mica_word_t a0 = top >= 3 ? (mica_word_t)luaL_checkinteger(L, 3) : 0;
		mica_word_t a1 = top >= 4 ? (mica_word_t)luaL_checkinteger(L, 4) : 0;
		e = mica_factory_create(c->sel, (enum mica_obj_type)proto, s, a0, a1);
	} else {
		mica_word_t w[MICA_MSG_WORDS_MAX];
		unsigned u = 0;
		w[u++] = (mica_word_t)proto;
		for (int i = 3; i <= top; i++) {
			if (lua_type(L, i) == LUA_TSTRING) {
				size_t n;
				const char *str = lua_tolstring(L, i, &n);
				if (u + 1 + (n + 7) / 8 > 32)
					return luaL_error(L, "create: arguments too long");
				w[u++] = n;
				memset(&w[u], 0, (n + 7) / 8 * 8);
				memcpy(&w[u], str, n);
				u += (unsigned)((n + 7) / 8);
			} else if (u < 32) {
				w[u++] = (mica_word_t)luaL_checkinteger(L, i);
			}
		}
		memcpy(mica_mr(), w, u * sizeof(mica_word_t));
		e = call_for_cap(L, c->sel, MICA_FACTORY_CREATE, u, s);
	}
	if (e != MICA_OK) {
		l4_sel_free(s);
		return l4_fail(L, "create", e);
	}
	l4_push_cap(L, s, 1);
	return 1;
}

/* cap:quota() -> limit, bytes in use: a kernel factory's or a memory
 * allocator's. */
static int cap_quota(lua_State *L)
{
	struct l4_cap *c = l4_check_cap(L, 1);
	mica_word_t limit = 0, used = 0;
	int e = c->type == MICA_OBJ_FACTORY ? mica_factory_info(c->sel, &limit, &used)
					    : mica_alloc_info(c->sel, &limit, &used);
	if (e != MICA_OK)
		return l4_fail(L, "quota", e);
	lua_pushinteger(L, (lua_Integer)limit);
	lua_pushinteger(L, (lua_Integer)used);
	return 2;
}

/* cap:delete(): a user-level object's MICA_OBJ_DELETE. */
static int cap_delete(lua_State *L)
{
	int e = mica_obj_delete(l4_check_cap(L, 1)->sel);
	if (e != MICA_OK)
		return l4_fail(L, "delete", e);
	return 0;
}

/* ns:register(name, cap), ns:unlink(name), ns:lookup(path), ns:list(). */
static int ns_register(lua_State *L)
{
	struct l4_cap *ns = l4_check_cap(L, 1);
	const char *name = luaL_checkstring(L, 2);
	int e = mica_ns_register(ns->sel, name, l4_check_cap(L, 3)->sel);
	if (e != MICA_OK)
		return l4_fail(L, lua_pushfstring(L, "register '%s'", name), e);
	return 0;
}

static int ns_unlink(lua_State *L)
{
	const char *name = luaL_checkstring(L, 2);
	int e = mica_ns_unlink(l4_check_cap(L, 1)->sel, name);
	if (e != MICA_OK)
		return l4_fail(L, lua_pushfstring(L, "unlink '%s'", name), e);
	return 0;
}

static int push_lookup(lua_State *L, int e, mica_cap_t s, const char *path)
{
	if (e != MICA_OK) {
		l4_sel_free(s);
		return l4_fail(L, lua_pushfstring(L, "lookup '%s'", path), e);
	}
	l4_push_cap(L, s, 1);
	return 1;
}

static int ns_lookup(lua_State *L)
{
	struct l4_cap *ns = l4_check_cap(L, 1);
	const char *path = luaL_checkstring(L, 2);
	mica_cap_t s = new_sel(L);
	return push_lookup(L, mica_ns_lookup(ns->sel, path, s), s, path);
}

static int ns_list(lua_State *L)
{
	struct l4_cap *ns = l4_check_cap(L, 1);
	char name[MICA_NS_NAME_MAX + 1];
	mica_word_t count = 0;
	lua_newtable(L);
	for (mica_word_t i = 0; i < MICA_NS_ENTRIES + 256; i++) {
		int e = mica_ns_list(ns->sel, i, name, &count);
		if (e == MICA_E_NOT_FOUND)
			break;
		if (e != MICA_OK)
			return l4_fail(L, "list", e);
		lua_pushstring(L, name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* L4.lookup("name/path"): from init's own environment. */
static int l4_lookup(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	mica_cap_t s = new_sel(L);
	return push_lookup(L, mica_env_lookup(path, s), s, path);
}

static int l4_cycles(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)mica_rdtsc());
	return 1;
}

static int l4_errname(lua_State *L)
{
	lua_pushstring(L, l4_error_name((int)luaL_checkinteger(L, 1)));
	return 1;
}

static const luaL_Reg cap_methods[] = { { "m", cap_m },
					{ "full", cap_full },
					{ "svr", cap_full },
					{ "label", cap_label },
					{ "info", cap_info },
					{ "create", cap_create },
					{ "delete", cap_delete },
					{ "quota", cap_quota },
					{ "register", ns_register },
					{ "unlink", ns_unlink },
					{ "lookup", ns_lookup },
					{ "query", ns_lookup },
					{ "list", ns_list },
					{ 0, 0 } };

/* L4.Env: init's own capabilities, fixed and named. */
static void push_env(lua_State *L)
{
	static const struct {
		const char *name;
		mica_cap_t sel;
	} fixed[] = { { "task", MICA_CAP_TASK },
		      { "factory", MICA_CAP_FACTORY },
		      { "vcon", MICA_CAP_VCON },
		      { "icu", MICA_CAP_ICU },
		      { "scheduler", MICA_CAP_SCHEDULER },
		      { "mem", MICA_CAP_MEM },
		      { "log", MICA_CAP_LOG },
		      { "rom", MICA_CAP_ROM },
		      { "loader", MICA_CAP_LOADER } };
	lua_newtable(L);
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		mica_word_t type = 0, rights;
		if (mica_cap_info(MICA_CAP_TASK, fixed[i].sel, &type, &rights) != MICA_OK || !type)
			continue;
		l4_push_cap(L, fixed[i].sel, 0);
		lua_setfield(L, -2, fixed[i].name);
	}
	const struct mica_env *env = mica_env();
	for (unsigned i = 0; env && i < env->count; i++) {
		l4_push_cap(L, (mica_cap_t)env->cap[i].sel, 0);
		lua_setfield(L, -2, env->cap[i].name);
	}
}

static void push_protos(lua_State *L)
{
	static const struct {
		const char *name;
		lua_Integer v;
	} p[] = { { "Task", MICA_OBJ_TASK },
		  { "Thread", MICA_OBJ_THREAD },
		  { "Gate", MICA_OBJ_GATE },
		  { "Factory", MICA_OBJ_FACTORY },
		  { "Irq", MICA_OBJ_IRQ },
		  { "Dataspace", MICA_PROTO_DATASPACE },
		  { "Allocator", MICA_PROTO_ALLOCATOR },
		  { "Log", MICA_PROTO_LOG },
		  { "Namespace", MICA_PROTO_NAMESPACE } };
	lua_newtable(L);
	for (unsigned i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		lua_pushinteger(L, p[i].v);
		lua_setfield(L, -2, p[i].name);
	}
}

void l4_new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction gc,
		  lua_CFunction tostring)
{
	luaL_newmetatable(L, name);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
}

void l4_open(lua_State *L)
{
	l4_new_class(L, L4_CAP, cap_methods, cap_gc, cap_tostring);

	lua_newtable(L);
	push_env(L);
	lua_setfield(L, -2, "Env");
	push_protos(L);
	lua_setfield(L, -2, "Proto");
	lua_pushinteger(L, 5000);
	lua_setfield(L, -2, "timeout");
	lua_pushcfunction(L, l4_lookup);
	lua_setfield(L, -2, "lookup");
	lua_pushcfunction(L, l4_cycles);
	lua_setfield(L, -2, "cycles");
	lua_pushcfunction(L, l4_errname);
	lua_setfield(L, -2, "error_name");
	lua_pushcfunction(L, l4_prompt);
	lua_setfield(L, -2, "prompt");
	l4_open_loader(L);
	lua_setglobal(L, "L4");
}
