/* Console input: Vcon READ (vcon_, timeout_) and the hand-over of the
 * input line to a user-level driver (icu_, irq_). Input is made with the
 * UART's loopback mode, in which COM1 receives what it transmits and
 * interrupts as for input from the line. */
#include <x86_port.h>
#include <stdbool.h>
#include <string.h>
#include <uart16550.h>

#include "ktest.h"
#include "sched_util.h"

#define COM1 UART_COM1

/* At most 14 bytes: the receive FIFO holds 16 until someone reads. The
 * kernel sees them at the FIFO's trigger level or its character
 * timeout (four character times). */
static void uart_inject(const char *s)
{
	uint8_t mcr = inb(COM1 + UART_MCR);
	outb(COM1 + UART_MCR, mcr | UART_MCR_LOOP);
	for (; *s; s++) {
		while (!(inb(COM1 + UART_LSR) & UART_LSR_TX_EMPTY))
			;
		outb(COM1 + UART_DATA, (uint8_t)*s);
	}
	while (!(inb(COM1 + UART_LSR) & UART_LSR_TX_EMPTY))
		;
	outb(COM1 + UART_MCR, mcr);
}

/* Reads what is there (up to max) into buf as a string; the error. */
static int vread(char *buf, unsigned max, uint32_t timeout)
{
	unsigned n = 0;
	int e = mica_vcon_read(MICA_CAP_VCON, buf, max, timeout, &n);
	buf[e == MICA_OK ? n : 0] = 0;
	return e;
}

/* Reads until `want` bytes came (the FIFO may hand them over in parts). */
static int vread_all(char *buf, unsigned want)
{
	unsigned got = 0;
	while (got < want) {
		unsigned n = 0;
		int e = mica_vcon_read(MICA_CAP_VCON, buf + got, want - got, mica_timeout_ns(5000000), &n);
		if (e != MICA_OK)
			return e;
		got += n;
	}
	buf[got] = 0;
	return MICA_OK;
}

static void drain(void)
{
	char buf[64];
	while (vread(buf, 63, MICA_TIMEOUT_ZERO) == MICA_OK)
		;
}

KTEST(vcon_read_returns_serial_input)
{
	drain();
	char buf[32];
	uart_inject("mica\r");
	CHECK_OK(vread_all(buf, 5));
	CHECK(strcmp(buf, "mica\n") == 0); /* ICRNL, the default */
	mica_word_t attr[3], raw[3];
	CHECK_OK(mica_vcon_get_attr(MICA_CAP_VCON, attr));
	CHECK_EQ(attr[0], MICA_VCON_ICRNL);
	raw[0] = 0;
	raw[1] = attr[1];
	raw[2] = 0;
	CHECK_OK(mica_vcon_set_attr(MICA_CAP_VCON, raw));
	uart_inject("a\rb");
	int e = vread_all(buf, 3);
	CHECK_OK(mica_vcon_set_attr(MICA_CAP_VCON, attr));
	CHECK_OK(e);
	CHECK(strcmp(buf, "a\rb") == 0);
}

KTEST(vcon_read_takes_at_most_max)
{
	drain();
	char buf[32];
	uart_inject("0123456789");
	CHECK_OK(ksleep(2000000)); /* all of it arrives */
	CHECK_OK(vread(buf, 4, MICA_TIMEOUT_ZERO));
	CHECK(strcmp(buf, "0123") == 0);
	CHECK_OK(vread(buf, 30, MICA_TIMEOUT_ZERO));
	CHECK(strcmp(buf, "456789") == 0);
	CHECK_ERR(vread(buf, 30, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT);
}

static void reader(struct kthread *k)
{
	char buf[16];
	k->out[1] = 1;
	k->out[0] = (mica_word_t)vread(buf, 15, (uint32_t)k->arg);
	k->out[2] = know();
	memcpy((void *)&k->out[3], buf, 16);
}

/* Spins (never blocks) until k is done, at most 10 ms: whatever k
 * waits for must make it preempt this thread. */
static bool spin_until_done(struct kthread *k)
{
	uint64_t end = know() + 10000000;
	while (!k->done && know() < end)
		;
	return k->done;
}

KTEST(vcon_read_wakes_a_higher_reader_at_once)
{
	drain();
	struct kthread *k = kthread_new(KTASK, reader, MICA_TIMEOUT_NEVER);
	CHECK(k);
	CHECK_OK(kprio(k->sel, 150, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	CHECK_EQ(k->out[1], 1); /* it ran and blocked in READ */
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_RECEIVING);
	uart_inject("x");
	/* it preempts this thread as soon as the character is in */
	CHECK(spin_until_done(k));
	CHECK_OK(k->out[0]);
	CHECK(strcmp((const char *)&k->out[3], "x") == 0);
}

KTEST(vcon_read_canceled)
{
	struct kthread *k = kthread_start(KTASK, reader, MICA_TIMEOUT_NEVER);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[1], 1);
	CHECK(!k->done);
	struct mica_exregs none = { 0 };
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_CANCEL, &none, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_E_CANCELED);
}

KTEST(vcon_read_bad_arguments)
{
	char buf[8];
	CHECK_ERR(vread(buf, 0, MICA_TIMEOUT_ZERO), MICA_E_BAD_ARG);
	mica_mr()[0] = MICA_VCON_READ_MAX + 1;
	mica_mr()[1] = MICA_TIMEOUT_ZERO;
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_READ, 2), MICA_E_BAD_ARG, 0);
	mica_mr()[0] = 1;
	mica_mr()[1] = 1ul << 32; /* not a timeout word */
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_READ, 2), MICA_E_BAD_ARG, 0);
	mica_mr()[1] = MICA_TIMEOUT_ZERO | 5; /* zero has no other bits */
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_READ, 2), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(mica_call(MICA_CAP_VCON, MICA_VCON_READ, 1), MICA_E_BAD_TAG, 0);
	mica_cap_t wo = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, wo, MICA_VCON_R_WRITE, 0));
	mica_mr()[0] = 1;
	mica_mr()[1] = MICA_TIMEOUT_ZERO;
	CHECK_TAG_ERR(mica_call(wo, MICA_VCON_READ, 2), MICA_E_NO_RIGHTS, 0);
}

