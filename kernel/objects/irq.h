/* IRQ objects (mica/irq.h): interrupt sources, hardware lines bound
 * through the ICU or virtual ones, delivered as messages to the open wait
 * of the thread they are attached to. */
#pragma once

#include <mica/error.h>
#include <mica/msgtag.h>
#include <stdbool.h>

#include "arch/regs.h"
#include "objects/kobj.h"
#include "objects/thread.h"

struct thread;
struct cap_slot;
struct factory;

struct irq {
	struct kobj hdr;
	struct thread *target;		 /* attached to; 0: none */
	uint64_t label;			 /* its messages carry this label */
	struct irq *att_next, *att_prev; /* in target's attached IRQs */
	struct irq *pend_next;		 /* in target's pending FIFO */
	bool pending;			 /* fired, message not yet taken */
	bool masked;			 /* hardware line masked until unmasked */
	int line;			 /* the bound line; -1: none */
};

/* Hands q's message to t: no words, the attachment's label. */
static inline void irq_deliver(struct irq *q, struct thread *t)
{
	q->pending = false;
	t->utcb->label = q->label;
	t->utcb->error = MICA_OK;
	syscall_set_result(&t->regs, mica_msgtag(0, 0, 0, 0).raw, q->label);
}

/* An open wait takes the first pending IRQ of self, if any: true if
 * self now has its message. */
bool irq_receive_pending(struct thread *self);

/* t is dying: every IRQ attached to it is detached. */
void irq_thread_gone(struct thread *t);

/* Whether a bound, attached and unmasked line could still fire. */
bool irq_lines_armed(void);

/* A line the kernel serves itself while no IRQ object is bound to it
 * (the console's input). fired() runs when it fires, and the line is
 * unmasked again after it; user(true) when an IRQ object takes the line
 * (it is the user driver's until unbound), user(false) when it is back. */
struct irq_kernel_line {
	unsigned gsi, mode;
	void (*fired)(void);
	void (*user)(bool taken);
};

/* Routes k's line to the kernel and unmasks it (at boot); false if the
 * interrupt controllers have no such line. */
bool irq_kernel_serve(const struct irq_kernel_line *k);

/* A new IRQ object charged to f, or 0. */
struct irq *irq_create(struct factory *f);
void irq_release(struct irq *q);

mica_msgtag_t irq_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);

/* The ICU: the boot-time permanent object. */
struct kobj *icu_object(void);
mica_msgtag_t icu_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);
