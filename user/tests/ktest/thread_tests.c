/* thread_: creation, binding, exchange registers, halt/resume, cancel,
 * deletion while blocked, FPU state. */
#include <mica/layout.h>

#include "servers.h"

static void set_flag(struct kthread *k)
{
	k->out[0] = 0x600d;
	k->out[1] = mica_utcb()->self;
}

static void wait_forever(struct kthread *k)
{
	mica_word_t label;
	k->out[7] = 1;
	mica_msgtag_t r = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = r.raw;
	k->out[1] = mica_utcb()->error;
}

static void send_forever(struct kthread *k)
{
	k->out[0] = mica_send(k->cap, 1, 0).raw;
}

static void call_forever(struct kthread *k)
{
	k->out[0] = mica_call(k->cap, 1, 0).raw;
}

KTEST(thread_create_is_inactive)
{
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(th, info));
	CHECK_EQ(info[0], MICA_THREAD_INACTIVE);
	CHECK_EQ(info[1], 0);
	CHECK_EQ(info[2], 0);
}

KTEST(thread_start_runs_code)
{
	struct kthread *k = kthread_start(KTASK, set_flag, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0x600d);
	CHECK_EQ(k->out[1], MICA_BOOT_UTCB_ADDR + MICA_UTCB_SIZE); /* its own UTCB */
}

KTEST(thread_runs_in_child_task)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	struct kthread *k = kthread_start(t, set_flag, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0x600d);
	CHECK_EQ(k->out[1], KCHILD_UTCB);
}

KTEST(thread_bind_once)
{
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_OK(
		mica_thread_control(th, MICA_THREAD_CTL_BIND, KTASK, MICA_BOOT_UTCB_ADDR + 5 * 1024ul, 0, 0));
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(th, info));
	CHECK_EQ(info[1], 1);
	CHECK_ERR(
		mica_thread_control(th, MICA_THREAD_CTL_BIND, KTASK, MICA_BOOT_UTCB_ADDR + 6 * 1024ul, 0, 0),
		MICA_E_EXISTS);
}

KTEST(thread_bind_bad_utcb)
{
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	mica_word_t bad[] = { MICA_BOOT_UTCB_ADDR + 8,
			      MICA_BOOT_UTCB_ADDR - 1024,
			      MICA_BOOT_UTCB_ADDR + (1ul << MICA_BOOT_UTCB_AREA_LOG2),
			      0x400000,
			      0,
			      0xffffffff80000000ul };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_ERR(mica_thread_control(th, MICA_THREAD_CTL_BIND, KTASK, bad[i], 0, 0), MICA_E_BAD_ARG);
	/* the last slot of the area is fine */
	CHECK_OK(mica_thread_control(th, MICA_THREAD_CTL_BIND, KTASK,
				     MICA_BOOT_UTCB_ADDR + (1ul << MICA_BOOT_UTCB_AREA_LOG2) - 1024, 0, 0));
}

KTEST(thread_control_rights_and_flags)
{
	mica_cap_t th = ksel(), rw = ksel(), task_ro = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_OK(mica_cap_copy(KTASK, th, rw, MICA_THREAD_R_READ | MICA_THREAD_R_WRITE, 0));
	CHECK_ERR(mica_thread_control(rw, MICA_THREAD_CTL_PAGER, 0, 0, 4, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_thread_control(th, 0x80, 0, 0, 0, 0), MICA_E_BAD_ARG);
	CHECK_OK(mica_cap_copy(KTASK, KTASK, task_ro, MICA_TASK_R_READ, 0));
	CHECK_ERR(mica_thread_control(th, MICA_THREAD_CTL_BIND, task_ro, MICA_BOOT_UTCB_ADDR + 7 * 1024ul, 0,
				      0),
		  MICA_E_NO_RIGHTS);
	CHECK_OK(mica_thread_control(th, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, 4, 9));
	CHECK_TAG_ERR(mica_call(th, MICA_THREAD_CONTROL, 4), MICA_E_BAD_TAG, 0);
}

KTEST(thread_start_checks)
{
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_ERR(mica_thread_start(th, 0x400000, 0x500000, 0), MICA_E_BAD_ARG); /* unbound */
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_ERR(mica_thread_start(k->sel, 0xffffffff80000000ul, 0x500000, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_thread_start(k->sel, 0x400000, 0x800000000000ul, 0), MICA_E_BAD_ARG);
	CHECK_OK(kthread_go(k));
	CHECK_ERR(kthread_go(k), MICA_E_EXISTS);
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, ro, MICA_THREAD_R_READ, 0));
	CHECK_ERR(mica_thread_start(ro, 0x400000, 0x500000, 0), MICA_E_NO_RIGHTS);
	CHECK(KWAIT(k));
}

