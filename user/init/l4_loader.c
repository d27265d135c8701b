/* L4.default_loader (docs/init.md): programs started from the ROM with
 * exactly the capabilities, quotas, log, scheduling and hardware access
 * the script gives them (the loader's held CREATE, then GIVE, LOG, SCHED,
 * TASK and START: docs/protocols.md §6), channels, and the handles
 * through which the script waits for them, asks their state or kills
 * them. */
#include <lauxlib.h>
#include <mica/factory.h>
#include <mica/program.h>
#include <mica_clock.h>
#include <mica_env.h>
#include <mica_mem.h>
#include <mica_ns.h>
#include <mica/sigma0.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"

#define RUNNING_KEY "mica.running"
#define WAIT_LABEL 0x1417ul
#define DEFAULT_MEM (4ul << 20)
#define DEFAULT_KERNEL (512ul << 10)

struct handle {
	mica_cap_t prog; /* READ and CONTROL; 0 once killed */
	int state;	 /* MICA_PROGRAM_*, as last seen */
	int status;
	char name[32];
};

static mica_cap_t wait_irq;

/* ---- building the request ---- */

struct cmd {
	char buf[(MICA_MSG_WORDS_MAX - 8) * 8];
	size_t n;
};

static void add(lua_State *L, struct cmd *c, const char *s, size_t n)
{
	if (c->n + n + 1 > sizeof(c->buf))
		luaL_error(L, "start: command line and environment too long");
	memcpy(c->buf + c->n, s, n);
	c->n += n;
	c->buf[c->n++] = 0;
}

/* "rom/prog a b" (and further Lua arguments) -> argv; env -> envp. */
static void command(lua_State *L, struct cmd *c, int opts, int first, char *name, size_t name_size)
{
	size_t len;
	const char *s = luaL_checklstring(L, first, &len);
	c->n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && s[i] == ' ')
			i++;
		size_t j = i;
		while (j < len && s[j] != ' ')
			j++;
		if (j > i)
			add(L, c, s + i, j - i);
		i = j;
	}
	if (!c->n)
		luaL_error(L, "start: no program named");
	const char *base = strncmp(c->buf, "rom/", 4) == 0 ? c->buf + 4 : c->buf;
	size_t k = strlen(base) < name_size - 1 ? strlen(base) : name_size - 1;
	memcpy(name, base, k);
	name[k] = 0;
	for (int i = first + 1; i <= lua_gettop(L); i++) {
		const char *a = luaL_checklstring(L, i, &len);
		add(L, c, a, len);
	}
	add(L, c, "", 0);
	if (lua_getfield(L, opts, "env") == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) == LUA_TSTRING) { /* VAR = value: "VAR=value" */
				lua_pushfstring(L, "%s=%s", lua_tostring(L, -2), luaL_tolstring(L, -1, 0));
				lua_replace(L, -3);
				lua_pop(L, 1);
			}
			const char *v = luaL_checklstring(L, -1, &len);
			add(L, c, v, len);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* The capability in opts[key], or def (if not 0), or a Lua error. */
static mica_cap_t opt_cap(lua_State *L, int opts, const char *key, mica_cap_t def)
{
	mica_cap_t r = def;
	if (lua_getfield(L, opts, key) != LUA_TNIL)
		r = luaL_testudata(L, -1, L4_CAP) ? ((struct l4_cap *)lua_touserdata(L, -1))->sel : 0;
	lua_pop(L, 1);
	if (!r && def)
		luaL_error(L, "start: option '%s' is not a capability", key);
	return r;
}

static lua_Integer opt_int(lua_State *L, int opts, const char *key, lua_Integer def)
{
	lua_Integer v = def;
	if (lua_getfield(L, opts, key) != LUA_TNIL)
		v = luaL_checkinteger(L, -1);
	lua_pop(L, 1);
	return v;
}

/* n bytes into MR[first..], 8 per word: the words used. */
static unsigned pack(unsigned first, const char *s, size_t n)
{
	unsigned words = (unsigned)((n + 7) / 8);
	memset(&mica_mr()[first], 0, words * 8ul);
	memcpy(&mica_mr()[first], s, n);
	return words;
}

static int call(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t item, mica_cap_t dst)
{
	return mica_call_items(obj, op, u, item, dst, 0);
}

/* ---- setting a held program up ---- */

