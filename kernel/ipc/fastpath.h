/* The fast paths, inline into the system-call entry (ipc/syscall.c): a
 * call or reply-and-wait of untyped words between two threads of one CPU
 * whose partner already waits and may run at once, a yield to a ready
 * thread, a virtual IRQ for a waiting thread that outranks the caller, a
 * map of one page, a pager's reply-and-wait mapping one page for a fault,
 * and the error of a send to an empty selector; and for the exception
 * entry (ipc/fault.c, its other user), a page fault to a pager that
 * waits. Those fault paths, with an exception's, are in fastpath_exc.h,
 * the unmap of one page in fastpath_kobj.h. Each is there because `make
 * bench` shows it pays (docs/benchmarks.md gives each figure with and
 * without it). A fast path either finishes the call and leaves the
 * kernel, or returns having changed nothing; the general path then does
 * the same thing the long way. Its checks are the general path's own,
 * shared through inline helpers. make FASTPATH=0 builds the kernel
 * without this. */
#pragma once

#ifndef MICA_FASTPATH
#define MICA_FASTPATH 1
#endif

#include <mica/irq.h>
#include <mica/layout.h>
#include <mica/syscall.h>
#include <mica/task.h>
#include <mica/thread.h>

#include "arch/cpu.h"
#include "arch/switch.h"
#include "arch/trap.h"
#include "arch/vm.h"
#include "ipc/ipc.h"
#include "ipc/ipc_steps.h"
#include "ipc/items.h"
#include "memory/cap.h"
#include "memory/mapdb.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "sched/timeout.h"

#if MICA_FASTPATH

#define PAGE (1ul << VM_PAGE_LOG2)
#define LARGE (1ul << VM_LARGE_LOG2)

/* No typed items, no flags: the general path's msgtag_check passes any
 * such tag (at most 63 words fit the 6-bit count). */
static inline bool plain_words(mica_word_t tag)
{
	return (tag & 0xffc0u) == 0;
}

/* A send timeout of never or zero (the partner waits, so both deliver)
 * and a receive timeout of never: nothing to arm. */
static inline bool plain_call_timeouts(mica_word_t t)
{
	return (t & ~(mica_word_t)MICA_TIMEOUT_ZERO) == 0;
}

/* `to` is not halted, is on this CPU, and has no fault to report: the
 * general path would hand over to it and core_resume would run it at
 * once if nothing outranks it. */
static inline __attribute__((always_inline)) bool
can_switch_to(const struct percpu *cpu, const struct thread *self, const struct thread *to)
{
	return !to->halted && to->cpu == self->cpu && to->fault == FAULT_NONE &&
	       sched_direct_switch_ok(&cpu->sched, to);
}

/* ipc_deliver's hand-over, for the untyped words of a thread that is not
 * faulting. The tag is read from the registers here, not held from the
 * start: the fast path has few registers to spare. */
static inline void deliver_words(struct thread *from, struct thread *to, const struct arch_regs *a,
				 uint64_t label)
{
	mica_msgtag_t tag = { syscall_arg_tag(a) };
	ipc_hand_over(to, from->utcb->mr, mica_msgtag_u(tag), tag, label, MICA_OK);
}

/* A kernel object's empty success result for the caller. */
static inline void result_ok(struct thread *self, struct arch_regs *regs)
{
	self->utcb->error = MICA_OK; /* a thread runs only with a UTCB */
	syscall_set_result(regs, mica_msgtag(0, 0, 0, 0).raw, 0);
}

/* self now waits (its wait reason is set); `to` is current in its place. */
static inline __attribute__((always_inline)) void give_cpu(struct percpu *cpu, struct thread *self,
							   struct thread *to)
{
	self->state = THREAD_BLOCKED;
	to->state = THREAD_READY;
	timeout_disarm(to);
	cpu->current = to;
	cpu->fastpath_ipcs++;
	sched_lend_slice(&cpu->sched, self, to);
}

/* self now waits; `to` runs in its place. */
static inline __attribute__((always_inline, noreturn)) void switch_to(struct percpu *cpu, struct thread *self,
								      struct thread *to)
{
	give_cpu(cpu, self, to);
	arch_switch_to_user(cpu, &to->regs, &to->arch, &to->task->vm);
}

