/* irq_, virq_ and icu_: IRQ objects as message sources. The hardware
 * cases use the PIT's channel 0 (ISA IRQ 0, which QEMU's MADT overrides
 * to line 2): a one-shot count gives exactly one edge. */
#include <x86_port.h>

#include "ktest.h"
#include "sched_util.h"

#define ICU MICA_CAP_ICU
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182ul

/* Channel 0, mode 0: its output rises (an edge on IRQ 0) after us. */
static void pit_oneshot_us(unsigned us)
{
	unsigned count = (unsigned)(PIT_HZ * us / 1000000);
	outb(PIT_CMD, 0x30);
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, (count >> 8) & 0xff);
}

/* An open wait with a timeout: the label, or ~0 on an error. */
static mica_word_t take(uint64_t timeout_ns, mica_msgtag_t *tag)
{
	mica_word_t label = 0;
	mica_msgtag_t t = mica_wait(MICA_CAP_INVALID,
				    timeout_ns ? mica_timeout_ns(timeout_ns) : MICA_TIMEOUT_ZERO, &label);
	if (tag)
		*tag = t;
	return mica_msgtag_is_error(t) ? ~0ul : label;
}

/* Receives messages in open wait, counting them. */
static void receiver(struct kthread *k)
{
	for (;;) {
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
		k->out[1] = label;
		k->out[2] = t.raw;
		k->out[3] = mica_utcb()->label;
		k->out[0]++;
	}
}

KTEST(virq_trigger_delivers_the_label_only)
{
	mica_cap_t q = kirq();
	CHECK(q);
	struct kthread *k = kthread_start(KTASK, receiver, 0);
	CHECK(k);
	kyield();
	CHECK_OK(mica_irq_attach(q, k->sel, 0x1234));
	kfill(5, 8); /* our words must not travel */
	CHECK_OK(mica_irq_trigger(q));
	kyield();
	CHECK_EQ(k->out[0], 1);
	CHECK_EQ(k->out[1], 0x1234);
	CHECK_EQ(k->out[3], 0x1234);
	mica_msgtag_t t = { k->out[2] };
	CHECK_EQ(mica_msgtag_u(t), 0);
	CHECK_EQ(mica_msgtag_t_items(t), 0);
	CHECK(!mica_msgtag_is_error(t));
	CHECK_EQ(mica_msgtag_label(t), 0);
}

KTEST(virq_triggers_coalesce)
{
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 77));
	for (unsigned i = 0; i < 5; i++)
		CHECK_OK(mica_irq_trigger(q));
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[2], 1);
	CHECK_EQ(take(0, 0), 77);
	CHECK_EQ(take(0, 0), ~0ul); /* one message for the five */
	CHECK_EQ(mica_utcb()->error, MICA_E_TIMEOUT);
	CHECK_OK(mica_irq_trigger(q));
	CHECK_EQ(take(0, 0), 77);
}

KTEST(virq_fired_before_attach_is_delivered)
{
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_irq_trigger(q));
	CHECK_EQ(take(0, 0), ~0ul);
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 5));
	CHECK_EQ(take(0, 0), 5);
}

KTEST(virq_wakes_a_higher_receiver_at_once)
{
	mica_cap_t q = kirq();
	CHECK(q);
	struct kthread *k = kthread_new(KTASK, receiver, 0);
	CHECK(k);
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, 150, 10000000, 0));
	CHECK_OK(kthread_go(k));
	CHECK_OK(mica_irq_attach(q, k->sel, 9));
	for (unsigned i = 1; i <= 3; i++) {
		CHECK_OK(mica_irq_trigger(q));
		CHECK_EQ(k->out[0], i); /* it ran before trigger returned */
	}
}

/* On our donation: lowers us below the receiver in k->arg, triggers
 * k->cap, notes (plus one) how often the receiver had run by then, and
 * blocks for good. */
static void trigger_and_look(struct kthread *k)
{
	const struct kthread *r = (const struct kthread *)k->arg;
	k->out[2] = (mica_word_t)kprio(MICA_CAP_THREAD, 40, KTEST_SLICE_NS);
	k->out[1] = (mica_word_t)mica_irq_trigger(k->cap);
	k->out[0] = r->out[0] + 1;
	mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
}

