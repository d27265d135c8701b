/* Every check here mirrors the general path in ipc.c; whatever it does
 * not cover returns false before anything has changed. */
#include "fastpath.h"

#if MICA_FASTPATH

#include <mica/syscall.h>
#include <string.h>

#include "capspace.h"
#include "gate.h"
#include "ipc.h"
#include "percpu.h"
#include "task.h"
#include "thread.h"

static bool plain_words(mica_msgtag_t tag)
{
	return (tag.raw & 0xffc0u) == 0; /* no typed items, no flags */
}

static bool can_take_over(const struct thread *self, const struct thread *partner)
{
	return !partner->halted && partner->cpu == self->cpu;
}

static void hand_over(struct thread *self, struct thread *to)
{
	self->state = THREAD_BLOCKED;
	to->state = THREAD_READY;
	struct percpu *cpu = this_cpu();
	cpu->current = to;
	cpu->fastpath_ipcs++;
}

static bool fast_call(struct thread *self, const struct ipc_args *a)
{
	if (a->timeouts >> 32 != MICA_TIMEOUT_NEVER)
		return false;
	struct cap_slot *cap = capspace_lookup(&self->task->caps, a->sel);
	if (!cap || !cap->obj_rights || cap_obj(cap)->type != MICA_OBJ_GATE ||
	    !(cap_rights(cap) & MICA_GATE_R_SEND))
		return false;
	uint32_t sto = (uint32_t)a->timeouts;
	if (sto != MICA_TIMEOUT_NEVER && sto != MICA_TIMEOUT_ZERO)
		return false;
	struct gate *g = (struct gate *)cap_obj(cap);
	struct thread *r = g->recv_head;
	if (!r && g->bound && g->bound->wait == WAIT_RECV_OPEN)
		r = g->bound;
	if (!r || !can_take_over(self, r) || r->reply_to)
		return false;

	if (r == g->recv_head)
		gate_dequeue(&g->recv_head, &g->recv_tail, r);
	r->wait = WAIT_NONE;
	r->wait_gate = 0;
	ipc_deliver(self, r, a->tag, cap->label);
	r->reply_to = self;
	self->reply_partner = r;
	self->wait = WAIT_REPLY;
	hand_over(self, r);
	return true;
}

static bool fast_reply_wait(struct thread *self, const struct ipc_args *a)
{
	if (a->src != MICA_CAP_INVALID || self->pend_head)
		return false;
	uint32_t rto = (uint32_t)(a->timeouts >> 32);
	if (rto != MICA_TIMEOUT_NEVER)
		return false;
	struct thread *c = self->reply_to;
	if (!c || !can_take_over(self, c))
		return false;

	self->reply_to = 0;
	c->reply_partner = 0;
	c->wait = WAIT_NONE;
	ipc_deliver(self, c, a->tag, 0);
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