/* switch_to from a system call to a thread that waits in a system call
 * of its own, a receiver or a caller, with no fault (which a message
 * would answer): its registers are that call's (arch_switch_to_syscall).
 * The entry left part of self's registers in the CPU
 * (arch_syscall_save_preserved). */
static inline __attribute__((always_inline, noreturn)) void
switch_from_syscall(struct percpu *cpu, struct thread *self, struct thread *to, const struct arch_regs *a)
{
	arch_syscall_save_preserved((struct arch_regs *)a);
	give_cpu(cpu, self, to);
	arch_switch_to_syscall(cpu, &to->regs, &to->arch, &to->task->vm);
}

/* The receiver waiting on g, taken off its queue, if there is one that
 * owes no reply and may run at once on this CPU; else null, with nothing
 * changed. The queues are read under the gate's lock; the receiver, of
 * this CPU, under this CPU's lock, which it holds. With no thread in
 * closed wait, the receiver can only be the bound thread in open wait:
 * one of this CPU's is taken without the gate's lock, all of that being
 * this CPU's to change (docs/architecture.md, "Locking order", the
 * gate's lock); one of another CPU's is the general path's. */
static inline __attribute__((always_inline)) struct thread *
take_waiting_receiver(struct percpu *cpu, const struct thread *self, struct gate *g)
{
	struct thread *r = g->bound;
	if (r && !__atomic_load_n(&g->recv_head, __ATOMIC_RELAXED)) {
		/* r->wait is read only if r is this CPU's. */
		if (r->cpu != self->cpu || r->wait != WAIT_RECV_OPEN || r->reply_to ||
		    !can_switch_to(cpu, self, r))
			return 0;
		r->wait = WAIT_NONE; /* ipc_take_receiver, with no queue to leave */
		r->wait_gate = 0;
		return r;
	}
	gate_lock(g, cpu->id);
	r = ipc_waiting_receiver(g);
	if (!r || r->reply_to || !can_switch_to(cpu, self, r)) {
		gate_unlock(g);
		return 0;
	}
	ipc_take_receiver(g, r);
	gate_unlock(g);
	return r;
}

/* A call through the gate cap names. */
static inline void fast_call(struct percpu *cpu, struct thread *self, const struct cap_slot *cap,
			     const struct arch_regs *a)
{
	if (!plain_call_timeouts(syscall_arg_timeouts(a)) || !ipc_may_send_words(cap))
		return;
	struct thread *r = take_waiting_receiver(cpu, self, (struct gate *)cap_obj(cap));
	if (!r)
		return;
	/* The reply right first: take_waiting_receiver's test of
	 * r->reply_to is then still in hand (the copy of the words may
	 * write any memory, as far as the compiler knows). */
	ipc_give_reply_right(r, self);
	deliver_words(self, r, a, cap->label);
	switch_from_syscall(cpu, self, r, a);
}

static inline void fast_reply_wait(struct percpu *cpu, struct thread *self, const struct arch_regs *a)
{
	if (syscall_arg_source(a) != MICA_CAP_INVALID || self->pend_head || self->irq_head ||
	    syscall_arg_timeouts(a) >> 32 != MICA_TIMEOUT_NEVER)
		return;
	struct thread *c = self->reply_to;
	if (!c || !can_switch_to(cpu, self, c))
		return;

	ipc_drop_reply_right(self, c);
	deliver_words(self, c, a, 0);
	self->wait = WAIT_RECV_OPEN;
	self->wait_gate = 0;
	switch_from_syscall(cpu, self, c, a);
}

/* MICA_THREAD_YIELD naming another ready thread of this CPU: with the
 * method table's checks (thread_yield_call), as the YIELD decoder,
 * sched_yield and core_resume would, the caller goes
 * behind its equals and `next` runs at once on the rest of the caller's
 * slice, with the caller's priority if that is higher than its own (a
 * donation), unless something outranks it. cap names a thread (not the
 * caller: a running thread is not queued). A queued thread is READY
 * (debug/invariants.c checks it): on_rq and not halted is runnable. */