KTEST(virq_does_not_preempt_a_caller_on_a_donation)
{
	/* k (priority 50) runs on our donation (100), lowers us to 40 (the
	 * donation stays) and triggers an IRQ of a receiver at 60: above
	 * k's own priority and everything queued, below the donated one,
	 * so the receiver waits until k blocks (fast_trigger leaves it to
	 * the general path: a donation is in force). */
	mica_cap_t q = kirq();
	CHECK(q);
	struct kthread *r = kthread_new(KTASK, receiver, 0), *k = kthread_new(KTASK, trigger_and_look, 0);
	CHECK(r && k);
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, r->sel, 60, 10000000, 0));
	CHECK_OK(kthread_go(r));
	CHECK_OK(ksleep(1000000)); /* it gets to its open wait */
	CHECK_OK(mica_irq_attach(q, r->sel, 3));
	k->arg = (mica_word_t)r;
	k->cap = q;
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, 50, 10000000, 0));
	CHECK_OK(kthread_go(k));
	CHECK_EQ(k->out[0], 0); /* below us: not run yet */
	CHECK_OK(mica_thread_yield(k->sel));
	/* k blocked, the receiver (60) ran, then we (40) */
	CHECK_EQ(k->out[2], MICA_OK);
	CHECK_EQ(k->out[1], MICA_OK);
	CHECK_EQ(k->out[0], 1); /* the receiver had not run when the trigger returned */
	CHECK_EQ(r->out[0], 1);
	CHECK_EQ(r->out[1], 3);
	CHECK_OK(kprio(MICA_CAP_THREAD, MICA_SCHED_DEFAULT_PRIO, KTEST_SLICE_NS));
}

KTEST(virq_several_irqs_in_firing_order)
{
	mica_cap_t q[3];
	for (unsigned i = 0; i < 3; i++) {
		CHECK(q[i] = kirq());
		CHECK_OK(mica_irq_attach(q[i], MICA_CAP_THREAD, 100 + i));
	}
	CHECK_OK(mica_irq_trigger(q[2]));
	CHECK_OK(mica_irq_trigger(q[0]));
	CHECK_OK(mica_irq_trigger(q[1]));
	CHECK_EQ(take(0, 0), 102);
	CHECK_EQ(take(0, 0), 100);
	CHECK_EQ(take(0, 0), 101);
	CHECK_EQ(take(0, 0), ~0ul);
}

KTEST(virq_rights_and_bad_arguments)
{
	mica_cap_t q = kirq(), ro = ksel(), wo = ksel();
	CHECK(q);
	CHECK_OK(mica_cap_copy(KTASK, q, ro, MICA_IRQ_R_READ, 0));
	CHECK_OK(mica_cap_copy(KTASK, q, wo, MICA_IRQ_R_WRITE, 0));
	CHECK_ERR(mica_irq_trigger(ro), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_irq_attach(wo, MICA_CAP_THREAD, 1), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_irq_detach(wo), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_irq_attach(q, MICA_CAP_TASK, 1), MICA_E_WRONG_TYPE);
	CHECK_ERR(mica_irq_attach(q, ksel(), 1), MICA_E_INVALID_CAP);
	mica_cap_t unbound = ksel();
	CHECK_OK(mica_create_thread(KF, unbound));
	CHECK_ERR(mica_irq_attach(q, unbound, 1), MICA_E_BAD_ARG);
	CHECK_EQ(mica_error(mica_call(q, 99, 0)), MICA_E_UNKNOWN_OP);
	CHECK_OK(mica_irq_trigger(wo));
	CHECK_OK(mica_irq_unmask(wo)); /* virtual: nothing to unmask */
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(ro, info));
	CHECK_EQ(info[0], MICA_IRQ_NO_LINE);
	CHECK_EQ(info[1], 0);
	CHECK_EQ(info[2], 1);
}