static int give(mica_cap_t prog, mica_word_t at, const char *name, mica_cap_t cap)
{
	size_t n = name ? strlen(name) : 0;
	mica_mr()[0] = at;
	mica_mr()[1] = n;
	return call(prog, MICA_PROGRAM_GIVE, 2 + pack(2, name ? name : "", n), cap, 0);
}

static const char *const colours[] = { "none", "red", "green", "yellow", "blue", "magenta", "cyan", "white" };

/* log = { "tag", "colour" } or "vcon"/false (standard output to the Vcon). */
static int set_log(lua_State *L, int opts, mica_cap_t prog, const char **what)
{
	int t = lua_getfield(L, opts, "log"), e = MICA_OK;
	*what = "log";
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return MICA_OK;
	}
	if ((t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) ||
	    (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "vcon") == 0)) {
		mica_mr()[0] = MICA_PROGRAM_LOG_VCON;
		mica_mr()[1] = 0;
		e = call(prog, MICA_PROGRAM_LOG, 2, 0, 0);
	} else {
		size_t n = 0;
		const char *tag = "";
		mica_word_t colour = 0;
		if (t == LUA_TTABLE) {
			lua_rawgeti(L, -1, 1);
			tag = lua_isstring(L, -1) ? lua_tolstring(L, -1, &n) : "";
			lua_rawgeti(L, -2, 2);
			const char *c = lua_isstring(L, -1) ? lua_tostring(L, -1) : "none";
			for (mica_word_t i = 0; i < 8; i++)
				if (strcmp(c, colours[i]) == 0 ||
				    (c[0] && c[1] == 0 && c[0] == colours[i][0]))
					colour = i;
			lua_pop(L, 2);
		} else if (t == LUA_TSTRING) {
			tag = lua_tolstring(L, -1, &n);
		}
		mica_mr()[0] = colour;
		mica_mr()[1] = n;
		e = n > 16 ? MICA_E_BAD_ARG : call(prog, MICA_PROGRAM_LOG, 2 + pack(2, tag, n), 0, 0);
	}
	lua_pop(L, 1);
	return e;
}

/* scheduler = prio, or { prio = P, cpus = mask, cpu = C, ceiling = C
 * or "none" }: the main thread on cpu (default: the lowest of cpus),
 * every thread of the program on cpus only. */
static int set_sched(lua_State *L, int opts, mica_cap_t prog, const char **what)
{
	int t = lua_getfield(L, opts, "scheduler"), e = MICA_OK;
	*what = "scheduler";
	if (t != LUA_TNIL) {
		lua_Integer prio = 100, cpu = 0, mask = 0;
		mica_word_t ceiling = MICA_PROGRAM_SCHED_DEFAULT;
		if (t == LUA_TNUMBER) {
			prio = luaL_checkinteger(L, -1);
		} else {
			luaL_checktype(L, -1, LUA_TTABLE);
			int top = lua_gettop(L);
			prio = opt_int(L, top, "prio", 100);
			mask = opt_int(L, top, "cpus", 0);
			cpu = opt_int(L, top, "cpu", mask ? __builtin_ctzll((unsigned long long)mask) : 0);
			if (lua_getfield(L, top, "ceiling") == LUA_TSTRING)
				ceiling = strcmp(lua_tostring(L, -1), "none") == 0
						  ? MICA_PROGRAM_SCHED_NONE
						  : MICA_PROGRAM_SCHED_DEFAULT;
			else if (lua_isinteger(L, -1))
				ceiling = (mica_word_t)lua_tointeger(L, -1);
			lua_pop(L, 1);
		}
		mica_mr()[0] = (mica_word_t)prio;
		mica_mr()[1] = (mica_word_t)cpu;
		mica_mr()[2] = ceiling;
		mica_mr()[3] = (mica_word_t)mask;
		e = call(prog, MICA_PROGRAM_SCHED, 4, 0, 0);
	}
	lua_pop(L, 1);
	return e;
}

