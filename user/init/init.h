/* Init's parts, shared: capabilities as Lua values, the selectors they
 * live at, error messages, and the L4 package's pieces (docs/init.md). */
#pragma once

#include <lauxlib.h>
#include <lua.h>
#include <mica/types.h>

/* A capability held by the script: a selector of init's and what kind of
 * object it names (enum mica_obj_type; gates include every server's
 * objects). `owned`: the selector is init's to free when the value goes. */
struct l4_cap {
	mica_cap_t sel;
	unsigned type;
	unsigned rights; /* what init holds it with (the kernel's rights bits) */
	int owned;
	/* A gate made by new_channel (or a copy of one): its rights are the
	 * kernel's (SEND, RECV, MAP). Every other gate is a server's object,
	 * whose rights a server mints (MICA_OBJ_REDUCE). */
	int channel;
};

#define L4_CAP "mica.cap"
#define L4_HANDLE "mica.handle"

/* Selectors of init's own, for capabilities the script makes. */
mica_cap_t l4_sel_alloc(void);
void l4_sel_free(mica_cap_t sel);

/* A new capability value for sel (owned: freed with the value). */
struct l4_cap *l4_push_cap(lua_State *L, mica_cap_t sel, int owned);
/* The capability at index i, or a Lua error. */
struct l4_cap *l4_check_cap(lua_State *L, int i);
/* Registers the metatable `name` for a userdata class: its methods as
 * __index, gc and tostring as __gc and __tostring. */
void l4_new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction gc,
		  lua_CFunction tostring);
/* The name of a mica_error, for messages. */
const char *l4_error_name(int e);
/* Raises "what: error NAME (n)" with the script's file and line. */
int l4_fail(lua_State *L, const char *what, int e);

/* The loader and handles (l4_loader.c): registers L4.default_loader and
 * L4.Loader in the table at the top of the stack. */
void l4_open_loader(lua_State *L);
/* Waits until every started program has ended. */
void l4_wait_all(lua_State *L);

/* The interactive prompt on the console (l4_prompt.c): L4.prompt(). */
int l4_prompt(lua_State *L);

/* The L4 package (l4.c): opens it as the global L4. */
void l4_open(lua_State *L);