static inline void fast_yield(struct percpu *cpu, struct thread *self, const struct cap_slot *cap,
			      struct arch_regs *regs)
{
	struct sched_cpu *s = &cpu->sched;
	struct thread *next = (struct thread *)cap_obj(cap);
	if (!thread_yield_call((mica_msgtag_t){ syscall_arg_tag(regs) }, cap_rights(cap)) || !next->on_rq ||
	    next->halted || next->cpu != self->cpu || next->fault != FAULT_NONE)
		return;
	unsigned prio = sched_eff_prio(s, self);
	if (sched_outranked(s, prio > next->prio ? prio : next->prio))
		return;

	/* The donation first: prio then needs no register (or stack slot)
	 * across the swap, which has few registers to spare here. */
	s->boosted = next;
	s->boost_prio = prio;
	arch_syscall_save_preserved(regs);
	sched_swap_current(s, next, self);
	result_ok(self, regs);
	cpu->current = next;
	sched_lend_slice(s, self, next);
	arch_switch_to_user(cpu, &next->regs, &next->arch, &next->task->vm);
}

/* MICA_IRQ_TRIGGER of an IRQ whose thread waits for it in an open wait
 * and outranks the caller: with the method table's checks
 * (irq_trigger_call), as irq_fire and core_resume would, the
 * thread has its message and runs at once, on its own slice; the caller
 * is preempted (first in line at its priority; the current thread is
 * never queued). cap names an IRQ. can_switch_to requires that no
 * donation is in force, so the caller's effective priority is its own. */
static inline void fast_trigger(struct percpu *cpu, struct thread *self, const struct cap_slot *cap,
				struct arch_regs *regs)
{
	struct sched_cpu *s = &cpu->sched;
	struct irq *q = (struct irq *)cap_obj(cap);
	struct thread *t = q->target;
	if (!irq_trigger_call((mica_msgtag_t){ syscall_arg_tag(regs) }, cap_rights(cap)) || q->pending ||
	    !t || !thread_in_open_wait(t) || t->prio <= self->prio || !can_switch_to(cpu, self, t))
		return;

	arch_syscall_save_preserved(regs);
	t->wait = WAIT_NONE;
	irq_deliver(q, t);
	timeout_disarm(t);
	t->state = THREAD_READY;
	result_ok(self, regs);
	sched_link(s, self, true);
	cpu->current = t;
	sched_preempted_by(cpu);
	/* Every register is the call's to clobber here (SYSCALL_PATH_CFLAGS
	 * in the Makefile): a load brings each back where keeping it would
	 * take a store and a load. */
	cpu = this_cpu();
	t = cpu->current;
	arch_switch_to_user(cpu, &t->regs, &t->arch, &t->task->vm);
}

/* MICA_TASK_MAP of one 4 KiB page of a task's own mapping (or of
 * sigma0's physical memory) into an empty slot of the task cap names,
 * with the checks of the MAP decoder (task_map_call,
 * task_map_source_rights) and of items.c (items_memory_places);
 * mapdb_map_page declines whatever needs the general mapping machinery.
 * cap names a task and task_map_call holds. Out of line: its
 * registers would cost the other fast paths their prologue. */
static __attribute__((noinline)) void fast_map(struct thread *self, const struct cap_slot *cap,
					       struct arch_regs *regs)
{
	volatile mica_word_t *mr = self->utcb->mr;
	mica_word_t fp = mr[1], dst = mr[2];
	/* A map item (not a grant), and a readable page: the fpage word's
	 * low 12 bits hold exactly these fields. */
	if ((dst & 0xfff) != MICA_ITEM_MAP ||
	    (fp & 0xff8) !=
		    (MICA_FPAGE_MEM << MICA_FPAGE_TYPE_SHIFT | VM_PAGE_LOG2 << MICA_FPAGE_SIZE_SHIFT) ||
	    !(fp & MICA_FPAGE_R) || mica_fpage_base(fp) > MICA_USER_END)
		return;
	struct cap_slot *slot = cap_lookup(self->task, mr[0]), snap, *src = &snap;
	unsigned need = task_map_source_rights(false);
	if (!slot || !cap_snapshot(slot, &snap) || cap_obj(src)->type != MICA_OBJ_TASK ||
	    (cap_rights(src) & need) != need)
		return;
	struct task *from = (struct task *)cap_obj(src), *to = (struct task *)cap_obj(cap);
	dst &= ~0xffful;
	if (items_memory_places(from, mica_fpage_base(fp), to, dst, PAGE) != MICA_OK ||
	    !mapdb_map_page(from, mica_fpage_base(fp), to, dst, mica_fpage_rights(fp)))
		return;
	self->utcb->error = MICA_OK; /* as result_ok */
	arch_return_to_caller(regs, mica_msgtag(0, 0, 0, 0).raw, 0);
}

