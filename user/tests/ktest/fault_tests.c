/* pf_ and exc_: page faults and exceptions as messages to the thread's
 * pager and exception handler, and the replies that resume it. */
#include <stdbool.h>

#include "mem.h"
#include "servers.h"

#define A KALIAS
#define DONE 0xd0e
#define GATE_LABEL 0x5eed

/* A thread in a new child task running fn, whose pager and/or exception
 * handler (which: MICA_THREAD_CTL_PAGER / _EXC) is a new gate *g here. */
static struct kthread *spawn(void (*fn)(struct kthread *), mica_word_t arg, mica_word_t which, mica_cap_t *g,
			     mica_cap_t *task)
{
	struct kthread *k = kfaulter_new(fn, arg, which, GATE_LABEL, g, task);
	if (!k || kthread_go(k) != MICA_OK)
		return 0;
	return k;
}

static void done(struct kthread *k, mica_word_t v)
{
	mica_mr()[0] = v;
	mica_send(k->cap, DONE, 1);
}

static mica_msgtag_t wait_on(mica_cap_t g, mica_word_t *label)
{
	return mica_wait(g, MICA_TIMEOUT_NEVER, label);
}

/* Answers the message just received with reply; true if the thread's
 * next message on g is then its DONE report. */
static bool reply_then_done(mica_cap_t g, mica_msgtag_t reply)
{
	mica_word_t label;
	return mica_error(mica_reply(reply)) == MICA_OK && mica_msgtag_label(wait_on(g, &label)) == DONE;
}

static mica_word_t state_of(struct kthread *k)
{
	mica_word_t info[5] = { 99 };
	mica_thread_info(k->sel, info);
	return info[0];
}

static mica_msgtag_t refuse(void)
{
	return mica_reply(mica_error_tag(MICA_E_BAD_ARG));
}

static void read_a(struct kthread *k)
{
	done(k, *(volatile mica_word_t *)(k->arg));
}

static void write_a(struct kthread *k)
{
	*(volatile mica_word_t *)(k->arg) = k->arg2;
	done(k, 0);
}

KTEST(pf_message_and_mapping_reply_resume)
{
	mica_cap_t g;
	karena[0][1] = 0xfeed;
	struct kthread *k = spawn(read_a, A + 8, MICA_THREAD_CTL_PAGER, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_msgtag_u(t), MICA_PF_WORDS);
	CHECK_EQ(mica_msgtag_t_items(t), 0);
	CHECK_EQ(label, GATE_LABEL);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[0], A + 8);
	CHECK(mr[1] >= 0x400000 && mr[1] < 0x800000); /* in read_a */
	CHECK_EQ(mr[2], MICA_FPAGE_R);
	/* the pager maps a page: the receive window is the whole space */
	mr[0] = mica_item_mem(A + 8, MICA_ITEM_MAP);
	mr[1] = mica_fpage_mem(KPAGE(0), 12, MICA_FPAGE_RW);
	CHECK(reply_then_done(g, mica_msgtag(0, 0, 2, 0)));
	CHECK_EQ(mica_mr()[0], 0xfeed);
}

KTEST(pf_write_to_read_only_page)
{
	mica_cap_t g, task;
	struct kthread *k = spawn(write_a, A, MICA_THREAD_CTL_PAGER, &g, &task);
	CHECK(k);
	k->arg2 = 0xabcd;
	CHECK_OK(kmap(task, KTASK, KPAGE(1), A, 12, MICA_FPAGE_R));
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_W | MICA_PF_PRESENT);
	/* the same mapping again with W: rights grow, the write goes through */
	mica_mr()[0] = mica_item_mem(A, MICA_ITEM_MAP);
	mica_mr()[1] = mica_fpage_mem(KPAGE(1), 12, MICA_FPAGE_RW);
	CHECK(reply_then_done(g, mica_msgtag(0, 0, 2, 0)));
	CHECK_EQ(karena[1][0], 0xabcd);
}

static void jump_a(struct kthread *k)
{
	((void (*)(void))k->arg)();
	done(k, 0);
}

KTEST(pf_execute_on_no_execute_page)
{
	mica_cap_t g, task;
	struct kthread *k = spawn(jump_a, A, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, &g, &task);
	CHECK(k);
	CHECK_OK(kmap(task, KTASK, KPAGE(2), A, 12, MICA_FPAGE_RW));
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[0], A);
	CHECK_EQ(mica_mr()[1], A);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_X | MICA_PF_PRESENT);
	refuse();
	t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	refuse();
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
}

