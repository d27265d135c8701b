/* The general IPC path: send and receive phases through gates, timeouts,
 * replies, and the checks and transfer of a message's items. */
#include "ipc/ipc.h"

#include <mica/syscall.h>

#include "memory/cap.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "debug/kdb.h"
#include "sched/clock.h"
#include "ipc/fault.h"
#include "ipc/fastpath_xcpu.h"
#include "objects/gate.h"
#include "objects/invoke.h"
#include "ipc/items.h"
#include "objects/irq.h"
#include "ipc/ipc_steps.h"
#include "msgtag_check.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/timeout.h"
#include "objects/vcon.h"

void ipc_result(struct thread *t, mica_msgtag_t tag, uint64_t label)
{
	syscall_set_result(&t->regs, tag.raw, label);
}

void ipc_fail(struct thread *t, enum mica_error e, bool recv_phase)
{
	if (t->utcb)
		t->utcb->error = e;
	ipc_result(t, mica_msgtag(e, 0, 0, MICA_TAG_ERROR | (recv_phase ? MICA_TAG_RECV_PHASE : 0)), 0);
	if (kdb_tracing()) /* last: a tail call, no frame when off */
		kdb_trace_error(t, e);
}

void ipc_deliver(struct thread *from, struct thread *to, mica_msgtag_t tag, uint64_t label)
{
	/* Typed items are copied too: the receiver sees what it got. */
	ipc_hand_over(to, from->fault ? from->kmsg : from->utcb->mr,
		      mica_msgtag_u(tag) + mica_msgtag_t_items(tag), tag, label,
		      mica_msgtag_is_error(tag) ? mica_msgtag_label(tag) : MICA_OK);
	if (kdb_tracing()) /* last: a tail call, no frame when off */
		kdb_trace_ipc(from, to, tag, label);
}

enum mica_error ipc_check_timeout(uint32_t t)
{
	switch (MICA_TIMEOUT_KIND(t)) {
	case 0:
		return t == MICA_TIMEOUT_NEVER ? MICA_OK : MICA_E_BAD_ARG;
	case 1:
		return t == MICA_TIMEOUT_ZERO ? MICA_OK : MICA_E_BAD_ARG;
	case 2:
		return MICA_OK;
	default:
		return t == MICA_TIMEOUT_ABS ? MICA_OK : MICA_E_BAD_ARG;
	}
}

/* Relative timeouts count from now: for a call's reply wait, from the
 * moment the message was delivered. */
uint64_t ipc_deadline_of(const struct thread *t, uint32_t to, unsigned phase)
{
	uint64_t now, at;
	switch (MICA_TIMEOUT_KIND(to)) {
	case 0:
		return DEADLINE_NEVER;
	case 1:
		return DEADLINE_NOW;
	case 2: {
		uint64_t m = to & 0xffffff, e = (to >> 24) & 63;
		uint64_t ns = e >= 40 && (m >> (64 - e)) ? UINT64_MAX : m << e;
		now = clock_now();
		uint64_t d = clock_ticks_of_ns(ns);
		at = d > UINT64_MAX - now ? UINT64_MAX : now + d;
		break;
	}
	default:
		now = clock_now();
		at = clock_at_ns(t->utcb->timeout_abs[phase]);
		break;
	}
	return at <= now ? DEADLINE_NOW : at;
}

static struct windows windows_of(const struct thread *t)
{
	const volatile mica_word_t *br = t->utcb->br;
	return (struct windows){ { br[MICA_BR_MEM_WINDOW], br[MICA_BR_IO_WINDOW], br[MICA_BR_OBJ_WINDOW] },
				 br[MICA_BR_FLAGS],
				 t,
				 t->utcb->mr };
}

/* items_move for a message with typed items: the check (commit false)
 * or the transfer. Out of line: most messages have none. */
static __attribute__((noinline)) enum mica_error items_of(struct thread *from, struct thread *to,
							  mica_msgtag_t tag, bool commit)
{
	struct windows w = windows_of(to);
	return items_move(from->task, from->utcb->mr, tag, to->task, &w, commit);
}

/* Checks the typed items of from's message against to's windows. */
static inline enum mica_error items_check(struct thread *from, struct thread *to, mica_msgtag_t tag)
{
	return mica_msgtag_t_items(tag) ? items_of(from, to, tag, false) : MICA_OK;
}