/* The memory item of a page-fault reply that the fault fast path takes:
 * a map (not a grant) of one readable page of 2^log2 bytes (4 KiB or 2
 * MiB), the checks of item_decode and fpage_decode for it (the word's
 * low 12 bits hold exactly these fields; the base is aligned and lies in
 * the 47-bit space). */
static inline __attribute__((always_inline)) bool one_page_map_item(mica_word_t hot, mica_word_t fp,
								    unsigned log2)
{
	return (hot & 0xfff) == MICA_ITEM_MAP &&
	       (fp & 0xff8) == (MICA_FPAGE_MEM << MICA_FPAGE_TYPE_SHIFT | log2 << MICA_FPAGE_SIZE_SHIFT) &&
	       (fp & MICA_FPAGE_R) && !(fp & ~0xffful & ((1ul << log2) - 1)) &&
	       fp < 1ul << MICA_FPAGE_MEM_MAX;
}

/* The receive phase of a reply-and-wait that the fault fast path takes:
 * an open wait with no bound gate or IRQ pending, or a closed wait on a
 * gate (cap_get's checks) with no sender queued, and no timeout: self
 * blocks and nothing else happens, as in receive_phase. Returns the gate
 * of a closed wait, locked (until self is queued or the path gives up:
 * quiet_release), self's own address for an open one, 0 if the general
 * path must do it. */
static inline void *quiet_receive(struct percpu *cpu, struct thread *self, const struct arch_regs *a)
{
	if (syscall_arg_timeouts(a) >> 32 != MICA_TIMEOUT_NEVER)
		return 0;
	mica_cap_t src = syscall_arg_source(a);
	if (src == MICA_CAP_INVALID)
		return self->pend_head || self->irq_head ? 0 : self;
	const struct cap_slot *slot = cap_lookup(self->task, src);
	struct cap_slot snap, *cap = &snap;
	if (!slot || !cap_snapshot(slot, &snap) || cap_obj(cap)->type != MICA_OBJ_GATE ||
	    !(cap_rights(cap) & MICA_GATE_R_RECV))
		return 0;
	struct gate *g = (struct gate *)cap_obj(cap);
	gate_lock(g, cpu->id);
	if (!g->send_head)
		return g;
	gate_unlock(g);
	return 0;
}

/* The fault fast path gives up after quiet_receive. */
static inline void quiet_release(struct thread *self, void *wait)
{
	if (wait != self)
		gate_unlock((struct gate *)wait);
}

/* The end of fault_reply, receive_phase and wake for the fault fast
 * path: the faulting thread c, its page mapped, runs; self waits as
 * quiet_receive found (wait: a gate, locked since, or self for an open
 * wait). */
static inline __attribute__((always_inline, noreturn)) void
resume_faulter(struct percpu *cpu, struct thread *self, struct thread *c, void *wait)
{
	arch_syscall_save_preserved(&self->regs);
	ipc_drop_reply_right(self, c);
	c->fault = FAULT_NONE;
	self->wait_gate = wait == self ? 0 : (struct gate *)wait;
	if (self->wait_gate) {
		self->wait = WAIT_RECV_GATE;
		gate_enqueue(&self->wait_gate->recv_head, &self->wait_gate->recv_tail, self);
		gate_unlock(self->wait_gate);
	} else {
		self->wait = WAIT_RECV_OPEN;
	}
	switch_to(cpu, self, c);
}