/* "0x3f8:8" or { 0x3f8, 8 } -> an I/O flexpage, or 0. */
static mica_word_t io_fpage(lua_State *L)
{
	mica_word_t port, n;
	if (lua_type(L, -1) == LUA_TSTRING) {
		char *end;
		const char *s = lua_tostring(L, -1);
		port = strtoul(s, &end, 0);
		if (*end != ':')
			return 0;
		n = strtoul(end + 1, &end, 0);
		if (*end)
			return 0;
	} else if (lua_type(L, -1) == LUA_TTABLE) {
		lua_rawgeti(L, -1, 1);
		lua_rawgeti(L, -2, 2);
		port = (mica_word_t)lua_tointeger(L, -2);
		n = (mica_word_t)lua_tointeger(L, -1);
		lua_pop(L, 2);
	} else {
		return 0;
	}
	unsigned log2 = 0;
	while ((1ul << log2) < n)
		log2++;
	if (!n || (1ul << log2) != n || (port & (n - 1)) || port + n > 0x10000)
		return 0;
	return mica_fpage_io(port, log2);
}

/* The ports of fp for init: from the I/O-port server named "io" in its
 * environment (the root's: any range, docs/protocols.md §11), or those
 * init was given at its start if it has none. */
static int get_ports(mica_word_t fp)
{
	mica_cap_t io = mica_env_cap("io");
	if (!io)
		return MICA_OK; /* a port init does not hold is not mapped: the program faults on it */
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_IO_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_io(0, 16); /* each port lands at its own number */
	mica_mr()[0] = MICA_SIGMA0_IO;
	mica_mr()[1] = fp;
	int e = mica_error(mica_call(io, MICA_LABEL_SIGMA0, MICA_SIGMA0_REQUEST_WORDS));
	*br = saved;
	return e;
}

/* io = { "0x3f8:8", ... }: ports of init's, mapped into the program's
 * task (which the loader hands init for this, WRITE only). */
