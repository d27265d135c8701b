/* Init (user/init, docs/init.md) under the suite's loader: it runs
 * tests/init/cases.lua with a loader, the ICU, a name space and COM1's
 * ports, and each init_ case finds its check's "ok" line in what the
 * script printed; the other init_ cases run scripts with errors. Each
 * run ends with init's exit, every quota (its kernel factory's, the
 * loader's allocator) back where it was. */
#include <mica/factory.h>
#include <mica/program.h>
#include <console.h>
#include <mica_mem.h>
#include <mica_ns.h>
#include <mica_obj.h>
#include <ns/ns.h>
#include <string.h>

#include "ldsrv.h"

#define INIT_MEM (64ul << 20)
#define INIT_KQ (10ul << 20)

static struct {
	int ran, ok;
	char out[32768];
	unsigned out_len;
} cases;

static int call_prog(mica_cap_t prog, mica_word_t op, unsigned u, mica_cap_t item, mica_cap_t dst)
{
	return mica_call_items(prog, op, u, item, dst, 0);
}

/* Gives the held program prog cap under name (or at the fixed `at`). */
static int give(mica_cap_t prog, mica_word_t at, const char *name, mica_cap_t cap)
{
	size_t n = name ? strlen(name) : 0;
	mica_mr()[0] = at;
	mica_mr()[1] = n;
	mica_mr()[2] = 0;
	if (n)
		memcpy(&mica_mr()[2], name, n);
	return call_prog(prog, MICA_PROGRAM_GIVE, 3, cap, 0);
}

/* CREATE (held) of cmd through the loader with kf's kernel quota. */
static int create_held(mica_cap_t kf, const char *cmd, size_t n, mica_cap_t prog)
{
	return kldr_create_as(MICA_PROTO_PROGRAM_HELD, kldr.alloc, kf, INIT_MEM, INIT_KQ, cmd, n, prog);
}

/* Runs init with cmd ("init\0rom/script.lua"): its exit status, or -1
 * if it could not run, did not exit or left anything behind. The output
 * stays in kldr.out. */
static long run_init(const char *cmd, size_t n)
{
	mica_cap_t kf = ksel(), prog = ksel(), task = ksel(), nscap;
	struct ns *ns;
	mica_word_t st[5], limit, used = 1;
	long r = -1;
	if (!kldr_start(96ul << 20) ||
	    mica_create_factory(MICA_CAP_FACTORY, kf, INIT_KQ + (64ul << 10)) != MICA_OK ||
	    ns_create(&kldr.root, &ns) != MICA_OK || !(nscap = kldr_cap(&ns->o, MICA_SRV_RIGHTS)))
		return -1;
	int e, step = 0;
	if ((++step, e = create_held(kf, cmd, n, prog)) == MICA_OK &&
	    (++step, e = give(prog, MICA_CAP_LOADER, 0, kldr.loader)) == MICA_OK &&
	    (++step, e = give(prog, MICA_CAP_ICU, 0, MICA_CAP_ICU)) == MICA_OK &&
	    (++step, e = mica_ns_register(nscap, "rom", kldr.rom_cap)) == MICA_OK &&
	    (++step, e = give(prog, 0, "ns", nscap)) == MICA_OK &&
	    (++step, e = call_prog(prog, MICA_PROGRAM_TASK, 0, 0, task)) == MICA_OK &&
	    (++step, e = mica_task_map(task, KTASK, mica_fpage_io(0x3f8, 3),
				       (mica_word_t)0x3f8 << MICA_FPAGE_BASE_SHIFT, MICA_ITEM_MAP)) ==
		    MICA_OK &&
	    (++step, e = call_prog(prog, MICA_PROGRAM_START, 0, 0, 0)) == MICA_OK &&
	    (++step, e = kldr_wait(prog, st)) == MICA_OK && (++step, st[0] == MICA_PROGRAM_EXITED))
		r = (long)st[1];
	else
		printf("# init did not run: step %d, error %d\n", step, e);
	mica_obj_delete(prog);
	ns_delete(ns);
	if (mica_factory_info(kf, &limit, &used) != MICA_OK || used != 0)
		r = -1;
	if (!kldr_finish())
		r = -1;
	return r;
}

static int cases_ran(void)
{
	static const char cmd[] = "init\0rom/cases.lua";
	if (!cases.ran) {
		cases.ran = 1;
		cases.ok = run_init(cmd, sizeof(cmd) - 1) == 0 && kldr.out_len <= sizeof(cases.out);
		unsigned n = kldr.out_len <= sizeof(cases.out) ? kldr.out_len : sizeof(cases.out);
		memcpy(cases.out, kldr.out, n);
		cases.out_len = n;
		if (!cases.ok)
			vcon_write(kldr.out, kldr.out_len);
	}
	return cases.ok;
}