/* The thread c whose reply right self holds waits in the fault `kind`,
 * is not halted, is on this CPU and would run at once once the fault
 * reply wakes it. */
static inline __attribute__((always_inline)) bool faulter_may_run(const struct percpu *cpu,
								  const struct thread *self,
								  const struct thread *c,
								  enum thread_fault kind)
{
	return c && c->fault == kind && !c->halted && c->cpu == self->cpu &&
	       sched_direct_switch_ok(&cpu->sched, c);
}

/* fast_fault_reply's 2 MiB page (one_page_map_item holds for it): out of
 * line, so that the 4 KiB case, the common one, pays nothing for it. */
static __attribute__((noinline)) void fast_fault_reply_large(struct percpu *cpu, struct thread *self,
							     struct thread *c, void *wait, mica_word_t hot,
							     mica_word_t fp)
{
	uint64_t src = fp & ~0xffful, dst = hot & ~(LARGE - 1) & ((1ul << MICA_FPAGE_MEM_MAX) - 1);
	if (items_memory_places(self->task, src, c->task, dst, LARGE) != MICA_OK ||
	    !mapdb_map_large(self->task, src, c->task, dst, mica_fpage_rights(fp)))
		return; /* the caller lets the gate go */
	resume_faulter(cpu, self, c, wait);
}

/* A pager's reply-and-wait to a thread waiting in a page fault, carrying
 * exactly one map item of one 4 KiB or 2 MiB page (after any untyped
 * words, which a fault reply ignores): as reply_phase, fault_reply,
 * items_move with the fault's window (MICA_FPAGE_ALL_MEM: the page lands
 * at the hot spot), mapdb_map, receive_phase and wake would, the page is
 * mapped, the pager waits and the faulting thread runs at once.
 * mapdb_map_page and mapdb_map_large decline whatever needs the general
 * mapping machinery (a slot in use, missing page tables or one in a 2
 * MiB slot, no free node, a hole in the source, a 2 MiB page that is not
 * one 2 MiB mapping of the pager's); anything else unusual (a grant,
 * more items, an error reply, a sender or IRQ waiting for the pager, a
 * timeout) is the general path's too. Out of line, as fast_map. */
static __attribute__((noinline)) void fast_fault_reply(struct percpu *cpu, struct thread *self,
						       const struct arch_regs *a)
{
	mica_word_t tag = syscall_arg_tag(a);
	unsigned u = tag & 0x3f;
	struct thread *c = self->reply_to;
	if ((tag & 0xffc0u) != MICA_ITEM_WORDS << MICA_TAG_T_SHIFT || u > MICA_MSG_WORDS_MAX - 1 ||
	    !faulter_may_run(cpu, self, c, FAULT_PAGE))
		return;
	void *wait = quiet_receive(cpu, self, a);
	if (!wait)
		return;
	volatile mica_word_t *mr = self->utcb->mr;
	mica_word_t hot = mr[u], fp = mr[u + 1];
	if (!one_page_map_item(hot, fp, VM_PAGE_LOG2)) {
		if (one_page_map_item(hot, fp, VM_LARGE_LOG2))
			fast_fault_reply_large(cpu, self, c, wait, hot, fp);
		quiet_release(self, wait);
		return;
	}
	uint64_t src = fp & ~0xffful, dst = hot & ~(PAGE - 1) & ((1ul << MICA_FPAGE_MEM_MAX) - 1);
	if (items_memory_places(self->task, src, c->task, dst, PAGE) != MICA_OK ||
	    !mapdb_map_page(self->task, src, c->task, dst, mica_fpage_rights(fp))) {
		quiet_release(self, wait);
		return;
	}
	resume_faulter(cpu, self, c, wait);
}

#include "ipc/fastpath_exc.h"  /* the fault fast paths */
#include "ipc/fastpath_kobj.h" /* a kernel object's method: unmap */

/* A send phase to a selector that names nothing fails at once, as in
 * the general path; the caller goes on (nothing changed that could make
 * it yield). */
