/* The vCPU methods of a thread (MICA_THREAD_VCPU_CONTROL and _RESUME):
 * their decoders check the state area address, the state and registers
 * read from it, and the user task, before vcpu.c runs the operation. */
#include <mica/layout.h>
#include <mica/task.h>

#include "memory/cap.h"
#include "objects/invoke.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/vcpu.h"
#include "objects/vm.h"

mica_msgtag_t vcpu_control_decode(struct invoke_call *c)
{
	struct thread *t = (struct thread *)cap_obj(c->cap);
	uint64_t addr = c->mr[0];
	if (!t->task)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if (t->vcpu)
		return invoke_error(c->caller, MICA_E_EXISTS);
	struct task *task = t->task;
	if ((addr & (MICA_VCPU_STATE_SIZE - 1)) || addr < task->utcb_base ||
	    addr - task->utcb_base >= task->utcb_size ||
	    task->utcb_size - (addr - task->utcb_base) < MICA_VCPU_STATE_SIZE)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if (!vcpu_create(t, addr))
		return invoke_error(c->caller, MICA_E_NO_MEMORY);
	return invoke_ok(c->caller, 0);
}

mica_msgtag_t vcpu_resume_decode(struct invoke_call *c)
{
	struct thread *t = (struct thread *)cap_obj(c->cap);
	if (t != c->caller || !t->vcpu)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	volatile struct mica_vcpu_state *s = t->vcpu->state;
	/* One copy of everything, checked after: the task's other threads
	 * can write the area meanwhile. */
	mica_word_t flags = s->state, sel = s->user_task;
	mica_word_t w[MICA_EXC_WORDS];
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		w[i] = s->regs[i];
	if ((flags & ~(MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER)) ||
	    ((flags & MICA_VCPU_F_USER) && !(flags & MICA_VCPU_F_EVENTS)) ||
	    w[MICA_EXC_IP] >= MICA_USER_END || w[MICA_EXC_SP] >= MICA_USER_END)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	struct task *user = 0;
	if (flags & MICA_VCPU_F_USER) {
		struct cap_slot *tc;
		enum mica_error e = cap_get(t->task, sel, MICA_OBJ_TASK, MICA_TASK_R_WRITE, &tc);
		if (e != MICA_OK)
			return invoke_error(c->caller, e);
		user = (struct task *)cap_obj(tc);
		if (user->is_vm && (e = vm_load(t)) != MICA_OK)
			return invoke_error(c->caller, e);
	}
	/* From a fresh frame (iret, not sysret: RCX and R11 are the state's). */
	struct arch_regs r;
	struct arch_thread a = t->arch;
	arch_thread_init_user(&r, &a, w[MICA_EXC_IP], w[MICA_EXC_SP], 0, 0, t->utcb_addr);
	if (!arch_exception_apply(&r, &a, w, MICA_EXC_WORDS))
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	t->utcb->error = MICA_OK;
	vcpu_resume(t, &r, &a, user);
}