static int set_io(lua_State *L, int opts, mica_cap_t prog, const char **what)
{
	int e = MICA_OK;
	*what = "io";
	if (lua_getfield(L, opts, "io") == LUA_TTABLE) {
		mica_cap_t task = l4_sel_alloc();
		if (!task || (e = call(prog, MICA_PROGRAM_TASK, 0, 0, task)) != MICA_OK) {
			l4_sel_free(task);
			lua_pop(L, 1);
			return task ? e : MICA_E_NO_MEMORY;
		}
		for (lua_Integer i = 1; e == MICA_OK && lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			mica_word_t fp = io_fpage(L);
			e = fp ? get_ports(fp) : MICA_E_BAD_ARG;
			if (e == MICA_OK)
				e = mica_task_map(task, MICA_CAP_TASK, fp, fp & ~0xffful, MICA_ITEM_MAP);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		l4_sel_free(task);
	}
	lua_pop(L, 1);
	return e;
}

/* caps = { name = cap or "path" }: each under its name. */
static int set_caps(lua_State *L, int opts, mica_cap_t prog, const char **what)
{
	int e = MICA_OK;
	if (lua_getfield(L, opts, "caps") == LUA_TTABLE) {
		lua_pushnil(L);
		while (e == MICA_OK && lua_next(L, -2)) {
			const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : 0;
			mica_cap_t tmp = 0, sel = 0;
			*what = name ? name : "caps";
			if (luaL_testudata(L, -1, L4_CAP)) {
				sel = ((struct l4_cap *)lua_touserdata(L, -1))->sel;
			} else if (lua_type(L, -1) == LUA_TSTRING && (tmp = l4_sel_alloc())) {
				if ((e = mica_env_lookup(lua_tostring(L, -1), tmp)) == MICA_OK)
					sel = tmp;
			}
			if (e == MICA_OK)
				e = !name || !sel ? MICA_E_BAD_ARG : give(prog, 0, name, sel);
			l4_sel_free(tmp);
			lua_pop(L, 1);
		}
		if (e != MICA_OK)
			lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return e;
}

/* One IRQ line for the program: an IRQ object charged to kf, bound
 * through init's ICU (a line below 16 as an ISA IRQ, as the MADT maps
 * it; from 16 on a global system interrupt) and given as "irqN". */
static int give_irq(mica_cap_t prog, mica_cap_t kf, unsigned long line)
{
	char name[16];
	mica_cap_t irq = l4_sel_alloc();
	if (!irq)
		return MICA_E_NO_MEMORY;
	snprintf(name, sizeof(name), "irq%lu", line);
	int e = mica_create_irq(kf, irq);
	if (e == MICA_OK)
		e = mica_icu_bind(MICA_CAP_ICU, irq, line, line < 16 ? MICA_ICU_ISA : 0, 0);
	if (e == MICA_OK)
		e = give(prog, 0, name, irq);
	/* The program's capability keeps the IRQ (and its line) alive;
	 * init's goes. */
	l4_sel_free(irq);
	return e;
}

/* irqs = { 4, "20-23", ... }: each line as its own IRQ capability. */
static int set_irqs(lua_State *L, int opts, mica_cap_t prog, const char **what)
{
	int e = MICA_OK;
	*what = "irqs";
	if (lua_getfield(L, opts, "irqs") == LUA_TTABLE) {
		mica_cap_t kf = opt_cap(L, opts, "factory", MICA_CAP_FACTORY);
		unsigned given = 0;
		for (lua_Integer i = 1; e == MICA_OK && lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			unsigned long first = 0, last = 0;
			char *end = 0;
			if (lua_isinteger(L, -1)) {
				first = last = (unsigned long)lua_tointeger(L, -1);
			} else if (lua_type(L, -1) == LUA_TSTRING) {
				const char *str = lua_tostring(L, -1);
				first = last = strtoul(str, &end, 0);
				if (end != str && *end == '-')
					last = strtoul(end + 1, &end, 0);
				if (end == str || *end)
					first = 1, last = 0;
			} else {
				first = 1, last = 0;
			}
			/* A program gets at most 64 lines (the ICU has fewer than
			 * 256): a typo cannot make init bind thousands. */
			if (first > last || first > 255 || last - first >= 64 || given + (last - first) >= 64)
				e = MICA_E_BAD_ARG;
			for (unsigned long l = first; e == MICA_OK && l <= last; l++, given++)
				e = give_irq(prog, kf, l);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return e;
}

/* icu = cap, loader = cap: at their fixed selectors. */
static int set_fixed(lua_State *L, int opts, mica_cap_t prog, const char **what)
{
	static const struct {
		const char *key;
		mica_word_t at;
	} f[] = { { "icu", MICA_CAP_ICU }, { "loader", MICA_CAP_LOADER } };
	for (unsigned i = 0; i < 2; i++) {
		mica_cap_t c = opt_cap(L, opts, f[i].key, 0);
		int e;
		*what = f[i].key;
		if (lua_getfield(L, opts, f[i].key) != LUA_TNIL && !c)
			e = MICA_E_BAD_ARG;
		else
			e = c ? give(prog, f[i].at, 0, c) : MICA_OK;
		lua_pop(L, 1);
		if (e != MICA_OK)
			return e;
	}
	return MICA_OK;
}

static int needs_setup(lua_State *L, int opts)
{
	static const char *const keys[] = { "caps", "log", "scheduler", "io", "irqs", "icu", "loader" };
	int r = 0;
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		r |= lua_getfield(L, opts, keys[i]) != LUA_TNIL;
		lua_pop(L, 1);
	}
	return r;
}

/* ---- start ---- */

static struct handle *push_handle(lua_State *L, mica_cap_t prog, const char *name)
{
	struct handle *h = lua_newuserdatauv(L, sizeof(*h), 0);
	h->prog = prog;
	h->state = MICA_PROGRAM_RUNNING;
	h->status = 0;
	size_t k = strlen(name) < sizeof(h->name) - 1 ? strlen(name) : sizeof(h->name) - 1;
	memcpy(h->name, name, k);
	h->name[k] = 0;
	luaL_setmetatable(L, L4_HANDLE);
	/* Kept until waited for or killed: dropping the handle does not end
	 * the program. */
	lua_getfield(L, LUA_REGISTRYINDEX, RUNNING_KEY);
	lua_pushvalue(L, -2);
	lua_pushboolean(L, 1);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	return h;
}

static mica_cap_t loader_of(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_getfield(L, 1, "cap");
	struct l4_cap *c = luaL_testudata(L, -1, L4_CAP);
	lua_pop(L, 1);
	if (!c)
		return (mica_cap_t)luaL_error(L, "this loader has no capability (init was given none)");
	return c->sel;
}

/* loader:start(opts, "rom/prog args", more args...) -> handle. */
static int l_start(lua_State *L)
{
	mica_cap_t loader = loader_of(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	struct cmd c;
	char name[32];
	const char *what = "create";
	command(L, &c, 2, 3, name, sizeof(name));
	mica_cap_t alloc = opt_cap(L, 2, "mem", MICA_CAP_MEM);
	mica_cap_t kf = opt_cap(L, 2, "factory", MICA_CAP_FACTORY);
	lua_Integer memq = opt_int(L, 2, "mem_quota", (lua_Integer)DEFAULT_MEM);
	lua_Integer kq = opt_int(L, 2, "kernel_quota", (lua_Integer)DEFAULT_KERNEL);
	int held = needs_setup(L, 2);
	mica_cap_t prog = l4_sel_alloc();
	if (!prog)
		return luaL_error(L, "init has no free capability selectors");
	mica_word_t *mr = mica_mr();
	mr[0] = held ? MICA_PROTO_PROGRAM_HELD : MICA_PROTO_PROGRAM;
	mr[1] = (mica_word_t)memq;
	mr[2] = (mica_word_t)kq;
	mr[3] = c.n;
	unsigned u = 4 + pack(4, c.buf, c.n);
	mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[u + 1] = mica_fpage_obj(alloc, 0, MICA_RIGHTS_ALL);
	mr[u + 2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[u + 3] = mica_fpage_obj(kf, 0, MICA_RIGHTS_ALL);
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_obj(prog, 0, MICA_RIGHTS_ALL);
	int e = mica_error(
		mica_ipc(loader, mica_msgtag(MICA_FACTORY_CREATE, u, 4, 0), MICA_IPC_CALL, 0, 0, 0));
	*br = saved;
	if (e == MICA_OK && held &&
	    ((e = set_caps(L, 2, prog, &what)) != MICA_OK || (e = set_fixed(L, 2, prog, &what)) != MICA_OK ||
	     (e = set_log(L, 2, prog, &what)) != MICA_OK || (e = set_sched(L, 2, prog, &what)) != MICA_OK ||
	     (e = set_io(L, 2, prog, &what)) != MICA_OK || (e = set_irqs(L, 2, prog, &what)) != MICA_OK ||
	     (what = "start", e = call(prog, MICA_PROGRAM_START, 0, 0, 0)) != MICA_OK))
		mica_obj_delete(prog);
	if (e != MICA_OK) {
		l4_sel_free(prog);
		return l4_fail(L, lua_pushfstring(L, "start '%s': %s", name, what), e);
	}
	push_handle(L, prog, name);
	return 1;
}

/* loader:new_channel(): an IPC gate, every right (the server's view:
 * pass cap:m("rw") to clients, cap:svr() to the server). */
static int l_new_channel(lua_State *L)
{
	mica_cap_t s = l4_sel_alloc();
	int e = s ? mica_create_gate(MICA_CAP_FACTORY, s, 0, 0) : MICA_E_NO_MEMORY;
	if (e != MICA_OK) {
		l4_sel_free(s);
		return l4_fail(L, "new_channel", e);
	}
	l4_push_cap(L, s, 1)->channel = 1;
	return 1;
}

/* ---- handles ---- */

static struct handle *check_handle(lua_State *L)
{
	return luaL_checkudata(L, 1, L4_HANDLE);
}

static void forget(lua_State *L, int idx)
{
	lua_getfield(L, LUA_REGISTRYINDEX, RUNNING_KEY);
	lua_pushvalue(L, idx);
	lua_pushnil(L);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

static int refresh(struct handle *h)
{
	if (!h->prog)
		return MICA_OK;
	int e = mica_error(mica_call(h->prog, MICA_PROGRAM_STATUS, 0));
	if (e == MICA_OK) {
		h->state = (int)mica_mr()[0];
		h->status = (int)mica_mr()[1];
	}
	return e;
}

static const char *state_name(const struct handle *h)
{
	if (!h->prog)
		return "killed";
	return h->state == MICA_PROGRAM_EXITED	  ? "exited"
	       : h->state == MICA_PROGRAM_FAULTED ? "faulted"
						  : "running";
}

/* Waits (at most ms, 0: for ever) until h ends: MICA_OK or TIMEOUT. */
static int wait_for(struct handle *h, lua_Integer ms)
{
	int e;
	if (!h->prog)
		return MICA_OK;
	if (!wait_irq) {
		mica_cap_t s = l4_sel_alloc();
		if ((e = mica_create_irq(MICA_CAP_FACTORY, s)) != MICA_OK ||
		    (e = mica_irq_attach(s, MICA_CAP_THREAD, WAIT_LABEL)) != MICA_OK) {
			l4_sel_free(s);
			return e;
		}
		wait_irq = s;
	}
	if ((e = call(h->prog, MICA_PROGRAM_NOTIFY, 0, wait_irq, 0)) != MICA_OK)
		return e;
	uint32_t to = ms > 0 ? mica_timeout_ns((uint64_t)ms * 1000000u) : MICA_TIMEOUT_NEVER;
	for (;;) {
		if ((e = refresh(h)) != MICA_OK)
			return e;
		if (h->state != MICA_PROGRAM_RUNNING)
			return MICA_OK;
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, to, &label);
		if (mica_msgtag_is_error(t))
			return mica_error(t);
	}
}

/* h:wait([ms]) -> exit status (0x100 + vector if it faulted), state;
 * or nil, "timeout". */
static int h_wait(lua_State *L)
{
	struct handle *h = check_handle(L);
	int e = wait_for(h, luaL_optinteger(L, 2, 0));
	if (e == MICA_E_TIMEOUT) {
		lua_pushnil(L);
		lua_pushliteral(L, "timeout");
		return 2;
	}
	if (e != MICA_OK)
		return l4_fail(L, lua_pushfstring(L, "wait for '%s'", h->name), e);
	forget(L, 1);
	lua_pushinteger(L, h->status);
	lua_pushstring(L, state_name(h));
	return 2;
}

/* h:state() -> "running" | "exited" | "faulted" | "killed", status. */
static int h_state(lua_State *L)
{
	struct handle *h = check_handle(L);
	int e = refresh(h);
	if (e != MICA_OK)
		return l4_fail(L, "state", e);
	lua_pushstring(L, state_name(h));
	lua_pushinteger(L, h->status);
	return 2;
}

/* h:kill(): the program ends at once (everything it had reclaimed). */
static int h_kill(lua_State *L)
{
	struct handle *h = check_handle(L);
	if (h->prog) {
		int e = mica_obj_delete(h->prog);
		if (e != MICA_OK)
			return l4_fail(L, "kill", e);
		l4_sel_free(h->prog);
		h->prog = 0;
	}
	forget(L, 1);
	return 0;
}

static int h_gc(lua_State *L)
{
	struct handle *h = check_handle(L);
	/* Only handles no longer in the running set get here: the program
	 * has ended, its object goes. */
	if (h->prog) {
		mica_obj_delete(h->prog);
		l4_sel_free(h->prog);
		h->prog = 0;
	}
	return 0;
}

static int h_tostring(lua_State *L)
{
	struct handle *h = check_handle(L);
	lua_pushfstring(L, "program '%s' (%s)", h->name, state_name(h));
	return 1;
}

void l4_wait_all(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, RUNNING_KEY);
	for (;;) {
		lua_pushnil(L);
		if (!lua_next(L, -2))
			break;
		lua_pop(L, 1);
		struct handle *h = luaL_checkudata(L, -1, L4_HANDLE);
		wait_for(h, 0);
		lua_pushnil(L);
		lua_rawset(L, -3);
	}
	lua_pop(L, 1);
}

void l4_open_loader(lua_State *L)
{
	static const luaL_Reg hm[] = {
		{ "wait", h_wait }, { "state", h_state }, { "kill", h_kill }, { 0, 0 }
	};
	l4_new_class(L, L4_HANDLE, hm, h_gc, h_tostring);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, RUNNING_KEY);

	/* L4.Loader: the methods; L4.default_loader: init's loader. */
	static const luaL_Reg lm[] = { { "start", l_start }, { "new_channel", l_new_channel }, { 0, 0 } };
	luaL_newlib(L, lm);
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, "__index");
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "Loader");
	lua_newtable(L);
	lua_pushvalue(L, -2);
	lua_setmetatable(L, -2);
	mica_word_t type = 0, rights;
	if (mica_cap_info(MICA_CAP_TASK, MICA_CAP_LOADER, &type, &rights) == MICA_OK && type) {
		l4_push_cap(L, MICA_CAP_LOADER, 0);
		lua_setfield(L, -2, "cap");
	}
	lua_setfield(L, -3, "default_loader");
	lua_pop(L, 1);
}
