/* The fuzzer's threads: random and mutated invocations of everything the
 * fuzzer task can name. What it sends is random except where randomness
 * would only stop the fuzzer itself without touching the kernel: it never
 * names its own environment (selectors 1-15) in a way that deletes,
 * retargets or hands it away, the memory and capabilities it maps, grants
 * or unmaps from its own spaces come from its arena and its working
 * selectors, its own threads get no random instruction pointers, and its
 * IPC always has timeouts. Other tasks it creates get anything. */
#include "fuzz.h"

#include <mica/layout.h>
#include <mica_clock.h>

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dul;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return next(r) % n;
}

/* Values that tend to matter: small numbers, powers of two, the top,
 * page-aligned user addresses, and anything. */
static uint64_t word(struct rng *r)
{
	switch (below(r, 6)) {
	case 0:
		return next(r);
	case 1:
		return below(r, 16);
	case 2:
		return below(r, 4096);
	case 3:
		return 1ul << below(r, 64);
	case 4:
		return ~0ul - below(r, 4);
	default:
		return next(r) & 0x00007ffffffff000ul;
	}
}

static int environment(uint64_t sel)
{
	return sel >= 1 && sel < FZ_SEL_FIRST;
}

/* A word that does not name the fuzzer's environment as a selector (its
 * gates are invoked, through target(), but never deleted or replaced). */
static uint64_t safe_word(struct rng *r)
{
	uint64_t w = word(r);
	return environment(w) ? w + FZ_SEL_FIRST : w;
}

static mica_cap_t working(struct rng *r)
{
	return FZ_SEL_FIRST + below(r, FZ_SEL_END - FZ_SEL_FIRST);
}

/* A selector to invoke: mostly what it made, sometimes its gates to the
 * root or the echo thread, sometimes anything (stale, empty, out of range). */
static mica_cap_t target(struct rng *r)
{
	switch (below(r, 8)) {
	case 0:
		return safe_word(r);
	case 1: {
		static const mica_cap_t gates[] = { 0, FZ_REPORT, FZ_PAGER, FZ_ECHO };
		return gates[below(r, 4)];
	}
	default:
		return working(r);
	}
}

/* Flexpages of its own spaces: memory in the arena, capabilities among
 * the working selectors, any ports (it holds none). */
static mica_word_t own_fpage(struct rng *r)
{
	switch (below(r, 3)) {
	case 0: {
		unsigned log2 = 12 + (unsigned)below(r, FZ_ARENA_LOG2 - 12 + 1);
		uint64_t base = FZ_ARENA + (below(r, 1ul << (FZ_ARENA_LOG2 - log2)) << log2);
		return mica_fpage_mem(base, log2, below(r, 8));
	}
	case 1: {
		unsigned log2 = (unsigned)below(r, 5);
		uint64_t base = FZ_SEL_FIRST + (below(r, (FZ_SEL_END - FZ_SEL_FIRST) >> log2) << log2);
		return mica_fpage_obj(base, log2, below(r, 8));
	}
	default: {
		unsigned log2 = (unsigned)below(r, 17);
		return mica_fpage_io(below(r, 65536) & ~((1ul << log2) - 1), log2);
	}
	}
}

/* Any flexpage word, well-formed or not, for spaces of other tasks. */
static mica_word_t any_fpage(struct rng *r)
{
	if (below(r, 3) == 0)
		return word(r);
	if (below(r, 2) == 0) {
		unsigned log2 = 12 + (unsigned)below(r, 36);
		return mica_fpage_mem(next(r) & ((1ul << 47) - 1) & ~((1ul << log2) - 1), log2, below(r, 8));
	}
	return own_fpage(r);
}

/* A timeout that always ends: zero, or up to about 0.1 ms. */
static uint32_t short_timeout(struct rng *r)
{
	return below(r, 2) ? MICA_TIMEOUT_ZERO : MICA_TIMEOUT_REL(below(r, 100000), 0);
}

/* Invokes sel (label, n words) as a call with short timeouts: a
 * working selector may name a gate, where a library wrapper's call
 * would wait for ever. */
