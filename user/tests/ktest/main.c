/* The runner: each case with a fresh factory and selectors; afterwards
 * every capability it made is deleted and its factory must be back at
 * zero bytes (no leak), or the case fails. */
#include <boot_env.h>
#include <format.h>
#include <mica/layout.h>
#include <mica_image.h>
#include <mica_sigma0.h>
#include <string.h>

#include "ktest.h"
#include "mem.h"

extern const struct ktest __start_ktest_cases[], __stop_ktest_cases[];

volatile int ktest_failed;
static char fail_msg[256];
/* Why the running case was skipped (ktest_skip), or 0. */
static const char *skip_why;

void ktest_skip(const char *why)
{
	skip_why = why;
}

static mica_cap_t next_sel;
#define SEL_FIRST 0x200
#define SEL_LAST 0x1000

mica_cap_t ksel(void)
{
	return next_sel < SEL_LAST ? next_sel++ : 0;
}

struct msg {
	char *p;
	size_t left;
};

static void msg_sink(void *ctx, char c)
{
	struct msg *m = ctx;
	if (m->left > 1) {
		*m->p++ = c;
		m->left--;
	}
}

static void say(const char *fmt, ...)
{
	struct msg m = { fail_msg + strlen(fail_msg), sizeof(fail_msg) - strlen(fail_msg) };
	va_list ap;
	va_start(ap, fmt);
	format_v(msg_sink, &m, fmt, ap);
	va_end(ap);
	*m.p = 0;
}

void ktest_fail(const char *file, int line, const char *what, long got, long want)
{
	if (!ktest_failed) {
		fail_msg[0] = 0;
		say("%s:%d: %s", file, line, what);
		if (got || want)
			say(" (got %ld, want %ld)", got, want);
	}
	ktest_failed = 1;
}

mica_word_t kf_used(void)
{
	mica_word_t limit, used;
	if (mica_factory_info(KF, &limit, &used) != MICA_OK)
		return ~0ul;
	return used;
}

extern void kthread_reset(void);

/* The kernel checks its own state: its invariant checker panics on a
 * violation, which ends the run. */
static void kernel_check(const char *when)
{
	int e = mica_kdebug_check(MICA_CAP_KDEBUG, 0, 0);
	if (!ktest_failed && e != MICA_OK) {
		fail_msg[0] = 0;
		say("the kernel invariant check %s failed: error %d", when, e);
		ktest_failed = 1;
	}
}

static int run(const struct ktest *t)
{
	ktest_failed = 0;
	skip_why = 0;
	next_sel = SEL_FIRST;
	kthread_reset();
	int e = mica_create_factory(MICA_CAP_FACTORY, KF, KTEST_QUOTA);
	if (e != MICA_OK) {
		printf("# cannot create the case's factory: error %d\n", e);
		return 0;
	}
	volatile mica_word_t *br = mica_utcb()->br;
	br[0] = br[1] = br[2] = MICA_FPAGE_NIL;
	t->fn();
	kernel_check("after the case");
	br[0] = br[1] = br[2] = MICA_FPAGE_NIL;
	/* A case may have raised this thread's priority or changed its slice. */
	mica_sched_run_thread(MICA_CAP_SCHEDULER, MICA_CAP_THREAD, MICA_SCHED_DEFAULT_PRIO, KTEST_SLICE_NS,
			      0);
	/* Aliases the case mapped into this task go. */
	kunmap(KTASK, KALIAS, KALIAS_LOG2, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0);
	/* Everything the case made goes, in reverse order. Tasks are
	 * destroyed first: a task may hold a capability to itself, and such
	 * a cycle keeps it alive until it is destroyed. */
	for (mica_cap_t s = next_sel; s-- > SEL_FIRST;) {
		mica_word_t type, rights;
		if (mica_cap_info(KTASK, s, &type, &rights) == MICA_OK && type == MICA_OBJ_TASK)
			mica_task_destroy(s);
	}
	for (mica_cap_t s = next_sel; s-- > SEL_FIRST;)
		mica_cap_delete(KTASK, s);
	kernel_check("after cleanup");
	mica_word_t used = kf_used();
	if (!ktest_failed && used != 0) {
		fail_msg[0] = 0;
		say("%lu bytes still charged after cleanup (a leak)", used);
		ktest_failed = 1;
	}
	mica_cap_delete(KTASK, KF);
	return !ktest_failed;
}

int main(void)
{
	unsigned n = 0, passed = 0, skipped = 0;
	mica_word_t limit, used0, used1;
	/* sigma0 pages this task lazily; the cases map its pages on, so all
	 * of them are made present first. COM1's ports are for the io_ cases. */
	mica_touch_image();
	int e = mica_sigma0_request(MICA_CAP_PAGER, MICA_SIGMA0_IO, mica_fpage_io(0x3f8, 3),
				    mica_fpage_io(0, 16), 0);
	if (e != MICA_OK)
		printf("ktest: sigma0 refused COM1's ports: error %d\n", e);
	/* The PIT's (0x40-0x43): channel 0 is the irq_ cases' interrupt source. */
	e = mica_sigma0_request(MICA_CAP_PAGER, MICA_SIGMA0_IO, mica_fpage_io(0x40, 2), mica_fpage_io(0, 16),
				0);
	if (e != MICA_OK)
		printf("ktest: sigma0 refused the PIT's ports: error %d\n", e);
	mica_factory_info(MICA_CAP_FACTORY, &limit, &used0);
	const char *only = boot_args(); /* a name prefix: run only those */
	size_t only_len = strlen(only);
	long plan = 0;
	/* The linker's bounds of the section the cases sit in. */
	const struct ktest *cases = __start_ktest_cases;
	size_t ncases = ((uintptr_t)__stop_ktest_cases - (uintptr_t)__start_ktest_cases) / sizeof(*cases);
	for (size_t i = 0; i < ncases; i++)
		plan += strncmp(cases[i].name, only, only_len) == 0;
	printf("ktest: %ld cases\n", plan);
	printf("1..%ld\n", plan);
	for (const struct ktest *t = cases; t < cases + ncases; t++) {
		if (strncmp(t->name, only, only_len) != 0)
			continue;
		n++;
		printf("# %s\n", t->name);
		if (run(t) && skip_why) {
			/* TAP's skip: reported and counted apart, not as a pass. */
			skipped++;
			printf("ok %u - %s # SKIP %s\n", n, t->name, skip_why);
		} else if (!ktest_failed) {
			passed++;
			printf("ok %u - %s\n", n, t->name);
		} else {
			printf("not ok %u - %s: %s\n", n, t->name, fail_msg);
		}
	}
	mica_factory_info(MICA_CAP_FACTORY, &limit, &used1);
	printf("ktest: root factory %lu bytes in use before, %lu after\n", used0, used1);
	printf("ktest: %u skipped\n", skipped);
	printf("%u passed, %u failed\n", passed, n - passed - skipped);
	return 0;
}