/* How often the script printed text (after a "| " tag) as a whole line. */
static unsigned printed(const char *text)
{
	size_t n = strlen(text);
	unsigned k = 0;
	for (size_t i = 0; i + n + 3 <= cases.out_len; i++)
		k += !memcmp(cases.out + i, "| ", 2) && !memcmp(cases.out + i + 2, text, n) &&
		     cases.out[i + 2 + n] == '\n';
	return k;
}

static void check_case(const char *name)
{
	char line[64] = "ok ";
	size_t len = strlen(name) < sizeof(line) - 4 ? strlen(name) : sizeof(line) - 4;
	memcpy(line + 3, name, len);
	line[3 + len] = 0;
	if (!cases_ran() || printed(line) != 1) {
		/* the script's own reason, if it printed one */
		const char *p = cases.out;
		size_t n = strlen(name);
		for (; p + n + 8 < cases.out + cases.out_len; p++)
			if (!memcmp(p, "not ok ", 7) && !memcmp(p + 7, name, n)) {
				const char *e = p;
				while (e < cases.out + cases.out_len && *e != '\n')
					e++;
				vcon_write(p, (size_t)(e - p));
				vcon_write("\n", 1);
				break;
			}
	}
	if (!cases_ran() || printed(line) != 1)
		ktest_fail(__FILE__, __LINE__, name, 0, 0);
}

#define INIT_CASE(name)                                                                                      \
	KTEST(init_##name)                                                                                   \
	{                                                                                                    \
		check_case(#name);                                                                           \
	}

KTEST(init_script_runs_to_its_end)
{
	CHECK(cases_ran());
	CHECK_EQ(printed("cases.lua: done"), 1);
	CHECK_EQ(printed("init: rom/cases.lua done"), 2); /* and the second init's */
}

INIT_CASE(env)
INIT_CASE(start_wait_status)
INIT_CASE(env_strings)
INIT_CASE(args_reach_program)
INIT_CASE(channel_rights)
INIT_CASE(client_server_pair)
INIT_CASE(no_cap_no_reach)
INIT_CASE(svc_create)
INIT_CASE(svc_create_timeout)
INIT_CASE(fifty_programs)
INIT_CASE(kernel_quota)
INIT_CASE(kernel_quota_returned)
INIT_CASE(mem_quota)
INIT_CASE(mem_quota_returned)
INIT_CASE(unknown_rom_name)
INIT_CASE(pcall_goes_on)
INIT_CASE(bad_cap_option)
INIT_CASE(kill_and_state)
INIT_CASE(wait_timeout)
INIT_CASE(faulted)
INIT_CASE(scheduler)
INIT_CASE(ns_from_lua)
INIT_CASE(path_from_env)
INIT_CASE(log_tag)
INIT_CASE(io_ports)
INIT_CASE(icu)

KTEST(init_client_cannot_receive_on_the_channel)
{
	CHECK(cases_ran());
	CHECK_EQ(printed("client: cannot receive on the channel"), 2 + 2);
}

KTEST(init_server_tells_clients_apart_by_label)
{
	CHECK(cases_ran());
	/* two clients, two calls each, labels 1 and 2 as init set them */
	CHECK_EQ(printed("client: answered through label 1"), 2);
	CHECK_EQ(printed("client: answered through label 2"), 2);
}

KTEST(init_svc_create_gives_per_client_objects)
{
	CHECK(cases_ran());
	/* the server's labels for its sessions: 0x100, 0x101 */
	CHECK_EQ(printed("client: answered through label 256"), 1);
	CHECK_EQ(printed("client: answered through label 257"), 1);
}

KTEST(init_log_tag_names_the_program)
{
	CHECK(cases_ran());
	unsigned k = 0;
	for (unsigned i = 0; i + 12 <= cases.out_len; i++)
		k += !memcmp(cases.out + i, "tagged", 6) &&
		     (cases.out[i + 6] == ' ' || cases.out[i + 6] == '\033');
	CHECK(k >= 20); /* ldtest print: 20 lines */
}

INIT_CASE(nested_init_runtime_error)

KTEST(init_start_error_reports_line_and_started_programs_run_on)
{
	CHECK(cases_ran());
	CHECK_EQ(printed("init: error: rom/cases.lua:10: start 'no-such-module': create: error NOT_FOUND "
			 "(16)"),
		 1);
	CHECK_EQ(printed("runtime: started"), 1);
	CHECK_EQ(printed("runtime: not reached"), 0);
	/* the second init waited for the program it started before */
	CHECK_EQ(printed("init: rom/cases.lua done"), 2);
}

INIT_CASE(nested_init_missing_script)

KTEST(init_missing_script_is_reported)
{
	CHECK(cases_ran());
	CHECK_EQ(printed("init: rom/none.lua: no such module in the ROM"), 1);
}
