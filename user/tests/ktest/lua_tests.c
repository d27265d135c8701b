/* Lua 5.4 from Debian's source package, its standalone interpreter built
 * unmodified with mica-cc: it runs tests/lua/check.lua from /rom (a boot
 * module) under the loader with a RAM file system for its /tmp, and
 * prints what Lua prints on any system; its exit status and errors reach
 * the starter. The first lua_check_ case runs the script, the others
 * read what it printed. */
#include <console.h>
#include <mica/program.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

#define MEMQ (8ul << 20)
#define KQ (256ul << 10)

static struct {
	int ran, ok;
	char out[4096];
	unsigned out_len;
} script;

/* Runs cmd under a fresh loader: its exit status, or -1; its output
 * stays in kldr.out. */
static long run_lua(const char *cmd, size_t n)
{
	mica_word_t st[5];
	if (!kldr_start(32ul << 20) || !kldr_fs(4ul << 20))
		return -1;
	long r = kldr_run(MEMQ, KQ, cmd, n, st) == MICA_OK && st[0] == MICA_PROGRAM_EXITED ? (long)st[1] : -1;
	if (!kldr_finish())
		return -1;
	return r;
}

/* Whether the script ran to its end with status 0 and everything back. */
static int script_ran(void)
{
	static const char cmd[] = "lua\0/rom/check.lua";
	if (!script.ran) {
		script.ran = 1;
		script.ok = run_lua(cmd, sizeof(cmd) - 1) == 0 && kldr.out_len <= sizeof(script.out);
		if (script.ok) {
			memcpy(script.out, kldr.out, kldr.out_len);
			script.out_len = kldr.out_len;
		} else {
			vcon_write(kldr.out, kldr.out_len);
		}
	}
	return script.ok;
}

/* Whether the script printed this line (after its "lua | " tag) once. */
static int printed(const char *line)
{
	size_t n = strlen(line);
	unsigned k = 0;
	for (size_t i = 0; i + n + 3 <= script.out_len; i++)
		k += !memcmp(script.out + i, "| ", 2) && !memcmp(script.out + i + 2, line, n) &&
		     script.out[i + 2 + n] == '\n';
	return k == 1;
}

KTEST(lua_check_script_runs_to_its_end)
{
	CHECK(script_ran());
	CHECK(printed("check.lua: done"));
	/* nothing unsupported on the way (the back end's ENOSYS report) */
	unsigned enosys = 0;
	for (size_t i = 0; i + 13 <= script.out_len; i++)
		enosys += !memcmp(script.out + i, "not supported", 13);
	CHECK_EQ(enosys, 0);
}

KTEST(lua_check_strings)
{
	CHECK(script_ran());
	CHECK(printed("strings: MICA+MICROKERNEL 16 kernel ab-ab-ab Mica M!ca m!crokernel"));
}

KTEST(lua_check_tables)
{
	CHECK(script_ran());
	CHECK(printed("tables: 100 100 1 5049 2 3 1,2,3"));
}

KTEST(lua_check_coroutines)
{
	CHECK(script_ran());
	CHECK(printed("coroutines: 10 12 23 dead 0 1 1 2 3 5 8 13 21 34"));
}

KTEST(lua_check_string_format)
{
	CHECK(script_ran());
	CHECK(printed("format: [   42|-7   |003.1|1.234568e+04|0.0001|ff|BEEF|10|mica|       "
		      "ker|\"a\\9\\\"b\\\"\"|A|%|"
		      "9007199254740992]"));
}

KTEST(lua_check_io_on_tmp)
{
	CHECK(script_ran());
	CHECK(printed("io: 51 42925 607 3.5 true"));
}

KTEST(lua_check_numbers_errors_utf8)
{
	CHECK(script_ran());
	CHECK(printed("misc: 3 3.5 9223372036854775807 false 7 8620 integer float 0.8415"));
}

KTEST(lua_exit_status_reaches_the_starter)
{
	static const char cmd[] = "lua\0-e\0os.exit(42)";
	CHECK_EQ(run_lua(cmd, sizeof(cmd) - 1), 42);
}

KTEST(lua_error_is_reported_with_status_1)
{
	static const char cmd[] = "lua\0-e\0local t = nil; print(t.x)";
	CHECK_EQ(run_lua(cmd, sizeof(cmd) - 1), 1);
	CHECK_EQ(kldr_occurs("| lua: (command line):1: attempt to index a nil value (local 't')\n"), 1);
}

KTEST(lua_require_finds_modules_in_rom)
{
	/* LUA_PATH_DEFAULT starts with /rom/?.lua: the script is a module */
	static const char cmd[] = "lua\0-e\0require 'check'; print(package.loaded.check ~= nil)";
	CHECK_EQ(run_lua(cmd, sizeof(cmd) - 1), 0);
	CHECK_EQ(kldr_occurs("| check.lua: done\n"), 1);
	CHECK_EQ(kldr_occurs("| true\n"), 1);
}
