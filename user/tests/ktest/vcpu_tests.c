/* vcpu_: the vCPU thread mode (docs/abi.md §6.9): upcalls for IRQs,
 * messages, exceptions and page faults, events pending while disabled,
 * the resume from the state area, and user mode in another task whose
 * faults and system calls come back as upcalls. The vCPU runs in a child
 * task (its state area is in that task's UTCB area); it and the user
 * task share this program's image, so the records below are shared. */
#include <string.h>

#include "vcpu_util.h"

#define USER_SEL 0x30 /* the user task, in the vCPU's task */
#define IRQ_SEL 0x31  /* an IRQ attached to the vCPU, in its task */
#define GATE_SEL 0x32 /* a gate bound to the vCPU, in its task */
#define IRQ_LABEL 0x1111
#define GATE_LABEL 0x2222

/* What the entry does after recording an upcall. */
enum after { FINISH, RESUME };

static struct {
	volatile mica_word_t upcalls, event, saved, info0, info1, ip, rdi, sp, sticky, state, arg;
	volatile mica_word_t label, taken;
	volatile mica_word_t resume_err, spins, user_ran, cont, cont_rdi, cont_rsi;
	volatile enum after after;
} rec;

static uint8_t user_stack[8192] __attribute__((aligned(16)));
static uint8_t cont_stack[8192] __attribute__((aligned(16)));

/* The upcall entry: rdi is the state area. */
static void entry(volatile struct mica_vcpu_state *s)
{
	rec.arg = (mica_word_t)s;
	rec.event = s->event;
	rec.saved = s->saved_state;
	rec.state = s->state;
	rec.info0 = s->info[0];
	rec.info1 = s->info[1];
	rec.ip = s->regs[MICA_EXC_IP];
	rec.sp = s->regs[MICA_EXC_SP];
	rec.rdi = s->regs[MICA_EXC_RDI];
	rec.sticky = s->sticky;
	if (s->event == MICA_VCPU_EV_IPC) {
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ZERO, &label);
		rec.label = mica_msgtag_is_error(t) ? ~0ul : label;
		if (label == GATE_LABEL)
			mica_reply(mica_msgtag(0, 0, 0, 0));
		rec.taken++;
	}
	rec.upcalls++; /* last: the root waits for it */
	if (rec.after == RESUME) {
		s->state = s->saved_state;
		rec.resume_err = (mica_word_t)mica_vcpu_resume(vk->self);
	}
	vcpu_finish();
}

static void setup(void)
{
	vcpu_setup(entry);
}

/* A vCPU with the records cleared. */
static struct kthread *vcpu_fresh(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t *task)
{
	memset((void *)&rec, 0, sizeof(rec));
	return vcpu_new(fn, arg, task);
}

/* An IRQ attached to the vCPU, at IRQ_SEL in its task too. */
static mica_cap_t vcpu_irq(mica_cap_t task)
{
	mica_cap_t q = kirq();
	if (!q || mica_irq_attach(q, vk->sel, IRQ_LABEL) != MICA_OK || kgive(task, q, IRQ_SEL) != MICA_OK)
		return 0;
	return q;
}

/* A user task for the vCPU, at USER_SEL in its task. */
static mica_cap_t user_task(mica_cap_t task)
{
	mica_cap_t u = ktask_create();
	if (!u || kgive(task, u, USER_SEL) != MICA_OK)
		return 0;
	return u;
}

/* Runs fn in the user task (events enabled); returns only if the resume
 * failed. */
static void go_user(void (*fn)(void), mica_word_t rdi)
{
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		ST->regs[i] = 0;
	ST->regs[MICA_EXC_IP] = (mica_word_t)fn;
	ST->regs[MICA_EXC_SP] = (mica_word_t)&user_stack[sizeof(user_stack) - 8];
	ST->regs[MICA_EXC_RDI] = rdi;
	ST->user_task = USER_SEL;
	ST->state = MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER;
	rec.resume_err = (mica_word_t)mica_vcpu_resume(vk->self);
}

