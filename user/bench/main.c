/* The benchmark root task: times kernel operations with the time-stamp
 * counter. Under QEMU TCG with -icount shift=0 a TSC tick is one guest
 * instruction, so the numbers are instruction counts. Arguments (from
 * its command line): mode=icount|kvm iter=N only=NAME,NAME,... (only
 * those benchmarks; a trailing * matches a prefix, for tracing one
 * path). Each result line is
 *   bench: NAME median=.. min=.. mean=.. stddev=.. p99=.. n=.. unit=..
 * with the cost of the timestamps themselves subtracted. */
#include <boot_env.h>
#include <console.h>
#include <format.h>
#include <mica/factory.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica/vm.h>
#include <mica_clock.h>
#include <mica_image.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_mem.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "loader_server.h"
#include "x2_bench.h"
#include <l4/ipc.h>
#include <system/system.h>

#define MAX_ITER 20000
#define WARMUP 100

static uint64_t samples[MAX_ITER];
static unsigned iter = 10000;
static const char *unit = "instructions";
static uint64_t overhead;
static const char *only; /* the value of only=, up to a space */

/* Every benchmark: a name in only= that matches none of them is a typo
 * or a command line cut short, never a silent no-op. */
static const char *const benchmarks[] = {
	"null_syscall",
	"ipc_rt_inter_0w",
	"ipc_rt_inter_8w",
	"ipc_rt_inter_63w",
	"ipc_rt_intra_0w",
	"yield_same_prio",
	"pf_rt",
	"exc_rt",
	"map_1",
	"unmap_1",
	"map_512",
	"unmap_512",
	"virq_latency",
	"task_create_destroy",
	"ipc_rt_inter_0w_crowded",
	"prog_start_exit",
	"init_start_wait",
	"pf_rm_anon",
	"rm_attach_detach",
	"fs_read_64k",
	"x2_ipc_call_0w",
	"libc_mutex_uncontended",
	"libc_mutex_handoff",
	"libc_write_log",
	"libc_malloc_free_64",
	"ipc_rt_cross_cpu_0w",
	"ipc_rt_inter_0w_4cpu",
	/* The scaling series (docs/benchmarks.md): one figure per size. */
	"scale_ipc_tasks_0",
	"scale_ipc_tasks_10",
	"scale_ipc_tasks_100",
	"scale_destroy_pages_0",
	"scale_destroy_pages_1",
	"scale_destroy_pages_16",
	"scale_destroy_pages_256",
	"scale_destroy_spread_16",
	"scale_destroy_caps_16",
	"scale_destroy_caps_256",
	"scale_unmap_8",
	"scale_unmap_64",
	"scale_lookup_sel_512",
	"scale_lookup_sel_32768",
	"scale_lookup_sel_1048576",
	"scale_lookup_sel_16777215",
	"vcpu_upcall_rt",
	"vm_exit_rt",
};

/* Steps *p over the next name of only= (ended by ',', ' ' or the end);
 * returns its length, 0 when none is left. */
static size_t next_name(const char **p, const char **name)
{
	while (**p == ',')
		(*p)++;
	*name = *p;
	while (**p && **p != ' ' && **p != ',')
		(*p)++;
	return (size_t)(*p - *name);
}

/* A name of only= (a trailing '*' matches a prefix) against a benchmark. */
static bool matches(const char *pat, size_t n, const char *name)
{
	return pat[n - 1] == '*' ? strncmp(pat, name, n - 1) == 0
				 : strncmp(pat, name, n) == 0 && name[n] == 0;
}

static bool want(const char *name)
{
	if (!only)
		return true;
	const char *p = only, *pat;
	for (size_t n; (n = next_name(&p, &pat));)
		if (matches(pat, n, name))
			return true;
	return false;
}

/* Whether a benchmark whose name starts with prefix is wanted. */
static bool want_any(const char *prefix)
{
	for (unsigned i = 0; i < sizeof(benchmarks) / sizeof(benchmarks[0]); i++)
		if (strncmp(benchmarks[i], prefix, strlen(prefix)) == 0 && want(benchmarks[i]))
			return true;
	return false;
}

/* The first name of only= that matches no benchmark (its length in *len),
 * or 0. */
static const char *unknown_name(size_t *len)
{
	const char *p = only, *pat;
	for (size_t n; only && (n = next_name(&p, &pat));) {
		bool known = false;
		for (unsigned i = 0; i < sizeof(benchmarks) / sizeof(benchmarks[0]); i++)
			known |= matches(pat, n, benchmarks[i]);
		if (!known) {
			*len = n;
			return pat;
		}
	}
	return 0;
}

