/* pf_rw_: a pager's reply-and-wait to a page fault, the cases the kernel's
 * fault fast path takes (one map item of one 4 KiB or 2 MiB page, a closed
 * wait with nobody queued) and those it leaves to the general path (more
 * items, a bad item, reduced rights, a queued sender, a faulting thread
 * gone; and a fault to a pager that owes a reply, which the fault send's
 * fast path leaves to the general one): each must do what docs/abi.md §5
 * and §10 say, whichever path ran. */
#include <mica_sigma0.h>

#include "mem.h"
#include "servers.h"

#define A KALIAS
#define DONE 0xd0e
#define HELLO 0x4e110
#define CHILD_GATE 0x240

/* 2 MiB of RAM from sigma0 mapped once as one large page here (the
 * memory server's pool pages are parts of such mappings); outside
 * KALIAS, which the runner flushes, and apart from large_page_tests'. */
#define RW_BLOCK 0x640000000ul
#define PAGE_WORDS 512ul

static volatile mica_word_t *rw_block(void)
{
	static int have;
	if (!have && mica_sigma0_ram(MICA_CAP_PAGER, RW_BLOCK, 21, MICA_FPAGE_RW, 0) == MICA_OK)
		have = 1;
	return have ? (volatile mica_word_t *)RW_BLOCK : 0;
}

/* A thread running fn in a new child task whose pager and exception
 * handler is a new gate *g of ours. */
static struct kthread *faulter(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t *g, mica_cap_t *task)
{
	mica_cap_t t = ktask_create();
	*g = ksel();
	if (!t || mica_create_gate(KF, *g, 0, 0) != MICA_OK || kgive(t, *g, CHILD_GATE) != MICA_OK)
		return 0;
	struct kthread *k = kthread_new(t, fn, arg);
	if (!k)
		return 0;
	k->cap = CHILD_GATE;
	if (mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, CHILD_GATE,
				CHILD_GATE) != MICA_OK ||
	    kthread_go(k) != MICA_OK)
		return 0;
	if (task)
		*task = t;
	return k;
}

static void done(struct kthread *k, mica_word_t v)
{
	mica_mr()[0] = v;
	mica_send(k->cap, DONE, 1);
}

static void read_arg(struct kthread *k)
{
	done(k, *(volatile mica_word_t *)k->arg);
}

static void write_arg(struct kthread *k)
{
	*(volatile mica_word_t *)k->arg = k->arg2;
	done(k, 0);
}

/* Reads the words at arg and arg + 4 KiB: their sum. */
static void read_two(struct kthread *k)
{
	done(k, *(volatile mica_word_t *)k->arg + *(volatile mica_word_t *)(k->arg + 4096));
}

/* A page mapped at the top of A's 2 MiB in task: the page tables a
 * fault at A needs exist, as the fast path wants them (else the
 * general path makes them). */
static int tables_at_a(mica_cap_t task)
{
	return kmap(task, KTASK, KPAGE(31), A + 0x1ff000, 12, MICA_FPAGE_R);
}

/* The first fault of the thread on g: its address, or ~0. */
static mica_word_t fault_on(mica_cap_t g)
{
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	return mica_msgtag_label(t) == MICA_LABEL_PAGE_FAULT ? mica_mr()[0] : ~0ul;
}

/* MR[u], MR[u + 1]: a map item of the page at src (log2 12) landing at
 * hot, with rights. */
static void item_at(unsigned u, mica_word_t hot, mica_word_t src, mica_word_t rights)
{
	mica_mr()[u] = mica_item_mem(hot, MICA_ITEM_MAP);
	mica_mr()[u + 1] = mica_fpage_mem(src, 12, rights);
}

/* The common case, with untyped words before the item (a fault reply
 * ignores them): the page is mapped, the thread runs, and the next
 * message on g is its report. */
KTEST(pf_rw_one_page_resumes_the_thread)
{
	mica_cap_t g, task;
	karena[3][5] = 0xfa57;
	struct kthread *k = faulter(read_arg, A + 0x2028, &g, &task);
	CHECK(k);
	CHECK_OK(tables_at_a(task));
	CHECK_EQ(fault_on(g), A + 0x2028);
	mica_mr()[0] = 1, mica_mr()[1] = 2, mica_mr()[2] = 3;
	item_at(3, A + 0x2000, KPAGE(3), MICA_FPAGE_RW);
	mica_word_t label;
	mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 3, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), DONE);
	CHECK_EQ(mica_mr()[0], 0xfa57);
}

/* A page of a 2 MiB mapping of the pager: the thread sees that very
 * page (its frame at the right offset), reading and writing; the map
 * method's fast path takes such a page too. */