/* Spins with events enabled until an upcall sets rec.upcalls. */
static void spin_enabled(struct kthread *k)
{
	(void)k;
	setup();
	ST->state = MICA_VCPU_F_EVENTS;
	rec.after = RESUME;
	while (!rec.upcalls)
		mica_thread_yield(vk->self);
	rec.cont = 1;
}

/* User-mode code: no UTCB here (GS base 0), only plain instructions. */
static void user_spin(void)
{
	rec.user_ran = 1;
	for (;;)
		rec.spins++;
}

static void user_syscall(void)
{
	rec.user_ran = 1;
	/* A send through selector 0x77, with the vCPU's own thread there
	 * too: it must not reach any object. */
	__asm__ volatile("mov $0x77, %%rdi\n\tmov $5, %%rsi\n\tmov $1, %%rdx\n\tsyscall\n\tud2" ::
				 : "rdi", "rsi", "rdx", "rcx", "r11", "memory");
}

static void user_touch(void)
{
	rec.user_ran = 1;
	*(volatile mica_word_t *)0x1008 = 1;
	for (;;)
		;
}

static void user_ud2(void)
{
	rec.user_ran = 1;
	__builtin_trap();
}

KTEST(vcpu_control_checks_its_arguments)
{
	mica_cap_t t = ksel();
	CHECK_OK(mica_create_task(KF, t, KCHILD_UTCB, VT_UTCB_LOG2));
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_ERR(mica_vcpu_control(th, VT_STATE), MICA_E_BAD_ARG); /* unbound */
	CHECK_OK(mica_thread_control(th, MICA_THREAD_CTL_BIND, t, KCHILD_UTCB, 0, 0));
	CHECK_ERR(mica_vcpu_control(th, VT_STATE + 0x400), MICA_E_BAD_ARG);	/* not page aligned */
	CHECK_ERR(mica_vcpu_control(th, KCHILD_UTCB + 0x8000), MICA_E_BAD_ARG); /* past the area */
	CHECK_ERR(mica_vcpu_control(th, KCHILD_UTCB - 0x1000), MICA_E_BAD_ARG); /* before it */
	CHECK_ERR(mica_vcpu_control(th, 0x400000), MICA_E_BAD_ARG);		/* ordinary memory */
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, th, ro, MICA_THREAD_R_READ | MICA_THREAD_R_WRITE, 0));
	CHECK_ERR(mica_vcpu_control(ro, VT_STATE), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_vcpu_control(th, VT_STATE));
	CHECK_ERR(mica_vcpu_control(th, VT_STATE), MICA_E_EXISTS);
}

KTEST(vcpu_resume_only_self_and_only_a_vcpu)
{
	mica_cap_t t = 0;
	struct kthread *k = vcpu_fresh(spin_enabled, 0, &t);
	CHECK(k);
	/* Not the caller's own thread. */
	CHECK_ERR(mica_vcpu_resume(k->sel), MICA_E_BAD_ARG);
	/* The caller, but not a vCPU. */
	CHECK_ERR(mica_vcpu_resume(MICA_CAP_THREAD), MICA_E_BAD_ARG);
}

static void bad_states(struct kthread *k)
{
	setup();
	mica_word_t *out = (mica_word_t *)k->out;
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		ST->regs[i] = 0;
	ST->regs[MICA_EXC_IP] = (mica_word_t)user_spin;
	ST->regs[MICA_EXC_SP] = (mica_word_t)&user_stack[sizeof(user_stack) - 8];
	ST->state = 1ul << 5; /* unknown flag */
	out[0] = (mica_word_t)mica_vcpu_resume(vk->self);
	ST->state = MICA_VCPU_F_USER; /* user mode needs events */
	out[1] = (mica_word_t)mica_vcpu_resume(vk->self);
	ST->state = MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER;
	ST->user_task = 0x3ff; /* empty */
	out[2] = (mica_word_t)mica_vcpu_resume(vk->self);
	ST->user_task = IRQ_SEL; /* not a task */
	out[3] = (mica_word_t)mica_vcpu_resume(vk->self);
	ST->state = 0;
	ST->regs[MICA_EXC_IP] = 0xffff800000001000ul; /* the kernel's */
	out[4] = (mica_word_t)mica_vcpu_resume(vk->self);
	ST->regs[MICA_EXC_IP] = (mica_word_t)user_spin;
	ST->regs[MICA_EXC_FS_BASE] = 0x0000800000000000ul; /* not a user address */
	out[5] = (mica_word_t)mica_vcpu_resume(vk->self);
	ST->regs[MICA_EXC_FS_BASE] = 0;
	ST->user_task = USER_SEL;
	ST->state = MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER;
	out[6] = (mica_word_t)mica_vcpu_resume(vk->self); /* a task without WRITE */
}

