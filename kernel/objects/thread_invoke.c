/* The thread object's methods (mica/thread.h): their table, and decoders
 * that check the message before the operation (thread.c, the scheduler)
 * runs. */
#include <mica/layout.h>
#include <mica/thread.h>

#include "ipc/ipc.h"
#include "memory/cap.h"
#include "sched/clock.h"
#include "sched/cpu_lock.h"
#include "objects/invoke.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/vcpu.h"

static struct thread *thread_of(const struct invoke_call *c)
{
	return (struct thread *)cap_obj(c->cap);
}

static bool user_address(uint64_t a)
{
	return a < MICA_USER_END;
}

static mica_msgtag_t halt(struct invoke_call *c)
{
	thread_of(c)->halted = true;
	return invoke_ok(c->caller, 0);
}

/* The task (MR1) and the UTCB place (MR2) a CTL_BIND binds to. */
static enum mica_error check_bind(struct invoke_call *c, struct thread_control_args *a)
{
	struct thread *t = thread_of(c);
	struct cap_slot *tc;
	enum mica_error e = cap_get(c->caller->task, c->mr[1], MICA_OBJ_TASK, MICA_TASK_R_WRITE, &tc);
	if (e != MICA_OK)
		return e;
	if (t->task || t->state == THREAD_DEAD)
		return MICA_E_EXISTS; /* bound once */
	a->task = (struct task *)cap_obj(tc);
	a->utcb = c->mr[2];
	if ((a->utcb & (MICA_UTCB_SIZE - 1)) || !task_in_utcb_area(a->task, a->utcb, MICA_UTCB_SIZE) ||
	    a->utcb < a->task->utcb_base)
		return MICA_E_BAD_ARG;
	return MICA_OK;
}

/* At least five words; MR5 (the user handle) only with CTL_HANDLE. */
static mica_msgtag_t control(struct invoke_call *c)
{
	struct thread_control_args a = { .flags = c->mr[0], .pager = c->mr[3], .exc_handler = c->mr[4] };
	if (mica_msgtag_u(c->tag) >= 6) {
		invoke_copy_mrs(c->caller, &c->mr[5], 5, 1);
		a.user_handle = c->mr[5];
	} else if (a.flags & MICA_THREAD_CTL_HANDLE) {
		return invoke_error(c->caller, MICA_E_BAD_TAG);
	}
	enum mica_error e = MICA_OK;
	if (a.flags &
	    ~(MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC | MICA_THREAD_CTL_HANDLE))
		e = MICA_E_BAD_ARG;
	else if (a.flags & MICA_THREAD_CTL_BIND)
		e = check_bind(c, &a);
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	thread_control(thread_of(c), &a);
	return invoke_ok(c->caller, 0);
}

/* ex_regs reaches t and, canceling, its IPC partner: it takes their
 * CPUs' locks, not every CPU's, so that one CPU that stops and resumes
 * threads in a loop does not keep all others out of their kernels. t
 * moves, and its partner changes, only under t's CPU's lock, so what
 * is read under it holds still. */
static void lock_ex_regs(struct thread *t, bool cancel)
{
	struct percpu *cpu = this_cpu();
	for (;;) {
		uint64_t need = cpu_mask_of(t->cpu);
		if (cpu_locks_cover(cpu, need)) {
			if (cancel)
				need |= ipc_abort_locks(t);
			if (cpu_locks_cover(cpu, need))
				return;
		}
		cpu_lock_more(cpu, need);
	}
}