KTEST(pf_rw_page_of_a_large_mapping)
{
	volatile mica_word_t *b = rw_block();
	CHECK(b);
	for (unsigned i = 0; i < 512; i++)
		b[i * PAGE_WORDS] = 0x1a00 + i;
	mica_cap_t g, task;
	struct kthread *k = faulter(write_arg, A + 0x5000, &g, &task);
	CHECK(k);
	k->arg2 = 0x77e;
	CHECK_OK(tables_at_a(task));
	CHECK_EQ(fault_on(g), A + 0x5000);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_W);
	item_at(0, A + 0x5000, RW_BLOCK + 37 * 4096ul, MICA_FPAGE_RW);
	mica_word_t label, v;
	mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), DONE);
	CHECK_EQ(b[37 * PAGE_WORDS], 0x77e);
	CHECK_EQ(b[36 * PAGE_WORDS], 0x1a00 + 36);
	CHECK_EQ(b[38 * PAGE_WORDS], 0x1a00 + 38);
	CHECK_OK(kmap(task, KTASK, RW_BLOCK + 300 * 4096ul, A + 0x9000, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(task, A + 0x9000, 0, &v), 0);
	CHECK_EQ(v, 0x1a00 + 300);
	v = 1;
	CHECK_EQ(kprobe(task, A + 0x9000, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
}

/* Two items: both pages are mapped before the thread runs. */
KTEST(pf_rw_two_items_map_both)
{
	mica_cap_t g;
	karena[4][0] = 40;
	karena[5][0] = 2;
	struct kthread *k = faulter(read_two, A, &g, 0);
	CHECK(k);
	CHECK_EQ(fault_on(g), A);
	item_at(0, A, KPAGE(4), MICA_FPAGE_R);
	item_at(2, A + 4096, KPAGE(5), MICA_FPAGE_R);
	mica_word_t label;
	mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 0, 4, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), DONE);
	CHECK_EQ(mica_mr()[0], 42);
}

/* A flexpage whose base is not aligned to its size, and one with the
 * reserved bit: the reply fails (send phase, no wait) and the thread
 * gets the page fault as an exception. */
KTEST(pf_rw_bad_item_becomes_exception)
{
	for (unsigned bad = 0; bad < 2; bad++) {
		mica_cap_t g;
		struct kthread *k = faulter(read_arg, A + 0x3000, &g, 0);
		CHECK(k);
		CHECK_EQ(fault_on(g), A + 0x3000);
		/* one of two neighbouring pages starts an odd 4 KiB page */
		mica_word_t odd = (KPAGE(6) & 0x1000) ? KPAGE(6) : KPAGE(7);
		item_at(0, A + 0x3000, bad ? KPAGE(6) : odd, MICA_FPAGE_R);
		if (bad)
			mica_mr()[1] |= 8;
		else
			mica_mr()[1] = mica_fpage_mem(odd, 13, MICA_FPAGE_R);
		mica_word_t label;
		CHECK_TAG_ERR(mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label), MICA_E_BAD_ARG, 0);
		mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
		CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
		CHECK_EQ(mica_mr()[MICA_EXC_VECTOR], 14);
		CHECK_EQ(mica_mr()[MICA_EXC_ADDR], A + 0x3000);
		mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	}
}

/* A write answered with a read-only page, then from a read-only alias
 * of a writable one (the mapping's rights are cut to the source's): the
 * thread faults again each time, with W and PRESENT; the page with W
 * makes the write go through (the same mapping again: rights grow). */
KTEST(pf_rw_reduced_rights_fault_again)
{
	mica_cap_t g, task;
	struct kthread *k = faulter(write_arg, A + 0x40, &g, &task);
	CHECK(k);
	k->arg2 = 0x5e1f;
	CHECK_OK(tables_at_a(task));
	/* the read-only alias in our KALIAS, far from the child's A */
	mica_word_t alias = A + 0x10000000ul;
	CHECK_OK(kmap(KTASK, KTASK, KPAGE(8), alias, 12, MICA_FPAGE_R));
	CHECK_EQ(fault_on(g), A + 0x40);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_W);
	mica_word_t label;
	item_at(0, A, KPAGE(8), MICA_FPAGE_R);
	mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[0], A + 0x40);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_W | MICA_PF_PRESENT);
	item_at(0, A, alias, MICA_FPAGE_RW);
	t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(karena[8][8], 0);
	item_at(0, A, KPAGE(8), MICA_FPAGE_RW);
	t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), DONE);
	CHECK_EQ(karena[8][8], 0x5e1f);
}

static void say_hello(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	mica_send(k->cap, HELLO, 1);
}

/* A sender already queued on the gate the pager waits on: the page is
 * mapped, the pager gets that message at once, the thread runs later. */
KTEST(pf_rw_queued_sender_is_received_first)
{
	mica_cap_t g, task;
	karena[9][1] = 0x9a9e;
	struct kthread *k = faulter(read_arg, A + 0x1008, &g, &task);
	CHECK(k);
	CHECK_EQ(fault_on(g), A + 0x1008);
	struct kthread *s = kthread_new(task, say_hello, 0x11);
	CHECK(s);
	s->cap = CHILD_GATE;
	CHECK_OK(kthread_go(s));
	kyield();
	kyield();
	item_at(0, A + 0x1000, KPAGE(9), MICA_FPAGE_R);
	mica_word_t label;
	mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), HELLO);
	CHECK_EQ(mica_mr()[0], 0x11);
	t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), DONE);
	CHECK_EQ(mica_mr()[0], 0x9a9e);
}