static void __attribute__((noreturn)) recovered(struct kthread *k)
{
	done(k, 0x600d);
	/* as kthread's trampoline: the child's own selector for itself */
	mica_thread_halt_other(k->self);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

KTEST(pf_pager_error_becomes_exception)
{
	mica_cap_t g;
	struct kthread *k = spawn(read_a, A + 0x10, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	mica_word_t ip = mica_mr()[1];
	refuse();
	t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_msgtag_u(t), MICA_EXC_WORDS);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[MICA_EXC_VECTOR], 14);
	CHECK_EQ(mr[MICA_EXC_ADDR], A + 0x10);
	CHECK_EQ(mr[MICA_EXC_IP], ip);
	CHECK_EQ(mr[MICA_EXC_ERROR] & 0x7, 0x4); /* user, read, not present */
	/* the handler moves the thread on to a recovery function */
	mr[MICA_EXC_IP] = (mica_word_t)recovered;
	mr[MICA_EXC_RDI] = (mica_word_t)k;
	mr[MICA_EXC_SP] = (mr[MICA_EXC_SP] & ~15ul) - 8;
	CHECK(reply_then_done(g, mica_msgtag(0, MICA_EXC_WORDS, 0, 0)));
	CHECK_EQ(mica_mr()[0], 0x600d);
}

KTEST(pf_without_pager_stops_thread)
{
	mica_cap_t g;
	struct kthread *k = spawn(read_a, A, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	kyield();
	kyield();
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
	CHECK(!k->done);
}

static void pager_that_vanishes(struct kthread *k)
{
	mica_word_t label;
	mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = mica_mr()[0];
	/* returns holding the reply right; the case then deletes it */
}

KTEST(pf_pager_gone_becomes_exception)
{
	mica_cap_t gp, g, task;
	struct kthread *pager = start_on_new_gate(pager_that_vanishes, 0, &gp);
	CHECK(pager);
	struct kthread *k = spawn(read_a, A + 0x18, MICA_THREAD_CTL_EXC, &g, &task);
	CHECK(k);
	/* pager: the other gate, at another selector of the child */
	CHECK_OK(kgive(task, gp, 0x241));
	CHECK_OK(mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER, 0, 0, 0x241, 0));
	CHECK(KWAIT(pager));
	CHECK_EQ(pager->out[0], A + 0x18);
	CHECK_OK(mica_cap_delete(KTASK, pager->sel));
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_mr()[MICA_EXC_VECTOR], 14);
	CHECK_EQ(mica_mr()[MICA_EXC_ADDR], A + 0x18);
	refuse();
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
}

KTEST(pf_pager_gate_without_send_right)
{
	mica_cap_t g, task, weak = ksel();
	struct kthread *k = spawn(read_a, A, 0, &g, &task);
	CHECK(k);
	CHECK_OK(mica_cap_copy(KTASK, g, weak, MICA_GATE_R_RECV, 0));
	CHECK_OK(kgive(task, weak, 0x242));
	CHECK_OK(mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER, 0, 0, 0x242, 0));
	kyield();
	kyield();
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
}

/* ud2 with rax = 1; reports rax after it. */
static void ud(struct kthread *k)
{
	mica_word_t rax = 1;
	__asm__ volatile("ud2" : "+a"(rax));
	done(k, rax);
}

KTEST(exc_undefined_opcode_message_and_skip)
{
	mica_cap_t g;
	struct kthread *k = spawn(ud, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_msgtag_u(t), MICA_EXC_WORDS);
	CHECK_EQ(label, GATE_LABEL);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[MICA_EXC_VECTOR], 6);
	CHECK_EQ(mr[MICA_EXC_RAX], 1);
	CHECK_EQ(*(const volatile uint16_t *)mr[MICA_EXC_IP], 0x0b0f); /* ud2 */
	mr[MICA_EXC_IP] += 2;
	mr[MICA_EXC_RAX] = 42;
	CHECK(reply_then_done(g, mica_msgtag(0, MICA_EXC_WORDS, 0, 0)));
	CHECK_EQ(mica_mr()[0], 42);
}

static void divide(struct kthread *k)
{
	mica_word_t a = 10, d = 0;
	__asm__ volatile("divq %%rcx" : "+a"(a), "+d"(d) : "c"(0ul));
	done(k, a);
}

