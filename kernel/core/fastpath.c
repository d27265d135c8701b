/* Every check here mirrors the general path in ipc.c; whatever it does
 * not cover returns false before anything has changed. */
#include "fastpath.h"

#if MICA_FASTPATH

#include <mica/syscall.h>

#include "cap.h"
#include "gate.h"
#include "ipc_steps.h"
#include "percpu.h"
#include "task.h"
#include "thread.h"
#include "timeout.h"

static bool plain_words(mica_msgtag_t tag)
{
	return (tag.raw & 0xffc0u) == 0; /* no typed items, no flags */
}

static bool can_take_over(const struct thread *self, const struct thread *partner)
{
	return !partner->halted && partner->cpu == self->cpu;
}

/* self now waits (its wait reason is set); `to` runs in its place. */
static void hand_over(struct thread *self, struct thread *to)
{
	self->state = THREAD_BLOCKED;
	to->state = THREAD_READY;
	timeout_disarm(to);
	struct percpu *cpu = this_cpu();
	cpu->current = to;
	cpu->fastpath_ipcs++;
}

static bool fast_call(struct thread *self, const struct ipc_args *a)
{
	if (a->timeouts >> 32 != MICA_TIMEOUT_NEVER)
		return false;
	struct cap_slot *cap = cap_lookup(self->task, a->sel);
	if (!cap || cap_obj(cap)->type != MICA_OBJ_GATE || !(cap_rights(cap) & MICA_GATE_R_SEND))
		return false;
	uint32_t sto = (uint32_t)a->timeouts;
	if (sto != MICA_TIMEOUT_NEVER && sto != MICA_TIMEOUT_ZERO)
		return false;
	struct gate *g = (struct gate *)cap_obj(cap);
	struct thread *r = ipc_waiting_receiver(g);
	if (!r || !can_take_over(self, r) || r->reply_to)
		return false;

	ipc_take_receiver(g, r);
	ipc_deliver(self, r, a->tag, cap->label);
	ipc_give_reply_right(r, self);
	hand_over(self, r);
	return true;
}

static bool fast_reply_wait(struct thread *self, const struct ipc_args *a)
{
	if (a->src != MICA_CAP_INVALID || self->pend_head || self->irq_head)
		return false;
	uint32_t rto = (uint32_t)(a->timeouts >> 32);
	if (rto != MICA_TIMEOUT_NEVER)
		return false;
	struct thread *c = self->reply_to;
	if (!c || !can_take_over(self, c) || c->fault)
		return false;

	ipc_reply(self, a->tag);
	self->wait = WAIT_RECV_OPEN;
	self->wait_gate = 0;
	hand_over(self, c);
	return true;
}

bool fastpath_syscall(struct thread *self, const struct ipc_args *a)
{
	if (!plain_words(a->tag))
		return false;
	if (a->flags == MICA_IPC_CALL)
		return fast_call(self, a);
	if (a->flags == MICA_IPC_REPLY_WAIT)
		return fast_reply_wait(self, a);
	return false;
}

#endif