KTEST(irq_detach_while_pending_drops_it)
{
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 3));
	CHECK_OK(mica_irq_trigger(q));
	CHECK_OK(mica_irq_detach(q));
	CHECK_EQ(take(0, 0), ~0ul);
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[1], 0);
	CHECK_EQ(info[2], 0);
	/* attached again, it has nothing stale to deliver */
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 4));
	CHECK_EQ(take(0, 0), ~0ul);
}

KTEST(irq_deleted_while_pending_leaves_no_message)
{
	mica_cap_t q = kirq(), q2 = kirq();
	CHECK(q && q2);
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 3));
	CHECK_OK(mica_irq_attach(q2, MICA_CAP_THREAD, 8));
	CHECK_OK(mica_irq_trigger(q));
	CHECK_OK(mica_irq_trigger(q2));
	CHECK_OK(mica_cap_delete(KTASK, q));
	CHECK_EQ(take(0, 0), 8);
	CHECK_EQ(take(0, 0), ~0ul);
}

KTEST(irq_attach_moves_between_threads)
{
	mica_cap_t q = kirq();
	CHECK(q);
	struct kthread *k = kthread_start(KTASK, receiver, 0);
	CHECK(k);
	kyield();
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 1));
	CHECK_OK(mica_irq_attach(q, k->sel, 2));
	CHECK_OK(mica_irq_trigger(q));
	kyield();
	CHECK_EQ(take(0, 0), ~0ul);
	CHECK_EQ(k->out[0], 1);
	CHECK_EQ(k->out[1], 2);
	/* the receiver's death detaches it */
	CHECK_OK(mica_cap_delete(KTASK, k->sel));
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[1], 0);
}

KTEST(irq_hardware_line_delivers)
{
	mica_cap_t q = kirq();
	CHECK(q);
	mica_word_t gsi;
	CHECK_OK(mica_icu_bind(ICU, q, 0, MICA_ICU_ISA, &gsi));
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 0xabc));
	CHECK_OK(mica_irq_unmask(q));
	uint64_t t0 = know();
	pit_oneshot_us(1000);
	mica_msgtag_t t;
	CHECK_EQ(take(10000000, &t), 0xabc);
	CHECK_EQ(mica_msgtag_u(t), 0);
	CHECK(know() - t0 >= 900000);
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[0], gsi);
	CHECK_EQ(info[3], 1); /* masked until we unmask */
}

KTEST(irq_line_stays_masked_until_unmask)
{
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_icu_bind(ICU, q, 0, MICA_ICU_ISA, 0));
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 1));
	/* bound lines start masked */
	pit_oneshot_us(200);
	CHECK_EQ(take(2000000, 0), ~0ul);
	CHECK_OK(mica_irq_unmask(q));
	pit_oneshot_us(200);
	CHECK_EQ(take(2000000, 0), 1);
	/* fired once: masked now; another edge does not come through */
	pit_oneshot_us(200);
	CHECK_EQ(take(2000000, 0), ~0ul);
	CHECK_OK(mica_irq_unmask(q));
	pit_oneshot_us(200);
	CHECK_EQ(take(2000000, 0), 1);
}

KTEST(irq_unbound_line_is_silent)
{
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_icu_bind(ICU, q, 0, MICA_ICU_ISA, 0));
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 1));
	CHECK_OK(mica_irq_unmask(q));
	CHECK_OK(mica_icu_unbind(ICU, q));
	pit_oneshot_us(200);
	CHECK_EQ(take(2000000, 0), ~0ul);
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[0], MICA_IRQ_NO_LINE);
	/* deleting a bound IRQ frees its line too */
	CHECK_OK(mica_icu_bind(ICU, q, 0, MICA_ICU_ISA, 0));
	CHECK_OK(mica_cap_delete(KTASK, q));
	mica_cap_t q2 = kirq();
	CHECK_OK(mica_icu_bind(ICU, q2, 0, MICA_ICU_ISA, 0));
}

KTEST(icu_info)
{
	mica_word_t lines, isa;
	CHECK_OK(mica_icu_info(ICU, &lines, &isa));
	CHECK(lines >= 24); /* QEMU's I/O APIC has 24 */
	CHECK_EQ(isa, 16);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, ICU, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_ICU);
}