KTEST(exc_divide_error)
{
	mica_cap_t g;
	struct kthread *k = spawn(divide, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[MICA_EXC_VECTOR], 0);
	const volatile uint8_t *ip = (const volatile uint8_t *)mr[MICA_EXC_IP];
	CHECK(ip[0] == 0x48 && ip[1] == 0xf7 && ip[2] == 0xf1); /* div %rcx */
	mr[MICA_EXC_IP] += 3;
	mr[MICA_EXC_RAX] = 7;
	CHECK(reply_then_done(g, mica_msgtag(0, MICA_EXC_WORDS, 0, 0)));
	CHECK_EQ(mica_mr()[0], 7);
}

static void breakpoint(struct kthread *k)
{
	__asm__ volatile("int3");
	done(k, 3);
}

KTEST(exc_breakpoint_resumes_after_empty_reply)
{
	mica_cap_t g;
	struct kthread *k = spawn(breakpoint, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_mr()[MICA_EXC_VECTOR], 3);
	CHECK_EQ(((const volatile uint8_t *)mica_mr()[MICA_EXC_IP])[-1], 0xcc); /* a trap: ip is past int3 */
	/* no words: the thread resumes unchanged */
	CHECK(reply_then_done(g, mica_msgtag(0, 0, 0, 0)));
	CHECK_EQ(mica_mr()[0], 3);
}

static void software_interrupt(struct kthread *k)
{
	__asm__ volatile("int $0x80");
	done(k, 0x80);
}

