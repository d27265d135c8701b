/* Init: runs the boot script (argv[1], default rom/default.lua) in Lua
 * 5.4 with the L4 package (docs/init.md); an error in the script is
 * printed with its file and line and ends the script, not init: the
 * programs it started run on. Init ends when they all have (status 0, or
 * 1 if the script failed). */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"

/* The script's text, read from /rom (the ROM, user/posix/romfs.c). */
static char *slurp(const char *path, size_t *n)
{
	char file[128];
	snprintf(file, sizeof(file), "/%s", path);
	FILE *f = fopen(file, "r");
	if (!f)
		return 0;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + len, 1, cap - len, f)) > 0) {
		len += k;
		if (len == cap) {
			char *more = realloc(buf, cap *= 2);
			if (!more) {
				free(buf);
				buf = 0;
			}
			buf = more;
		}
	}
	fclose(f);
	*n = len;
	return buf;
}

static int traceback(lua_State *L)
{
	luaL_traceback(L, L, lua_tostring(L, 1), 1);
	return 1;
}

int main(int argc, char **argv)
{
	const char *script = argc > 1 ? argv[1] : "rom/default.lua";
	if (strncmp(script, "rom/", 4) != 0) {
		printf("init: the script '%s' is not in the ROM (rom/...)\n", script);
		return 1;
	}
	lua_State *L = luaL_newstate();
	if (!L) {
		printf("init: no memory for Lua\n");
		return 1;
	}
	luaL_openlibs(L);
	l4_open(L);
	/* arg[0] is the script, arg[1..] what follows it on the command line */
	lua_createtable(L, argc, 0);
	for (int i = 1; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i - 1);
	}
	lua_setglobal(L, "arg");
	int status = 0;
	size_t n = 0;
	char *text = slurp(script, &n);
	char chunk[140];
	snprintf(chunk, sizeof(chunk), "@%s", script);
	if (!text) {
		printf("init: %s: no such module in the ROM\n", script);
		status = 1;
	} else {
		lua_pushcfunction(L, traceback);
		if (luaL_loadbuffer(L, text, n, chunk) != LUA_OK || lua_pcall(L, 0, 0, -2) != LUA_OK) {
			/* "rom/x.lua:12: what" and, for run-time errors, where */
			printf("init: error: %s\n", lua_tostring(L, -1));
			status = 1;
		}
		lua_settop(L, 0);
		free(text);
	}
	l4_wait_all(L);
	lua_close(L);
	printf("init: %s done\n", script);
	return status;
}