/* Performs them, after the message was delivered to `to` (local ids are
 * rewritten in its copy); only an exhausted quota fails here (or words
 * changed since the check). */
static inline enum mica_error items_commit(struct thread *from, struct thread *to, mica_msgtag_t tag)
{
	return mica_msgtag_t_items(tag) ? items_of(from, to, tag, true) : MICA_OK;
}

/* After its message went to a receiver, a sender either waits for the
 * reply or is done. Returns the sender if it can run again. */
static struct thread *sender_done(struct thread *s, struct thread *receiver, bool call)
{
	timeout_disarm(s);
	if (!call) {
		ipc_result(s, mica_msgtag(0, 0, 0, 0), 0);
		return s;
	}
	uint64_t deadline = ipc_deadline(s, s->reply_timeout, 1);
	if (deadline == DEADLINE_NOW) {
		ipc_fail(s, MICA_E_TIMEOUT, true);
		return s;
	}
	ipc_give_reply_right(receiver, s);
	if (deadline != DEADLINE_NEVER)
		timeout_arm(s, deadline);
	return 0;
}

/* Sender s, found on sg (locked), taken off its queue if this CPU holds
 * the locks taking it needs (its CPU's, and that of the caller self
 * still owes a reply to): true, with sg unlocked. Else false, with sg
 * unlocked and those locks held, for the caller to look again: locks of
 * other CPUs come before a gate's. This CPU may let every lock go
 * meanwhile and the entry then be abandoned and made again
 * (cpu_lock_more): the reply is done by then, so its caller is readied
 * first, or it would stay blocked, waiting for nothing. */
static bool claim_sender(struct percpu *cpu, struct thread *self, struct gate *sg, struct thread *s,
			 struct thread **woken)
{
	uint64_t need = ipc_lock_of(s) | ipc_lock_of(self->reply_to);
	if (cpu_locks_cover(cpu, need)) {
		gate_dequeue(&sg->send_head, &sg->send_tail, s);
		gate_unlock(sg);
		return true;
	}
	gate_unlock(sg);
	if (*woken) {
		sched_ready(*woken);
		*woken = 0;
	}
	cpu_lock_more(cpu, need);
	return false;
}

/* The next sender for a receiver: from the named gate, or for an open
 * wait from the first of its bound gates that has one; dequeued, with
 * the locks of its CPU and of the caller self still owes a reply to
 * (sender_done releases it) held. With none, a named gate stays locked,
 * so that the receiver queues itself before any sender can look.
 * *woken: the caller a reply phase just answered, not yet ready. */
static struct thread *take_sender(struct percpu *cpu, struct thread *self, struct gate *g,
				  struct thread **woken)
{
	for (;;) {
		struct gate *sg = g ? g : self->pend_head;
		if (!sg)
			return 0;
		gate_lock(sg, cpu->id);
		struct thread *s = sg->send_head;
		if (!s) {
			if (g)
				return 0;
			/* The senders left meanwhile (canceled, or taken by a
			 * closed wait): the list (self's, under its CPU's
			 * lock) is cleaned lazily. */
			self->pend_head = sg->pend_next;
			if (!self->pend_head)
				self->pend_tail = 0;
			sg->pending = false;
			sg->pend_next = 0;
			gate_unlock(sg);
			continue;
		}
		if (claim_sender(cpu, self, sg, s, woken))
			return s;
	}
}

/* take_sender for a filtered open wait (MICA_IPC_FILTER, self's
 * filter_mask and filter_value): the first sender whose label matches,
 * in the order of self's pending gates and then of each gate's queue;
 * the others stay queued in their places. Gates left with no sender
 * are dropped from the list on the way, as take_sender does. */
