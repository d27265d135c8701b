/* The fault fast paths of the exception entry (ipc/fault.c) and their
 * replies: a page fault or an exception delivered to a handler that waits
 * on this CPU, and an exception handler's reply-and-wait that rewrites
 * the thread's registers and resumes it. Part of ipc/fastpath.h, which
 * includes this file where its helpers (switch_to, quiet_receive,
 * resume_faulter) are defined; fault.c includes it for the FASTPATH=0
 * stubs. As every fast path: it finishes the operation or returns having
 * changed nothing, and its checks are the general path's own. */
#pragma once

#include <mica/fpage.h>

#include "arch/context.h"

#if MICA_FASTPATH

/* The fault message of self (kmsg; tag: its label and size) to the
 * handler gate sel names in self's task, if a receiver waits there and
 * may run at once: with the checks of fault.c's send (cap_get) and
 * send_phase for untyped words, the receiver has the message and self's
 * reply right and runs, and self waits in the fault `kind`. Returns
 * having changed nothing (kmsg aside, which the general path writes
 * again) otherwise. */
static inline __attribute__((always_inline)) void fault_to_waiting(struct percpu *cpu, struct thread *self,
								   mica_cap_t sel, enum thread_fault kind,
								   mica_msgtag_t tag)
{
	const struct cap_slot *slot = cap_lookup(self->task, sel);
	struct cap_slot snap, *cap = &snap;
	if (!slot || !cap_snapshot(slot, &snap) || cap_obj(cap)->type != MICA_OBJ_GATE ||
	    !ipc_may_send_words(cap))
		return;
	struct thread *r = take_waiting_receiver(cpu, self, (struct gate *)cap_obj(cap));
	if (!r)
		return;
	self->fault = kind;
	self->reply_timeout = MICA_TIMEOUT_NEVER;
	ipc_hand_over(r, self->kmsg, mica_msgtag_u(tag), tag, cap->label, MICA_OK);
	ipc_give_reply_right(r, self);
	switch_to(cpu, self, r);
}

/* A page fault of self at addr (in the user half; access: what failed)
 * whose pager waits and may run at once: as fault_page would, the pager
 * has the fault message and runs. Called from the exception entry
 * (core_user_exception), not a system call. Out of line: inlined, its
 * registers cost every exception. */
static __attribute__((noinline, unused)) void fast_page_fault(struct percpu *cpu, struct thread *self,
							      uint64_t addr, mica_word_t access)
{
	mica_word_t *m = self->kmsg; /* kept: an exception later reports kmsg[0] */
	m[0] = addr;
	m[1] = regs_ip(&self->regs);
	m[2] = access;
	fault_to_waiting(cpu, self, self->pager, FAULT_PAGE,
			 mica_msgtag(MICA_LABEL_PAGE_FAULT, MICA_PF_WORDS, 0, 0));
}

/* An exception of self, its message already in kmsg
 * (arch_exception_message), whose handler waits and may run at once: as
 * fault_exception would, the handler has the message and runs. Out of
 * line, as fast_page_fault. */
static __attribute__((noinline, unused)) void fast_exception(struct percpu *cpu, struct thread *self)
{
	fault_to_waiting(cpu, self, self->exc_handler, FAULT_EXC,
			 mica_msgtag(MICA_LABEL_EXCEPTION, MICA_EXC_WORDS, 0, 0));
}

/* An exception handler's reply-and-wait of untyped words (plain_words)
 * to a thread waiting in an exception: as reply_phase, fault_reply
 * (arch_exception_apply: the reply's first words are the registers),
 * receive_phase and wake would, the thread has its registers and runs at
 * once, and the handler waits. A reply that sets a kernel address (which
 * stops the thread) and anything quiet_receive declines are the general
 * path's. Out of line, as fast_fault_reply. */
static __attribute__((noinline)) void fast_exc_reply(struct percpu *cpu, struct thread *self,
						     const struct arch_regs *a)
{
	struct thread *c = self->reply_to;
	if (!faulter_may_run(cpu, self, c, FAULT_EXC))
		return;
	void *wait = quiet_receive(cpu, self, a);
	if (!wait)
		return;
	unsigned u = syscall_arg_tag(a) & 0x3f;
	if (!arch_exception_apply(&c->regs, &c->arch, self->utcb->mr,
				  u < MICA_EXC_WORDS ? u : MICA_EXC_WORDS)) {
		quiet_release(self, wait);
		return;
	}
	resume_faulter(cpu, self, c, wait);
}

#else

static inline void fast_page_fault(struct percpu *cpu, struct thread *self, uint64_t addr, mica_word_t access)
{
	(void)cpu, (void)self, (void)addr, (void)access;
}

static inline void fast_exception(struct percpu *cpu, struct thread *self)
{
	(void)cpu, (void)self;
}

#endif
