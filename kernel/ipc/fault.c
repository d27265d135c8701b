/* Page faults and exceptions as messages. The kernel builds the message
 * in the thread object and calls the pager or exception handler through
 * the thread's own capability, as if the thread had called; the reply
 * (which the handler sends with its one-shot reply right) maps pages or
 * rewrites registers and resumes the thread. */
#include "ipc/fault.h"

#include <mica/layout.h>

#include "arch/context.h"
#include "arch/trap.h"
#include "debug/kdb.h"
#include "memory/cap.h"
#include "ipc/fastpath.h"
#include "ipc/fastpath_exc.h"
#include "ipc/ipc.h"
#include "ipc/ipc_steps.h"
#include "ipc/items.h"
#include "klib/kprintf.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/vcpu.h"

static void stop(struct thread *t, const char *why)
{
	const mica_word_t *w = t->kmsg;
	char what[160];
	arch_describe_exception(w[MICA_EXC_VECTOR], w[MICA_EXC_ERROR], w[MICA_EXC_ADDR], w[MICA_EXC_IP], what,
				sizeof(what));
	kprintf("mica: task '%s' thread %u stopped: %s: %s\n", t->task->name, t->id, what, why);
	t->fault = FAULT_NONE;
	t->state = THREAD_DEAD;
	sched_remove(t);
}

/* Calls the handler named by sel in t's task; false if there is none. */
static bool send(struct thread *t, mica_cap_t sel, enum thread_fault kind, mica_msgtag_t tag)
{
	struct cap_slot *cap;
	if (cap_get(t->task, sel, MICA_OBJ_GATE, MICA_GATE_R_SEND, &cap) != MICA_OK)
		return false;
	t->fault = kind;
	ipc_send_fault(t, cap, tag);
	return true;
}

/* t's exception message is in kmsg. */
static void send_exception(struct thread *t)
{
	if (!send(t, t->exc_handler, FAULT_EXC, mica_msgtag(MICA_LABEL_EXCEPTION, MICA_EXC_WORDS, 0, 0)))
		stop(t, "no exception handler");
}

void fault_exception(struct thread *t, uint64_t addr)
{
	arch_exception_message(&t->regs, &t->arch, addr, t->kmsg);
	send_exception(t);
}

void fault_page(struct thread *t, uint64_t addr, mica_word_t access)
{
	t->kmsg[0] = addr;
	t->kmsg[1] = regs_ip(&t->regs);
	t->kmsg[2] = access;
	if (send(t, t->pager, FAULT_PAGE, mica_msgtag(MICA_LABEL_PAGE_FAULT, MICA_PF_WORDS, 0, 0)))
		return;
	arch_exception_message(&t->regs, &t->arch, addr, t->kmsg);
	stop(t, "no pager");
}

/* The pager could not resolve the fault: the thread gets an exception
 * when it runs next (it is not the current thread now). */
static void defer_exception(struct thread *t)
{
	t->fault = FAULT_EXC_PENDING; /* kmsg[0] keeps the fault address */
	sched_ready(t);
}

void fault_raise_pending(struct thread *t)
{
	t->fault = FAULT_NONE;
	fault_exception(t, t->kmsg[0]);
}

enum mica_error fault_reply(struct thread *handler, struct thread *c, mica_msgtag_t tag,
			    struct thread **woken)
{
	enum thread_fault kind = c->fault;
	ipc_release_reply_right(c); /* handler's own right, or a reply capability's */
	c->fault = FAULT_NONE;
	*woken = 0;

	if (kind == FAULT_PAGE) {
		enum mica_error e = MICA_OK;
		if (mica_msgtag_is_error(tag)) {
			defer_exception(c);
			return MICA_OK;
		}
		if (mica_msgtag_t_items(tag)) {
			/* A page-fault reply maps memory only; nothing is
			 * delivered to the faulting thread. */
			struct windows win = {
				{ MICA_FPAGE_ALL_MEM, MICA_FPAGE_NIL, MICA_FPAGE_NIL }, 0, 0, 0
			};
			e = items_move(handler->task, handler->utcb->mr, tag, c->task, &win, false);
			if (e == MICA_OK)
				e = items_move(handler->task, handler->utcb->mr, tag, c->task, &win, true);
		}
		if (e != MICA_OK)
			defer_exception(c);
		else
			*woken = c;
		return e;
	}

	if (mica_msgtag_is_error(tag)) {
		stop(c, "the exception handler replied with an error");
		return MICA_OK;
	}
	unsigned u = mica_msgtag_u(tag);
	if (!arch_exception_apply(&c->regs, &c->arch, handler->utcb->mr,
				  u < MICA_EXC_WORDS ? u : MICA_EXC_WORDS)) {
		stop(c, "the exception handler's reply set a non-user address");
		return MICA_E_BAD_ARG;
	}
	*woken = c;
	return MICA_OK;
}

void fault_aborted(struct thread *t, enum mica_error e)
{
	enum thread_fault kind = t->fault;
	t->fault = FAULT_NONE;
	if (e == MICA_E_CANCELED) {
		/* Canceled by exchange-registers: the instruction runs again. */
		sched_ready(t);
	} else if (kind == FAULT_PAGE) {
		defer_exception(t);
	} else {
		stop(t, "its exception handler is gone");
	}
}

void core_user_exception(struct arch_regs *regs)
{
	struct thread *t = this_cpu()->current;
	uint64_t addr, access;
	if (t->vcpu && vcpu_exception(t, regs))
		core_resume();
	if (!arch_page_fault(regs, &addr, &access)) {
		arch_exception_message(&t->regs, &t->arch, 0, t->kmsg);
		if (!kdb_tracing()) /* the trace records on the general path */
			fast_exception(this_cpu(), t);
		send_exception(t);
	} else if (addr >= MICA_USER_END)
		fault_exception(t, addr); /* no pager can map there: the kernel's half, the last page */
	else {
		if (!kdb_tracing()) /* the trace records on the general path */
			fast_page_fault(this_cpu(), t, addr, access);
		fault_page(t, addr, access);
	}
	core_resume();
}
