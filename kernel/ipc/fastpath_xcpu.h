/* The cross-CPU fast paths, tried by the general path (ipc_syscall,
 * ipc/ipc.c) as soon as it knows the kind of call, when more than one
 * CPU is online: a call of untyped words to a receiver that waits on
 * another CPU, and a reply-and-wait whose caller waits on another CPU.
 * The same-CPU fast paths (ipc/fastpath.h) have left these (the partner
 * is not on this CPU); their code stays as it was, so their speed does.
 * Each takes only the partner CPU's lock, and only if it is free (never
 * waiting: this CPU keeps its own, and nothing is rewound), hands the
 * message over, readies the partner on its CPU (its current thread at
 * once if that CPU idles: sched_hand_to_idle; nudged or interrupted
 * once the lock is let go) and lets this CPU idle at once if nothing
 * else is queued here (sched_resume_blocked), else pick its next
 * thread. Anything else returns having changed nothing, and the
 * general path does it the long way: the checks are the same-CPU fast
 * paths' own but for the CPU. make FASTPATH=0 leaves them out, and so
 * does kdb's IPC trace (whose entry takes no fast path either). */
#pragma once

#ifndef MICA_FASTPATH
#define MICA_FASTPATH 1
#endif

#include <mica/syscall.h>

#include "arch/trap.h"
#include "debug/kdb.h"
#include "ipc/ipc.h"
#include "ipc/ipc_steps.h"
#include "memory/cap.h"
#include "objects/gate.h"
#include "objects/thread.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "sched/timeout.h"

#if MICA_FASTPATH

/* A tag of untyped words only, no flags (fastpath.h's plain_words). */
static inline bool xcpu_plain_words(mica_word_t tag)
{
	return (tag & 0xffc0u) == 0;
}

/* Takes CPU c's lock if it is free and c is not waiting for it at an
 * entry (which then has it first: cpu_lock.c, may_take); the lock counts
 * among the others this CPU holds (cpu_unlock_others lets it go). A try
 * keeps the locking order whatever c's id. */
static inline bool xcpu_trylock(struct percpu *cpu, struct percpu *c)
{
	if (__atomic_load_n(&c->own_waiting, __ATOMIC_ACQUIRE) || !cpu_trylock(c, cpu->id))
		return false;
	cpu->locks_held |= cpu_mask_of(c->id);
	return true;
}

/* The partner `to` (its CPU's lock held) gets the message self sends,
 * is readied there, and this CPU, whose thread now waits, runs whatever
 * is next. */
static inline __attribute__((noreturn)) void
xcpu_hand_off(struct percpu *cpu, struct thread *self, struct thread *to, mica_msgtag_t tag, uint64_t label)
{
	struct percpu *c = percpu_by_id[to->cpu];
	ipc_hand_over(to, self->utcb->mr, mica_msgtag_u(tag), tag, label, MICA_OK);
	self->state = THREAD_BLOCKED;
	/* sched_ready's hand-off inline (the tries found `to` not halted;
	 * an idle CPU has no current thread): the common case here. */
	timeout_disarm(to);
	to->state = THREAD_READY;
	bool kick = sched_hand_to_idle(c, to);
	if (!kick)
		sched_ready(to); /* its CPU's wake-up, if any, kept for after the unlock (cpu_kick) */
	cpu->fastpath_ipcs++;
	/* cpu_unlock_others for the one lock held. */
	cpu_lock_check_release(c, cpu->id);
	__atomic_store_n(&c->lock_owner, 0, __ATOMIC_RELEASE);
	cpu->locks_held = 0;
	kick |= cpu->kicks != 0;
	cpu->kicks = 0;
	if (kick)
		cpu_nudge(c);
	sched_resume_blocked(cpu);
}

/* A call through the gate a->sel names, whose receiver waits on
 * another CPU: fast_call's checks. The receiver is read without the
 * gate's lock first, then again under it (taken after the receiver's
 * CPU lock, in the locking order). A thread changes CPU only under every
 * CPU's lock, so this CPU's keeps r's still. */