static mica_msgtag_t ex_regs(struct invoke_call *c)
{
	struct thread *t = thread_of(c);
	const mica_word_t *mr = c->mr;
	struct thread_regs_args a = { mr[0], mr[1], mr[2], mr[3], mr[4] };
	mica_word_t f = a.flags;
	if (f & ~MICA_EXREGS_FLAGS)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	lock_ex_regs(t, f & MICA_EXREGS_CANCEL);
	if (f && !(cap_rights(c->cap) & MICA_THREAD_R_WRITE))
		return invoke_error(c->caller, MICA_E_NO_RIGHTS); /* reading needs only READ */
	if (((f & MICA_EXREGS_SET_IP) && !user_address(a.ip)) ||
	    ((f & MICA_EXREGS_SET_SP) && !user_address(a.sp)))
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if ((f & (MICA_EXREGS_SET_IP | MICA_EXREGS_SET_SP | MICA_EXREGS_RESUME)) && !t->task)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	/* Resuming a never-started thread starts it: that needs a scheduler's
	 * parameters as START does; nothing is changed then. */
	if ((f & MICA_EXREGS_RESUME) && t->state == THREAD_INACTIVE && !t->scheduled)
		return invoke_error(c->caller, MICA_E_NOT_SCHEDULED);

	mica_word_t old[4];
	thread_ex_regs(t, &a, old);
	/* The caller may be t itself: its UTCB gets the old values. */
	volatile mica_word_t *out = c->caller->utcb->mr;
	for (unsigned i = 0; i < 4; i++)
		out[i] = old[i];
	out[4] = thread_abi_state(t);
	return invoke_ok(c->caller, 5);
}

static mica_msgtag_t start(struct invoke_call *c)
{
	struct thread *t = thread_of(c);
	if (!t->task || !user_address(c->mr[0]) || !user_address(c->mr[1]))
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if (t->state != THREAD_INACTIVE && t->state != THREAD_DEAD)
		return invoke_error(c->caller, MICA_E_EXISTS);
	/* No thread runs before a holder of a scheduler capability placed it
	 * (RUN_THREAD). A refused START leaves the thread as it was. */
	if (!t->scheduled)
		return invoke_error(c->caller, MICA_E_NOT_SCHEDULED);
	thread_start(t, c->mr[0], c->mr[1], c->mr[2]);
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t yield(struct invoke_call *c)
{
	sched_yield(thread_of(c));
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t info(struct invoke_call *c)
{
	struct thread *t = thread_of(c);
	volatile mica_word_t *mr = c->caller->utcb->mr;
	mr[0] = thread_abi_state(t);
	mr[1] = t->task != 0;
	mr[2] = t->cpu;
	mr[3] = t->user_handle;
	mr[4] = t->halted;
	return invoke_ok(c->caller, 5);
}

static mica_msgtag_t stats(struct invoke_call *c)
{
	struct thread *t = thread_of(c);
	volatile mica_word_t *mr = c->caller->utcb->mr;
	mr[0] = clock_ns_of_ticks(sched_cpu_ticks(t));
	mr[1] = t->prio;
	mr[2] = t->slice_ns;
	return invoke_ok(c->caller, 3);
}

const struct invoke_method thread_methods[INVOKE_LABELS] = {
	[MICA_THREAD_HALT] = { .decode = halt, .rights = MICA_THREAD_R_WRITE },
	[MICA_THREAD_CONTROL] = { .decode = control, .words = 5, .rights = MICA_THREAD_R_CONTROL },
	[MICA_THREAD_EX_REGS] = { .decode = ex_regs, .words = 5, .rights = MICA_THREAD_R_READ },
	[MICA_THREAD_START] = { .decode = start, .words = 3, .rights = MICA_THREAD_R_WRITE },
	[MICA_THREAD_YIELD] = { .decode = yield, .rights = THREAD_YIELD_RIGHTS },
	[MICA_THREAD_INFO] = { .decode = info, .rights = MICA_THREAD_R_READ },
	[MICA_THREAD_STATS] = { .decode = stats, .rights = MICA_THREAD_R_READ },
	[MICA_THREAD_VCPU_CONTROL] = { .decode = vcpu_control_decode,
				       .words = 1,
				       .rights = MICA_THREAD_R_CONTROL },
	[MICA_THREAD_VCPU_RESUME] = { .decode = vcpu_resume_decode, .rights = MICA_THREAD_R_WRITE },
};