KTEST(thread_ex_regs_reads_state)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(wait_forever, 0, &g);
	CHECK(k);
	struct mica_exregs old;
	CHECK_OK(mica_thread_ex_regs(k->sel, 0, 0, &old));
	CHECK(old.ip >= 0x400000 && old.ip < 0x800000); /* in its code, inside the system call */
	CHECK(old.sp > 0x400000 && old.sp < 0x1000000);
	CHECK(old.flags & (1ul << 9)); /* interrupts on */
	CHECK_EQ(old.state, MICA_THREAD_RECEIVING);
}

static void landing(struct kthread *k)
{
	(void)k;
}

static void __attribute__((noreturn)) redirected(void)
{
	/* Reached through ex_regs with the stack set up below. */
	extern struct kthread *redirect_target;
	redirect_target->out[5] = 0x7e57;
	mica_thread_halt_other(redirect_target->self);
	for (;;)
		;
}
struct kthread *redirect_target;

KTEST(thread_ex_regs_sets_ip_and_sp)
{
	static _Alignas(16) uint8_t stack[4096];
	struct kthread *k = kthread_new(KTASK, landing, 0);
	CHECK(k);
	redirect_target = k;
	struct mica_exregs in = { (mica_word_t)redirected, (mica_word_t)&stack[4096 - 8], 0, 0, 0 };
	/* resuming a never-started thread starts it: it needs parameters */
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, MICA_SCHED_DEFAULT_PRIO, KTEST_SLICE_NS,
				       0));
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_SET_IP | MICA_EXREGS_SET_SP | MICA_EXREGS_RESUME,
				     &in, 0));
	kyield();
	CHECK_EQ(k->out[5], 0x7e57);
	struct mica_exregs now;
	CHECK_OK(mica_thread_ex_regs(k->sel, 0, 0, &now));
	CHECK(now.sp >= (mica_word_t)stack && now.sp < (mica_word_t)&stack[4096]);
}

KTEST(thread_ex_regs_flags_and_handle)
{
	struct kthread *k = kthread_new(KTASK, landing, 0);
	CHECK(k);
	struct mica_exregs in = { 0, 0, ~0ul, 0xfeed, 0 }, old;
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_SET_FLAGS | MICA_EXREGS_SET_HANDLE, &in, &old));
	CHECK_EQ(old.handle, 0);
	CHECK_OK(mica_thread_ex_regs(k->sel, 0, 0, &old));
	CHECK_EQ(old.flags & 0xcd5, 0xcd5);	    /* the arithmetic flags were set */
	CHECK_EQ(old.flags & 0x3000, 0);	    /* never IOPL */
	CHECK_EQ(old.flags & (1ul << 9), 1ul << 9); /* never interrupts off */
	CHECK_EQ(old.flags & (1ul << 8), 0);	    /* no trap flag */
	CHECK_EQ(old.handle, 0xfeed);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[3], 0xfeed);
}

KTEST(thread_ex_regs_rights_and_arguments)
{
	struct kthread *k = kthread_new(KTASK, landing, 0);
	CHECK(k);
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, ro, MICA_THREAD_R_READ, 0));
	struct mica_exregs in = { 0x400000, 0, 0, 1, 0 };
	CHECK_OK(mica_thread_ex_regs(ro, 0, 0, 0));
	CHECK_ERR(mica_thread_ex_regs(ro, MICA_EXREGS_SET_HANDLE, &in, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_thread_ex_regs(k->sel, 0x80, &in, 0), MICA_E_BAD_ARG);
	in.ip = 0xffff800000000000ul;
	CHECK_ERR(mica_thread_ex_regs(k->sel, MICA_EXREGS_SET_IP, &in, 0), MICA_E_BAD_ARG);
	mica_cap_t none = ksel();
	CHECK_OK(mica_cap_copy(KTASK, k->sel, none, 0, 0));
	CHECK_ERR(mica_thread_ex_regs(none, 0, 0, 0), MICA_E_NO_RIGHTS);
	mica_word_t info[5];
	CHECK_ERR(mica_thread_info(none, info), MICA_E_NO_RIGHTS);
	/* unbound threads have no registers to set */
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	in.ip = 0x400000;
	CHECK_ERR(mica_thread_ex_regs(th, MICA_EXREGS_SET_IP, &in, 0), MICA_E_BAD_ARG);
}

KTEST(thread_cancel_receive)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(wait_forever, 0, &g);
	CHECK(k);
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(mica_error((mica_msgtag_t){ k->out[0] }), MICA_E_CANCELED);
	CHECK(k->out[0] & MICA_TAG_RECV_PHASE);
	CHECK_EQ(k->out[1], MICA_E_CANCELED);
	/* the gate has no stale receiver left */
	CHECK_TAG_ERR(mica_send_timeout(g, 1, 0, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT, 0);
}