static void inv(struct rng *r, mica_cap_t sel, mica_word_t label, unsigned n, const mica_word_t *w)
{
	mica_word_t *mr = mica_mr();
	for (unsigned i = 0; i < n; i++)
		mr[i] = w[i];
	mica_msgtag_t t = mica_ipc(sel, mica_msgtag(label, n, 0, 0), MICA_IPC_CALL, 0,
				   MICA_TIMEOUTS(short_timeout(r), short_timeout(r)), 0);
	if (!mica_msgtag_is_error(t))
		__atomic_fetch_add(&fz.succeeded, 1, __ATOMIC_RELAXED);
}

/* Receive windows where whatever arrives is harmless: the arena, any
 * ports, the upper half of the working selectors. */
static void set_windows(struct rng *r)
{
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_MEM_WINDOW] = below(r, 4) ? mica_fpage_mem(FZ_ARENA, FZ_ARENA_LOG2, MICA_FPAGE_RWX) : 0;
	br[MICA_BR_IO_WINDOW] = below(r, 2) ? mica_fpage_io(0, 16) : 0;
	br[MICA_BR_OBJ_WINDOW] = below(r, 4) ? mica_fpage_obj(64, 6, MICA_FPAGE_RWX) : 0;
}

/* The object window a created capability lands in: mostly one working
 * selector (what was there is replaced), sometimes any word that does
 * not put the window's base on the environment. */
static void create_window(struct rng *r)
{
	mica_word_t w = word(r);
	if (environment(mica_fpage_base(w)) && mica_fpage_type(w) == MICA_FPAGE_OBJ)
		w = MICA_FPAGE_NIL;
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] =
		below(r, 16) ? mica_fpage_obj(working(r), 0, MICA_RIGHTS_ALL) : w;
}

/* One system call with random words, items and flags. */
static void raw_ipc(struct rng *r, long self)
{
	mica_word_t *mr = mica_mr();
	unsigned u = (unsigned)below(r, 64), t = below(r, 4) ? 0 : 2 * (unsigned)below(r, 4);
	if (below(r, 8) == 0)
		t = (unsigned)below(r, 64); /* also odd and too many */
	for (unsigned i = 0; i < 64; i++)
		mr[i] = safe_word(r);
	for (unsigned i = u; i + 1 < u + t && i + 1 < 64; i += 2) {
		mr[i] = below(r, 4) ? (word(r) & ~0xffful) | below(r, 2)
				    : word(r); /* map or grant, a send base */
		mr[i + 1] = own_fpage(r);
	}
	mica_word_t label = below(r, 4) ? below(r, 12) : word(r);
	mica_word_t tflags = below(r, 8) ? 0 : (word(r) & 0xf000u);
	mica_msgtag_t tag = mica_msgtag(label, u, t, tflags);
	mica_word_t flags = below(r, 8) ? below(r, 8) : word(r);
	set_windows(r);
	mica_cap_t sel = target(r), src = below(r, 4) ? target(r) : 0;
	if (below(r, 4) == 0) {
		/* A filtered open wait (docs/abi.md 5.1): a mask and a value
		 * that mostly fit each other and the labels the fuzzer gives. */
		volatile mica_word_t *br = mica_utcb()->br;
		mica_word_t mask = below(r, 2) ? 0xf : word(r);
		br[MICA_BR_FILTER_MASK] = mask;
		br[MICA_BR_FILTER_VALUE] = below(r, 8) ? below(r, 16) & mask : word(r);
		flags |= MICA_IPC_FILTER;
		if (below(r, 2))
			src = 0;
	}
	mica_word_t to = MICA_TIMEOUTS(short_timeout(r), short_timeout(r));
	volatile uint64_t *last = fz.last_ipc[self + 1];
	last[0] = sel, last[1] = tag.raw, last[2] = flags, last[3] = src, last[4] = to;
	if (!mica_msgtag_is_error(mica_ipc(sel, tag, flags, src, to, 0)))
		__atomic_fetch_add(&fz.succeeded, 1, __ATOMIC_RELAXED);
}