static inline __attribute__((noreturn)) void fail_invalid_cap(struct thread *self, struct arch_regs *regs)
{
	self->utcb->error = MICA_E_INVALID_CAP; /* a thread runs only with a UTCB */
	arch_return_to_caller(regs, mica_msgtag(MICA_E_INVALID_CAP, 0, 0, MICA_TAG_ERROR).raw, 0);
}

/* The slot sel (not MICA_CAP_INVALID) names in self's task if it is not
 * empty (cap_lookup), through a one-entry cache of self's last selector.
 * The cache holds where sel's slot lives, never what the slot holds: a
 * capability table, once allocated, stays where it is until the task's
 * space is destroyed with the task (memory/capspace.h), and a thread is
 * bound to one task for good (a zeroed thread caches nothing: selector
 * 0 is MICA_CAP_INVALID, refused before). So no capability operation
 * needs to invalidate it; the slot itself is read afresh every time. */
static inline __attribute__((always_inline)) struct cap_slot *fast_lookup(struct thread *self, mica_cap_t sel)
{
	struct cap_slot *s;
	if (sel == self->fast_sel) {
		s = self->fast_slot;
		return s->obj_rights ? s : 0;
	}
	s = cap_lookup(self->task, sel);
	if (s) {
		self->fast_sel = sel;
		self->fast_slot = s;
	}
	return s;
}

/* Tries the fast paths for the system call self made with regs (sel,
 * tag and flags: its arguments, which the entry passes in registers
 * too); returns if none took it and it is not a kernel object's method.
 * Such a method goes to the general path from here, with the slot
 * already looked up. */
static inline __attribute__((always_inline)) void fastpath(struct percpu *cpu, struct thread *self,
							   struct arch_regs *regs, mica_cap_t sel,
							   mica_word_t tag, mica_word_t flags)
{
	if (flags == MICA_IPC_CALL || flags == MICA_IPC_SEND) {
		struct cap_slot *slot = sel != MICA_CAP_INVALID ? fast_lookup(self, sel) : 0;
		/* What the slot holds, read once (cap_snapshot). */
		struct cap_slot snap, *cap = &snap;
		if (!slot)
			fail_invalid_cap(self, regs);
		/* With one CPU online nothing changes the slot meanwhile. */
		if (cpus_online < 2)
			cap = slot;
		else if (!cap_snapshot(slot, &snap))
			fail_invalid_cap(self, regs);
		if (flags == MICA_IPC_CALL && plain_words(tag)) {
			enum mica_obj_type type = cap_obj(cap)->type;
			if (type == MICA_OBJ_GATE)
				fast_call(cpu, self, cap, regs);
			else if (type == MICA_OBJ_THREAD)
				fast_yield(cpu, self, cap, regs);
			else if (type == MICA_OBJ_IRQ)
				fast_trigger(cpu, self, cap, regs);
			else {
				if (type == MICA_OBJ_TASK &&
				    task_map_call((mica_msgtag_t){ tag }, cap_rights(cap)))
					fast_map(self, cap, regs);
				else if (type == MICA_OBJ_TASK &&
					 task_unmap_call((mica_msgtag_t){ tag }, cap_rights(cap)))
					fast_unmap(self, cap, regs);
				/* A kernel object's method: the general path
				 * need not look the selector up again. */
				arch_syscall_save_preserved(regs);
				syscall_general(cpu, self, regs, cap);
			}
		}
	} else if (flags == MICA_IPC_REPLY_WAIT && plain_words(tag)) {
		fast_reply_wait(cpu, self, regs);
		fast_exc_reply(cpu, self, regs);
	} else if (flags == MICA_IPC_REPLY_WAIT) {
		/* Typed items (the tag is checked there): a test here would
		 * cost the word path above an instruction. */
		fast_fault_reply(cpu, self, regs);
	}
}

#else

static inline void fastpath(struct percpu *cpu, struct thread *self, struct arch_regs *regs, mica_cap_t sel,
			    mica_word_t tag, mica_word_t flags)
{
	(void)cpu, (void)self, (void)regs, (void)sel, (void)tag, (void)flags;
}

#include "ipc/fastpath_exc.h"

#endif
