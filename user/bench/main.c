/* The benchmark root task: times kernel operations with the time-stamp
 * counter. Under QEMU TCG with -icount shift=0 a TSC tick is one guest
 * instruction, so the numbers are instruction counts. Arguments (from
 * its command line): mode=icount|kvm iter=N. Each result line is
 *   bench: NAME median=.. min=.. mean=.. stddev=.. p99=.. n=.. unit=..
 * with the cost of the timestamps themselves subtracted. */
#include <boot_env.h>
#include <console.h>
#include <mica/layout.h>
#include <mica_image.h>
#include <mica_obj.h>
#include <string.h>

#define MAX_ITER 20000
#define WARMUP 100

static uint64_t samples[MAX_ITER];
static unsigned iter = 10000;
static const char *unit = "instructions";
static uint64_t overhead;

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

static int start_thread(mica_cap_t task, uint64_t utcb, void (*fn)(void), mica_cap_t *out)
{
	mica_cap_t th = new_sel();
	int e = mica_create_thread(MICA_CAP_FACTORY, th);
	if (e == MICA_OK)
		e = mica_thread_control(th, MICA_THREAD_CTL_BIND, task, utcb, 0, 0);
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

static void crowd(void)
{
	/* 100 tasks with 10 blocked threads each. */
	for (unsigned t = 0; t < 100; t++) {
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

static unsigned parse_uint(const char *s)
{
	unsigned v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

int main(void)
{
	for (const char *a = boot_args(); *a; a++) {
		if (strncmp(a, "iter=", 5) == 0)
			iter = parse_uint(a + 5);
		if (strncmp(a, "mode=kvm", 8) == 0)
			unit = "cycles";
		while (*a && *a != ' ')
			a++;
		if (!*a)
			break;
	}
	if (iter < 100)
		iter = 100;
	if (iter > MAX_ITER)
		iter = MAX_ITER;
	printf("bench: %u iterations per benchmark, unit %s\n", iter, unit);
	measure_overhead();
	null_syscall();

	mica_cap_t server_task = new_task();
	mica_cap_t inter = server_task ? echo_gate(server_task, CHILD_UTCB) : 0;
	mica_cap_t intra = echo_gate(MICA_CAP_TASK, MICA_BOOT_UTCB_ADDR + MICA_UTCB_SIZE);
	if (!inter || !intra) {
		printf("bench: could not set up the IPC servers\n");
		return 1;
	}
	round_trip("ipc_rt_inter_0w", inter, 0);
	round_trip("ipc_rt_inter_8w", inter, 8);
	round_trip("ipc_rt_inter_63w", inter, 63);
	round_trip("ipc_rt_intra_0w", intra, 0);
	yield_same_prio();
	task_create_destroy();
	crowd();
	round_trip("ipc_rt_inter_0w_crowded", inter, 0);
	printf("bench: not yet measurable: pf_rt exc_rt map_1 unmap_1 map_512 unmap_512 (memory issue), "
	       "virq_latency (IRQ issue)\n");
	printf("bench: done\n");
	return 0;
}
