/* io_: I/O-port flexpages, enforced by the TSS I/O bitmap. The cases use
 * COM1's scratch register (0x3ff), which reads back what was written. */
#include <x86_port.h>

#include "mem.h"
#include "servers.h"

#define SCRATCH 0x3ff
#define DONE 0xd0e

static void scratch(struct kthread *k)
{
	outb(SCRATCH, (uint8_t)k->arg);
	mica_mr()[0] = inb(SCRATCH);
	mica_send(k->cap, DONE, 1);
}

/* Runs scratch(v) in task: the byte read back, or -vector if the thread
 * took an exception (it is then stopped), or -1000 on a setup failure. */
static long io_probe(mica_cap_t task, uint8_t v)
{
	mica_cap_t g, cg;
	if (kgate_for(task, &g, &cg) != MICA_OK)
		return -1000;
	struct kthread *k = kthread_new(task, scratch, v);
	if (!k)
		return -1000;
	k->cap = cg;
	if (mica_thread_control(k->sel, MICA_THREAD_CTL_EXC, 0, 0, 0, cg) != MICA_OK ||
	    kthread_go(k) != MICA_OK)
		return -1000;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	if (mica_msgtag_label(t) == DONE)
		return (long)mica_mr()[0];
	if (mica_msgtag_label(t) != MICA_LABEL_EXCEPTION)
		return -1000;
	long r = -(long)mica_mr()[MICA_EXC_VECTOR];
	mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	return r;
}

static int iomap(mica_cap_t dst, mica_cap_t src, unsigned port, unsigned log2, enum mica_item_kind kind)
{
	return mica_task_map(dst, src, mica_fpage_io(port, log2), (mica_word_t)port << MICA_FPAGE_BASE_SHIFT,
			     kind);
}

static int iounmap(mica_cap_t task, unsigned port, unsigned log2, mica_word_t flags)
{
	mica_word_t fp = mica_fpage_io(port, log2);
	return mica_task_unmap(task, flags, &fp, 1);
}

KTEST(io_no_ports_without_mapping)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_EQ(io_probe(t, 0x5a), -13); /* #GP */
}

KTEST(io_access_after_mapping)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(iomap(t, KTASK, 0x3f8, 3, MICA_ITEM_MAP));
	CHECK_EQ(io_probe(t, 0x5a), 0x5a);
	CHECK_EQ(io_probe(t, 0xa5), 0xa5);
}

KTEST(io_gp_after_unmap)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(iomap(t, KTASK, SCRATCH, 0, MICA_ITEM_MAP));
	CHECK_EQ(io_probe(t, 0x11), 0x11);
	CHECK_OK(iounmap(t, SCRATCH, 0, MICA_UNMAP_FLUSH));
	CHECK_EQ(io_probe(t, 0x11), -13);
}

KTEST(io_neighbouring_port_stays_denied)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(iomap(t, KTASK, 0x3fe, 0, MICA_ITEM_MAP)); /* not 0x3ff */
	CHECK_EQ(io_probe(t, 0x22), -13);
}

KTEST(io_revocation_is_recursive)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	CHECK_OK(iomap(a, KTASK, 0x3f8, 3, MICA_ITEM_MAP));
	CHECK_OK(iomap(b, a, 0x3f8, 3, MICA_ITEM_MAP));
	CHECK_EQ(io_probe(b, 0x33), 0x33);
	/* unmap at a without flush: b loses the ports, a keeps them */
	CHECK_OK(iounmap(a, 0x3f8, 3, 0));
	CHECK_EQ(io_probe(b, 0x33), -13);
	CHECK_EQ(io_probe(a, 0x44), 0x44);
}

KTEST(io_task_without_ports_maps_nothing)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	CHECK_OK(iomap(b, a, 0x3f8, 3, MICA_ITEM_MAP));
	CHECK_EQ(io_probe(b, 0x55), -13);
}

KTEST(io_grant_moves_ports)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	CHECK_OK(iomap(a, KTASK, SCRATCH, 0, MICA_ITEM_MAP));
	CHECK_OK(iomap(b, a, SCRATCH, 0, MICA_ITEM_GRANT));
	CHECK_EQ(io_probe(a, 0x66), -13);
	CHECK_EQ(io_probe(b, 0x66), 0x66);
}

KTEST(io_destroy_revokes_and_refunds)
{
	/* (the runner checks that every byte came back) */
	mica_cap_t a = ksel(), b = ktask_create();
	CHECK(b);
	CHECK_OK(mica_create_task(KF, a, KCHILD_UTCB, 12));
	CHECK_OK(iomap(a, KTASK, 0x3f8, 3, MICA_ITEM_MAP));
	CHECK_OK(iomap(b, a, 0x3f8, 3, MICA_ITEM_MAP));
	CHECK_OK(mica_cap_delete(KTASK, a));
	CHECK_EQ(io_probe(b, 0x77), -13);
	CHECK_OK(mica_cap_delete(KTASK, b));
}

/* A server that takes one message with an I/O window in BR1. */
static void io_server(struct kthread *k)
{
	mica_utcb()->br[MICA_BR_IO_WINDOW] = k->arg;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = t.raw;
	mica_reply(mica_msgtag(0, 0, 0, 0));
}

KTEST(io_item_needs_window_holding_the_ports)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(io_server, mica_fpage_io(0x3f8, 2), &g);
	CHECK(k);
	mica_word_t *mr = mica_mr();
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_io(0x3f8, 3); /* 8 ports into a window of 4 */
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(1, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0), MICA_E_OVERFLOW, 0);
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_io(0x3f8, 2);
	CHECK_OK(mica_error(mica_ipc(g, mica_msgtag(1, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0)));
	CHECK(KWAIT(k));
}

/* The root task's ports come from sigma0: unmapping them at sigma0's
 * level is not ours to do, but our flush takes them from us and from
 * everything we gave them to; sigma0 does not give them out again. */
KTEST(io_ports_from_sigma0_flush_and_stay_gone)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(iomap(t, KTASK, SCRATCH, 0, MICA_ITEM_MAP));
	CHECK_EQ(io_probe(t, 0x21), 0x21);
	CHECK_EQ(io_probe(KTASK, 0x22), 0x22);
	/* Without flush: ours stay, the child's go. */
	CHECK_OK(iounmap(KTASK, SCRATCH, 0, 0));
	CHECK_EQ(io_probe(t, 0x23), -13);
	CHECK_EQ(io_probe(KTASK, 0x24), 0x24);
}