KTEST(thread_cancel_open_wait)
{
	struct kthread *k = kthread_start(KTASK, wait_forever, 0);
	CHECK(k);
	k->cap = 0;
	kyield();
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(mica_error((mica_msgtag_t){ k->out[0] }), MICA_E_CANCELED);
}

KTEST(thread_cancel_send)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(send_forever, 0, &g);
	CHECK(k);
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(mica_error((mica_msgtag_t){ k->out[0] }), MICA_E_CANCELED);
	CHECK_EQ(k->out[0] & MICA_TAG_RECV_PHASE, 0);
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
}

KTEST(thread_cancel_waiting_caller)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(call_forever, 0, &g);
	CHECK(k);
	CHECK_EQ(mica_error(mica_wait(g, MICA_TIMEOUT_ZERO, 0)), MICA_OK);
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(mica_error((mica_msgtag_t){ k->out[0] }), MICA_E_CANCELED);
	CHECK(k->out[0] & MICA_TAG_RECV_PHASE);
	CHECK_TAG_ERR(mica_reply(mica_msgtag(0, 0, 0, 0)), MICA_E_NO_PARTNER, 0);
}

KTEST(thread_cancel_idle_thread_is_harmless)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, 0, 0));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 0x600d);
}

static void counter(struct kthread *k)
{
	for (int i = 0; i < 50; i++) {
		k->out[0]++;
		mica_thread_yield(k->self);
	}
}

KTEST(thread_halt_and_resume)
{
	struct kthread *k = kthread_start(KTASK, counter, 0);
	CHECK(k);
	kyield();
	CHECK(k->out[0] > 0);
	CHECK_OK(mica_thread_halt_other(k->sel));
	mica_word_t at = k->out[0];
	kyield();
	kyield();
	CHECK_EQ(k->out[0], at);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[4], 1);
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_RESUME, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 50);
}

KTEST(thread_halted_receiver_gets_message_later)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(wait_forever, 0, &g);
	CHECK(k);
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_HALT, 0, 0));
	mica_mr()[0] = 3;
	CHECK_EQ(mica_send_timeout(g, 1, 1, MICA_TIMEOUT_ZERO).raw, 0); /* it still waits: delivered */
	kyield();
	CHECK_EQ(k->done, 0); /* but it does not run */
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_RESUME, 0, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(mica_error((mica_msgtag_t){ k->out[0] }), MICA_OK);
}

KTEST(thread_delete_blocked_sender)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(send_forever, 0, &g);
	CHECK(k);
	CHECK_OK(mica_cap_delete(KTASK, k->sel));
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
}

KTEST(thread_delete_server_aborts_caller)
{
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *srv = kthread_start(KTASK, wait_forever, 0);
	struct kthread *c = kthread_start(KTASK, call_forever, 0);
	CHECK(srv && c);
	srv->cap = c->cap = g;
	kyield();
	kyield();
	CHECK(srv->done); /* got the call, holds the reply right, halted */
	CHECK_EQ(c->done, 0);
	CHECK_OK(mica_cap_delete(KTASK, srv->sel));
	CHECK(KWAIT(c));
	CHECK_EQ(mica_error((mica_msgtag_t){ c->out[0] }), MICA_E_ABORTED);
	CHECK(c->out[0] & MICA_TAG_RECV_PHASE);
}

static void delete_myself(struct kthread *k)
{
	k->out[0] = 1;
	mica_cap_delete(MICA_CAP_TASK, k->self); /* the last capability: gone */
	k->out[1] = 1;				 /* never reached */
}

KTEST(thread_deletes_itself)
{
	mica_word_t before = kf_used();
	struct kthread *k = kthread_start(KTASK, delete_myself, 0);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[0], 1);
	CHECK_EQ(k->out[1], 0);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, k->sel, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
	CHECK_EQ(kf_used(), before);
}

static void yielder(struct kthread *k)
{
	k->out[0] = 1;
}

KTEST(thread_yield_runs_others)
{
	struct kthread *a = kthread_start(KTASK, yielder, 0), *b = kthread_start(KTASK, yielder, 0);
	CHECK(a && b);
	CHECK_EQ(a->out[0] + b->out[0], 0);
	CHECK_OK(mica_thread_yield(MICA_CAP_THREAD));
	CHECK_EQ(a->out[0] + b->out[0], 2);
	/* yielding to a particular thread runs it first */
	struct kthread *c = kthread_start(KTASK, yielder, 0), *d = kthread_start(KTASK, counter, 0);
	CHECK(c && d);
	CHECK_OK(mica_thread_yield(d->sel));
	CHECK(d->out[0] >= 1);
}