/* The faulting thread is deleted while the pager holds the reply right:
 * the reply-and-wait has nobody to reply to and just waits (abi.md §5),
 * mapping nothing; the next message on the gate arrives. */
KTEST(pf_rw_faulter_deleted_before_the_reply)
{
	mica_cap_t g, task;
	struct kthread *k = faulter(read_arg, A + 0x7000, &g, &task);
	CHECK(k);
	CHECK_EQ(fault_on(g), A + 0x7000);
	/* the child's copy revoked, then ours, the last: the thread dies */
	mica_word_t fp = mica_fpage_obj(k->sel, 0, MICA_FPAGE_RWX);
	CHECK_OK(mica_task_unmap(KTASK, 0, &fp, 1));
	CHECK_OK(mica_cap_delete(KTASK, k->sel));
	struct kthread *s = kthread_new(task, say_hello, 0x22);
	CHECK(s);
	s->cap = CHILD_GATE;
	CHECK_OK(kthread_go(s));
	item_at(0, A + 0x7000, KPAGE(10), MICA_FPAGE_R);
	mica_word_t label, v;
	mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), HELLO);
	CHECK_EQ(mica_mr()[0], 0x22);
	CHECK_EQ(kprobe(task, A + 0x7000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

/* A 2 MiB item of a 2 MiB mapping of ours: the thread's 2 MiB at X
 * become one large page (the fast path's case when the tables above
 * exist and the slot is empty: nothing new is charged for it, neither a
 * page table nor a node page), or, with a 4 KiB page already in the
 * slot, the general path replaces that page by the large one. */
KTEST(pf_rw_large_page)
{
	volatile mica_word_t *b = rw_block();
	CHECK(b);
	for (unsigned i = 0; i < 512; i++)
		b[i * PAGE_WORDS] = 0x2b00 + i;
	const mica_word_t x = 0x500000000ul; /* 2 MiB-aligned, in the child */
	for (unsigned small_there = 0; small_there < 2; small_there++) {
		mica_cap_t g, task;
		struct kthread *k = faulter(read_arg, x + 37 * 4096ul, &g, &task);
		CHECK(k);
		/* the tables above the slot, and a node page, from a page in
		 * the next 2 MiB; or a page in the slot itself */
		CHECK_OK(kmap(task, KTASK, KPAGE(31), small_there ? x + 0x1ff000 : x + (2ul << 20), 12,
			      MICA_FPAGE_R));
		CHECK_EQ(fault_on(g), x + 37 * 4096ul);
		mica_word_t before = kf_used(), label, v;
		mica_mr()[0] = mica_item_mem(x + 0x1234, MICA_ITEM_MAP);
		mica_mr()[1] = mica_fpage_mem(RW_BLOCK, 21, MICA_FPAGE_RW);
		mica_msgtag_t t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
		CHECK_EQ(mica_msgtag_label(t), DONE);
		CHECK_EQ(mica_mr()[0], 0x2b00 + 37);
		if (!small_there)
			CHECK_EQ(kf_used(), before);
		CHECK_EQ(kprobe(task, x + 0x1ff000, 0, &v), 0);
		CHECK_EQ(v, 0x2b00 + 511);
		v = 0x5a;
		CHECK_EQ(kprobe(task, x + 3 * 4096ul + 8, 1, &v), 0);
		CHECK_EQ(b[3 * PAGE_WORDS + 1], 0x5a);
	}
}

/* The fault send's fallback: a pager that still owes a caller a reply
 * when the fault reaches it (the fault fast path leaves that to the
 * general path) takes the fault's reply right, and the caller is
 * released with MICA_E_ABORTED (abi.md §5: one reply right at a time). */
KTEST(pf_rw_fault_to_a_pager_owing_a_reply)
{
	mica_cap_t gc = ksel();
	CHECK_OK(mica_create_gate(KF, gc, 0, 0));
	struct kthread *caller = kthread_new(KTASK, call_with_arg, 7);
	CHECK(caller);
	caller->cap = gc;
	CHECK_OK(kthread_go(caller));
	mica_word_t label;
	mica_msgtag_t t = mica_wait(gc, MICA_TIMEOUT_NEVER, &label);
	CHECK_EQ(mica_msgtag_label(t), 1);
	CHECK_EQ(mica_mr()[0], 7);
	/* we owe the caller its reply; now a thread faults to us */
	mica_cap_t g, task;
	karena[11][2] = 0xca11;
	struct kthread *k = faulter(read_arg, A + 0x4010, &g, &task);
	CHECK(k);
	CHECK_OK(tables_at_a(task));
	CHECK_EQ(fault_on(g), A + 0x4010);
	CHECK(KWAIT(caller));
	CHECK_EQ(mica_error((mica_msgtag_t){ caller->out[0] }), MICA_E_ABORTED);
	item_at(0, A + 0x4000, KPAGE(11), MICA_FPAGE_R);
	t = mica_reply_wait(mica_msgtag(0, 0, 2, 0), g, &label);
	CHECK_EQ(mica_msgtag_label(t), DONE);
	CHECK_EQ(mica_mr()[0], 0xca11);
}
