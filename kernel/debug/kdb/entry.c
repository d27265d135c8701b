/* The debugger's entry and command loop: the ways in (break key, panic,
 * the kernel debug object, a breakpoint), stopping the other CPUs while
 * it runs, the console line editor and the command table. */
#include "debug/kdb.h"

#include "arch/console.h"
#include "arch/cpu.h"
#include "arch/platform.h"
#include "boot/cmdline.h"
#include "debug/kdb/kdb.h"
#include "debug/park.h"
#include "klib/config.h"
#include "klib/kprintf.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/percpu.h"

struct kdb_session kdb_session;
static bool on_panic;		  /* "kdb" on the command line, or not test mode */
static bool at_line_start = true; /* of the console input, for the break key */
static int inside = -1;		  /* the CPU the debugger runs on; -1: none */

void kdb_init(const char *cmdline)
{
	on_panic = !kernel_test_mode || cmdline_option(cmdline, "kdb", 0, 0);
}

/* ---- the line editor ------------------------------------------------------ */

static int wait_byte(void)
{
	int c;
	while ((c = arch_console_getc()) < 0)
		__builtin_ia32_pause();
	return c;
}

static void echo(const char *s, unsigned n)
{
	kputs_raw(s, n, true);
}

unsigned kdb_read_line(char *buf, unsigned size)
{
	unsigned n = 0;
	for (;;) {
		int c = wait_byte();
		if (c == '\r' || c == '\n') {
			echo("\n", 1);
			buf[n] = 0;
			return n;
		}
		if (c == 0x7f || c == 0x08) { /* backspace */
			if (n) {
				n--;
				echo("\b \b", 3);
			}
		} else if (c == 0x15) { /* Ctrl-U: the whole line */
			while (n) {
				n--;
				echo("\b \b", 3);
			}
		} else if (c == 0x1b) { /* an escape sequence (arrow keys): dropped */
			if (wait_byte() == '[')
				while ((c = wait_byte()) < 0x40 || c > 0x7e)
					;
		} else if (c >= 0x20 && c < 0x7f && n + 1 < size) {
			char ch = (char)c;
			buf[n++] = ch;
			echo(&ch, 1);
		}
	}
}

/* ---- commands -------------------------------------------------------------- */

static void cmd_help(struct kdb_args *a);

static void cmd_go(struct kdb_args *a)
{
	(void)a;
	kdb_session.done = true;
}

static void cmd_reboot(struct kdb_args *a)
{
	(void)a;
	kprintf("kdb: rebooting\n");
	arch_platform_reboot();
}

struct command {
	const char *name, *alias, *args, *help;
	void (*fn)(struct kdb_args *a);
};

static const struct command commands[] = {
	{ "help", "h", "", "this list", cmd_help },
	{ "threads", "t", "", "every thread: id, task, CPU, priority, state, time used", kdb_cmd_threads },
	{ "thread", "tv", "THREAD", "one thread: registers, UTCB words, IPC state", kdb_cmd_thread },
	{ "bt", 0, "[CPU]", "kernel backtrace of the debugger's CPU or a parked one", kdb_cmd_backtrace },
	{ "tasks", "ts", "", "every task: id, name, threads, capabilities, mappings", kdb_cmd_tasks },
	{ "caps", "c", "TASK", "a task's capability space: selector, type, rights, label, object",
	  kdb_cmd_caps },
	{ "who", 0, "OBJECT | TASK SEL", "the tasks that hold a capability to an object", kdb_cmd_holders },
	{ "map", "m", "TASK ADDR", "the mapping at ADDR and its mapping-database tree", kdb_cmd_mapping },
	{ "pt", 0, "TASK ADDR", "the page-table walk of ADDR", kdb_cmd_pagewalk },
	{ "dp", 0, "PHYS [BYTES]", "dump physical memory", kdb_cmd_dump_phys },
	{ "dv", 0, "TASK ADDR [BYTES]", "dump a task's virtual memory", kdb_cmd_dump_virt },
	{ "factories", "f", "", "factories: quota used and limit", kdb_cmd_factories },
	{ "gates", "g", "", "gates: bound thread, senders and receivers queued", kdb_cmd_gates },
	{ "irqs", "i", "", "IRQ objects: line, attachment, label, mask and pending state", kdb_cmd_irqs },
	{ "rq", 0, "", "per-CPU run queues and timeouts", kdb_cmd_runqueues },
	{ "cpus", 0, "", "every CPU: its current thread and state", kdb_cmd_cpus },
	{ "tr", 0, "[on|off|clear|thread T|task T] [N]", "the IPC trace: switch it, or show the last N",
	  kdb_cmd_trace },
	{ "bp", 0, "THREAD ADDR [x|w|rw] [LEN]", "hardware breakpoint for a user thread",
	  kdb_cmd_breakpoint },
	{ "bc", 0, "[N|all]", "clear breakpoints", kdb_cmd_breakpoint_clear },
	{ "ss", 0, "THREAD [off]", "single step a user thread (one instruction)", kdb_cmd_step },
	{ "catch", 0, "[on|off]", "whether breakpoints and steps open the debugger (else: the handler)",
	  kdb_cmd_catch },
	{ "go", 0, "", "leave the debugger; the system goes on", cmd_go },
	{ "reboot", 0, "", "reset the machine", cmd_reboot },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void cmd_help(struct kdb_args *a)
{
	(void)a;
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		kprintf("help: %-9s %-4s %-26s %s\n", c->name, c->alias ? c->alias : "", c->args, c->help);
	}
	kprintf("help: THREAD and TASK are ids (TASK also a name), `.` the thread that entered and its task; "
		"`$` the value it passed\n");
}