static struct thread *take_filtered_sender(struct percpu *cpu, struct thread *self, struct thread **woken)
{
	for (;;) {
		struct gate *prev = 0, *sg = self->pend_head;
		struct thread *s = 0;
		while (sg) {
			gate_lock(sg, cpu->id);
			struct gate *next = sg->pend_next;
			if (!sg->send_head) {
				if (prev)
					prev->pend_next = next;
				else
					self->pend_head = next;
				if (self->pend_tail == sg)
					self->pend_tail = prev;
				sg->pending = false;
				sg->pend_next = 0;
				gate_unlock(sg);
				sg = next;
				continue;
			}
			if ((s = gate_first_match(sg, self->filter_mask, self->filter_value)))
				break;
			gate_unlock(sg);
			prev = sg;
			sg = next;
		}
		if (!s)
			return 0;
		if (claim_sender(cpu, self, sg, s, woken))
			return s;
	}
}

/* The receiver a send with this label hands its message to: the one
 * ipc_waiting_receiver names, else the bound thread in a filtered open
 * wait that takes the label. */
static struct thread *receiver_for(const struct gate *g, uint64_t label)
{
	struct thread *r = ipc_waiting_receiver(g);
	if (!r && g->bound && thread_filter_takes(g->bound, label))
		r = g->bound;
	return r;
}

/* Locks g and the CPUs of what a send through it touches: the receiver
 * waiting there (if any), the caller that receiver still owes a reply
 * (ipc_give_reply_right releases it) and the bound thread (whose list
 * of pending gates a blocking sender joins). Returns the receiver. */
static struct thread *lock_for_send(struct percpu *cpu, struct gate *g, uint64_t label)
{
	for (;;) {
		gate_lock(g, cpu->id);
		struct thread *r = receiver_for(g, label);
		uint64_t need = ipc_lock_of(r) | ipc_lock_of(g->bound) | ipc_lock_of(r ? r->reply_to : 0);
		if (cpu_locks_cover(cpu, need))
			return r;
		gate_unlock(g);
		cpu_lock_more(cpu, need);
	}
}

/* Wakes t; if the current thread has blocked, t runs next directly. */
static void wake(struct thread *self, struct thread *t)
{
	if (!t)
		return;
	/* A direct switch only to a thread of this CPU; one of another is
	 * queued there (and its CPU interrupted). */
	if (self->state == THREAD_BLOCKED && t->cpu == self->cpu)
		sched_switch_to(t);
	else
		sched_ready(t);
}

static void send_phase(struct thread *self, struct cap_slot *cap, mica_msgtag_t tag, bool call, uint32_t sto,
		       uint32_t rto)
{
	struct gate *g = (struct gate *)cap_obj(cap);
	uint64_t deadline = ipc_deadline(self, sto, 0);
	struct thread *r = lock_for_send(this_cpu(), g, cap->label);
	self->reply_timeout = rto;
	if (r) {
		/* A bad item leaves the receiver waiting, undisturbed. */
		enum mica_error e = items_check(self, r, tag);
		if (e != MICA_OK) {
			gate_unlock(g);
			ipc_fail(self, e, false);
			return;
		}
		ipc_take_receiver(g, r);
		gate_unlock(g);
		ipc_deliver(self, r, tag, cap->label);
		if ((e = items_commit(self, r, tag)) != MICA_OK) {
			ipc_fail(self, e, false);
			ipc_fail(r, e, true);
			sched_ready(r);
			return;
		}
		/* self is current: it runs on unless it now waits for a reply */
		sender_done(self, r, call);
		wake(self, r);
		return;
	}
	if (deadline == DEADLINE_NOW) {
		gate_unlock(g);
		ipc_fail(self, MICA_E_TIMEOUT, false);
		return;
	}
	self->send_tag = tag;
	self->send_label = cap->label;
	self->send_call = call;
	self->wait = WAIT_SEND;
	self->wait_gate = g;
	self->state = THREAD_BLOCKED;
	gate_enqueue(&g->send_head, &g->send_tail, self);
	gate_mark_pending(g);
	gate_unlock(g);
	if (deadline != DEADLINE_NEVER)
		timeout_arm(self, deadline);
}

/* *woken: as for take_sender; left to the caller to wake unless it had
 * to be readied early. */