static void create(struct rng *r)
{
	mica_cap_t f = below(r, 4) ? FZ_FACTORY : working(r);
	mica_word_t type = below(r, 8) ? 1 + below(r, MICA_OBJ_TYPES) : word(r), a0 = safe_word(r),
		    a1 = safe_word(r);
	if (type == MICA_OBJ_TASK && below(r, 2)) {
		a0 = 0x7fff00000000ul;
		a1 = 10 + below(r, 6);
	} else if (type == MICA_OBJ_GATE && below(r, 2)) {
		a0 = below(r, 2) ? working(r) : FZ_HELPER(below(r, FZ_HELPERS));
	} else if (type == MICA_OBJ_FACTORY && below(r, 2)) {
		a0 = below(r, 64ul * 1024);
	}
	mica_word_t w[3] = { type, a0, a1 };
	create_window(r);
	inv(r, f, MICA_FACTORY_CREATE, 3, w);
}

/* Addresses no fuzzer code is at: a thread started there faults at once. */
static mica_word_t bad_address(struct rng *r)
{
	static const mica_word_t at[] = {
		0, 0x1000, 0xdead0000, 0x00007ffffffff000, 0x0000800000000000, 0xffffffff80100000
	};
	return at[below(r, sizeof(at) / sizeof(at[0]))];
}

static void thread_op(struct rng *r)
{
	mica_cap_t th = working(r);
	switch (below(r, 6)) {
	case 0: { /* its own threads: stop, go on, cancel, relabel */
		static const mica_word_t ok[] = { MICA_EXREGS_HALT, MICA_EXREGS_RESUME, MICA_EXREGS_CANCEL,
						  MICA_EXREGS_SET_HANDLE,
						  MICA_EXREGS_CANCEL | MICA_EXREGS_RESUME };
		struct mica_exregs in = { .handle = word(r) };
		mica_thread_ex_regs(FZ_HELPER(below(r, FZ_HELPERS)), ok[below(r, 5)], &in, 0);
		break;
	}
	case 1: {
		mica_word_t w[5] = { below(r, 4) ? below(r, 128) : word(r), bad_address(r), bad_address(r),
				     word(r), word(r) };
		inv(r, th, MICA_THREAD_EX_REGS, 5, w);
		break;
	}
	case 2: {
		mica_word_t w[6] = { below(r, 16),
				     below(r, 2) ? working(r) : FZ_TASK,
				     below(r, 2) ? FZ_UTCB + ((FZ_UTCB_FREE + below(r, 8)) << 10) : word(r),
				     below(r, 2) ? FZ_PAGER : target(r),
				     below(r, 2) ? FZ_ECHO : target(r),
				     word(r) };
		inv(r, th, MICA_THREAD_CONTROL, below(r, 2) ? 5 : 6, w);
		break;
	}
	case 3: { /* a thread that faults on purpose */
		mica_word_t w[3] = { bad_address(r), bad_address(r), word(r) };
		inv(r, th, MICA_THREAD_START, 3, w);
		break;
	}
	case 4: { /* places it (so that START runs it), mostly within the ceiling */
		mica_word_t w[4] = { th, below(r, 4) ? below(r, FZ_SCHED_CEILING + 1) : word(r),
				     below(r, 4) ? MICA_SCHED_MIN_SLICE_NS + below(r, 2 * FZ_SLICE_NS)
						 : word(r),
				     below(r, 4) ? 0 : below(r, 4) };
		inv(r, below(r, 8) ? FZ_SCHED : target(r), MICA_SCHED_RUN_THREAD, 4, w);
		break;
	}
	default:
		if (below(r, 2))
			inv(r, th, MICA_THREAD_YIELD, 0, 0);
		else
			mica_thread_yield(FZ_HELPER(below(r, FZ_HELPERS)));
		break;
	}
}

/* A map into its own task: no larger than the arena (memory) or the
 * working selectors (capabilities), and placed there, whatever the
 * source: a larger flexpage would land on its own image. */