KTEST(icu_isa_lines_follow_the_overrides)
{
	mica_cap_t a = kirq(), b = kirq();
	CHECK(a && b);
	mica_word_t gsi;
	/* QEMU's MADT sends ISA IRQ 0 to line 2, and leaves IRQ 4 on 4 */
	CHECK_OK(mica_icu_bind(ICU, a, 0, MICA_ICU_ISA, &gsi));
	CHECK_EQ(gsi, 2);
	CHECK_ERR(mica_icu_bind(ICU, b, 2, 0, 0), MICA_E_EXISTS);
	CHECK_OK(mica_icu_bind(ICU, b, 4, MICA_ICU_ISA, &gsi));
	CHECK_EQ(gsi, 4);
	CHECK_OK(mica_icu_unbind(ICU, a));
	CHECK_OK(mica_icu_unbind(ICU, b));
	CHECK_OK(mica_icu_bind(ICU, b, 2, MICA_ICU_EDGE | MICA_ICU_HIGH, &gsi));
	CHECK_EQ(gsi, 2);
}

KTEST(icu_bind_bad_arguments)
{
	mica_cap_t q = kirq(), q2 = kirq(), ro = ksel();
	CHECK(q && q2);
	mica_word_t lines, isa;
	CHECK_OK(mica_icu_info(ICU, &lines, &isa));
	CHECK_ERR(mica_icu_bind(ICU, q, lines, 0, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_icu_bind(ICU, q, 16, MICA_ICU_ISA, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_icu_bind(ICU, q, 5, 0x3, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_icu_bind(ICU, q, 5, 0xc, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_icu_bind(ICU, q, 5, 1ul << 12, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_icu_bind(ICU, KF, 5, 0, 0), MICA_E_WRONG_TYPE);
	CHECK_ERR(mica_icu_unbind(ICU, q), MICA_E_BAD_ARG);
	CHECK_OK(mica_icu_bind(ICU, q, 5, MICA_ICU_LEVEL | MICA_ICU_LOW, 0));
	CHECK_ERR(mica_icu_bind(ICU, q, 6, 0, 0), MICA_E_EXISTS);  /* one line per IRQ */
	CHECK_ERR(mica_icu_bind(ICU, q2, 5, 0, 0), MICA_E_EXISTS); /* one IRQ per line */
	CHECK_OK(mica_cap_copy(KTASK, ICU, ro, MICA_ICU_R_READ, 0));
	CHECK_ERR(mica_icu_bind(ro, q2, 6, 0, 0), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_icu_info(ro, &lines, &isa));
	CHECK_EQ(mica_error(mica_call(ICU, 99, 0)), MICA_E_UNKNOWN_OP);
}

KTEST(virq_notifies_a_thread_of_another_task)
{
	/* The asynchronous notification between address spaces: the sender
	 * holds only a WRITE copy, which can trigger but do nothing else. */
	mica_cap_t t = ktask_create();
	CHECK(t);
	struct kthread *k = kthread_start(t, receiver, 0);
	CHECK(k);
	kyield();
	mica_cap_t q = kirq(), wo = ksel();
	CHECK(q);
	CHECK_OK(mica_irq_attach(q, k->sel, 0x7a5c));
	CHECK_OK(mica_cap_copy(KTASK, q, wo, MICA_IRQ_R_WRITE, 0));
	CHECK_OK(mica_irq_trigger(wo));
	kyield();
	CHECK_EQ(k->out[0], 1);
	CHECK_EQ(k->out[1], 0x7a5c);
	mica_word_t info[4];
	CHECK_ERR(mica_irq_info(wo, info), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_irq_attach(wo, MICA_CAP_THREAD, 1), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_irq_detach(wo), MICA_E_NO_RIGHTS);
}

static void closed_then_open(struct kthread *k)
{
	mica_word_t label = 0;
	/* a closed wait on a gate: an IRQ is no message of that gate */
	mica_msgtag_t t = mica_wait(k->cap, mica_timeout_ns(1000000), &label);
	k->out[0] = (mica_word_t)mica_error(t);
	t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ZERO, &label);
	k->out[1] = (mica_word_t)mica_error(t);
	k->out[2] = label;
}

KTEST(virq_is_taken_by_the_open_wait_only)
{
	mica_cap_t g = ksel(), q = kirq();
	CHECK(q);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, closed_then_open, 0);
	CHECK(k);
	k->cap = g;
	CHECK_OK(mica_irq_attach(q, k->sel, 0x0be));
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_OK(mica_irq_trigger(q));
	CHECK_OK(ksleep(2000000));
	CHECK(k->done);
	CHECK_EQ(k->out[0], MICA_E_TIMEOUT); /* the closed wait did not end */
	CHECK_OK(k->out[1]);		     /* the open wait found it pending */
	CHECK_EQ(k->out[2], 0x0be);
}

KTEST(irq_virtual_has_no_line_to_unmask)
{
	mica_cap_t q = kirq();
	CHECK(q);
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[0], MICA_IRQ_NO_LINE);
	CHECK_EQ(info[1], 0);
	CHECK_EQ(info[2], 0);
	CHECK_EQ(info[3], 0);
	CHECK_OK(mica_irq_unmask(q)); /* nothing to do, and harmless */
	CHECK_OK(mica_irq_trigger(q));
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[2], 1); /* pending until attached */
	CHECK_EQ(info[3], 0);
}

KTEST(irq_attach_checks_the_thread)
{
	mica_cap_t q = kirq(), th = ksel(), ro = ksel();
	CHECK(q);
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_ERR(mica_irq_attach(q, th, 1), MICA_E_BAD_ARG); /* not bound: it could never receive */
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_THREAD, ro, MICA_THREAD_R_READ, 0));
	CHECK_ERR(mica_irq_attach(q, ro, 1), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_irq_attach(q, q, 1), MICA_E_WRONG_TYPE);
	CHECK_ERR(mica_irq_attach(q, 0xfffff, 1), MICA_E_INVALID_CAP);
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[1], 0);
}