static void receive_phase(struct thread *self, mica_cap_t src, bool filter, uint32_t rto,
			  struct thread **woken)
{
	struct gate *g = 0;
	struct irq *q = 0; /* a closed wait on an IRQ (irq_receive_closed) */
	if (src != MICA_CAP_INVALID) {
		struct cap_slot *cap;
		enum mica_error e = cap_get(self->task, src, MICA_OBJ_GATE, MICA_GATE_R_RECV, &cap);
		if (e == MICA_E_WRONG_TYPE && cap_get(self->task, src, MICA_OBJ_IRQ, 0, &cap) == MICA_OK) {
			q = (struct irq *)cap_obj(cap);
			e = irq_receive_closed(self, q);
			if (e == MICA_OK)
				return;
			if (e == MICA_E_TIMEOUT)
				e = MICA_OK; /* not fired yet: it waits below */
		}
		if (e != MICA_OK) {
			ipc_fail(self, e, true);
			return;
		}
		if (!q)
			g = (struct gate *)cap_obj(cap);
	}
	uint64_t deadline = ipc_deadline(self, rto, 1);
	/* A filtered wait takes no IRQ: they stay pending. */
	if (!g && !q && !filter && irq_receive_pending(self))
		return;
	struct percpu *cpu = this_cpu();
	struct thread *s;
	while (!q &&
	       (s = filter ? take_filtered_sender(cpu, self, woken) : take_sender(cpu, self, g, woken))) {
		s->wait = WAIT_NONE;
		s->wait_gate = 0;
		enum mica_error e = items_check(s, self, s->send_tag);
		if (e != MICA_OK) {
			/* The sender's items do not fit: it fails, the
			 * receiver takes the next one. */
			ipc_fail(s, e, false);
			sched_ready(s);
			continue;
		}
		ipc_deliver(s, self, s->send_tag, s->send_label);
		if ((e = items_commit(s, self, s->send_tag)) != MICA_OK) {
			ipc_fail(s, e, false);
			sched_ready(s);
			ipc_fail(self, e, true);
			return;
		}
		struct thread *woken = sender_done(s, self, s->send_call);
		if (woken)
			sched_ready(woken);
		return;
	}
	/* A named gate is locked (take_sender). */
	if (deadline == DEADLINE_NOW) {
		if (g)
			gate_unlock(g);
		ipc_fail(self, MICA_E_TIMEOUT, true);
		return;
	}
	self->state = THREAD_BLOCKED;
	self->wait_gate = g;
	if (q) {
		self->wait = WAIT_RECV_IRQ;
		self->wait_irq = q;
	} else if (g) {
		self->wait = WAIT_RECV_GATE;
		gate_enqueue(&g->recv_head, &g->recv_tail, self);
		gate_unlock(g);
	} else {
		self->wait = filter ? WAIT_RECV_MASK : WAIT_RECV_OPEN;
	}
	if (deadline != DEADLINE_NEVER)
		timeout_arm(self, deadline);
}

/* Replies to the caller whose reply right self holds (r 0), or reply
 * object r holds (*woken: the caller, now ready). Its IPC state is its
 * CPU's, and so is r->caller: both are read again once that lock is
 * held. A reply whose items do not fit fails and keeps the reply right;
 * one that runs out of quota fails on both sides. */
static enum mica_error reply_phase(struct thread *self, struct reply_cap *r, mica_msgtag_t tag,
				   struct thread **woken)
{
	struct percpu *cpu = this_cpu();
	struct thread *c = r ? r->caller : self->reply_to;
	*woken = 0;
	while (c && !cpu_locks_cover(cpu, ipc_lock_of(c))) {
		cpu_lock_more(cpu, ipc_lock_of(c));
		c = r ? r->caller : self->reply_to;
	}
	if (!c)
		return MICA_E_NO_PARTNER;
	if (c->fault)
		return fault_reply(self, c, tag, woken);
	enum mica_error e = items_check(self, c, tag);
	if (e != MICA_OK)
		return e;
	ipc_release_reply_right(c);
	ipc_deliver(self, c, tag, 0);
	*woken = c;
	if ((e = items_commit(self, c, tag)) != MICA_OK)
		ipc_fail(c, e, true);
	return e;
}

void ipc_send_fault(struct thread *t, struct cap_slot *cap, mica_msgtag_t tag)
{
	send_phase(t, cap, tag, true, MICA_TIMEOUT_NEVER, MICA_TIMEOUT_NEVER);
}

/* A filtered wait's descriptor (MICA_IPC_FILTER), checked and copied
 * into self: the receive phase of an open wait, not a call's, and a
 * value that can match. */