static inline uint64_t stamp(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static void sort(uint64_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static uint64_t isqrt(uint64_t v)
{
	uint64_t r = 0;
	for (uint64_t b = 1ul << 62; b; b >>= 2) {
		if (v >= r + b) {
			v -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* divisor: operations per sample (e.g. 2 for a yield there and back). */
static void report(const char *name, unsigned n, unsigned divisor)
{
	for (unsigned i = 0; i < n; i++)
		samples[i] = (samples[i] > overhead ? samples[i] - overhead : 0) / divisor;
	sort(samples, n);
	uint64_t sum = 0, sq = 0;
	for (unsigned i = 0; i < n; i++)
		sum += samples[i];
	uint64_t mean = sum / n;
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = samples[i] > mean ? samples[i] - mean : mean - samples[i];
		sq += d * d;
	}
	printf("bench: %s median=%lu min=%lu mean=%lu stddev=%lu p99=%lu n=%u unit=%s\n", name,
	       samples[n / 2], samples[0], mean, isqrt(sq / n), samples[(n * 99) / 100], n, unit);
}

static void measure_overhead(void)
{
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = stamp();
		samples[i] = stamp() - t0;
	}
	sort(samples, iter);
	overhead = samples[0];
	printf("bench: timestamp overhead %lu %s (subtracted from every sample)\n", overhead, unit);
}

/* ---- helpers: threads running functions of this image ---- */

#define SEL(n) ((mica_cap_t)(0x100 + (n)))
static mica_cap_t next_sel = 0x100;
static mica_cap_t new_sel(void)
{
	return next_sel++;
}

#define STACK 2048
static _Alignas(16) uint8_t stacks[1100][STACK];
static unsigned next_stack;

/* The CPU place() puts threads on: 0 but for the multiprocessor
 * benchmarks. */
static unsigned place_cpu;

/* Every thread the benchmarks start runs at the defaults unless a
 * benchmark places it otherwise afterwards. */
static int place(mica_cap_t th)
{
	return mica_sched_run_thread(MICA_CAP_SCHEDULER, th, MICA_SCHED_DEFAULT_PRIO,
				     MICA_SCHED_DEFAULT_SLICE_NS, place_cpu);
}

static int start_thread(mica_cap_t task, uint64_t utcb, void (*fn)(void), mica_cap_t *out)
{
	mica_cap_t th = new_sel();
	int e = mica_create_thread(MICA_CAP_FACTORY, th);
	if (e == MICA_OK)
		e = mica_thread_control(th, MICA_THREAD_CTL_BIND, task, utcb, 0, 0);
	if (e == MICA_OK)
		e = place(th);
	if (e == MICA_OK)
		e = mica_thread_start(th, (mica_word_t)fn, (mica_word_t)&stacks[next_stack++][STACK - 8], 0);
	if (out)
		*out = th;
	return e;
}

#define CHILD_UTCB 0x7fff00000000ul

static mica_cap_t new_task(void)
{
	mica_cap_t t = new_sel();
	if (mica_create_task(MICA_CAP_FACTORY, t, CHILD_UTCB, 14) != MICA_OK ||
	    mica_share_image(t) != MICA_OK)
		return 0;
	return t;
}

/* An echo server: answers every call with the words it got. */
static void __attribute__((noreturn)) echo(void)
{
	mica_word_t label;
	mica_msgtag_t t = mica_wait(0, MICA_TIMEOUT_NEVER, &label);
	for (;;)
		t = mica_reply_wait(mica_msgtag(0, mica_msgtag_u(t), 0, 0), 0, &label);
}

static void __attribute__((noreturn)) sleeper(void)
{
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

/* A gate bound to a new echo thread in task (KTASK: this one). */
static mica_cap_t echo_gate(mica_cap_t task, uint64_t utcb)
{
	mica_cap_t th, g = new_sel();
	if (start_thread(task, utcb, echo, &th) != MICA_OK ||
	    mica_create_gate(MICA_CAP_FACTORY, g, th, 1) != MICA_OK)
		return 0;
	mica_thread_yield(MICA_CAP_THREAD); /* let it reach its wait */
	return g;
}

/* ---- the benchmarks ---- */

static void null_syscall(void)
{
	mica_msgtag_t tag = mica_msgtag(0, 0, 0, 0);
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		uint64_t t0 = stamp();
		mica_ipc(MICA_CAP_INVALID, tag, MICA_IPC_SEND, 0, 0, 0);
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("null_syscall", iter, 1);
}

static void round_trip(const char *name, mica_cap_t g, unsigned words)
{
	mica_msgtag_t tag = mica_msgtag(1, words, 0, 0);
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		uint64_t t0 = stamp();
		mica_msgtag_t r = mica_ipc(g, tag, MICA_IPC_CALL, 0, 0, 0);
		uint64_t t1 = stamp();
		if (mica_msgtag_is_error(r)) {
			printf("bench: %s: call failed with error %lu\n", name, mica_msgtag_label(r));
			return;
		}
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report(name, iter, 1);
}

/* An X.2 L4_Call round trip through the personality (user/x2) to an
 * X.2 echo server in another space: ipc_rt_inter_0w plus the personality. */
static void x2_round_trip(void)
{
	L4_ThreadId_t echo = x2_bench_echo();
	if (L4_IsNilThread(echo)) {
		printf("bench: x2_ipc_call_0w: could not start the X.2 echo server\n");
		return;
	}
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		L4_LoadMR(0, 0);
		uint64_t t0 = stamp();
		L4_MsgTag_t r = L4_Call(echo);
		uint64_t t1 = stamp();
		if (L4_IpcFailed(r)) {
			printf("bench: x2_ipc_call_0w: call failed with error %lu\n", L4_ErrorCode());
			return;
		}
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("x2_ipc_call_0w", iter, 1);
}

static mica_cap_t other_thread;

static void __attribute__((noreturn)) yielder(void)
{
	for (;;)
		mica_thread_yield(other_thread);
}

static void yield_same_prio(void)
{
	mica_cap_t th;
	if (start_thread(MICA_CAP_TASK, MICA_BOOT_UTCB_ADDR + 2 * MICA_UTCB_SIZE, yielder, &th) != MICA_OK)
		return;
	other_thread = MICA_CAP_THREAD;
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		uint64_t t0 = stamp();
		mica_thread_yield(th);
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	mica_thread_halt_other(th);
	report("yield_same_prio", iter, 2); /* there and back: two switches */
}

static void task_create_destroy(void)
{
	unsigned n = iter < 2000 ? iter : 2000;
	mica_cap_t t = new_sel(), th = new_sel();
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = stamp();
		mica_create_task(MICA_CAP_FACTORY, t, CHILD_UTCB, 12);
		mica_create_thread(MICA_CAP_FACTORY, th);
		mica_thread_control(th, MICA_THREAD_CTL_BIND, t, CHILD_UTCB, 0, 0);
		mica_cap_delete(MICA_CAP_TASK, th);
		mica_cap_delete(MICA_CAP_TASK, t);
		uint64_t t1 = stamp();
		samples[i] = t1 - t0;
	}
	report("task_create_destroy", n, 1);
}

/* One cycle: CREATE of the exit0 module through the loader (memory and
 * kernel quotas of their own, ELF, region map, stack, log), NOTIFY with
 * an IRQ, the program running to its exit, the loader reclaiming it and
 * triggering the IRQ, STATUS; then DELETE of the program object. */
static int start_exit(mica_cap_t loader, mica_cap_t alloc, mica_cap_t prog, mica_cap_t q)
{
	static const char cmd[] = "exit0";
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_PROTO_PROGRAM;
	mr[1] = 512ul << 10;
	mr[2] = 256ul << 10;
	mr[3] = sizeof(cmd) - 1;
	mr[4] = 0;
	memcpy(&mr[4], cmd, sizeof(cmd) - 1);
	mr[5] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[6] = mica_fpage_obj(alloc, 0, MICA_RIGHTS_ALL);
	mr[7] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[8] = mica_fpage_obj(MICA_CAP_FACTORY, 0, MICA_RIGHTS_ALL);
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(prog, 0, MICA_RIGHTS_ALL);
	int e = mica_error(
		mica_ipc(loader, mica_msgtag(MICA_FACTORY_CREATE, 5, 4, 0), MICA_IPC_CALL, 0, 0, 0));
	if (e != MICA_OK)
		return e;
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_obj(q, 0, MICA_RIGHTS_ALL);
	if ((e = mica_error(mica_ipc(prog, mica_msgtag(MICA_PROGRAM_NOTIFY, 0, 2, 0), MICA_IPC_CALL, 0, 0,
				     0))) != MICA_OK)
		return e;
	mica_word_t label;
	if ((e = mica_error(mica_wait(0, MICA_TIMEOUT_NEVER, &label))) != MICA_OK ||
	    (e = mica_error(mica_call(prog, MICA_PROGRAM_STATUS, 0))) != MICA_OK)
		return e;
	if (mr[0] != MICA_PROGRAM_EXITED || mr[1] != 0)
		return -1;
	return mica_error(mica_call(prog, MICA_OBJ_DELETE, 0));
}

/* The system server (the root task's: memory, region maps, ROM, logs,
 * loader) on a thread of this task, started once for the benchmarks
 * that need it: MICA_OK and its root allocator's and loader's
 * capabilities. */
static int system_server(mica_cap_t *alloc, mica_cap_t *loader)
{
	static int e = -1;
	static mica_cap_t a, l;
	if (e < 0) {
		e = loader_server_start(0x4000, MICA_BOOT_UTCB_ADDR + 5 * MICA_UTCB_SIZE, &a, &l);
		mica_thread_yield(MICA_CAP_THREAD); /* let it reach its wait */
	}
	*alloc = a;
	*loader = l;
	return e;
}

static void prog_start_exit(void)
{
	unsigned n = iter < 300 ? iter : 300;
	mica_cap_t alloc, loader, prog = new_sel(), q = new_sel();
	int e = system_server(&alloc, &loader);
	if (e != MICA_OK || mica_create_irq(MICA_CAP_FACTORY, q) != MICA_OK ||
	    mica_irq_attach(q, MICA_CAP_THREAD, 0x51) != MICA_OK) {
		printf("bench: prog_start_exit: could not start the loader server (error %d)\n", e);
		return;
	}
	for (unsigned i = 0; i < 10 + n; i++) {
		uint64_t t0 = stamp();
		e = start_exit(loader, alloc, prog, q);
		uint64_t t1 = stamp();
		if (e != MICA_OK) {
			printf("bench: prog_start_exit: cycle %u failed: error %d\n", i, e);
			return;
		}
		if (i >= 10)
			samples[i - 10] = t1 - t0;
	}
	report("prog_start_exit", n, 1);
}

/* init_start_wait: init (a boot module) runs user/bench/init_start_wait.lua,
 * which starts exit0 from the script and waits for it, and prints the
 * result line itself (its output goes to the Vcon). Init is created held,
 * given the loader, its log replaced by the Vcon, then started. */
static void init_start_wait(void)
{
	unsigned n = iter < 300 ? iter : 300;
	static const char prefix[] = "init\0rom/init_start_wait.lua";
	char cmd[48];
	size_t len = sizeof(prefix);
	memcpy(cmd, prefix, len);
	char digits[12];
	unsigned nd = 0;
	for (unsigned v = n; v || !nd; v /= 10)
		digits[nd++] = (char)('0' + v % 10);
	while (nd)
		cmd[len++] = digits[--nd];
	mica_cap_t alloc, loader, prog = new_sel(), q = new_sel();
	int e = system_server(&alloc, &loader);
	mica_word_t *mr = mica_mr();
	if (e == MICA_OK && (e = mica_create_irq(MICA_CAP_FACTORY, q)) == MICA_OK)
		e = mica_irq_attach(q, MICA_CAP_THREAD, 0x52);
	if (e == MICA_OK) {
		unsigned w = 4 + (unsigned)((len + 7) / 8);
		mr[0] = MICA_PROTO_PROGRAM_HELD;
		mr[1] = 32ul << 20;
		mr[2] = 2ul << 20;
		mr[3] = len;
		memset(&mr[4], 0, 8 * ((len + 7) / 8));
		memcpy(&mr[4], cmd, len);
		mr[w] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[w + 1] = mica_fpage_obj(alloc, 0, MICA_RIGHTS_ALL);
		mr[w + 2] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[w + 3] = mica_fpage_obj(MICA_CAP_FACTORY, 0, MICA_RIGHTS_ALL);
		mica_utcb()->br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(prog, 0, MICA_RIGHTS_ALL);
		e = mica_error(
			mica_ipc(loader, mica_msgtag(MICA_FACTORY_CREATE, w, 4, 0), MICA_IPC_CALL, 0, 0, 0));
	}
	if (e == MICA_OK) { /* the loader at MICA_CAP_LOADER */
		mr[0] = MICA_CAP_LOADER;
		mr[1] = 0;
		mr[2] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[3] = mica_fpage_obj(loader, 0, MICA_RIGHTS_ALL);
		e = mica_error(
			mica_ipc(prog, mica_msgtag(MICA_PROGRAM_GIVE, 2, 2, 0), MICA_IPC_CALL, 0, 0, 0));
	}
	if (e == MICA_OK) {
		mr[0] = MICA_PROGRAM_LOG_VCON;
		mr[1] = 0;
		e = mica_error(mica_call(prog, MICA_PROGRAM_LOG, 2));
	}
	if (e == MICA_OK) {
		mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[1] = mica_fpage_obj(q, 0, MICA_RIGHTS_ALL);
		e = mica_error(
			mica_ipc(prog, mica_msgtag(MICA_PROGRAM_NOTIFY, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0));
	}
	mica_word_t label;
	if (e == MICA_OK && (e = mica_error(mica_call(prog, MICA_PROGRAM_START, 0))) == MICA_OK &&
	    (e = mica_error(mica_wait(0, MICA_TIMEOUT_NEVER, &label))) == MICA_OK)
		e = mica_error(mica_call(prog, MICA_PROGRAM_STATUS, 0));
	if (e != MICA_OK || mr[0] != MICA_PROGRAM_EXITED || mr[1] != 0)
		printf("bench: init_start_wait: init failed (error %d, state %lu, status %lu)\n", e,
		       (unsigned long)mr[0], (unsigned long)mr[1]);
	mica_call(prog, MICA_OBJ_DELETE, 0);
}

/* Starts the musl program cmd (boot module) with memq bytes and waits
 * for its end: MICA_OK and its exit status, or an error. */
static int run_program(mica_cap_t loader, mica_cap_t alloc, mica_cap_t prog, mica_cap_t q, const char *cmd,
		       mica_word_t memq, mica_word_t *status)
{
	size_t n = strlen(cmd);
	unsigned w = 4 + (unsigned)((n + 7) / 8);
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_PROTO_PROGRAM;
	mr[1] = memq;
	mr[2] = 256ul << 10;
	mr[3] = n;
	memset(&mr[4], 0, 8 * ((n + 7) / 8));
	memcpy(&mr[4], cmd, n);
	mr[w] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[w + 1] = mica_fpage_obj(alloc, 0, MICA_RIGHTS_ALL);
	mr[w + 2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[w + 3] = mica_fpage_obj(MICA_CAP_FACTORY, 0, MICA_RIGHTS_ALL);
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(prog, 0, MICA_RIGHTS_ALL);
	int e = mica_error(
		mica_ipc(loader, mica_msgtag(MICA_FACTORY_CREATE, w, 4, 0), MICA_IPC_CALL, 0, 0, 0));
	if (e != MICA_OK)
		return e;
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_obj(q, 0, MICA_RIGHTS_ALL);
	mica_word_t label;
	if ((e = mica_error(mica_ipc(prog, mica_msgtag(MICA_PROGRAM_NOTIFY, 0, 2, 0), MICA_IPC_CALL, 0, 0,
				     0))) != MICA_OK ||
	    (e = mica_error(mica_wait(0, MICA_TIMEOUT_NEVER, &label))) != MICA_OK ||
	    (e = mica_error(mica_call(prog, MICA_PROGRAM_STATUS, 0))) != MICA_OK)
		return e;
	*status = mr[0] == MICA_PROGRAM_EXITED ? mr[1] : ~0ul;
	return mica_error(mica_call(prog, MICA_OBJ_DELETE, 0));
}

/* fs_read_64k: the program libc_fsbench measures read() of a 64 KiB
 * /tmp file through musl itself (the same TSC reads as here) and leaves
 * its samples in /tmp, which this task serves: read them from there. */
static void fs_read_64k(void)
{
	mica_cap_t alloc, loader, prog = new_sel(), q = new_sel();
	mica_word_t status = 0;
	int e = system_server(&alloc, &loader);
	if (e == MICA_OK && (e = mica_create_irq(MICA_CAP_FACTORY, q)) == MICA_OK &&
	    (e = mica_irq_attach(q, MICA_CAP_THREAD, 0x52)) == MICA_OK)
		e = run_program(loader, alloc, prog, q, "libc_fsbench", 4ul << 20, &status);
	if (e != MICA_OK || status != 0) {
		printf("bench: fs_read_64k: the program failed (error %d, status %lu)\n", e, status);
		return;
	}
	struct ramfs *fs = &loader_server_system()->fs;
	char path[] = "/fs_read_64k.samples";
	struct ramfs_walk w;
	unsigned n = 100;
	if (ramfs_walk(fs, path, &w) || !w.node || w.node->size != n * sizeof(samples[0]) ||
	    ramfs_io(w.node, 0, samples, n * sizeof(samples[0]), false)) {
		printf("bench: fs_read_64k: no samples in /tmp\n");
		return;
	}
	ramfs_unlink(fs, w.node);
	report("fs_read_64k", n, 1);
}

/* The libc_ benchmarks: the program libc_libcbench measures them through
 * musl itself and leaves the samples of all four in one /tmp file, in
 * this order (user/tests/libc/libcbench.c says what each sample is). */
static const char *const libc_benches[] = {
	"libc_mutex_uncontended",
	"libc_mutex_handoff",
	"libc_write_log",
	"libc_malloc_free_64",
};
#define LIBC_SAMPLES 100

static void libc_bench(void)
{
	mica_cap_t alloc, loader, prog = new_sel(), q = new_sel();
	mica_word_t status = 0;
	int e = system_server(&alloc, &loader);
	if (e == MICA_OK && (e = mica_create_irq(MICA_CAP_FACTORY, q)) == MICA_OK &&
	    (e = mica_irq_attach(q, MICA_CAP_THREAD, 0x52)) == MICA_OK)
		e = run_program(loader, alloc, prog, q, "libc_libcbench", 4ul << 20, &status);
	if (e != MICA_OK || status != 0) {
		printf("bench: libc_*: the program failed (error %d, status %lu)\n", e, status);
		return;
	}
	struct ramfs *fs = &loader_server_system()->fs;
	char path[] = "/libc_bench.samples";
	struct ramfs_walk w;
	const unsigned n = LIBC_SAMPLES;
	const mica_word_t each = (mica_word_t)n * sizeof(samples[0]);
	if (ramfs_walk(fs, path, &w) || !w.node || w.node->size != 4ul * each) {
		printf("bench: libc_*: no samples in /tmp\n");
		return;
	}
	for (unsigned b = 0; b < 4; b++) {
		if (ramfs_io(w.node, (mica_word_t)b * each, samples, each, false))
			return;
		if (want(libc_benches[b]))
			report(libc_benches[b], n, 1);
	}
	ramfs_unlink(fs, w.node);
}

/* How many tasks of the crowd exist: the crowd only grows. */
static unsigned crowd_tasks;

/* Grows the crowd to `tasks` tasks with 10 blocked threads each. */
static void crowd_to(unsigned tasks)
{
	for (; crowd_tasks < tasks; crowd_tasks++) {
		unsigned t = crowd_tasks;
		mica_cap_t task = new_task();
		for (unsigned k = 0; task && k < 10; k++)
			if (start_thread(task, CHILD_UTCB + k * MICA_UTCB_SIZE, sleeper, 0) != MICA_OK)
				task = 0;
		if (!task) {
			printf("bench: could not build the crowd (task %u)\n", t);
			return;
		}
	}
	mica_thread_yield(MICA_CAP_THREAD);
}

static void crowd(void)
{
	crowd_to(100);
}

/* ---- faults and exceptions: a thread of a child task, its pager or
 * exception handler a thread here ---- */

#define FAULT_AREA 0x600000000000ul /* nothing mapped here in the child */
#define PF_LABEL 0x9f
static _Alignas(4096) uint8_t pf_page[4096];

/* Set by the child when its last sample is stored: the report waits. */
static volatile bool child_done;

/* The child's last sample is stored: it says so and waits for good. */
static void __attribute__((noreturn)) child_finish(void)
{
	child_done = true;
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

/* Touches a fresh page per iteration: each is a page fault. */
static void __attribute__((noreturn)) faulter(void)
{
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		volatile uint8_t *p = (volatile uint8_t *)(FAULT_AREA + (uint64_t)i * 4096);
		uint64_t t0 = stamp();
		(void)*p;
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	child_finish();
}

/* Raises #UD per iteration; the handler skips the instruction. */
static void __attribute__((noreturn)) excepter(void)
{
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		uint64_t t0 = stamp();
		__asm__ volatile("ud2" ::: "memory");
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	child_finish();
}

/* Serves the child's WARMUP + iter faults (pf) or exceptions (exc) on
 * gate g: the page-fault answer maps pf_page there, the exception answer
 * moves the IP past the 2-byte ud2. */
static void serve_child(mica_cap_t g, bool pf)
{
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	mica_word_t *mr = mica_mr();
	for (unsigned i = 0; !mica_msgtag_is_error(t); i++) {
		mica_msgtag_t answer;
		if (pf) {
			mica_word_t va = mr[0] & ~0xffful;
			mr[0] = mica_item_mem(va, MICA_ITEM_MAP);
			mr[1] = mica_fpage_mem((mica_word_t)pf_page, 12, MICA_FPAGE_R);
			answer = mica_msgtag(0, 0, MICA_ITEM_WORDS, 0);
		} else {
			mr[MICA_EXC_IP] += 2;
			answer = mica_msgtag(0, MICA_EXC_WORDS, 0, 0);
		}
		if (i + 1 == WARMUP + iter) {
			mica_reply(answer);
			return;
		}
		t = mica_reply_wait(answer, g, &label);
	}
	printf("bench: serving the child failed: error %lu\n", mica_msgtag_label(t));
}

static void fault_round_trip(const char *name, bool pf)
{
	child_done = false;
	mica_cap_t task = new_task(), g = new_sel(), th = new_sel();
	if (!task || mica_create_gate(MICA_CAP_FACTORY, g, 0, 0) != MICA_OK ||
	    mica_cap_copy(task, g, 4, MICA_GATE_R_SEND, PF_LABEL) != MICA_OK ||
	    mica_create_thread(MICA_CAP_FACTORY, th) != MICA_OK ||
	    mica_thread_control(th, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, task,
				CHILD_UTCB, 4, 4) != MICA_OK ||
	    place(th) != MICA_OK ||
	    mica_thread_start(th, (mica_word_t)(pf ? faulter : excepter),
			      (mica_word_t)&stacks[next_stack++][STACK - 8], 0) != MICA_OK) {
		printf("bench: %s: could not set up the child\n", name);
		return;
	}

	serve_child(g, pf);
	while (!child_done)
		mica_thread_yield(MICA_CAP_THREAD); /* the child stores its last sample */
	mica_task_destroy(task);
	report(name, iter, 1);
}

/* ---- map and unmap: 4 KiB pages of ours into a child task ---- */

#define MAP_SRC 0x500000000000ul /* 2 MiB of ours, in 4 KiB pages */
#define MAP_DST 0x500000000000ul

/* MAP_SRC's 512 pages, from sigma0 one at a time (once). */
static bool map_source(void)
{
	static bool have;
	for (unsigned i = 0; !have && i < 512; i++)
		if (mica_sigma0_ram(MICA_CAP_PAGER, MAP_SRC + i * 4096ul, 12, MICA_FPAGE_RW, 0) != MICA_OK) {
			printf("bench: map: no memory from sigma0\n");
			return false;
		}
	have = true;
	return true;
}

static void map_unmap(void)
{
	if (!map_source())
		return;
	mica_cap_t task = new_sel();
	if (mica_create_task(MICA_CAP_FACTORY, task, CHILD_UTCB, 14) != MICA_OK)
		return;
	static const struct {
		const char *map, *unmap;
		unsigned log2;
	} sizes[] = { { "map_1", "unmap_1", 12 }, { "map_512", "unmap_512", 21 } };
	static uint64_t unmaps[MAX_ITER];
	for (unsigned s = 0; s < 2; s++) {
		unsigned n = s ? (iter < 1000 ? iter : 1000) : iter;
		mica_word_t src = mica_fpage_mem(MAP_SRC, sizes[s].log2, MICA_FPAGE_RW);
		mica_word_t dst = mica_fpage_mem(MAP_DST, sizes[s].log2, MICA_FPAGE_RW);
		for (unsigned i = 0; i < WARMUP + n; i++) {
			mica_word_t fp = dst;
			uint64_t t0 = stamp();
			int e = mica_task_map(task, MICA_CAP_TASK, src, MAP_DST, MICA_ITEM_MAP);
			uint64_t t1 = stamp();
			int e2 = mica_task_unmap(task, MICA_UNMAP_FLUSH, &fp, 1);
			uint64_t t2 = stamp();
			if (e != MICA_OK || e2 != MICA_OK) {
				printf("bench: %s: error %d / %d\n", sizes[s].map, e, e2);
				return;
			}
			if (i >= WARMUP) {
				samples[i - WARMUP] = t1 - t0;
				unmaps[i - WARMUP] = t2 - t1;
			}
		}
		report(sizes[s].map, n, 1);
		memcpy(samples, unmaps, n * sizeof(samples[0]));
		report(sizes[s].unmap, n, 1);
	}
	mica_task_destroy(task);
}

/* ---- the region map: the system server's (system_server), a child
 * task whose pager is its region map ---- */

#define RM_AREA 0x600000000000ul /* where the child's dataspace is attached */

/* Writes to a fresh page of the attached dataspace per iteration. */
static void __attribute__((noreturn)) rm_writer(void)
{
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		volatile uint8_t *p = (volatile uint8_t *)(RM_AREA + (uint64_t)i * 4096);
		uint64_t t0 = stamp();
		*p = 1;
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	child_finish();
}

/* ATTACH and DETACH of a 64 KiB dataspace; false if they failed. Not
 * inlined, so that tools/bench-sample-trace.py finds its timestamps. */
static bool __attribute__((noinline)) attach_detach(mica_cap_t alloc, mica_cap_t rm)
{
	mica_cap_t small = new_sel();
	int e = mica_alloc_ds(alloc, 64ul << 10, 0, small);
	for (unsigned i = 0; e == MICA_OK && i < WARMUP + iter; i++) {
		mica_word_t at = RM_AREA;
		uint64_t t0 = stamp();
		e = mica_rm_attach(rm, &at, 0, 0, MICA_FPAGE_RW, small);
		if (e == MICA_OK)
			e = mica_rm_detach(rm, RM_AREA, 0, 0);
		uint64_t t1 = stamp();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	if (e != MICA_OK) {
		printf("bench: rm_attach_detach: error %d\n", e);
		return false;
	}
	report("rm_attach_detach", iter, 1);
	mica_obj_delete(small);
	return true;
}

static void region_map(mica_cap_t alloc)
{
	mica_cap_t task = new_task(), rm = new_sel(), ds = new_sel();
	mica_word_t at = RM_AREA;
	if (!task || mica_alloc_rm(alloc, task, rm) != MICA_OK) {
		printf("bench: region map: could not create it\n");
		return;
	}
	if (want("rm_attach_detach") && !attach_detach(alloc, rm))
		return;
	if (want("pf_rm_anon")) {
		mica_cap_t th = new_sel();
		child_done = false;
		if (mica_alloc_ds(alloc, (WARMUP + iter) * 4096ul, 0, ds) != MICA_OK ||
		    mica_rm_attach(rm, &at, 0, 0, MICA_FPAGE_RW, ds) != MICA_OK ||
		    mica_cap_copy(task, rm, 4, MICA_GATE_R_SEND, 0) != MICA_OK ||
		    mica_create_thread(MICA_CAP_FACTORY, th) != MICA_OK ||
		    mica_thread_control(th, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER, task, CHILD_UTCB, 4,
					0) != MICA_OK ||
		    place(th) != MICA_OK ||
		    mica_thread_start(th, (mica_word_t)rm_writer,
				      (mica_word_t)&stacks[next_stack++][STACK - 8], 0) != MICA_OK) {
			printf("bench: pf_rm_anon: could not set up the child\n");
			return;
		}
		for (unsigned i = 0; !child_done && i < 10 * (WARMUP + iter); i++)
			mica_thread_yield(MICA_CAP_THREAD);
		if (!child_done) {
			printf("bench: pf_rm_anon: the child did not finish\n");
			return;
		}
		report("pf_rm_anon", iter, 1);
	}
	mica_task_destroy(task);
	mica_obj_delete(rm);
	mica_obj_delete(ds);
}

/* ---- virtual IRQ: trigger -> the higher receiver has its message ---- */

static volatile uint64_t virq_t1;

static void __attribute__((noreturn)) virq_receiver(void)
{
	for (;;) {
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
		virq_t1 = stamp();
	}
}

static void virq_latency(void)
{
	mica_cap_t th, q = new_sel();
	if (start_thread(MICA_CAP_TASK, MICA_BOOT_UTCB_ADDR + 3 * MICA_UTCB_SIZE, virq_receiver, &th) !=
		    MICA_OK ||
	    mica_sched_run_thread(MICA_CAP_SCHEDULER, th, MICA_SCHED_DEFAULT_PRIO + 1, 10000000ul, 0) !=
		    MICA_OK ||
	    mica_create_irq(MICA_CAP_FACTORY, q) != MICA_OK || mica_irq_attach(q, th, 1) != MICA_OK) {
		printf("bench: virq_latency: could not set up the receiver\n");
		return;
	}
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		uint64_t t0 = stamp();
		mica_irq_trigger(q);
		if (i >= WARMUP)
			samples[i - WARMUP] = virq_t1 - t0;
	}
	mica_thread_halt_other(th);
	report("virq_latency", iter, 1);
}

/* ---- vCPU upcalls and VM exits (mica/vcpu.h, mica/vm.h) ---- */

/* The vCPU's state area: the last page of the boot UTCB area. */
#define VCPU_STATE (MICA_BOOT_UTCB_ADDR + (1ul << MICA_BOOT_UTCB_AREA_LOG2) - MICA_VCPU_STATE_SIZE)
#define VCPU_VS ((volatile struct mica_vm_state *)(VCPU_STATE + MICA_VM_STATE_OFFSET))
static mica_cap_t vcpu_self, vcpu_irq, vcpu_vm;
static volatile bool vcpu_done;
static volatile uint64_t vcpu_t0;
static volatile unsigned vcpu_n;

/* The guest: CPUID for ever, 16-bit real mode at guest-physical 0x1000. */
__asm__(".pushsection .text\n.balign 4096\nbench_guest:\n.code16\n1: cpuid\njmp 1b\n.code64\n.balign 4096\n"
	".popsection\n");
extern const char bench_guest[];

static void __attribute__((noreturn)) vcpu_stop(void)
{
	vcpu_done = true;
	for (;;)
		mica_thread_halt_other(vcpu_self);
}

/* An upcall: the IRQ is taken and the vCPU resumes, or the guest's
 * CPUID is answered (the time between two exits is one sample). */
static void __attribute__((noreturn)) vcpu_entry(volatile struct mica_vcpu_state *s)
{
	if (s->event == MICA_VCPU_EV_IPC) {
		mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ZERO, 0);
	} else if (s->event == MICA_VCPU_EV_VM_EXIT && s->info[0] == MICA_VM_EXIT_CPUID) {
		uint64_t t = stamp();
		unsigned i = vcpu_n++;
		if (i > WARMUP && i <= WARMUP + iter)
			samples[i - WARMUP - 1] = t - vcpu_t0;
		if (i >= WARMUP + iter)
			vcpu_stop();
		VCPU_VS->rip += 2;
		vcpu_t0 = stamp();
	} else {
		printf("bench: vCPU: unexpected event %lu (%lx)\n", s->event, s->info[0]);
		vcpu_stop();
	}
	s->state = s->saved_state;
	mica_vcpu_resume(vcpu_self);
	vcpu_stop();
}

static void vcpu_upcaller(void)
{
	volatile struct mica_vcpu_state *s = (volatile struct mica_vcpu_state *)VCPU_STATE;
	s->entry_ip = (mica_word_t)vcpu_entry;
	s->entry_sp = (mica_word_t)&stacks[next_stack - 1][STACK - 8];
	s->state = MICA_VCPU_F_EVENTS;
	for (unsigned i = 0; i < WARMUP + iter; i++) {
		uint64_t t0 = stamp();
		mica_irq_trigger(vcpu_irq);
		if (i >= WARMUP)
			samples[i - WARMUP] = stamp() - t0;
	}
	vcpu_stop();
}

static void vcpu_guest_runner(void)
{
	volatile struct mica_vcpu_state *s = (volatile struct mica_vcpu_state *)VCPU_STATE;
	s->entry_ip = (mica_word_t)vcpu_entry;
	s->entry_sp = (mica_word_t)&stacks[next_stack - 1][STACK - 8];
	volatile struct mica_vm_state *v = VCPU_VS;
	v->intercepts = MICA_VM_I_CPUID;
	v->rip = 0x1000;
	v->rflags = 2;
	v->cr0 = 0x10;
	volatile struct mica_vm_seg *segs = &v->es;
	for (unsigned i = 0; i < 10; i++) {
		segs[i].sel = 0;
		segs[i].base = 0;
		segs[i].limit = 0xffff;
		segs[i].attr = i == 1 ? 0x9b : i < 6 ? 0x93 : i == 7 ? 0x82 : i == 9 ? 0x8b : 0;
	}
	s->user_task = vcpu_vm;
	s->state = MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER;
	vcpu_t0 = stamp();
	int e = mica_vcpu_resume(vcpu_self);
	printf("bench: vm_exit_rt: resume failed (%d)\n", e);
	vcpu_stop();
}

/* The vCPU thread running fn with its state area (and vcpu_irq, if
 * any, attached); one stack for its body, the next for its upcalls.
 * True once it finished. */
static bool vcpu_run(void (*fn)(void))
{
	vcpu_self = new_sel();
	vcpu_done = false;
	vcpu_n = 0;
	if (mica_create_thread(MICA_CAP_FACTORY, vcpu_self) != MICA_OK ||
	    mica_thread_control(vcpu_self, MICA_THREAD_CTL_BIND, MICA_CAP_TASK,
				MICA_BOOT_UTCB_ADDR + 50 * MICA_UTCB_SIZE, 0, 0) != MICA_OK ||
	    mica_vcpu_control(vcpu_self, VCPU_STATE) != MICA_OK || place(vcpu_self) != MICA_OK ||
	    (vcpu_irq && mica_irq_attach(vcpu_irq, vcpu_self, 1) != MICA_OK))
		return false;
	next_stack += 2;
	if (mica_thread_start(vcpu_self, (mica_word_t)fn, (mica_word_t)&stacks[next_stack - 2][STACK - 8],
			      0) != MICA_OK)
		return false;
	for (unsigned i = 0; !vcpu_done && i < 100000; i++)
		mica_thread_yield(MICA_CAP_THREAD);
	mica_obj_delete(vcpu_self);
	return vcpu_done;
}

static void vcpu_upcall_rt(void)
{
	vcpu_irq = new_sel();
	if (mica_create_irq(MICA_CAP_FACTORY, vcpu_irq) != MICA_OK || !vcpu_run(vcpu_upcaller)) {
		printf("bench: vcpu_upcall_rt: the vCPU did not run\n");
		return;
	}
	mica_obj_delete(vcpu_irq);
	vcpu_irq = 0;
	report("vcpu_upcall_rt", iter, 1);
}

static void vm_exit_rt(void)
{
	vcpu_vm = new_sel();
	int e = mica_create_task(MICA_CAP_FACTORY, vcpu_vm, 0, MICA_VM_UTCB_LOG2);
	if (e == MICA_OK)
		e = mica_task_map(vcpu_vm, MICA_CAP_TASK,
				  mica_fpage_mem((mica_word_t)bench_guest, 12, MICA_FPAGE_RX), 0x1000,
				  MICA_ITEM_MAP);
	if (e != MICA_OK || !vcpu_run(vcpu_guest_runner)) {
		printf("bench: vm_exit_rt: the guest did not run (%d)\n", e);
		return;
	}
	mica_task_destroy(vcpu_vm);
	report("vm_exit_rt", iter, 1);
}

/* ---- across CPUs (tools/bench.sh boots 4 CPUs for these) ---- */

/* The CPUs threads may be placed on; prints why a benchmark that needs
 * n of them is skipped. */
static bool have_cpus(const char *name, unsigned n)
{
	mica_word_t info[5];
	if (mica_sched_info(MICA_CAP_SCHEDULER, info) == MICA_OK && info[2] >= n)
		return true;
	printf("bench: %s skipped: needs %u CPUs\n", name, n);
	return false;
}

/* Call/reply with an echo server of another task on CPU 1: the figure
 * counts the instructions of every CPU during a round trip (one clock
 * under -icount). */
static void cross_cpu(mica_cap_t server_task)
{
	if (!have_cpus("ipc_rt_cross_cpu_0w", 2))
		return;
	place_cpu = 1;
	mica_cap_t g = echo_gate(server_task, CHILD_UTCB + 5 * MICA_UTCB_SIZE);
	place_cpu = 0;
	if (!g) {
		printf("bench: could not set up the server on CPU 1\n");
		return;
	}
	round_trip("ipc_rt_cross_cpu_0w", g, 0);
}

static mica_cap_t pair_gate[4];
static volatile unsigned pair_next = 1;
static volatile bool pairs_stop;
static volatile uint64_t pair_calls[4];

/* The callers of pairs 1-3, each on its pair's CPU, until told to stop. */
static void __attribute__((noreturn)) pair_caller(void)
{
	unsigned i = __atomic_fetch_add(&pair_next, 1, __ATOMIC_RELAXED);
	mica_msgtag_t tag = mica_msgtag(1, 0, 0, 0);
	while (!pairs_stop) {
		mica_ipc(pair_gate[i], tag, MICA_IPC_CALL, 0, 0, 0);
		pair_calls[i]++;
	}
	sleeper();
}

/* Four caller/server pairs, pair i on CPU i, all calling at once; the
 * figure is pair 0's (this thread's) round trip. */
static void four_pairs(mica_cap_t server_task)
{
	if (!have_cpus("ipc_rt_inter_0w_4cpu", 4))
		return;
	for (unsigned i = 0; i < 4; i++) {
		place_cpu = i;
		pair_gate[i] = echo_gate(server_task, CHILD_UTCB + (6 + i) * MICA_UTCB_SIZE);
		if (!pair_gate[i] ||
		    (i && start_thread(MICA_CAP_TASK, MICA_BOOT_UTCB_ADDR + (40 + i) * MICA_UTCB_SIZE,
				       pair_caller, 0) != MICA_OK)) {
			place_cpu = 0;
			printf("bench: could not set up pair %u\n", i);
			return;
		}
	}
	place_cpu = 0;
	/* This thread sleeps a little: under -icount QEMU runs one virtual
	 * CPU at a time, switching when one halts or a timer is due. */
	mica_wait(0, mica_timeout_ns(2000000), 0);
	uint64_t before[4];
	for (unsigned i = 1; i < 4; i++)
		before[i] = pair_calls[i];
	round_trip("ipc_rt_inter_0w_4cpu", pair_gate[0], 0);
	pairs_stop = true;
	/* The other pairs ran meanwhile: their round trips, for the record. */
	printf("bench: ipc_rt_inter_0w_4cpu: pairs 1-3 made %lu, %lu, %lu round trips before, %lu, %lu, %lu "
	       "during the measurement\n",
	       before[1], before[2], before[3], pair_calls[1] - before[1], pair_calls[2] - before[2],
	       pair_calls[3] - before[3]);
}

/* ---- the scaling series (docs/benchmarks.md, "Scaling") ---- */

/* Samples of each point of a series that builds something per sample. */
static unsigned series_n(void)
{
	return iter < 200 ? iter : 200;
}

/* ipc_rt_inter_0w with `tasks` more tasks of 10 blocked threads each. */
static void scale_ipc(mica_cap_t inter)
{
	static const unsigned sizes[] = { 0, 10, 100 };
	char name[40];
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		format_buf(name, sizeof(name), "scale_ipc_tasks_%u", sizes[i]);
		if (!want(name))
			continue;
		crowd_to(sizes[i] > crowd_tasks ? sizes[i] : crowd_tasks);
		if (crowd_tasks != sizes[i]) {
			printf("bench: %s: %u tasks of the crowd exist already\n", name, crowd_tasks);
			continue;
		}
		round_trip(name, inter, 0);
	}
}

/* The deletion of a task (no threads) holding what fill() gave it. */
static void destroy_series(const char *name, bool (*fill)(mica_cap_t task, unsigned n), unsigned n)
{
	unsigned k = series_n();
	for (unsigned i = 0; i < k; i++) {
		mica_cap_t t = new_sel();
		next_sel--; /* the same selector every time */
		if (mica_create_task(MICA_CAP_FACTORY, t, CHILD_UTCB, 12) != MICA_OK || !fill(t, n)) {
			printf("bench: %s: could not build the task\n", name);
			return;
		}
		uint64_t t0 = stamp();
		mica_cap_delete(MICA_CAP_TASK, t);
		uint64_t t1 = stamp();
		samples[i] = t1 - t0;
	}
	report(name, k, 1);
}

/* n pages of ours, in one page table. */
static bool fill_pages(mica_cap_t task, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (mica_task_map(task, MICA_CAP_TASK,
				  mica_fpage_mem(MAP_SRC + i * 4096ul, 12, MICA_FPAGE_RW),
				  MAP_DST + i * 4096ul, MICA_ITEM_MAP) != MICA_OK)
			return false;
	return true;
}

/* n pages, each 512 GiB from the next: three page tables each. */
static bool fill_spread(mica_cap_t task, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (mica_task_map(task, MICA_CAP_TASK, mica_fpage_mem(MAP_SRC, 12, MICA_FPAGE_RW),
				  ((uint64_t)i << 39) + 0x1000, MICA_ITEM_MAP) != MICA_OK)
			return false;
	return true;
}

/* n capabilities (copies of our factory's) at selectors 16 on. */
static bool fill_caps(mica_cap_t task, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (mica_cap_copy(task, MICA_CAP_FACTORY, 16 + i, MICA_RIGHTS_ALL, 0) != MICA_OK)
			return false;
	return true;
}

static void scale_destroy(void)
{
	static const struct {
		const char *name;
		bool (*fill)(mica_cap_t, unsigned);
		unsigned n;
	} points[] = { { "scale_destroy_pages_0", fill_pages, 0 },
		       { "scale_destroy_pages_1", fill_pages, 1 },
		       { "scale_destroy_pages_16", fill_pages, 16 },
		       { "scale_destroy_pages_256", fill_pages, 256 },
		       { "scale_destroy_spread_16", fill_spread, 16 },
		       { "scale_destroy_caps_16", fill_caps, 16 },
		       { "scale_destroy_caps_256", fill_caps, 256 } };
	if (!map_source())
		return;
	for (unsigned i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		if (want(points[i].name))
			destroy_series(points[i].name, points[i].fill, points[i].n);
}

/* unmap_1 and unmap_512 at the sizes between: MICA_TASK_UNMAP (flush)
 * of 2^log2 bytes mapped one 4 KiB page each. */
static void scale_unmap(void)
{
	static const unsigned log2s[] = { 15, 18 };
	char name[40];
	if (!map_source())
		return;
	mica_cap_t task = new_sel();
	if (mica_create_task(MICA_CAP_FACTORY, task, CHILD_UTCB, 12) != MICA_OK)
		return;
	for (unsigned s = 0; s < sizeof(log2s) / sizeof(log2s[0]); s++) {
		format_buf(name, sizeof(name), "scale_unmap_%u", 1u << (log2s[s] - 12));
		if (!want(name))
			continue;
		unsigned n = series_n();
		mica_word_t src = mica_fpage_mem(MAP_SRC, log2s[s], MICA_FPAGE_RW);
		for (unsigned i = 0; i < WARMUP + n; i++) {
			mica_word_t fp = mica_fpage_mem(MAP_DST, log2s[s], MICA_FPAGE_RW);
			int e = mica_task_map(task, MICA_CAP_TASK, src, MAP_DST, MICA_ITEM_MAP);
			uint64_t t0 = stamp();
			int e2 = mica_task_unmap(task, MICA_UNMAP_FLUSH, &fp, 1);
			uint64_t t1 = stamp();
			if (e != MICA_OK || e2 != MICA_OK) {
				printf("bench: %s: error %d / %d\n", name, e, e2);
				return;
			}
			if (i >= WARMUP)
				samples[i - WARMUP] = t1 - t0;
		}
		report(name, n, 1);
	}
	mica_cap_delete(MICA_CAP_TASK, task);
}

/* ipc_rt_inter_0w through a copy of the gate at each selector: the
 * capability lookup's part of the round trip. */
static void scale_lookup(mica_cap_t inter)
{
	static const mica_cap_t sels[] = { 512, 32768, 1048576, 16777215 };
	char name[40];
	for (unsigned i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		format_buf(name, sizeof(name), "scale_lookup_sel_%lu", (unsigned long)sels[i]);
		if (!want(name))
			continue;
		if (mica_cap_copy(MICA_CAP_TASK, inter, sels[i], MICA_RIGHTS_ALL, 0) != MICA_OK) {
			printf("bench: %s: could not copy the gate\n", name);
			continue;
		}
		round_trip(name, sels[i], 0);
		mica_cap_delete(MICA_CAP_TASK, sels[i]);
	}
}

int main(void)
{
	/* sigma0 pages this task lazily; child tasks share its image, which
	 * must be present to be shared. */
	mica_touch_image();
	for (const char *a = boot_args(); *a; a++) {
		if (strncmp(a, "iter=", 5) == 0)
			iter = (unsigned)strtoul(a + 5, 0, 10);
		if (strncmp(a, "mode=kvm", 8) == 0)
			unit = "cycles";
		if (strncmp(a, "only=", 5) == 0)
			only = a + 5;
		while (*a && *a != ' ')
			a++;
		if (!*a)
			break;
	}
	if (iter < 100)
		iter = 100;
	if (iter > MAX_ITER)
		iter = MAX_ITER;
	size_t len;
	const char *bad = unknown_name(&len);
	if (bad) {
		printf("bench: only=: '%.*s' names no benchmark (misspelt, or the command line was cut)\n",
		       (int)len, bad);
		return 1;
	}
	printf("bench: %u iterations per benchmark, unit %s\n", iter, unit);
	measure_overhead();
	if (want("null_syscall"))
		null_syscall();

	mica_cap_t server_task = new_task();
	mica_cap_t inter = server_task ? echo_gate(server_task, CHILD_UTCB) : 0;
	mica_cap_t intra = echo_gate(MICA_CAP_TASK, MICA_BOOT_UTCB_ADDR + MICA_UTCB_SIZE);
	if (!inter || !intra) {
		printf("bench: could not set up the IPC servers\n");
		return 1;
	}
	static const struct {
		const char *name;
		unsigned words;
		bool intra;
	} trips[] = { { "ipc_rt_inter_0w", 0, false },
		      { "ipc_rt_inter_8w", 8, false },
		      { "ipc_rt_inter_63w", 63, false },
		      { "ipc_rt_intra_0w", 0, true } };
	for (unsigned i = 0; i < sizeof(trips) / sizeof(trips[0]); i++)
		if (want(trips[i].name))
			round_trip(trips[i].name, trips[i].intra ? intra : inter, trips[i].words);
	if (want("yield_same_prio"))
		yield_same_prio();
	if (want("pf_rt"))
		fault_round_trip("pf_rt", true);
	if (want("exc_rt"))
		fault_round_trip("exc_rt", false);
	if (want("map_1") || want("unmap_1") || want("map_512") || want("unmap_512"))
		map_unmap();
	if (want("virq_latency"))
		virq_latency();
	if (want("task_create_destroy"))
		task_create_destroy();
	if (want("prog_start_exit"))
		prog_start_exit();
	if (want("init_start_wait"))
		init_start_wait();
	if (want("pf_rm_anon") || want("rm_attach_detach")) {
		mica_cap_t alloc, loader;
		if (system_server(&alloc, &loader) == MICA_OK)
			region_map(alloc);
		else
			printf("bench: could not start the memory server\n");
	}
	if (want("fs_read_64k"))
		fs_read_64k();
	if (want("x2_ipc_call_0w"))
		x2_round_trip();
	if (want("libc_mutex_uncontended") || want("libc_mutex_handoff") || want("libc_write_log") ||
	    want("libc_malloc_free_64"))
		libc_bench();
	if (want("ipc_rt_cross_cpu_0w"))
		cross_cpu(server_task);
	if (want("ipc_rt_inter_0w_4cpu"))
		four_pairs(server_task);
	if (want_any("scale_lookup_"))
		scale_lookup(inter);
	if (want_any("scale_unmap_"))
		scale_unmap();
	if (want_any("scale_destroy_"))
		scale_destroy();
	if (want_any("scale_ipc_tasks_"))
		scale_ipc(inter);
	if (want("vcpu_upcall_rt"))
		vcpu_upcall_rt();
	if (want("vm_exit_rt"))
		vm_exit_rt();
	if (want("ipc_rt_inter_0w_crowded")) {
		crowd();
		round_trip("ipc_rt_inter_0w_crowded", inter, 0);
	}
	printf("bench: done\n");
	return 0;
}
