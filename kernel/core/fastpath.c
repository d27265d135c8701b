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

/* ipc_deliver for the fast path's messages: untyped words only, from a
 * thread that is not faulting. */
static inline void deliver_words(struct thread *from, struct thread *to, mica_msgtag_t tag, uint64_t label)
{
	const volatile mica_word_t *src = from->utcb->mr;
	volatile mica_word_t *dst = to->utcb->mr;
	for (unsigned i = 0, n = mica_msgtag_u(tag); i < n; i++)
		dst[i] = src[i];
	to->utcb->label = label;
	to->utcb->error = MICA_OK;
	syscall_set_result(&to->regs, tag.raw, label);
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

static bool fast_call(struct thread *self, const struct arch_regs *a)
{
	if (syscall_arg_timeouts(a) >> 32 != MICA_TIMEOUT_NEVER)
		return false;
	struct cap_slot *cap = cap_lookup(self->task, syscall_arg_selector(a));
	if (!cap || cap_obj(cap)->type != MICA_OBJ_GATE || !(cap_rights(cap) & MICA_GATE_R_SEND))
		return false;
	uint32_t sto = (uint32_t)syscall_arg_timeouts(a);
	if (sto != MICA_TIMEOUT_NEVER && sto != MICA_TIMEOUT_ZERO)
		return false;
	struct gate *g = (struct gate *)cap_obj(cap);
	struct thread *r = ipc_waiting_receiver(g);
	if (!r || !can_take_over(self, r) || r->reply_to)
		return false;

	ipc_take_receiver(g, r);
	deliver_words(self, r, (mica_msgtag_t){ syscall_arg_tag(a) }, cap->label);
	ipc_give_reply_right(r, self);
	hand_over(self, r);
	return true;
}

static bool fast_reply_wait(struct thread *self, const struct arch_regs *a)
{
	if (syscall_arg_source(a) != MICA_CAP_INVALID || self->pend_head || self->irq_head)
		return false;
	uint32_t rto = (uint32_t)(syscall_arg_timeouts(a) >> 32);
	if (rto != MICA_TIMEOUT_NEVER)
		return false;
	struct thread *c = self->reply_to;
	if (!c || !can_take_over(self, c) || c->fault)
		return false;

	self->reply_to = 0;
	c->reply_partner = 0;
	c->wait = WAIT_NONE;
	deliver_words(self, c, (mica_msgtag_t){ syscall_arg_tag(a) }, 0);
	self->wait = WAIT_RECV_OPEN;
	self->wait_gate = 0;
	hand_over(self, c);
	return true;
}

bool fastpath_syscall(struct thread *self, const struct arch_regs *a)
{
	if (!plain_words((mica_msgtag_t){ syscall_arg_tag(a) }))
		return false;
	mica_word_t flags = syscall_arg_flags(a);
	if (flags == MICA_IPC_CALL)
		return fast_call(self, a);
	if (flags == MICA_IPC_REPLY_WAIT)
		return fast_reply_wait(self, a);
	return false;
}

#endif