KTEST(vcpu_resume_refuses_bad_state)
{
	mica_cap_t t = 0;
	struct kthread *k = vcpu_fresh(bad_states, 0, &t);
	CHECK(k);
	CHECK(vcpu_irq(t));
	mica_cap_t u = ktask_create();
	CHECK(u);
	CHECK_OK(mica_cap_copy(t, u, USER_SEL, MICA_TASK_R_READ, 0));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_E_BAD_ARG);
	CHECK_EQ(k->out[1], MICA_E_BAD_ARG);
	CHECK_EQ(k->out[2], MICA_E_INVALID_CAP);
	CHECK_EQ(k->out[3], MICA_E_WRONG_TYPE);
	CHECK_EQ(k->out[4], MICA_E_BAD_ARG);
	CHECK_EQ(k->out[5], MICA_E_BAD_ARG);
	CHECK_EQ(k->out[6], MICA_E_NO_RIGHTS);
	CHECK_EQ(rec.upcalls, 0);
}

static void cont(mica_word_t a, mica_word_t b)
{
	rec.cont_rdi = a;
	rec.cont_rsi = b;
	rec.cont = 1;
	vcpu_finish();
}

static void resume_registers(struct kthread *k)
{
	(void)k;
	setup();
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		ST->regs[i] = 0;
	ST->regs[MICA_EXC_IP] = (mica_word_t)cont;
	ST->regs[MICA_EXC_SP] = (mica_word_t)&cont_stack[sizeof(cont_stack) - 8];
	ST->regs[MICA_EXC_RDI] = 0xabc;
	ST->regs[MICA_EXC_RSI] = 0xdef;
	rec.resume_err = (mica_word_t)mica_vcpu_resume(vk->self);
}

KTEST(vcpu_resume_loads_the_state_areas_registers)
{
	struct kthread *k = vcpu_fresh(resume_registers, 0, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.resume_err, 0);
	CHECK_EQ(rec.cont, 1);
	CHECK_EQ(rec.cont_rdi, 0xabc);
	CHECK_EQ(rec.cont_rsi, 0xdef);
}

KTEST(vcpu_irq_is_an_upcall_and_resume_returns)
{
	mica_cap_t t = 0;
	struct kthread *k = vcpu_fresh(spin_enabled, 0, &t);
	CHECK(k);
	mica_cap_t q = vcpu_irq(t);
	CHECK(q);
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(rec.upcalls, 0);
	CHECK_OK(mica_irq_trigger(q));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_IPC);
	CHECK_EQ(rec.arg, VT_STATE);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS);
	CHECK_EQ(rec.state, 0); /* events off in the upcall */
	CHECK_EQ(rec.label, IRQ_LABEL);
	CHECK_EQ(rec.sticky & MICA_VCPU_S_PENDING, 0);
	CHECK_EQ(rec.cont, 1); /* resumed where it was, then it finished */
}

static void disabled_then_enable(struct kthread *k)
{
	setup();
	rec.after = FINISH;
	/* Events disabled: the IRQ waits. */
	while (!k->arg2)
		mica_thread_yield(vk->self);
	k->out[0] = ST->sticky;
	k->out[1] = rec.upcalls;
	/* Enabling by resume: the pending event enters at once. */
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		ST->regs[i] = 0;
	ST->regs[MICA_EXC_IP] = (mica_word_t)cont;
	ST->regs[MICA_EXC_SP] = (mica_word_t)&cont_stack[sizeof(cont_stack) - 8];
	ST->state = MICA_VCPU_F_EVENTS;
	rec.resume_err = (mica_word_t)mica_vcpu_resume(vk->self);
}

