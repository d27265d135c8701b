/* The steps of an IPC that the general path (ipc.c) and the fast path
 * (ipc/fastpath.h) share, inline because both are the hot path. */
#pragma once

#include <mica/gate.h>

#include "arch/cpu.h"
#include "arch/regs.h"
#include "memory/cap.h"
#include "objects/gate.h"
#include "ipc/ipc.h"
#include "ipc/reply_cap.h"
#include "objects/thread.h"
#include "sched/cpu_lock.h"

/* The lock of the CPU that holds t's IPC state, as a mask (0: no t). */
static inline uint64_t ipc_lock_of(const struct thread *t)
{
	return t ? cpu_mask_of(t->cpu) : 0;
}

/* Whether cap (a gate) lets a message of untyped words through. */
static inline bool ipc_may_send_words(const struct cap_slot *cap)
{
	return cap_rights(cap) & MICA_GATE_R_SEND;
}

/* Whether cap (a gate) lets a message with tag through: items need the
 * map right too. */
static inline bool ipc_may_send(const struct cap_slot *cap, mica_msgtag_t tag)
{
	return ipc_may_send_words(cap) && (!mica_msgtag_t_items(tag) || (cap_rights(cap) & MICA_GATE_R_MAP));
}

/* Hands a message to `to`: n words from src into its MRs, the label and
 * error TCRs, and its system call's result (tag, label). */
static inline void ipc_hand_over(struct thread *to, const volatile mica_word_t *src, unsigned n,
				 mica_msgtag_t tag, uint64_t label, mica_word_t error)
{
	volatile struct mica_utcb *u = to->utcb;
	/* One instruction (rep movsq); the freestanding memmove goes byte by
	 * byte. Two threads sharing a UTCB (a user error) copy onto themselves. */
	arch_copy_words(u->mr, src, n);
	u->label = label;
	u->error = error;
	syscall_set_result(&to->regs, tag.raw, label);
}

/* The thread a sender to g hands its message to, if one waits: the
 * longest closed waiter, else the bound thread in open wait. */
static inline struct thread *ipc_waiting_receiver(const struct gate *g)
{
	if (g->recv_head)
		return g->recv_head;
	if (g->bound && g->bound->wait == WAIT_RECV_OPEN)
		return g->bound;
	return 0;
}

/* The waiting receiver r (from ipc_waiting_receiver) leaves its wait. */
static inline void ipc_take_receiver(struct gate *g, struct thread *r)
{
	if (r->wait == WAIT_RECV_GATE)
		gate_dequeue(&g->recv_head, &g->recv_tail, r);
	r->wait = WAIT_NONE;
	r->wait_gate = 0;
}

/* The server now holds the caller's one-shot reply right. It has only
 * one: a caller it still owed a reply is released with MICA_E_ABORTED. */
static inline void ipc_give_reply_right(struct thread *server, struct thread *caller)
{
	if (server->reply_to)
		ipc_abort(server->reply_to, MICA_E_ABORTED);
	server->reply_to = caller;
	caller->reply_partner = server;
	caller->wait = WAIT_REPLY;
	caller->state = THREAD_BLOCKED;
}

/* Server self gives up the reply right it holds for caller c, which no
 * longer waits for it. */
static inline void ipc_drop_reply_right(struct thread *self, struct thread *c)
{
	self->reply_to = 0;
	c->reply_partner = 0;
	c->wait = WAIT_NONE;
}

/* Whoever holds caller c's reply right gives it up (c no longer waits
 * for it): the server that took the call, or the reply capability it
 * saved the right in. The general path's form of ipc_drop_reply_right. */
static inline void ipc_release_reply_right(struct thread *c)
{
	if (c->reply_cap)
		reply_cap_detach(c);
	else
		c->reply_partner->reply_to = 0;
	c->reply_partner = 0;
	c->wait = WAIT_NONE;
}