/* Splits line (changed in place) into words and runs the command. */
static void run_one(char *line)
{
	struct kdb_args a = { 0 };
	char *p = line;
	while (*p && a.n < KDB_ARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		a.v[a.n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (!a.n)
		return;
	for (unsigned i = 0; i < NCOMMANDS; i++)
		if (same(a.v[0], commands[i].name) ||
		    (commands[i].alias && same(a.v[0], commands[i].alias))) {
			commands[i].fn(&a);
			return;
		}
	kprintf("kdb: unknown command '%s' (help lists them)\n", a.v[0]);
}

/* Runs a line of commands separated by ';'. */
static void run_line(char *line)
{
	while (line && !kdb_session.done) {
		char *next = line;
		while (*next && *next != ';')
			next++;
		char *rest = *next ? next + 1 : 0;
		*next = 0;
		run_one(line);
		line = rest;
	}
}

/* ---- entering and leaving ------------------------------------------------- */

/* Runs the debugger on this CPU: the interactive loop until `go`, or the
 * one line `script`. The other CPUs are parked meanwhile (after a panic
 * they are already stopped). */
static void session(const char *why, const char *text, struct thread *t, uint64_t value, const char *script)
{
	unsigned self = this_cpu()->id;
	/* A breakpoint in the debugger's own work, or a second CPU's entry
	 * while the first parks it, cannot happen; a nested panic can. */
	if (__atomic_load_n(&inside, __ATOMIC_ACQUIRE) == (int)self)
		return;
	bool panic = on_panic && !script && __builtin_strcmp(why, "panic") == 0;
	if (!panic)
		park_others();
	__atomic_store_n(&inside, (int)self, __ATOMIC_RELEASE);
	kdb_session = (struct kdb_session){ .why = why, .thread = t, .value = value, .panic = panic };
	if (!script) {
		char who[64] = "-";
		if (t)
			kdb_thread_name(t, who, sizeof(who));
		kprintf("kdb: entered on CPU %u (%u online, the others %s) by %s, thread %s%s%s\n", self,
			cpus_online, panic ? "stopped by the panic" : "parked", why, who, text ? ": " : "",
			text ? text : "");
		static char line[160];
		while (!kdb_session.done) {
			kprintf("kdb> ");
			kdb_read_line(line, sizeof(line));
			run_line(line);
		}
		kprintf("kdb: leaving, %s\n", panic ? "the panic goes on" : "the system goes on");
	} else {
		static char line[160];
		unsigned n = 0;
		while (script[n] && n + 1 < sizeof(line)) {
			line[n] = script[n];
			n++;
		}
		line[n] = 0;
		kprintf("kdb: run by thread %u: %s\n", t ? t->id : 0, line);
		run_line(line);
	}
	__atomic_store_n(&inside, -1, __ATOMIC_RELEASE);
	kdb_cpu_resume();
	if (!panic)
		unpark_others(kdb_cpu_resume);
}

bool kdb_console_input(int c)
{
	if (c == KDB_BREAK_KEY && at_line_start) {
		struct percpu *cpu = this_cpu();
		session("break key", 0, cpu->current, 0, 0);
		return true;
	}
	at_line_start = c == '\r' || c == '\n';
	return false;
}

void kdb_on_panic(void)
{
	if (!on_panic)
		return;
	struct percpu *cpu = percpu_by_id[0] ? this_cpu() : 0;
	session("panic", "go ends with the panic's halt", cpu ? cpu->current : 0, 0, 0);
}

void kdb_invoked(struct thread *t, bool interactive, const char *text, uint64_t value)
{
	if (interactive)
		session("kdebug", text, t, value, 0);
	else
		session("kdebug", 0, t, value, text);
}

void kdb_enter_for(const char *why, const char *text, struct thread *t)
{
	session(why, text, t, 0, 0);
}
