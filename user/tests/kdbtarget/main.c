/* A program for the kernel debugger's tests (tests/qemu/cases.sh, kdb_):
 * it builds a known state, as its command line says, for the debugger
 * to show, and enters the debugger through the kernel debug object
 * where the test needs it. It runs as the root task (the first module
 * after sigma0), so it holds the kernel debug object.
 *   wait       reads console lines until "quit" (the break key's tests)
 *   caps       a gate, a labelled send-only copy, an IRQ, a factory
 *   block      threads blocked receiving, sending and waiting for a reply
 *   map        a page mapped on to a child task and from there a grandchild
 *   pingpong [CPU CPU]   two threads calling each other until "stop"
 *   bp         an instruction breakpoint and a step, caught by the debugger
 *   bphandler  a data breakpoint and a step, reported to its exception handler
 *   run        runs debugger commands without its prompt
 *   trace      traces its own invocations and an error, and shows them */
#include <boot_env.h>
#include <console.h>
#include <mica/fpage.h>
#include <mica/kdebug.h>
#include <mica/layout.h>
#include <mica/scheduler.h>
#include <mica/thread.h>
#include <mica_clock.h>
#include <mica_image.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define STACK 8192
#define SEL_THREADS 0x200 /* its threads' selectors, one after another */

static char stacks[THREADS][STACK] __attribute__((aligned(16)));
static unsigned threads;

static void fail(const char *what, int e)
{
	printf("kdbtarget: %s failed: error %d\n", what, e);
	exit(1);
}

/* Starts fn(arg) in a thread of this task on `cpu`, with exception
 * handler exc (0: none); returns its selector. */
static mica_cap_t start(void (*fn)(long), long arg, unsigned cpu, mica_cap_t exc)
{
	mica_cap_t t = SEL_THREADS + threads;
	unsigned n = threads++;
	int e = mica_create_thread(MICA_CAP_FACTORY, t);
	if (!e)
		e = mica_thread_control(t, MICA_THREAD_CTL_BIND | (exc ? MICA_THREAD_CTL_EXC : 0),
					MICA_CAP_TASK, MICA_BOOT_UTCB_ADDR + (1 + n) * MICA_UTCB_SIZE, 0,
					exc);
	if (!e)
		e = mica_sched_run_thread(MICA_CAP_SCHEDULER, t, MICA_SCHED_DEFAULT_PRIO - 10,
					  MICA_SCHED_DEFAULT_SLICE_NS, cpu);
	if (!e)
		e = mica_thread_start(t, (mica_word_t)fn, (mica_word_t)&stacks[n][STACK] - 8,
				      (mica_word_t)arg);
	if (e)
		fail("starting a thread", e);
	return t;
}

static void forever(void)
{
	for (;;)
		mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
}

static void kdb(unsigned op, mica_word_t value, const char *text)
{
	int e = mica_kdebug_kdb(MICA_CAP_KDEBUG, op, value, text);
	if (e)
		fail("the kernel debugger", e);
}

static void sleep_ms(unsigned ms)
{
	mica_wait(MICA_CAP_INVALID, mica_timeout_ns(ms * 1000000ul), 0);
}

/* Reads one console line into buf (without its newline). */
static void read_line(char *buf, unsigned size)
{
	unsigned len = 0;
	for (;;) {
		char c;
		unsigned n;
		int e = mica_vcon_read(MICA_CAP_VCON, &c, 1, MICA_TIMEOUT_NEVER, &n);
		if (e)
			fail("reading the console", e);
		if (!n)
			continue;
		if (c == '\n') {
			buf[len] = 0;
			return;
		}
		if (len + 1 < size)
			buf[len++] = c;
	}
}

static void wait_mode(void)
{
	char line[64];
	for (;;) {
		printf("kdbtarget: reading lines until quit\n");
		read_line(line, sizeof(line));
		printf("kdbtarget: line '%s' (%u bytes)\n", line, (unsigned)strlen(line));
		if (!strcmp(line, "quit"))
			return;
	}
}

/* ---- caps ------------------------------------------------------------------ */

static void caps_mode(void)
{
	int e = mica_create_gate(MICA_CAP_FACTORY, 0x100, 0, 0);
	if (!e)
		e = mica_cap_copy(MICA_CAP_TASK, 0x100, 0x101, MICA_GATE_R_SEND, 0xbeef);
	if (!e)
		e = mica_create_irq(MICA_CAP_FACTORY, 0x102);
	if (!e)
		e = mica_create_factory(MICA_CAP_FACTORY, 0x103, 64ul * 4096);
	if (e)
		fail("creating the capabilities", e);
	kdb(MICA_KDEBUG_KDB_ENTER, 0x100,
	    "capability test: gate 0x100, copy 0x101, irq 0x102, factory 0x103");
}