KTEST(timeout_vcon_read_zero_and_relative)
{
	drain();
	char buf[8];
	uint64_t t0 = know();
	CHECK_ERR(vread(buf, 7, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT);
	CHECK(know() - t0 < KSLEEP_OVERHEAD_NS);
	t0 = know();
	CHECK_ERR(vread(buf, 7, mica_timeout_ns(800000)), MICA_E_TIMEOUT);
	uint64_t took = know() - t0;
	CHECK(took >= 800000);
	CHECK(took <= 800000 + kprecision() + KSLEEP_OVERHEAD_NS);
	CHECK_EQ(mica_utcb()->error, MICA_E_TIMEOUT);
}

KTEST(timeout_vcon_read_absolute)
{
	drain();
	char buf[8];
	uint64_t deadline = know() + 600000;
	mica_utcb()->timeout_abs[1] = deadline;
	CHECK_ERR(vread(buf, 7, MICA_TIMEOUT_ABS), MICA_E_TIMEOUT);
	uint64_t now = know();
	CHECK(now >= deadline);
	CHECK(now - deadline <= kprecision() + KSLEEP_OVERHEAD_NS);
	/* a deadline already past fails at once */
	mica_utcb()->timeout_abs[1] = 1;
	CHECK_ERR(vread(buf, 7, MICA_TIMEOUT_ABS), MICA_E_TIMEOUT);
}

KTEST(timeout_vcon_read_input_before_the_deadline)
{
	drain();
	struct kthread *k = kthread_new(KTASK, reader, mica_timeout_ns(50000000));
	CHECK(k);
	CHECK_OK(kprio(k->sel, 150, KTEST_SLICE_NS));
	CHECK_OK(kthread_go(k));
	uint64_t t0 = know();
	uart_inject("ok");
	CHECK(spin_until_done(k));
	CHECK_OK(k->out[0]);
	CHECK(k->out[2] - t0 < 5000000); /* the input, not the timeout, ended it */
	/* and the timeout is gone: nothing fires later */
	CHECK_OK(ksleep(1000000));
}

KTEST(icu_console_line_bound_makes_read_busy)
{
	mica_cap_t q = kirq();
	CHECK(q);
	char buf[8];
	CHECK_OK(mica_icu_bind(MICA_CAP_ICU, q, UART_COM1_ISA_IRQ, MICA_ICU_ISA, 0));
	CHECK_ERR(vread(buf, 7, MICA_TIMEOUT_ZERO), MICA_E_BUSY);
	CHECK_ERR(vread(buf, 7, MICA_TIMEOUT_NEVER), MICA_E_BUSY);
	CHECK_OK(mica_icu_unbind(MICA_CAP_ICU, q));
	/* the kernel has its input back */
	drain();
	uart_inject("k");
	CHECK_OK(vread_all(buf, 1));
	CHECK(strcmp(buf, "k") == 0);
}

KTEST(icu_binding_console_line_ends_a_waiting_read)
{
	struct kthread *k = kthread_start(KTASK, reader, MICA_TIMEOUT_NEVER);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[1], 1);
	CHECK(!k->done);
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_icu_bind(MICA_CAP_ICU, q, UART_COM1_ISA_IRQ, MICA_ICU_ISA, 0));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_E_BUSY);
	/* deleting the IRQ unbinds it: the line is the kernel's again */
	CHECK_OK(mica_cap_delete(KTASK, q));
	char buf[8];
	CHECK_ERR(vread(buf, 7, MICA_TIMEOUT_ZERO), MICA_E_TIMEOUT);
}

/* What a user-level serial driver does: the line's IRQ, the UART's
 * receive interrupt on, a message per interrupt, the bytes read from
 * the UART, the line unmasked again. */
KTEST(irq_serial_line_drives_a_user_driver)
{
	mica_cap_t q = kirq();
	CHECK(q);
	mica_word_t gsi;
	CHECK_OK(mica_icu_bind(MICA_CAP_ICU, q, UART_COM1_ISA_IRQ, MICA_ICU_ISA, &gsi));
	CHECK_EQ(gsi, 4);
	CHECK_OK(mica_irq_attach(q, MICA_CAP_THREAD, 0x5e71a1));
	CHECK_OK(mica_irq_unmask(q));
	outb(COM1 + UART_IER, UART_IER_RX);
	uart_inject("drv");
	char got[8];
	unsigned n = 0;
	for (unsigned msgs = 0; n < 3 && msgs < 10; msgs++) {
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, mica_timeout_ns(5000000), &label);
		CHECK(!mica_msgtag_is_error(t));
		CHECK_EQ(label, 0x5e71a1);
		CHECK_EQ(mica_msgtag_u(t), 0);
		while (n < 7 && (inb(COM1 + UART_LSR) & UART_LSR_RX_READY))
			got[n++] = (char)inb(COM1 + UART_DATA);
		CHECK_OK(mica_irq_unmask(q));
	}
	got[n] = 0;
	CHECK(strcmp(got, "drv") == 0);
	CHECK_OK(mica_icu_unbind(MICA_CAP_ICU, q));
	/* unbinding gave the kernel its line and its receive interrupt back */
	drain();
	uart_inject("z");
	char buf[8];
	CHECK_OK(vread_all(buf, 1));
	CHECK(strcmp(buf, "z") == 0);
}