static void fpu_worker(struct kthread *k)
{
	/* Keeps a value in xmm0 and x87 across several switches. */
	mica_word_t v = k->arg, back = 0;
	double d = (double)k->arg, e;
	__asm__ volatile("fldl %0" ::"m"(d));
	__asm__ volatile("movq %0, %%xmm0" ::"r"(v) : "xmm0");
	for (int i = 0; i < 5; i++)
		mica_thread_yield(k->self);
	__asm__ volatile("movq %%xmm0, %0" : "=r"(back));
	__asm__ volatile("fstpl %0" : "=m"(e));
	k->out[0] = back;
	k->out[1] = (mica_word_t)e;
}

KTEST(thread_fpu_state_is_per_thread)
{
	struct kthread *a = kthread_start(KTASK, fpu_worker, 1111),
		       *b = kthread_start(KTASK, fpu_worker, 2222);
	CHECK(a && b);
	__asm__ volatile("movq %0, %%xmm0" ::"r"(33ul) : "xmm0");
	CHECK(KWAIT(a));
	CHECK(KWAIT(b));
	mica_word_t mine;
	__asm__ volatile("movq %%xmm0, %0" : "=r"(mine));
	CHECK_EQ(a->out[0], 1111);
	CHECK_EQ(b->out[0], 2222);
	CHECK_EQ(a->out[1], 1111);
	CHECK_EQ(b->out[1], 2222);
	CHECK_EQ(mine, 33);
}

static void crash(struct kthread *k)
{
	k->out[0] = 1;
	__asm__ volatile("ud2");
}

KTEST(thread_exception_stops_only_the_thread)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	struct kthread *k = kthread_start(t, crash, 0);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[0], 1);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_EQ(info[1], 1); /* still bound: its handler (memory issue) could restart it */
}

KTEST(thread_unknown_method)
{
	CHECK_TAG_ERR(mica_call(MICA_CAP_THREAD, 77, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(MICA_CAP_THREAD, MICA_THREAD_EX_REGS, 2), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_call(MICA_CAP_THREAD, MICA_THREAD_START, 2), MICA_E_BAD_TAG, 0);
}

static void crash_once(struct kthread *k)
{
	k->out[0]++;
	if (k->out[0] == 1)
		__asm__ volatile("ud2");
}

KTEST(thread_restart_after_exception)
{
	struct kthread *k = kthread_start(KTASK, crash_once, 0);
	CHECK(k);
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_OK(kthread_go(k)); /* START brings a dead thread back */
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 2);
}

KTEST(thread_reads_its_own_registers)
{
	struct mica_exregs me;
	CHECK_OK(mica_thread_ex_regs(MICA_CAP_THREAD, 0, 0, &me));
	CHECK_EQ(me.state, MICA_THREAD_READY);
	CHECK(me.sp > MICA_BOOT_STACK_TOP - MICA_BOOT_STACK_SIZE && me.sp <= MICA_BOOT_STACK_TOP);
	CHECK(me.ip >= 0x400000 && me.ip < 0x800000);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(MICA_CAP_THREAD, info));
	CHECK_EQ(info[1], 1);
	CHECK_EQ(info[4], 0);
}

KTEST(thread_methods_on_wrong_types)
{
	/* thread labels sent to a gate are just messages; to a factory they
	 * are that factory's methods */
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_TAG_ERR(mica_call_timeout(g, MICA_THREAD_INFO, 0, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0)),
		      MICA_E_TIMEOUT, 0);
	mica_word_t info[5];
	CHECK_ERR(mica_thread_info(KF, info), MICA_E_UNKNOWN_OP);
	CHECK_ERR(mica_thread_control(ksel(), 0, 0, 0, 0, 0), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_thread_yield(KF), MICA_E_UNKNOWN_OP);
	CHECK_ERR(mica_thread_yield(MICA_CAP_VCON), MICA_E_UNKNOWN_OP);
}

KTEST(thread_control_sets_user_handle)
{
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_THREAD_CTL_HANDLE;
	mr[5] = 0xabc;
	CHECK_TAG_ERR(mica_call(th, MICA_THREAD_CONTROL, 5), MICA_E_BAD_TAG, 0); /* the handle is MR5 */
	mr[0] = MICA_THREAD_CTL_HANDLE;
	mr[5] = 0xabc;
	CHECK_EQ(mica_error(mica_call(th, MICA_THREAD_CONTROL, 6)), MICA_OK);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(th, info));
	CHECK_EQ(info[3], 0xabc);
	CHECK_EQ(info[1], 0); /* nothing else changed */
}