/* ---- block ----------------------------------------------------------------- */

#define GATE_IDLE 0x110	  /* nobody sends: its closed receiver waits */
#define GATE_SERVED 0x111 /* bound to that receiver, which never takes it */
#define GATE_SLOW 0x112	  /* its server takes a call and never replies */

static void receiver(long arg)
{
	(void)arg;
	mica_wait(GATE_IDLE, MICA_TIMEOUT_NEVER, 0);
	forever();
}

static void caller(long gate)
{
	mica_call((mica_cap_t)gate, 1, 0);
	forever();
}

static void slow_server(long arg)
{
	(void)arg;
	mica_wait(GATE_SLOW, MICA_TIMEOUT_NEVER, 0);
	forever(); /* owes the reply, and keeps it */
}

static void block_mode(void)
{
	int e = mica_create_gate(MICA_CAP_FACTORY, GATE_IDLE, 0, 0x1d1e);
	if (e)
		fail("creating gates", e);
	mica_cap_t r = start(receiver, 0, 0, 0);
	if ((e = mica_create_gate(MICA_CAP_FACTORY, GATE_SERVED, r, 0x5e4d)) ||
	    (e = mica_create_gate(MICA_CAP_FACTORY, GATE_SLOW, 0, 0x510e)))
		fail("creating gates", e);
	start(slow_server, 0, 0, 0);
	sleep_ms(5);
	start(caller, GATE_SERVED, 0, 0);
	start(caller, GATE_SLOW, 0, 0);
	sleep_ms(5);
	kdb(MICA_KDEBUG_KDB_ENTER, 0,
	    "blocked threads: a receiver, a sender, a caller waiting for its reply");
}

/* ---- map ------------------------------------------------------------------- */

static char page[4096] __attribute__((aligned(4096))) = "kdbtarget: a page to map";

#define CHILD 0x120
#define GRANDCHILD 0x121
#define CHILD_AT 0x10000000ul
#define GRANDCHILD_AT 0x20000000ul

static void map_mode(void)
{
	int e = mica_create_task(MICA_CAP_FACTORY, CHILD, MICA_BOOT_UTCB_ADDR, MICA_BOOT_UTCB_AREA_LOG2);
	if (!e)
		e = mica_create_task(MICA_CAP_FACTORY, GRANDCHILD, MICA_BOOT_UTCB_ADDR,
				     MICA_BOOT_UTCB_AREA_LOG2);
	if (!e)
		e = mica_task_map(CHILD, MICA_CAP_TASK, mica_fpage_mem((mica_word_t)page, 12, MICA_FPAGE_RW),
				  CHILD_AT, MICA_ITEM_MAP);
	if (!e)
		e = mica_task_map(GRANDCHILD, CHILD, mica_fpage_mem(CHILD_AT, 12, MICA_FPAGE_R),
				  GRANDCHILD_AT, MICA_ITEM_MAP);
	if (e)
		fail("mapping the page", e);
	printf("kdbtarget: the page at %p holds '%s'\n", (void *)page, page);
	kdb(MICA_KDEBUG_KDB_ENTER, (mica_word_t)page, "mapping test: $ is the page");
}

/* ---- pingpong -------------------------------------------------------------- */

#define PONG_GATE 0x130
#define PING_LABEL 0x5a5a
#define PING_OP 7

static volatile unsigned long rounds;
static volatile int stop;

static void pong(long arg)
{
	(void)arg;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		(void)t;
		mica_mr()[0] += 1;
		t = mica_reply_wait(mica_msgtag(0, 1, 0, 0), MICA_CAP_INVALID, &label);
	}
}

static void ping(long arg)
{
	(void)arg;
	while (!stop) {
		mica_mr()[0] = rounds;
		mica_msgtag_t t = mica_call(PONG_GATE, PING_OP, 1);
		if (!mica_msgtag_is_error(t))
			rounds = mica_mr()[0];
	}
	forever();
}

static void pingpong_mode(int argc, char **argv)
{
	unsigned cpu_ping = argc > 2 ? (unsigned)strtoul(argv[2], 0, 0) : 0;
	unsigned cpu_pong = argc > 3 ? (unsigned)strtoul(argv[3], 0, 0) : 0;
	mica_cap_t p = start(pong, 0, cpu_pong, 0);
	int e = mica_create_gate(MICA_CAP_FACTORY, PONG_GATE, p, PING_LABEL);
	if (e)
		fail("creating the gate", e);
	start(ping, 0, cpu_ping, 0);
	while (rounds < 100)
		sleep_ms(1);
	printf("kdbtarget: ping-pong running (ping on CPU %u, pong on CPU %u)\n", cpu_ping, cpu_pong);
	char line[32];
	do
		read_line(line, sizeof(line));
	while (strcmp(line, "stop") != 0);
	unsigned long before = rounds;
	sleep_ms(20);
	unsigned long after = rounds;
	stop = 1;
	printf("kdbtarget: ping-pong %s: %lu rounds, %lu in the last 20 ms\n",
	       after > before ? "continues" : "stalled", after, after - before);
}

