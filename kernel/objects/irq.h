/* IRQ objects (mica/irq.h): interrupt sources, hardware lines bound
 * through the ICU (icu.h) or virtual ones, delivered as messages to the
 * open wait of the thread they are attached to. */
#pragma once

#include <mica/error.h>
#include <mica/irq.h>
#include <mica/msgtag.h>
#include <stdbool.h>

#include "arch/regs.h"
/* The ICU's lines: sched.c (irq_lines_armed) and boot_tasks.c
 * (icu_object) still reach them through this header. */
#include "objects/icu.h"
#include "objects/invoke.h"
#include "objects/kobj.h"
#include "objects/thread.h"

struct thread;
struct cap_slot;
struct factory;

/* An IRQ's fields are covered by its target's CPU lock (pending, the
 * FIFO link) and change otherwise (target, label, attachment links) only
 * under every CPU's lock (sched/cpu_lock.h). */
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

/* A closed wait of self on IRQ q (src, a selector naming an IRQ):
 * takes only q's firing. MICA_OK if self has its message now, or
 * MICA_E_TIMEOUT if it must block (the caller blocks it, as for a
 * gate); MICA_E_BAD_ARG if q is not attached to self. */
enum mica_error irq_receive_closed(struct thread *self, struct irq *q);

/* t is dying: every IRQ attached to it is detached. */
void irq_thread_gone(struct thread *t);
/* t moved to another CPU: its hardware lines are routed there. */
void irq_thread_moved(struct thread *t);

/* A new IRQ object charged to f, or 0. */
struct irq *irq_create(struct factory *f);
void irq_release(struct irq *q);

/* The operations. q fires: its message goes to its thread's open wait,
 * or waits there (one firing not yet taken absorbs the next). */
void irq_fire(struct irq *q);
/* irq_fire from a thread's TRIGGER: with its target's CPU lock. */
void irq_trigger(struct irq *q);
/* Attaches q to t (a thread with a task), detaching it from any other;
 * a pending firing is delivered to t. */
void irq_attach(struct irq *q, struct thread *t, uint64_t label);
/* Detaches q; a pending firing is dropped. */
void irq_detach(struct irq *q);
/* Unmasks q's hardware line after a firing (nothing for a virtual IRQ). */
void irq_unmask(struct irq *q);

/* The IRQ's methods, by label (irq_invoke.c). */
extern const struct invoke_method irq_methods[INVOKE_LABELS];

/* MICA_IRQ_TRIGGER's entry in irq_methods, for the trigger fast path too
 * (it takes no words). */
#define IRQ_TRIGGER_RIGHTS MICA_IRQ_R_WRITE

static inline bool irq_trigger_call(mica_msgtag_t tag, unsigned rights)
{
	return mica_msgtag_label(tag) == MICA_IRQ_TRIGGER &&
	       (rights & IRQ_TRIGGER_RIGHTS) == IRQ_TRIGGER_RIGHTS;
}