KTEST(exc_int_n_is_general_protection)
{
	mica_cap_t g;
	struct kthread *k = spawn(software_interrupt, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	mica_word_t *mr = mica_mr();
	CHECK_EQ(mr[MICA_EXC_VECTOR], 13);
	/* an IDT entry (bit 1), not external (bit 0); the index field is 0x80
	 * on hardware, QEMU TCG reports 0x80 * 2 there */
	CHECK_EQ(mr[MICA_EXC_ERROR] & 3, 2);
	CHECK(mr[MICA_EXC_ERROR] >> 3 == 0x80 || mr[MICA_EXC_ERROR] >> 3 == 0x100);
	mr[MICA_EXC_IP] += 2;
	CHECK(reply_then_done(g, mica_msgtag(0, MICA_EXC_WORDS, 0, 0)));
	CHECK_EQ(mica_mr()[0], 0x80);
}

static volatile mica_word_t fs_word = 0x46535f77;

static void regs_after_ud(struct kthread *k)
{
	register mica_word_t r12 __asm__("r12");
	register mica_word_t r15 __asm__("r15");
	mica_word_t rbx, fsv;
	unsigned char cf;
	__asm__ volatile("ud2\n\tsetc %3\n\tmov %%fs:0, %4"
			 : "=b"(rbx), "=r"(r12), "=r"(r15), "=qm"(cf), "=r"(fsv)
			 :
			 : "cc", "memory");
	k->out[3] = rbx;
	k->out[4] = r12;
	k->out[5] = r15;
	k->out[6] = cf;
	k->out[7] = fsv;
	done(k, 0);
}

KTEST(exc_handler_rewrites_registers)
{
	mica_cap_t g;
	struct kthread *k = spawn(regs_after_ud, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	mica_word_t *mr = mica_mr();
	mr[MICA_EXC_IP] += 2;
	mr[MICA_EXC_RBX] = 0xb;
	mr[MICA_EXC_R12] = 0x12;
	mr[MICA_EXC_R15] = 0x15;
	mr[MICA_EXC_FLAGS] |= 1;			  /* CF */
	mr[MICA_EXC_FLAGS] &= ~(1ul << 9) & ~(3ul << 12); /* IF and IOPL are not the handler's */
	mr[MICA_EXC_FS_BASE] = (mica_word_t)&fs_word;
	CHECK(reply_then_done(g, mica_msgtag(0, MICA_EXC_WORDS, 0, 0)));
	CHECK_EQ(k->out[3], 0xb);
	CHECK_EQ(k->out[4], 0x12);
	CHECK_EQ(k->out[5], 0x15);
	CHECK_EQ(k->out[6], 1);
	CHECK_EQ(k->out[7], 0x46535f77);
}

KTEST(exc_short_reply_changes_only_a_prefix)
{
	mica_cap_t g;
	struct kthread *k = spawn(ud, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	wait_on(g, &label);
	mica_word_t *mr = mica_mr();
	mr[MICA_EXC_IP] += 2;
	mr[MICA_EXC_RAX] = 42; /* beyond u: not written back */
	CHECK(reply_then_done(g, mica_msgtag(0, MICA_EXC_IP + 1, 0, 0)));
	CHECK_EQ(mica_mr()[0], 1);
}

KTEST(exc_without_handler_stops_thread)
{
	mica_cap_t g;
	struct kthread *k = spawn(ud, 0, 0, &g, 0);
	CHECK(k);
	kyield();
	kyield();
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
	CHECK(!k->done);
}

KTEST(exc_error_reply_stops_thread)
{
	mica_cap_t g;
	struct kthread *k = spawn(ud, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	wait_on(g, &label);
	CHECK_OK(mica_error(refuse()));
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
}

KTEST(exc_reply_with_kernel_address_refused)
{
	mica_cap_t g;
	struct kthread *k = spawn(ud, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	wait_on(g, &label);
	mica_mr()[MICA_EXC_IP] = 0xffffffff80000000ul;
	CHECK_TAG_ERR(mica_reply(mica_msgtag(0, MICA_EXC_WORDS, 0, 0)), MICA_E_BAD_ARG, 0);
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
}

KTEST(exc_restart_after_stop)
{
	/* A stopped thread can be started again. */
	mica_cap_t g;
	struct kthread *k = spawn(ud, 0, MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	wait_on(g, &label);
	refuse();
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
	CHECK_OK(kthread_go(k));
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_mr()[MICA_EXC_VECTOR], 6);
	refuse();
}

static void read_pages(struct kthread *k)
{
	mica_word_t sum = 0;
	for (unsigned i = 0; i < 4; i++)
		sum += *(volatile mica_word_t *)(k->arg + i * 4096ul);
	done(k, sum);
}

/* A pager may answer with more than the page: one 16 KiB item, then the
 * thread touches all four pages with no further fault. */
KTEST(pf_reply_maps_a_larger_fpage)
{
	mica_cap_t g;
	for (unsigned i = 0; i < 4; i++)
		karena[12 + i][0] = i + 1;
	struct kthread *k = spawn(read_pages, A, MICA_THREAD_CTL_PAGER, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	mica_mr()[0] = mica_item_mem(A, MICA_ITEM_MAP);
	mica_mr()[1] = mica_fpage_mem(KPAGE(12), 14, MICA_FPAGE_R);
	CHECK(reply_then_done(g, mica_msgtag(0, 0, 2, 0)));
	CHECK_EQ(mica_mr()[0], 1 + 2 + 3 + 4);
}

/* A write to a page that is not there: W without PRESENT. */
KTEST(pf_write_to_missing_page)
{
	mica_cap_t g;
	struct kthread *k = spawn(write_a, A + 16, MICA_THREAD_CTL_PAGER, &g, 0);
	CHECK(k);
	k->arg2 = 0x77; /* before it runs: it loads the value before the store faults */
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_PAGE_FAULT);
	CHECK_EQ(mica_mr()[0], A + 16);
	CHECK_EQ(mica_mr()[2], MICA_FPAGE_W);
	mica_mr()[0] = mica_item_mem(A, MICA_ITEM_MAP);
	mica_mr()[1] = mica_fpage_mem(KPAGE(16), 12, MICA_FPAGE_RW);
	CHECK(reply_then_done(g, mica_msgtag(0, 0, 2, 0)));
	CHECK_EQ(karena[16][2], 0x77);
}

/* A fault in the kernel's half is no pager's business: it goes to the
 * exception handler at once. */
KTEST(pf_kernel_address_goes_to_exception_handler)
{
	mica_cap_t g;
	struct kthread *k =
		spawn(read_a, 0xffffffff80100000ul, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, &g, 0);
	CHECK(k);
	mica_word_t label;
	mica_msgtag_t t = wait_on(g, &label);
	CHECK_EQ(mica_msgtag_label(t), MICA_LABEL_EXCEPTION);
	CHECK_EQ(mica_mr()[MICA_EXC_VECTOR], 14);
	CHECK_EQ(mica_mr()[MICA_EXC_ADDR], 0xffffffff80100000ul);
	CHECK_OK(mica_error(refuse()));
	CHECK_EQ(state_of(k), MICA_THREAD_DEAD);
}