KTEST(icu_deleting_a_bound_irq_frees_the_line)
{
	mica_cap_t a = kirq(), b = kirq();
	CHECK(a && b);
	mica_word_t gsi;
	CHECK_OK(mica_icu_bind(ICU, a, 9, 0, &gsi));
	CHECK_EQ(gsi, 9);
	CHECK_ERR(mica_icu_bind(ICU, b, 9, 0, 0), MICA_E_EXISTS);
	CHECK_OK(mica_cap_delete(KTASK, a));
	CHECK_OK(mica_icu_bind(ICU, b, 9, 0, &gsi));
	mica_word_t info[4];
	CHECK_OK(mica_irq_info(b, info));
	CHECK_EQ(info[0], 9);
	CHECK_EQ(info[3], 1); /* masked until unmasked */
}

KTEST(icu_rebinding_moves_an_irq_to_another_line)
{
	mica_cap_t q = kirq();
	CHECK(q);
	mica_word_t lines, isa, info[4];
	CHECK_OK(mica_icu_info(ICU, &lines, &isa));
	CHECK(lines > 20);
	CHECK_OK(mica_icu_bind(ICU, q, 20, 0, 0)); /* a PCI line: level, low */
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[0], 20);
	CHECK_OK(mica_icu_unbind(ICU, q));
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[0], MICA_IRQ_NO_LINE);
	CHECK_OK(mica_icu_bind(ICU, q, lines - 1, MICA_ICU_EDGE | MICA_ICU_HIGH, 0));
	CHECK_OK(mica_irq_info(q, info));
	CHECK_EQ(info[0], lines - 1);
	CHECK_ERR(mica_icu_unbind(ICU, MICA_CAP_THREAD), MICA_E_WRONG_TYPE);
}

