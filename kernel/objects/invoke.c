/* Invoking a kernel object: the helpers every object's methods use (result,
 * error, copying and checking the message words), and the dispatch by
 * object type. */
#include "objects/invoke.h"

#include <mica/irq.h>
#include <mica/task.h>
#include <mica/thread.h>

#include "sched/cpu_lock.h"
#include "objects/kdebug.h"

#include <mica/fpage.h>
#include <mica/syscall.h>

#include "arch/cpu.h"
#include "arch/trap.h"
#include "fpage.h"
#include "memory/cap.h"
#include "memory/capspace.h"
#include "ipc/ipc.h"
#include "objects/factory.h"
#include "objects/icu.h"
#include "objects/irq.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/scheduler.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/vcon.h"

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

enum mica_error invoke_window_slot(struct thread *caller, struct cap_slot **slot, mica_cap_t *sel)
{
	struct fpage w;
	if (!fpage_decode(caller->utcb->br[MICA_BR_OBJ_WINDOW], &w) || w.type != MICA_FPAGE_OBJ ||
	    w.base == MICA_CAP_INVALID)
		return MICA_E_OVERFLOW;
	cap_lock();
	*slot = capspace_slot(&caller->task->caps, w.base);
	cap_unlock();
	if (!*slot)
		return MICA_E_NO_MEMORY;
	*sel = w.base;
	return MICA_OK;
}

mica_msgtag_t invoke_answer_cap(struct thread *caller, struct cap_slot *slot, mica_cap_t sel, struct kobj *o,
				uint64_t label)
{
	/* Replaced only now that o exists: a failed method leaves the
	 * window's capability alone. The slot's table lives as long as the
	 * task; what the slot holds is seen under the lock. */
	cap_lock();
	if (slot->obj_rights)
		cap_revoke(slot, MICA_RIGHTS_ALL);
	cap_insert(slot, o, MICA_RIGHTS_ALL, label);
	cap_unlock();
	volatile mica_word_t *mr = caller->utcb->mr;
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_obj(sel, 0, MICA_RIGHTS_ALL);
	caller->utcb->error = MICA_OK;
	return mica_msgtag(0, 0, MICA_ITEM_WORDS, 0);
}

void invoke_copy_mrs(const struct thread *caller, mica_word_t *dst, unsigned first, unsigned n)
{
	arch_copy_words(dst, caller->utcb->mr + first, n);
}

/* By object type; a gate's calls are IPC (ipc.c), never methods. */
static const struct invoke_method *const methods[MICA_OBJ_TYPES] = {
	[MICA_OBJ_TASK] = task_methods,
	[MICA_OBJ_THREAD] = thread_methods,
	[MICA_OBJ_FACTORY] = factory_methods,
	[MICA_OBJ_VCON] = vcon_methods,
	[MICA_OBJ_IRQ] = irq_methods,
	[MICA_OBJ_ICU] = icu_methods,
	[MICA_OBJ_SCHEDULER] = scheduler_methods,
	[MICA_OBJ_KDEBUG] = kdebug_methods,
};

/* Whether a method may touch threads of any CPU, their queues or
 * timeouts (a thread's control, exchange of registers, start, its
 * placement, IRQ binding, the Vcon's readers, a task's destruction, a
 * gate bound to a thread): rare operations, which take every CPU's lock
 * (sched/cpu_lock.h). The hot ones (a yield, an IRQ's trigger) take
 * just what they need; the debug object's parks or asks other CPUs and
 * must hold no other lock. */
static bool reaches_threads(unsigned type, mica_word_t label)
{
	switch (type) {
	case MICA_OBJ_THREAD:
		/* ex_regs takes only the locks it needs (thread_invoke.c). */
		return label != MICA_THREAD_YIELD && label != MICA_THREAD_EX_REGS;
	case MICA_OBJ_IRQ:
		return label != MICA_IRQ_TRIGGER;
	case MICA_OBJ_TASK:
		return label == MICA_TASK_DESTROY;
	case MICA_OBJ_KDEBUG:
		return false;
	default:
		return true;
	}
}

mica_msgtag_t invoke_kernel_object(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	unsigned type = cap_obj(cap)->type;
	const struct invoke_method *table = type < MICA_OBJ_TYPES ? methods[type] : 0;
	if (!table)
		return invoke_error(caller, MICA_E_WRONG_TYPE);
	mica_word_t label = mica_msgtag_label(tag);
	const struct invoke_method *m = &table[label < INVOKE_LABELS ? label : 0];
	if (!m->decode)
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	if ((cap_rights(cap) & m->rights) != m->rights)
		return invoke_error(caller, MICA_E_NO_RIGHTS);
	if (mica_msgtag_u(tag) < m->words)
		return invoke_error(caller, MICA_E_BAD_TAG);
	/* Methods that reach into threads run under every CPU's lock. */
	if (reaches_threads(type, label))
		cpu_lock_all(this_cpu());
	struct invoke_call c; /* not zeroed: a decoder reads only the words copied */
	c.caller = caller;
	c.cap = cap;
	c.tag = tag;
	invoke_copy_mrs(caller, c.mr, 0, m->words);
	// cppcheck-suppress returnDanglingLifetime ; the tag is a value (c is only the argument)
	return m->decode(&c);
}
