/* The thread object's methods: decoding and checking (see mica/thread.h). */
#include <mica/layout.h>
#include <mica/thread.h>

#include "arch/context.h"
#include "memory/cap.h"
#include "sched/clock.h"
#include "objects/invoke.h"
#include "ipc/ipc.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"

static mica_msgtag_t control(struct thread *caller, struct thread *t, const mica_word_t *mr)
{
	mica_word_t flags = mr[0];
	if (flags &
	    ~(MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC | MICA_THREAD_CTL_HANDLE))
		return invoke_error(caller, MICA_E_BAD_ARG);
	struct task *task = 0;
	uint64_t utcb = mr[2];
	if (flags & MICA_THREAD_CTL_BIND) {
		struct cap_slot *tc;
		enum mica_error e = cap_get(caller->task, mr[1], MICA_OBJ_TASK, MICA_TASK_R_WRITE, &tc);
		if (e != MICA_OK)
			return invoke_error(caller, e);
		if (t->task || t->state == THREAD_DEAD)
			return invoke_error(caller, MICA_E_EXISTS);
		task = (struct task *)cap_obj(tc);
		if ((utcb & (MICA_UTCB_SIZE - 1)) || !task_in_utcb_area(task, utcb, MICA_UTCB_SIZE) ||
		    utcb < task->utcb_base)
			return invoke_error(caller, MICA_E_BAD_ARG);
	}
	/* Everything is checked: now change the thread. */
	if (task)
		thread_bind(t, task, utcb);
	if (flags & MICA_THREAD_CTL_PAGER)
		t->pager = mr[3];
	if (flags & MICA_THREAD_CTL_EXC)
		t->exc_handler = mr[4];
	if (flags & MICA_THREAD_CTL_HANDLE)
		t->user_handle = mr[5];
	return invoke_ok(caller, 0);
}

static bool user_address(uint64_t a)
{
	return a < MICA_USER_END;
}

static void resume(struct thread *t)
{
	t->halted = false;
	if (t->state == THREAD_INACTIVE)
		t->state = THREAD_READY;
	if (t->state == THREAD_READY)
		sched_ready(t);
}

static mica_msgtag_t ex_regs(struct thread *caller, struct thread *t, unsigned rights, const mica_word_t *mr)
{
	mica_word_t f = mr[0];
	if (f & ~MICA_EXREGS_FLAGS)
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (f && !(rights & MICA_THREAD_R_WRITE))
		return invoke_error(caller, MICA_E_NO_RIGHTS);
	if (((f & MICA_EXREGS_SET_IP) && !user_address(mr[1])) ||
	    ((f & MICA_EXREGS_SET_SP) && !user_address(mr[2])))
		return invoke_error(caller, MICA_E_BAD_ARG);
	if ((f & (MICA_EXREGS_SET_IP | MICA_EXREGS_SET_SP | MICA_EXREGS_RESUME)) && !t->task)
		return invoke_error(caller, MICA_E_BAD_ARG);

	mica_word_t old[4] = { regs_ip(&t->regs), regs_sp(&t->regs), regs_flags(&t->regs), t->user_handle };
	if (f & MICA_EXREGS_SET_IP)
		regs_set_ip(&t->regs, mr[1]);
	if (f & MICA_EXREGS_SET_SP)
		regs_set_sp(&t->regs, mr[2]);
	if (f & MICA_EXREGS_SET_FLAGS)
		regs_set_user_flags(&t->regs, mr[3]);
	if (f & MICA_EXREGS_SET_HANDLE)
		t->user_handle = mr[4];
	if (f & MICA_EXREGS_CANCEL)
		ipc_abort(t, MICA_E_CANCELED);
	if (f & MICA_EXREGS_HALT)
		t->halted = true;
	if (f & MICA_EXREGS_RESUME)
		resume(t);

	/* The caller may be t itself: its UTCB gets the old values. */
	for (unsigned i = 0; i < 4; i++)
		caller->utcb->mr[i] = old[i];
	caller->utcb->mr[4] = thread_abi_state(t);
	return invoke_ok(caller, 5);
}

static mica_msgtag_t start(struct thread *caller, struct thread *t, const mica_word_t *mr)
{
	if (!t->task || !user_address(mr[0]) || !user_address(mr[1]))
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (t->state != THREAD_INACTIVE && t->state != THREAD_DEAD)
		return invoke_error(caller, MICA_E_EXISTS);
	arch_thread_init_user(&t->regs, &t->arch, mr[0], mr[1], mr[2], 0, t->utcb_addr);
	t->state = THREAD_INACTIVE;
	resume(t);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t info(struct thread *caller, struct thread *t)
{
	volatile mica_word_t *mr = caller->utcb->mr;
	mr[0] = thread_abi_state(t);
	mr[1] = t->task != 0;
	mr[2] = t->cpu;
	mr[3] = t->user_handle;
	mr[4] = t->halted;
	return invoke_ok(caller, 5);
}

static mica_msgtag_t stats(struct thread *caller, struct thread *t)
{
	volatile mica_word_t *mr = caller->utcb->mr;
	mr[0] = clock_ns_of_ticks(sched_cpu_ticks(t));
	mr[1] = t->prio;
	mr[2] = t->slice_ns;
	return invoke_ok(caller, 3);
}

mica_msgtag_t thread_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	struct thread *t = (struct thread *)cap_obj(cap);
	mica_word_t mr[6];
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_THREAD_HALT:
		if ((e = invoke_check(cap, tag, 0, MICA_THREAD_R_WRITE)))
			return invoke_error(caller, e);
		t->halted = true;
		return invoke_ok(caller, 0);
	case MICA_THREAD_CONTROL:
		if ((e = invoke_check(cap, tag, 5, MICA_THREAD_R_CONTROL)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, mica_msgtag_u(tag) >= 6 ? 6 : 5);
		if ((mr[0] & MICA_THREAD_CTL_HANDLE) && mica_msgtag_u(tag) < 6)
			return invoke_error(caller, MICA_E_BAD_TAG);
		return control(caller, t, mr);
	case MICA_THREAD_EX_REGS:
		if ((e = invoke_check(cap, tag, 5, MICA_THREAD_R_READ)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 5);
		return ex_regs(caller, t, cap_rights(cap), mr);
	case MICA_THREAD_START:
		if ((e = invoke_check(cap, tag, 3, MICA_THREAD_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 3);
		return start(caller, t, mr);
	case MICA_THREAD_YIELD:
		if ((e = invoke_check(cap, tag, 0, MICA_THREAD_R_WRITE)))
			return invoke_error(caller, e);
		sched_yield(t);
		return invoke_ok(caller, 0);
	case MICA_THREAD_INFO:
		if ((e = invoke_check(cap, tag, 0, MICA_THREAD_R_READ)))
			return invoke_error(caller, e);
		return info(caller, t);
	case MICA_THREAD_STATS:
		if ((e = invoke_check(cap, tag, 0, MICA_THREAD_R_READ)))
			return invoke_error(caller, e);
		return stats(caller, t);
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