static __attribute__((noinline)) void fast_call_xcpu_try(struct thread *self, const struct ipc_args *a)
{
	struct percpu *cpu = this_cpu();
	if (kdb_tracing() || !xcpu_plain_words(a->tag.raw) ||
	    (a->timeouts & ~(mica_word_t)MICA_TIMEOUT_ZERO) != 0 || a->sel == MICA_CAP_INVALID)
		return;
	/* fast_call looked the selector up just before (ipc/fastpath.h,
	 * fast_lookup): where its slot lives is in self's cache; what the
	 * slot holds is read once below, as always. */
	const struct cap_slot *slot =
		a->sel == self->fast_sel ? self->fast_slot : cap_lookup(self->task, a->sel);
	struct cap_slot snap;
	if (!slot || !cap_snapshot(slot, &snap) || cap_obj(&snap)->type != MICA_OBJ_GATE ||
	    !ipc_may_send_words(&snap))
		return;
	struct gate *g = (struct gate *)cap_obj(&snap);
	struct thread *r = ipc_waiting_receiver(g);
	if (!r || r->cpu == self->cpu || !xcpu_trylock(cpu, percpu_by_id[r->cpu]))
		return;
	gate_lock(g, cpu->id);
	if (ipc_waiting_receiver(g) != r || r->reply_to || r->halted || r->fault != FAULT_NONE) {
		gate_unlock(g);
		cpu_unlock_others(cpu);
		return;
	}
	ipc_take_receiver(g, r);
	gate_unlock(g);
	ipc_give_reply_right(r, self);
	xcpu_hand_off(cpu, self, r, a->tag, snap.label);
}

/* A reply-and-wait (an open wait, nothing pending for self, no receive
 * timeout: fast_reply_wait's checks) whose caller c waits on another
 * CPU. self->reply_to changes only under self's CPU lock, which this CPU
 * holds; c's state is read under c's. */
static __attribute__((noinline)) void fast_reply_wait_xcpu_try(struct thread *self, const struct ipc_args *a)
{
	struct percpu *cpu = this_cpu();
	struct thread *c = self->reply_to;
	if (kdb_tracing() || !c || c->cpu == self->cpu || !xcpu_plain_words(a->tag.raw) ||
	    a->src != MICA_CAP_INVALID || self->pend_head || self->irq_head ||
	    a->timeouts >> 32 != MICA_TIMEOUT_NEVER || !xcpu_trylock(cpu, percpu_by_id[c->cpu]))
		return;
	if (c->halted || c->fault != FAULT_NONE) {
		cpu_unlock_others(cpu);
		return;
	}
	ipc_drop_reply_right(self, c);
	self->wait = WAIT_RECV_OPEN;
	self->wait_gate = 0;
	xcpu_hand_off(cpu, self, c, a->tag, 0);
}

/* The entries, for a call and a reply-and-wait the same-CPU fast paths
 * left; each returns if it does not apply. Out of line: the single-CPU
 * general path pays only the test of cpus_online. */
static inline __attribute__((always_inline)) void fast_call_xcpu(struct thread *self,
								 const struct ipc_args *a)
{
	if (__builtin_expect(cpus_online > 1, 0))
		fast_call_xcpu_try(self, a);
}

static inline __attribute__((always_inline)) void fast_reply_wait_xcpu(struct thread *self,
								       const struct ipc_args *a)
{
	if (__builtin_expect(cpus_online > 1, 0))
		fast_reply_wait_xcpu_try(self, a);
}

#else

static inline void fast_call_xcpu(struct thread *self, const struct ipc_args *a)
{
	(void)self, (void)a;
}

static inline void fast_reply_wait_xcpu(struct thread *self, const struct ipc_args *a)
{
	(void)self, (void)a;
}

#endif