static void map_into_own(struct rng *r, mica_cap_t src, mica_word_t *fp, mica_word_t *base)
{
	if (below(r, 2)) {
		unsigned log2 = 12 + (unsigned)below(r, FZ_ARENA_LOG2 - 12 + 1);
		uint64_t from = src == FZ_TASK ? mica_fpage_base(own_fpage(r)) : next(r) & ((1ul << 47) - 1);
		*fp = mica_fpage_mem(from & ~((1ul << log2) - 1), log2, below(r, 8));
		*base = FZ_ARENA + (below(r, 1ul << (FZ_ARENA_LOG2 - log2)) << log2);
	} else {
		unsigned log2 = (unsigned)below(r, 5);
		uint64_t from = src == FZ_TASK ? working(r) : below(r, 1ul << 24);
		*fp = mica_fpage_obj(from & ~((1ul << log2) - 1), log2, below(r, 8));
		*base = (FZ_SEL_FIRST + (below(r, (FZ_SEL_END - FZ_SEL_FIRST) >> log2) << log2)) << 12;
	}
}

static void memory_op(struct rng *r)
{
	mica_cap_t dst = below(r, 3) ? working(r) : FZ_TASK, src = below(r, 2) ? working(r) : FZ_TASK;
	if (below(r, 3)) {
		mica_word_t fp = src == FZ_TASK ? own_fpage(r) : any_fpage(r), base = word(r);
		if (dst == FZ_TASK)
			map_into_own(r, src, &fp, &base);
		mica_word_t w[3] = { src, fp,
				     (base & ~0xffful) | (below(r, 4) ? below(r, 2) : below(r, 16)) };
		inv(r, dst, MICA_TASK_MAP, 3, w);
		return;
	}
	mica_word_t w[5] = { below(r, 4) };
	unsigned n = 1 + (unsigned)below(r, 4);
	for (unsigned i = 1; i <= n; i++)
		w[i] = dst == FZ_TASK ? own_fpage(r) : any_fpage(r);
	inv(r, dst, MICA_TASK_UNMAP, 1 + n, w);
}

static void cap_op(struct rng *r)
{
	mica_cap_t task = below(r, 2) ? FZ_TASK : working(r);
	mica_word_t w[4] = { below(r, 8) ? working(r) : safe_word(r), below(r, 8) ? working(r) : safe_word(r),
			     below(r, 8), word(r) };
	switch (below(r, 5)) {
	case 0:
		inv(r, task, MICA_TASK_CAP_DELETE, 1, w);
		break;
	case 1:
		w[0] = working(r);
		inv(r, task, MICA_TASK_CAP_COPY, 4, w);
		break;
	case 2:
		inv(r, task, MICA_TASK_CAP_INFO, 1, w);
		break;
	case 3:
		inv(r, working(r), MICA_TASK_DESTROY, 0, 0);
		break;
	default:
		inv(r, task, MICA_TASK_CAP_SAME, 2, w);
		break;
	}
}

static void irq_op(struct rng *r)
{
	mica_cap_t q = working(r);
	mica_word_t w[4] = { MICA_OBJ_IRQ };
	switch (below(r, 6)) {
	case 0:
		mica_utcb()->br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(q, 0, MICA_RIGHTS_ALL);
		inv(r, FZ_FACTORY, MICA_FACTORY_CREATE, 1, w);
		break;
	case 1:
		w[0] = below(r, 2) ? working(r) : FZ_HELPER(below(r, FZ_HELPERS));
		w[1] = word(r);
		inv(r, q, MICA_IRQ_ATTACH, 2, w);
		break;
	case 2:
		inv(r, q, MICA_IRQ_DETACH, 0, 0);
		break;
	case 3:
		inv(r, q, MICA_IRQ_UNMASK, 0, 0);
		break;
	case 4:
		inv(r, q, MICA_IRQ_INFO, 0, 0);
		break;
	default:
		inv(r, q, MICA_IRQ_TRIGGER, 0, 0);
		break;
	}
}