KTEST(icu_needs_its_rights)
{
	mica_cap_t q = kirq(), ro = ksel(), qro = ksel();
	CHECK(q);
	mica_word_t lines, isa;
	CHECK_OK(mica_cap_copy(KTASK, ICU, ro, MICA_ICU_R_READ, 0));
	CHECK_OK(mica_icu_info(ro, &lines, &isa));
	CHECK_EQ(isa, 16);
	CHECK_ERR(mica_icu_bind(ro, q, 9, 0, 0), MICA_E_NO_RIGHTS);
	/* binding needs CONTROL on the IRQ too */
	CHECK_OK(mica_cap_copy(KTASK, q, qro, MICA_IRQ_R_WRITE | MICA_IRQ_R_READ, 0));
	CHECK_ERR(mica_icu_bind(ICU, qro, 9, 0, 0), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_icu_bind(ICU, q, 9, 0, 0));
	CHECK_ERR(mica_icu_unbind(ro, q), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_icu_unbind(ICU, qro), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_icu_unbind(ICU, q));
}

/* Closed wait on the IRQ k->cap (a selector of ours), then another on
 * k->cap2: out[0], out[1] their errors, out[2], out[3] the labels. */
static void closed_on_irqs(struct kthread *k)
{
	mica_word_t label = 0;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = (mica_word_t)mica_error(t);
	k->out[2] = label;
	label = 0;
	t = mica_wait(k->cap2, MICA_TIMEOUT_NEVER, &label);
	k->out[1] = (mica_word_t)mica_error(t);
	k->out[3] = label;
}

KTEST(irq_closed_wait_takes_only_its_irq)
{
	mica_cap_t q1 = kirq(), q2 = kirq(), g = ksel();
	CHECK(q1 && q2);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	struct kthread *k = kthread_new(KTASK, closed_on_irqs, 0);
	CHECK(k);
	k->cap = q2;
	k->cap2 = q1;
	CHECK_OK(mica_create_gate(KF, ksel(), k->sel, 0x9a7e)); /* a bound gate: not taken either */
	CHECK_OK(mica_irq_attach(q1, k->sel, 0x111));
	CHECK_OK(mica_irq_attach(q2, k->sel, 0x222));
	CHECK_OK(kthread_go(k));
	kyield();
	/* q1 fires first: the closed wait on q2 goes on. */
	CHECK_OK(mica_irq_trigger(q1));
	CHECK_OK(ksleep(1000000));
	CHECK_EQ(k->out[2], 0);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_RECEIVING);
	CHECK_OK(mica_irq_trigger(q2));
	/* then the closed wait on q1 finds it pending */
	CHECK(KWAIT(k));
	CHECK_OK(k->out[0]);
	CHECK_EQ(k->out[2], 0x222);
	CHECK_OK(k->out[1]);
	CHECK_EQ(k->out[3], 0x111);
}

KTEST(irq_closed_wait_errors)
{
	mica_cap_t q = kirq();
	CHECK(q);
	/* Not attached to us (to nobody, then to another thread). */
	CHECK_TAG_ERR(mica_wait(q, MICA_TIMEOUT_ZERO, 0), MICA_E_BAD_ARG, 1);
	struct kthread *k = kthread_new(KTASK, closed_on_irqs, 0);
	CHECK(k);
	CHECK_OK(mica_irq_attach(q, k->sel, 1));
	CHECK_TAG_ERR(mica_wait(q, MICA_TIMEOUT_ZERO, 0), MICA_E_BAD_ARG, 1);
	/* Ours, not fired: the timeout applies. */
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 2));
	CHECK_TAG_ERR(mica_wait(q, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	CHECK_TAG_ERR(mica_wait(q, mica_timeout_ns(100000), 0), MICA_E_TIMEOUT, 1);
	CHECK_OK(mica_irq_detach(q));
}

KTEST(irq_closed_wait_ends_when_detached)
{
	mica_cap_t q = kirq(), q2 = kirq();
	CHECK(q && q2);
	struct kthread *k = kthread_new(KTASK, closed_on_irqs, 0);
	CHECK(k);
	k->cap = q;
	k->cap2 = q2;
	CHECK_OK(mica_irq_attach(q, k->sel, 1));
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_OK(mica_irq_detach(q));
	kyield();
	CHECK_EQ(k->out[0], MICA_E_ABORTED);
	/* its next closed wait names an IRQ no longer its own */
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[1], MICA_E_BAD_ARG);
}