static bool filter_take(struct thread *self, const struct ipc_args *a)
{
	const volatile mica_word_t *br = self->utcb->br;
	mica_word_t mask = br[MICA_BR_FILTER_MASK], value = br[MICA_BR_FILTER_VALUE];
	if (!(a->flags & MICA_IPC_RECV) || (a->flags & MICA_IPC_SEND) || a->src != MICA_CAP_INVALID ||
	    (value & ~mask))
		return false;
	self->filter_mask = mask;
	self->filter_value = value;
	return true;
}

void ipc_syscall(struct thread *self, const struct ipc_args *a)
{
	mica_word_t f = a->flags;
	/* First, before the decoding: the tries check all they need
	 * (issue 27: ipc_rt_cross_cpu_0w 1304 -> 1244 for the
	 * reply-and-wait). A call is tried only if no fast path looked its
	 * capability up (cap: a kernel object's method). Before cap_get:
	 * the try's own lookup and copy is cheaper than cap_get's, and a
	 * declined try then costs a second lookup only off the fast path
	 * (after cap_get, passing its slot: ipc_rt_cross_cpu_0w 1426 ->
	 * 1461). */
	if (f == MICA_IPC_REPLY_WAIT)
		fast_reply_wait_xcpu(self, a);
	else if (f == MICA_IPC_CALL && !a->cap)
		fast_call_xcpu(self, a);
	bool send = f & MICA_IPC_SEND, reply = f & MICA_IPC_REPLY, recv = f & MICA_IPC_RECV,
	     save = f & MICA_IPC_SAVE;
	uint32_t sto = (uint32_t)a->timeouts, rto = (uint32_t)(a->timeouts >> 32);
	if ((f & ~MICA_IPC_FLAGS) || (send && reply) || (save && (send || reply)) || !f ||
	    ((f & MICA_IPC_FILTER) && !filter_take(self, a))) {
		ipc_fail(self, MICA_E_BAD_ARG, false);
		return;
	}

	struct cap_slot *rcap = 0; /* a reply capability the send phase names */
	if (send) {
		struct cap_slot *cap = a->cap;
		enum mica_error e = MICA_OK;
		if (!cap && (e = cap_get(self->task, a->sel, MICA_OBJ_NONE, 0, &cap)) != MICA_OK) {
			ipc_fail(self, e, false);
			return;
		}
		e = msgtag_check(a->tag);
		if (e != MICA_OK) {
			ipc_fail(self, e, false);
			return;
		}
		if (cap_obj(cap)->type == MICA_OBJ_REPLY) {
			/* A saved reply right: the send phase is its reply,
			 * RECV a receive after it (as REPLY and REPLY|RECV). */
			rcap = cap;
		} else if (cap_obj(cap)->type != MICA_OBJ_GATE) {
			/* A kernel object: the call's reply is its result.
			 * Kernel methods take no typed items. */
			if (mica_msgtag_t_items(a->tag)) {
				ipc_fail(self, MICA_E_BAD_TAG, false);
				return;
			}
			ipc_result(self, invoke_kernel_object(self, cap, a->tag), 0);
			return;
		} else {
			if (!ipc_may_send(cap, a->tag))
				e = MICA_E_NO_RIGHTS;
			else if ((e = ipc_check_timeout(sto)) == MICA_OK && recv)
				e = ipc_check_timeout(rto);
			if (e != MICA_OK) {
				ipc_fail(self, e, false);
				return;
			}
			send_phase(self, cap, a->tag, recv, sto, rto);
			return;
		}
	}

	enum mica_error e = reply ? msgtag_check(a->tag) : MICA_OK;
	if (e != MICA_OK) {
		ipc_fail(self, e, false);
		return;
	}
	if (recv && (e = ipc_check_timeout(rto)) != MICA_OK) {
		ipc_fail(self, e, true);
		return;
	}
	if (save) {
		/* Without a right to save, a receive goes on (the caller went);
		 * a save alone reports it. PARTIAL (issue 24): a SAVE|RECV made
		 * again after its receive let its locks go (its thread stopped
		 * or moved meanwhile) finds the slot it filled in use and fails
		 * with MICA_E_EXISTS (the right is saved all the same). */
		e = reply_cap_save(self, a->sel);
		if (e != MICA_OK && !(e == MICA_E_NO_PARTNER && recv)) {
			ipc_fail(self, e, false);
			return;
		}
		if (!recv) {
			ipc_result(self, mica_msgtag(0, 0, 0, 0), 0);
			return;
		}
	}
	struct thread *woken = 0;
	if (reply || rcap) {
		struct reply_cap *r = rcap ? (struct reply_cap *)cap_obj(rcap) : 0;
		e = reply_phase(self, r, a->tag, &woken);
		if (r)
			reply_cap_done(self, a->sel, r);
		/* A reply-and-wait whose caller is gone just waits; a plain
		 * reply reports it. */
		if (e != MICA_OK && !(e == MICA_E_NO_PARTNER && recv)) {
			ipc_fail(self, e, false);
			if (woken)
				sched_ready(woken);
			return;
		}
		if (!recv)
			ipc_result(self, mica_msgtag(0, 0, 0, 0), 0);
	}
	if (recv)
		receive_phase(self, a->src, f & MICA_IPC_FILTER, rto, &woken);
	if (woken)
		wake(self, woken);
}