KTEST(vcpu_events_pending_while_disabled)
{
	mica_cap_t t = 0;
	struct kthread *k = vcpu_fresh(disabled_then_enable, 0, &t);
	CHECK(k);
	mica_cap_t q = vcpu_irq(t);
	CHECK(q);
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_OK(mica_irq_trigger(q));
	kyield();
	kyield();
	CHECK_EQ(rec.upcalls, 0);
	k->arg2 = 1;
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0] & MICA_VCPU_S_PENDING, MICA_VCPU_S_PENDING);
	CHECK_EQ(k->out[1], 0);
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_IPC);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS);
	CHECK_EQ(rec.ip, (mica_word_t)cont); /* the state it was resuming */
	CHECK_EQ(rec.label, IRQ_LABEL);
	CHECK_EQ(rec.cont, 0);
}

static void caller(struct kthread *k)
{
	mica_msgtag_t t = mica_call(k->cap, 0x42, 0);
	k->out[0] = mica_msgtag_is_error(t) ? mica_error(t) : 0;
}

KTEST(vcpu_ipc_is_an_upcall)
{
	mica_cap_t t = 0;
	struct kthread *k = vcpu_fresh(spin_enabled, 0, &t);
	CHECK(k);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, k->sel, GATE_LABEL));
	CHECK_OK(kthread_go(k));
	kyield();
	struct kthread *c = kthread_new(KTASK, caller, 0);
	CHECK(c);
	c->cap = g;
	CHECK_OK(kthread_go(c));
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[0], 0); /* the entry took the call and replied */
	CHECK(KWAIT(k));
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_IPC);
	CHECK_EQ(rec.label, GATE_LABEL);
	CHECK_EQ(rec.cont, 1);
}

static void self_trigger(struct kthread *k)
{
	(void)k;
	setup();
	ST->state = MICA_VCPU_F_EVENTS;
	rec.after = RESUME;
	mica_irq_trigger(IRQ_SEL);
	/* The upcall came on the way out of the trigger. */
	k->out[0] = rec.upcalls;
	rec.cont = 1;
}

KTEST(vcpu_own_irq_trigger_upcalls_at_once)
{
	mica_cap_t t = 0;
	struct kthread *k = vcpu_fresh(self_trigger, 0, &t);
	CHECK(k);
	CHECK(vcpu_irq(t));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], 1);
	CHECK_EQ(rec.label, IRQ_LABEL);
	CHECK_EQ(rec.cont, 1);
}

static void kernel_touch(struct kthread *k)
{
	(void)k;
	setup();
	ST->state = MICA_VCPU_F_EVENTS;
	rec.after = FINISH;
	*(volatile mica_word_t *)0x2010 = 5;
	rec.cont = 1; /* not reached: the entry finishes */
}

KTEST(vcpu_page_fault_with_events_is_an_upcall)
{
	struct kthread *k = vcpu_fresh(kernel_touch, 0, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_PAGE_FAULT);
	CHECK_EQ(rec.info0, 0x2010);
	CHECK_EQ(rec.info1, MICA_FPAGE_W);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS);
	CHECK_EQ(rec.cont, 0);
}

static void run_user(struct kthread *k)
{
	setup();
	rec.after = (enum after)k->arg2;
	go_user((void (*)(void))k->arg, 0x5151);
}

/* A vCPU that resumes into a new user task running fn (after: what the
 * entry does then); *u gets the user task. */
static struct kthread *user_vcpu(void (*fn)(void), enum after after, mica_cap_t *vt, mica_cap_t *u)
{
	struct kthread *k = vcpu_fresh(run_user, (mica_word_t)fn, vt);
	if (!k || !(*u = user_task(*vt)))
		return 0;
	k->arg2 = after;
	return k;
}

