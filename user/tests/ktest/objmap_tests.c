/* objmap_: capabilities passed as object flexpages, reduced in rights
 * and revoked recursively. */
#include "mem.h"
#include "servers.h"

static mica_word_t type_in(mica_cap_t task, mica_cap_t sel, mica_word_t *rights)
{
	mica_word_t type = 99, r = 0;
	mica_cap_info(task, sel, &type, &r);
	if (rights)
		*rights = r;
	return type;
}

static int objmap(mica_cap_t dst, mica_cap_t src, mica_cap_t sel, unsigned log2, mica_cap_t dst_sel,
		  mica_word_t rights, enum mica_item_kind kind)
{
	return mica_task_map(dst, src, mica_fpage_obj(sel, log2, rights), dst_sel << MICA_FPAGE_BASE_SHIFT,
			     kind);
}

static int objunmap(mica_cap_t task, mica_cap_t sel, unsigned log2, mica_word_t rights, mica_word_t flags)
{
	mica_word_t fp = mica_fpage_obj(sel, log2, rights);
	return mica_task_unmap(task, flags, &fp, 1);
}

KTEST(objmap_task_map_passes_capability)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(objmap(t, KTASK, MICA_CAP_FACTORY, 0, 0x300, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_EQ(type_in(t, 0x300, 0), MICA_OBJ_FACTORY);
	/* rights are cut to the item's */
	CHECK_OK(objmap(t, KTASK, MICA_CAP_FACTORY, 0, 0x301, MICA_FACTORY_R_READ, MICA_ITEM_MAP));
	mica_word_t r;
	CHECK_EQ(type_in(t, 0x301, &r), MICA_OBJ_FACTORY);
	CHECK_EQ(r, MICA_FACTORY_R_READ);
}

KTEST(objmap_range_with_holes)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	/* a block of four selectors in this task: two used */
	mica_cap_t base = 0x1000;
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, base + 1, MICA_RIGHTS_ALL, 0));
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_FACTORY, base + 3, MICA_RIGHTS_ALL, 0));
	CHECK_OK(objmap(t, KTASK, base, 2, 0x400, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_EQ(type_in(t, 0x400, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(t, 0x401, 0), MICA_OBJ_VCON);
	CHECK_EQ(type_in(t, 0x402, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(t, 0x403, 0), MICA_OBJ_FACTORY);
	CHECK_OK(mica_cap_delete(KTASK, base + 1));
	CHECK_OK(mica_cap_delete(KTASK, base + 3));
}

KTEST(objmap_unmap_revokes_recursively)
{
	mica_cap_t t1 = ktask_create(), t2 = ktask_create(), mine = ksel();
	CHECK(t1 && t2);
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, mine, MICA_RIGHTS_ALL, 0));
	CHECK_OK(objmap(t1, KTASK, mine, 0, 0x300, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(objmap(t2, t1, 0x300, 0, 0x310, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_EQ(type_in(t2, 0x310, 0), MICA_OBJ_VCON);
	CHECK_OK(objunmap(KTASK, mine, 0, MICA_RIGHTS_ALL, 0));
	CHECK_EQ(type_in(t1, 0x300, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(t2, 0x310, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(KTASK, mine, 0), MICA_OBJ_VCON); /* not flushed */
	CHECK_OK(objunmap(KTASK, mine, 0, MICA_RIGHTS_ALL, MICA_UNMAP_FLUSH));
	CHECK_EQ(type_in(KTASK, mine, 0), MICA_OBJ_NONE);
}

KTEST(objmap_partial_rights_revocation)
{
	mica_cap_t t1 = ktask_create(), t2 = ktask_create(), mine = ksel();
	CHECK(t1 && t2);
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, mine, MICA_RIGHTS_ALL, 0));
	CHECK_OK(objmap(t1, KTASK, mine, 0, 0x300, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(objmap(t2, t1, 0x300, 0, 0x300, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(objunmap(KTASK, mine, 0, MICA_VCON_R_WRITE, 0));
	mica_word_t r;
	CHECK_EQ(type_in(t1, 0x300, &r), MICA_OBJ_VCON);
	CHECK_EQ(r, MICA_VCON_R_READ | MICA_VCON_R_CONTROL);
	CHECK_EQ(type_in(t2, 0x300, &r), MICA_OBJ_VCON);
	CHECK_EQ(r, MICA_VCON_R_READ | MICA_VCON_R_CONTROL);
	CHECK_EQ(type_in(KTASK, mine, &r), MICA_OBJ_VCON);
	CHECK_EQ(r, MICA_RIGHTS_ALL);
	/* revoking the rest deletes them */
	CHECK_OK(objunmap(t1, 0x300, 0, MICA_VCON_R_READ | MICA_VCON_R_CONTROL, MICA_UNMAP_FLUSH));
	CHECK_EQ(type_in(t1, 0x300, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(t2, 0x300, 0), MICA_OBJ_NONE);
}

KTEST(objmap_copy_is_derived_and_delete_keeps_derived)
{
	/* CAP_COPY derives too; deleting the middle capability hands what
	 * derives from it to its parent, so revocation still reaches it. */
	mica_cap_t a = ksel(), b = ksel(), c = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, a, MICA_RIGHTS_ALL, 0));
	CHECK_OK(mica_cap_copy(KTASK, a, b, MICA_RIGHTS_ALL, 0));
	CHECK_OK(mica_cap_copy(KTASK, b, c, MICA_RIGHTS_ALL, 0));
	CHECK_OK(mica_cap_delete(KTASK, b));
	CHECK_EQ(type_in(KTASK, c, 0), MICA_OBJ_VCON);
	CHECK_OK(objunmap(KTASK, a, 0, MICA_RIGHTS_ALL, 0));
	CHECK_EQ(type_in(KTASK, c, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(KTASK, a, 0), MICA_OBJ_VCON);
}

KTEST(objmap_grant_moves_capability)
{
	mica_cap_t t = ktask_create(), mine = ksel();
	CHECK(t);
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, mine, MICA_RIGHTS_ALL, 0));
	CHECK_OK(objmap(t, KTASK, mine, 0, 0x300, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(objmap(t, t, 0x300, 0, 0x320, MICA_RIGHTS_ALL, MICA_ITEM_GRANT));
	CHECK_EQ(type_in(t, 0x300, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(t, 0x320, 0), MICA_OBJ_VCON);
	/* still derived from ours */
	CHECK_OK(objunmap(KTASK, mine, 0, MICA_RIGHTS_ALL, 0));
	CHECK_EQ(type_in(t, 0x320, 0), MICA_OBJ_NONE);
}

KTEST(objmap_derived_capability_keeps_object_alive)
{
	mica_cap_t t = ktask_create(), g = ksel();
	CHECK(t);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(objmap(t, KTASK, g, 0, 0x300, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(mica_cap_delete(KTASK, g));
	/* t's capability keeps the gate alive until it goes too */
	CHECK_EQ(type_in(t, 0x300, 0), MICA_OBJ_GATE);
	CHECK_OK(objunmap(t, 0x300, 0, MICA_RIGHTS_ALL, MICA_UNMAP_FLUSH));
	CHECK_EQ(type_in(t, 0x300, 0), MICA_OBJ_NONE);
}

/* A server in this task that takes one message with an object window. */
static void obj_server(struct kthread *k)
{
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] = k->arg;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = t.raw;
	mica_reply(mica_msgtag(0, 0, 0, 0));
}

KTEST(objmap_item_in_ipc_keeps_gate_label)
{
	mica_cap_t g, served = ksel(), labeled = ksel();
	CHECK_OK(mica_create_gate(KF, served, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, served, labeled, MICA_GATE_R_SEND, 0x1abe1));
	struct kthread *k = start_on_new_gate(obj_server, mica_fpage_obj(0x500, 3, MICA_RIGHTS_ALL), &g);
	CHECK(k);
	mica_word_t *mr = mica_mr();
	mr[0] = mica_item_unit(0x503, MICA_ITEM_MAP); /* hot spot: offset 3 */
	mr[1] = mica_fpage_obj(labeled, 0, MICA_RIGHTS_ALL);
	CHECK_OK(mica_error(mica_ipc(g, mica_msgtag(1, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0)));
	CHECK(KWAIT(k));
	mica_word_t r;
	CHECK_EQ(type_in(KTASK, 0x503, &r), MICA_OBJ_GATE);
	CHECK_EQ(r, MICA_GATE_R_SEND);
	int same = 0;
	CHECK_OK(mica_cap_same(KTASK, 0x503, served, &same));
	CHECK(same);
	CHECK_OK(mica_cap_delete(KTASK, 0x503));
}

KTEST(objmap_item_without_window_overflows)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(obj_server, MICA_FPAGE_NIL, &g);
	CHECK(k);
	mica_word_t *mr = mica_mr();
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_obj(MICA_CAP_VCON, 0, MICA_RIGHTS_ALL);
	CHECK_TAG_ERR(mica_ipc(g, mica_msgtag(1, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0), MICA_E_OVERFLOW, 0);
	CHECK_OK(mica_error(mica_call(g, 1, 0)));
	CHECK(KWAIT(k));
}

/* Our capability -> a -> b -> c; unmapping one right at a takes it from
 * b and c (and not from a without flush); unmapping all at ours empties
 * the chain. */
KTEST(objmap_revocation_three_levels_deep)
{
	mica_cap_t t[3], g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	for (unsigned i = 0; i < 3; i++)
		CHECK((t[i] = ktask_create()));
	CHECK_OK(objmap(t[0], KTASK, g, 0, 0x40, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(objmap(t[1], t[0], 0x40, 0, 0x41, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	CHECK_OK(objmap(t[2], t[1], 0x41, 0, 0x42, MICA_RIGHTS_ALL, MICA_ITEM_MAP));
	mica_word_t r;
	CHECK_EQ(type_in(t[2], 0x42, &r), MICA_OBJ_GATE);
	CHECK_EQ(r, MICA_RIGHTS_ALL);
	CHECK_OK(objunmap(t[0], 0x40, 0, MICA_GATE_R_MAP, 0));
	CHECK_EQ(type_in(t[0], 0x40, &r), MICA_OBJ_GATE);
	CHECK_EQ(r, MICA_RIGHTS_ALL);
	CHECK_EQ(type_in(t[1], 0x41, &r), MICA_OBJ_GATE);
	CHECK_EQ(r, MICA_GATE_R_SEND | MICA_GATE_R_RECV);
	CHECK_EQ(type_in(t[2], 0x42, &r), MICA_OBJ_GATE);
	CHECK_EQ(r, MICA_GATE_R_SEND | MICA_GATE_R_RECV);
	CHECK_OK(objunmap(KTASK, g, 0, MICA_RIGHTS_ALL, 0));
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(type_in(t[i], 0x40 + i, 0), MICA_OBJ_NONE);
	CHECK_EQ(type_in(KTASK, g, 0), MICA_OBJ_GATE);
}

/* Waits on its bound gates with the object window k->arg and the receive
 * flags k->arg2; keeps the tag and the first two item words. */
static void local_server(struct kthread *k)
{
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] = k->arg;
	mica_utcb()->br[MICA_BR_FLAGS] = k->arg2;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = t.raw;
	k->out[1] = mica_mr()[0];
	k->out[2] = mica_mr()[1];
	mica_utcb()->br[MICA_BR_FLAGS] = 0;
	mica_reply(mica_msgtag(0, 0, 0, 0));
}

/* A local_server thread with a gate bound to it (*gate) and a copy of
 * that gate labeled 0x1abe1 (*labeled), ready and waiting. */
static struct kthread *start_local(mica_word_t flags, mica_cap_t *gate, mica_cap_t *labeled)
{
	struct kthread *k = kthread_new(KTASK, local_server, mica_fpage_obj(0x600, 0, MICA_RIGHTS_ALL));
	if (!k)
		return 0;
	k->arg2 = flags;
	*gate = ksel();
	*labeled = ksel();
	if (mica_create_gate(KF, *gate, k->sel, 0) != MICA_OK ||
	    mica_cap_copy(KTASK, *gate, *labeled, MICA_GATE_R_SEND, 0x1abe1) != MICA_OK ||
	    kthread_go(k) != MICA_OK)
		return 0;
	kyield();
	return k;
}

static mica_msgtag_t send_item(mica_cap_t g, mica_word_t fpage)
{
	mica_mr()[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mica_mr()[1] = fpage;
	return mica_ipc(g, mica_msgtag(1, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0);
}

KTEST(objmap_local_id_is_the_label_of_the_receivers_own_gate)
{
	mica_cap_t g, labeled;
	struct kthread *k = start_local(MICA_RCV_LOCAL_IDS, &g, &labeled);
	CHECK(k);
	CHECK_OK(mica_error(send_item(g, mica_fpage_obj(labeled, 0, MICA_RIGHTS_ALL))));
	CHECK(KWAIT(k));
	CHECK_EQ(mica_msgtag_t_items((mica_msgtag_t){ k->out[0] }), 2);
	CHECK_EQ(k->out[1] & MICA_ITEM_KIND_MASK, MICA_ITEM_LOCAL);
	CHECK_EQ(k->out[2], 0x1abe1);
	CHECK_EQ(type_in(KTASK, 0x600, 0), MICA_OBJ_NONE); /* nothing was inserted */
}

KTEST(objmap_local_id_needs_the_flag_and_the_receivers_gate)
{
	/* Without the flag: a capability, as always. */
	mica_cap_t g, labeled;
	struct kthread *k = start_local(0, &g, &labeled);
	CHECK(k);
	CHECK_OK(mica_error(send_item(g, mica_fpage_obj(labeled, 0, MICA_RIGHTS_ALL))));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[1] & MICA_ITEM_KIND_MASK, MICA_ITEM_MAP);
	CHECK_EQ(type_in(KTASK, 0x600, 0), MICA_OBJ_GATE);
	CHECK_OK(mica_cap_delete(KTASK, 0x600));

	/* A gate bound to another thread of the same task, a range, and a
	 * capability without the send right: capabilities too. */
	mica_cap_t g2, other, other_l;
	struct kthread *k2 = start_local(MICA_RCV_LOCAL_IDS, &g2, &labeled);
	struct kthread *k3 = start_local(MICA_RCV_LOCAL_IDS, &other, &other_l);
	CHECK(k2 && k3);
	CHECK_OK(mica_error(send_item(g2, mica_fpage_obj(other_l, 0, MICA_RIGHTS_ALL))));
	CHECK(KWAIT(k2));
	CHECK_EQ(k2->out[1] & MICA_ITEM_KIND_MASK, MICA_ITEM_MAP);
	CHECK_EQ(type_in(KTASK, 0x600, 0), MICA_OBJ_GATE);
	CHECK_OK(mica_cap_delete(KTASK, 0x600));
	CHECK_OK(mica_error(mica_call(other, 1, 0))); /* ends k3 */
	CHECK(KWAIT(k3));

	mica_cap_t g4, l4, norights = ksel();
	struct kthread *k4 = start_local(MICA_RCV_LOCAL_IDS, &g4, &l4);
	CHECK(k4);
	CHECK_OK(mica_cap_copy(KTASK, l4, norights, MICA_GATE_R_MAP, 0));
	CHECK_OK(mica_error(send_item(g4, mica_fpage_obj(norights, 0, MICA_RIGHTS_ALL))));
	CHECK(KWAIT(k4));
	CHECK_EQ(k4->out[1] & MICA_ITEM_KIND_MASK, MICA_ITEM_MAP);
	CHECK_OK(mica_cap_delete(KTASK, 0x600));
}