uint64_t ipc_abort_locks(const struct thread *t)
{
	switch (t->wait) {
	case WAIT_REPLY:
		/* A right saved in a reply object: r->caller is t's CPU's. */
		return ipc_lock_of(t) | ipc_lock_of(t->reply_partner);
	case WAIT_VCON:
		return cpu_mask_all(); /* the readers' queue */
	default:
		return ipc_lock_of(t);
	}
}

/* t leaves gate g's queue (*head, *tail): under g's lock, which the
 * caller may hold already. */
static void leave_gate(struct gate *g, struct thread **head, struct thread **tail, struct thread *t)
{
	unsigned me = this_cpu()->id;
	bool held = gate_lock_held(g, me);
	if (!held)
		gate_lock(g, me);
	gate_dequeue(head, tail, t);
	if (!held)
		gate_unlock(g);
}

void ipc_abort(struct thread *t, enum mica_error e)
{
	bool recv_phase = true;
	bool fault = t->fault == FAULT_PAGE || t->fault == FAULT_EXC;
	struct gate *g = t->wait_gate;
	CPU_LOCK_CHECK(t->cpu);
	switch (t->wait) {
	case WAIT_NONE:
		return;
	case WAIT_SEND:
		leave_gate(g, &g->send_head, &g->send_tail, t);
		recv_phase = false;
		break;
	case WAIT_RECV_GATE:
		leave_gate(g, &g->recv_head, &g->recv_tail, t);
		break;
	case WAIT_RECV_OPEN:
	case WAIT_RECV_MASK:
		break;
	case WAIT_RECV_IRQ:
		t->wait_irq = 0;
		break;
	case WAIT_REPLY:
		/* The server's right (its CPU's lock held, ipc_abort_locks),
		 * or a reply object's (r->caller is t's CPU's). */
		CPU_LOCK_CHECK(t->reply_cap ? t->cpu : t->reply_partner->cpu);
		ipc_release_reply_right(t);
		break;
	case WAIT_VCON:
		vcon_reader_gone(t);
		recv_phase = false; /* a kernel method: no phases */
		break;
	}
	t->wait = WAIT_NONE;
	t->wait_gate = 0;
	if (fault) {
		/* Its registers are the interrupted user state: no result. */
		fault_aborted(t, e);
		return;
	}
	ipc_fail(t, e, recv_phase);
	sched_ready(t);
}

void ipc_thread_gone(struct thread *t)
{
	t->fault = FAULT_NONE;
	if (t->wait != WAIT_NONE) {
		ipc_abort(t, MICA_E_ABORTED);
		t->state = THREAD_DEAD;
	}
	if (t->reply_to)
		ipc_abort(t->reply_to, MICA_E_ABORTED);
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
	cpu_unlock_others_if(cpu);
	/* The short exit: the caller goes on (it did not block: tested
	 * first, without a call); anything else is core_resume's decision. */
	if (t->state == THREAD_READY && !kobj_reap_pending() && sched_keeps_running(cpu, t))
		arch_return_to_user(&t->regs);
	core_resume();
}