KTEST(vcpu_user_mode_syscall_is_an_upcall)
{
	mica_cap_t t, u;
	struct kthread *k = user_vcpu(user_syscall, FINISH, &t, &u);
	CHECK(k);
	/* Selector 0x77 of the vCPU's task names its own thread: the user
	 * task's call must not reach it. */
	CHECK_OK(kgive(t, k->sel, 0x77));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.user_ran, 1);
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_SYSCALL);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
	CHECK_EQ(rec.rdi, 0x77);
	CHECK(rec.ip > (mica_word_t)user_syscall && rec.ip < (mica_word_t)user_syscall + 64);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[4], 1); /* halted by finish(), not by the user's HALT */
}

KTEST(vcpu_user_mode_page_fault_is_an_upcall)
{
	mica_cap_t t, u;
	struct kthread *k = user_vcpu(user_touch, FINISH, &t, &u);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_PAGE_FAULT);
	CHECK_EQ(rec.info0, 0x1008);
	CHECK_EQ(rec.info1, MICA_FPAGE_W);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
	CHECK(rec.ip >= (mica_word_t)user_touch && rec.ip < (mica_word_t)user_touch + 64);
}

KTEST(vcpu_user_mode_exception_is_an_upcall)
{
	mica_cap_t t, u;
	struct kthread *k = user_vcpu(user_ud2, FINISH, &t, &u);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_EXCEPTION);
	CHECK_EQ(rec.info0, 6); /* #UD */
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
}

KTEST(vcpu_irq_in_user_mode_upcalls_and_resumes_user)
{
	mica_cap_t t, u;
	struct kthread *k = user_vcpu(user_spin, RESUME, &t, &u);
	CHECK(k);
	mica_cap_t q = vcpu_irq(t);
	CHECK(q);
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(rec.user_ran, 1);
	CHECK_EQ(rec.resume_err, 0);
	CHECK_OK(mica_irq_trigger(q));
	for (int i = 0; i < 50 && !rec.upcalls; i++)
		kyield();
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_IPC);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
	CHECK_EQ(rec.label, IRQ_LABEL);
	/* Back in user mode: it spins on. */
	mica_word_t before = rec.spins;
	kyield();
	kyield();
	CHECK(rec.spins != before);
	CHECK_EQ(k->done, 0);
	/* Stopping it while it runs in the user task: nothing is left. */
	CHECK_OK(mica_cap_delete(KTASK, k->sel));
	CHECK_OK(mica_task_destroy(t));
	CHECK_OK(mica_task_destroy(u));
}

KTEST(vcpu_user_task_destroyed_while_in_it)
{
	mica_cap_t t, u;
	struct kthread *k = user_vcpu(user_spin, FINISH, &t, &u);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(rec.user_ran, 1);
	CHECK_OK(mica_task_destroy(u));
	CHECK(KWAIT(k));
	CHECK_EQ(rec.upcalls, 1);
	CHECK_EQ(rec.event, MICA_VCPU_EV_TASK_GONE);
	CHECK_EQ(rec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
}

static void bad_entry(struct kthread *k)
{
	(void)k;
	setup();
	ST->entry_ip = 0xffff800000000000ul;
	ST->state = MICA_VCPU_F_EVENTS;
	*(volatile mica_word_t *)0x2010 = 5;
	rec.cont = 1;
}

KTEST(vcpu_upcall_to_a_bad_entry_stops_the_thread)
{
	struct kthread *k = vcpu_fresh(bad_entry, 0, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	kyield();
	kyield();
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_EQ(rec.cont, 0);
}

KTEST(vcpu_destroyed_with_its_task_in_user_mode)
{
	mica_cap_t t, u;
	struct kthread *k = user_vcpu(user_spin, FINISH, &t, &u);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(rec.user_ran, 1);
	/* The vCPU's own task goes first: the user task must not keep it. */
	CHECK_OK(mica_task_destroy(t));
	mica_word_t before = rec.spins;
	kyield();
	CHECK_EQ(rec.spins, before);
	CHECK_OK(mica_task_destroy(u));
}