/* ---- breakpoints ----------------------------------------------------------- */

static volatile unsigned long watched;

__attribute__((noinline)) static void target(void)
{
	__asm__ volatile("nop; nop");
	watched++;
}

static void bp_mode(void)
{
	kdb(MICA_KDEBUG_KDB_ENTER, (mica_word_t)target, "breakpoint test: $ is the function");
	target();
	printf("kdbtarget: breakpoint test done, target ran %lu time(s)\n", watched);
}

#define EXC_GATE 0x140

static void handler(long arg)
{
	(void)arg;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		mica_word_t w[MICA_EXC_WORDS];
		memcpy(w, mica_mr(), sizeof(w));
		printf("kdbtarget: handler: exception %lu at ip 0x%lx, debug status 0x%lx%s%s\n",
		       w[MICA_EXC_VECTOR], w[MICA_EXC_IP], w[MICA_EXC_ERROR],
		       (w[MICA_EXC_ERROR] & 1) ? " (breakpoint 0)" : "",
		       (w[MICA_EXC_ERROR] & (1ul << 14)) ? " (single step)" : "");
		(void)t;
		/* No words back: the thread goes on as it was. */
		t = mica_reply_wait(mica_msgtag(0, 0, 0, 0), MICA_CAP_INVALID, &label);
	}
}

static void bphandler_mode(void)
{
	mica_cap_t h = start(handler, 0, 0, 0);
	int e = mica_create_gate(MICA_CAP_FACTORY, EXC_GATE, h, 0xe1c);
	if (!e)
		e = mica_thread_control(MICA_CAP_THREAD, MICA_THREAD_CTL_EXC, 0, 0, 0, EXC_GATE);
	if (e)
		fail("setting up the exception handler", e);
	kdb(MICA_KDEBUG_KDB_RUN, (mica_word_t)&watched, "catch off; bp . $ w 8");
	watched = 5;
	printf("kdbtarget: wrote the watched word: %lu\n", watched);
	kdb(MICA_KDEBUG_KDB_RUN, 0, "bc all; ss .");
	printf("kdbtarget: breakpoint handler test done\n");
}

static void trace_mode(void)
{
	kdb(MICA_KDEBUG_KDB_RUN, 0, "tr clear; tr on");
	printf("kdbtarget: traced\n");
	mica_word_t type, rights;
	mica_cap_info(MICA_CAP_TASK, MICA_CAP_VCON, &type, &rights);
	mica_send(0x999, 1, 0); /* names nothing: an error */
	kdb(MICA_KDEBUG_KDB_RUN, 0, "tr off; tr task . 12");
}

int main(int argc, char **argv)
{
	mica_touch_image();
	/* As the root task, the words come from the module's command line. */
	static char args[128];
	static char *words[8];
	if (argc <= 1) {
		const char *b = boot_args();
		for (unsigned i = 0; b[i] && i + 1 < sizeof(args); i++)
			args[i] = b[i];
		argc = 1;
		argv = words;
		for (char *p = args; *p && argc < 8;) {
			while (*p == ' ')
				*p++ = 0;
			if (!*p)
				break;
			words[argc++] = p;
			while (*p && *p != ' ')
				p++;
		}
	}
	const char *mode = argc > 1 ? argv[1] : "wait";
	printf("kdbtarget: %s\n", mode);
	if (!strcmp(mode, "wait"))
		wait_mode();
	else if (!strcmp(mode, "caps"))
		caps_mode();
	else if (!strcmp(mode, "block"))
		block_mode();
	else if (!strcmp(mode, "map"))
		map_mode();
	else if (!strcmp(mode, "pingpong"))
		pingpong_mode(argc, argv);
	else if (!strcmp(mode, "bp"))
		bp_mode();
	else if (!strcmp(mode, "bphandler"))
		bphandler_mode();
	else if (!strcmp(mode, "trace"))
		trace_mode();
	else if (!strcmp(mode, "run"))
		kdb(MICA_KDEBUG_KDB_RUN, 0, argc > 2 ? argv[2] : "help");
	else
		printf("kdbtarget: unknown mode '%s'\n", mode);
	printf("kdbtarget: done\n");
	return 0;
}
