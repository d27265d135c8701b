/* The interactive prompt (L4.prompt()): Lua lines read from the console,
 * each run in init's state (the script's L4, handles and globals), an
 * expression's values printed; an error is printed and the prompt goes
 * on. It ends at the end of input or with `exit`. */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "init.h"

/* Runs line as `return line` if that compiles (an expression), else as a
 * statement; prints the values or the error. */
static void run_line(lua_State *L, const char *line)
{
	int top = lua_gettop(L);
	lua_pushfstring(L, "return %s", line);
	int e = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=prompt");
	lua_remove(L, -2);
	if (e != LUA_OK) {
		lua_pop(L, 1);
		e = luaL_loadbuffer(L, line, strlen(line), "=prompt");
	}
	if (e == LUA_OK)
		e = lua_pcall(L, 0, LUA_MULTRET, 0);
	if (e != LUA_OK) {
		printf("error: %s\n", lua_tostring(L, -1));
	} else if (lua_gettop(L) > top) {
		for (int i = top + 1; i <= lua_gettop(L); i++) {
			printf("%s%s", i > top + 1 ? "\t" : "", luaL_tolstring(L, i, 0));
			lua_pop(L, 1);
		}
		printf("\n");
	}
	lua_settop(L, top);
}

int l4_prompt(lua_State *L)
{
	const char *banner = luaL_optstring(L, 1, "init: Lua prompt (L4.default_loader:start, exit to end)");
	char line[512];
	printf("%s\n", banner);
	for (;;) {
		printf("init> ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			break;
		line[strcspn(line, "\r\n")] = 0;
		/* the line after its prompt: the log prints whole lines */
		printf("%s\n", line);
		if (strcmp(line, "exit") == 0)
			break;
		if (line[0])
			run_line(L, line);
	}
	printf("init: prompt ends\n");
	return 0;
}
