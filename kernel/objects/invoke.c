/* Invoking a kernel object: the helpers every object's methods use (result,
 * error, copying and checking the message words), and the dispatch by
 * object type. */
#include "objects/invoke.h"
#include "objects/kdebug.h"

#include <mica/syscall.h>

#include "arch/cpu.h"
#include "arch/trap.h"
#include "memory/capspace.h"
#include "ipc/ipc.h"
#include "objects/irq.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/scheduler.h"
#include "objects/task.h"
#include "objects/thread.h"

mica_msgtag_t invoke_ok(struct thread *caller, unsigned words)
{
	caller->utcb->error = MICA_OK;
	return mica_msgtag(0, words, 0, 0);
}

mica_msgtag_t invoke_error(struct thread *caller, enum mica_error e)
{
	caller->utcb->error = e;
	return mica_msgtag(e, 0, 0, MICA_TAG_ERROR);
}

void invoke_copy_mrs(const struct thread *caller, mica_word_t *dst, unsigned n)
{
	arch_copy_words(dst, caller->utcb->mr, n);
}

enum mica_error invoke_check(const struct cap_slot *cap, mica_msgtag_t tag, unsigned n, unsigned need)
{
	if ((cap_rights(cap) & need) != need)
		return MICA_E_NO_RIGHTS;
	if (mica_msgtag_u(tag) < n)
		return MICA_E_BAD_TAG;
	return MICA_OK;
}

mica_msgtag_t invoke_kernel_object(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	switch (cap_obj(cap)->type) {
	case MICA_OBJ_TASK:
		return task_invoke(caller, cap, tag);
	case MICA_OBJ_THREAD:
		return thread_invoke(caller, cap, tag);
	case MICA_OBJ_FACTORY:
		return factory_invoke(caller, cap, tag);
	case MICA_OBJ_VCON:
		return vcon_invoke(caller, cap, tag);
	case MICA_OBJ_IRQ:
		return irq_invoke(caller, cap, tag);
	case MICA_OBJ_ICU:
		return icu_invoke(caller, cap, tag);
	case MICA_OBJ_SCHEDULER:
		return scheduler_invoke(caller, cap, tag);
	case MICA_OBJ_KDEBUG:
		return kdebug_invoke(caller, cap, tag);
	default:
		return invoke_error(caller, MICA_E_WRONG_TYPE);
	}
}

void syscall_general(struct percpu *cpu, struct thread *t, struct arch_regs *regs, struct cap_slot *cap)
{
	struct ipc_args a = {
		.cap = cap,
		.sel = syscall_arg_selector(regs),
		.tag = { syscall_arg_tag(regs) },
		.flags = syscall_arg_flags(regs),
		.src = syscall_arg_source(regs),
		.timeouts = syscall_arg_timeouts(regs),
	};
	ipc_syscall(t, &a);
	/* The short exit: the caller goes on; anything else is
	 * core_resume's decision. */
	if (!kobj_reap_pending() && sched_keeps_running(cpu, t))
		arch_return_to_user(&t->regs);
	core_resume();
}