static void one_op(struct rng *r, long i)
{
	unsigned k = (unsigned)below(r, 100);
	fz.last[i + 1] = k;
	if (k < 35)
		raw_ipc(r, i);
	else if (k < 50)
		create(r);
	else if (k < 65)
		memory_op(r);
	else if (k < 80)
		cap_op(r);
	else if (k < 90)
		thread_op(r);
	else
		irq_op(r);
}

static void report(uint64_t ops, int done)
{
	mica_word_t *mr = mica_mr();
	mr[0] = ops;
	mr[1] = (mica_word_t)done;
	mr[2] = FZ_MAGIC;
	mica_utcb()->br[MICA_BR_MEM_WINDOW] = mica_utcb()->br[MICA_BR_OBJ_WINDOW] = 0;
	mica_call(FZ_REPORT, FZ_PROGRESS, 3);
}

void fz_thread(long i)
{
	struct rng r = { fz.seed * 0x9e3779b97f4a7c15ul + (uint64_t)(i + 2) * 0xbf58476d1ce4e5b9ul };
	mica_cap_t self = i < 0 ? FZ_THREAD : FZ_HELPER(i);
	uint64_t reported = 0, reported_at = mica_rdtsc();
	while (!fz.stop) {
		uint64_t n = __atomic_fetch_add(&fz.ops, 1, __ATOMIC_RELAXED);
		if (n >= fz.iterations)
			break;
		/* The operation's index, where a kernel panic reports it. */
		struct mica_exregs h = { .handle = n };
		mica_thread_ex_regs(self, MICA_EXREGS_SET_HANDLE, &h, 0);
		uint64_t t0 = mica_rdtsc();
		one_op(&r, i);
		uint64_t took = mica_rdtsc() - t0;
		if (took > fz.longest[i + 1][0]) {
			fz.longest[i + 1][0] = took;
			fz.longest[i + 1][1] = n;
			fz.longest[i + 1][2] = fz.last[i + 1];
		}
		/* Every FZ_REPORT_EVERY invocations of all threads, or every
		 * FZ_REPORT_NS: the main thread may block on most of its own
		 * operations and wait behind threads that spin through their
		 * time slices, so its own count says little. */
		if (i < 0 &&
		    (n - reported >= FZ_REPORT_EVERY || mica_rdtsc() - reported_at >= FZ_REPORT_TSC)) {
			reported = n;
			reported_at = mica_rdtsc();
			report(n, 0);
		}
	}
	if (i < 0) {
		fz.stop = 1;
		report(fz.ops < fz.iterations ? fz.ops : fz.iterations, 1);
	}
}

void fz_echo(void)
{
	struct rng r = { fz.seed ^ 0xec40ul };
	mica_word_t label;
	mica_msgtag_t t = mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_WAIT, FZ_ECHO,
				   MICA_TIMEOUTS(0, MICA_TIMEOUT_REL(1000, 10)), &label);
	while (!fz.stop) {
		set_windows(&r);
		unsigned u = mica_msgtag_is_error(t) ? 0 : (unsigned)below(&r, 9);
		/* Refuse faults (the thread stops) rather than resume it into
		 * the same fault for ever. */
		mica_word_t l = mica_msgtag_label(t);
		mica_msgtag_t answer = l == MICA_LABEL_PAGE_FAULT || l == MICA_LABEL_EXCEPTION
					       ? mica_error_tag(MICA_E_BAD_ARG)
					       : mica_msgtag(below(&r, 4), u, 0, 0);
		t = mica_ipc(0, answer, MICA_IPC_REPLY_WAIT, FZ_ECHO,
			     MICA_TIMEOUTS(0, MICA_TIMEOUT_REL(1000, 10)), &label);
		/* Its gate gone (the fuzzer deletes and reuses selector 7): it
		 * sleeps instead of spinning through failing receives. */
		if (mica_msgtag_is_error(t) && mica_error(t) != MICA_E_TIMEOUT)
			mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_REL(1000, 10), 0);
	}
}
