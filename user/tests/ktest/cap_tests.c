/* cap_: capability spaces, selectors, rights, and the task's capability
 * methods. */
#include <mica/layout.h>

#include "ktest.h"

static mica_word_t type_of(mica_cap_t task, mica_cap_t sel)
{
	mica_word_t type = ~0ul, rights;
	mica_cap_info(task, sel, &type, &rights);
	return type;
}

static mica_word_t rights_of(mica_cap_t task, mica_cap_t sel)
{
	mica_word_t type, rights = ~0ul;
	mica_cap_info(task, sel, &type, &rights);
	return rights;
}

KTEST(cap_selector_zero_is_invalid)
{
	CHECK_TAG_ERR(mica_call(MICA_CAP_INVALID, MICA_VCON_GET_ATTR, 0), MICA_E_INVALID_CAP, 0);
	CHECK_EQ(type_of(KTASK, MICA_CAP_INVALID), MICA_OBJ_NONE);
	CHECK_ERR(mica_cap_copy(KTASK, MICA_CAP_VCON, MICA_CAP_INVALID, MICA_RIGHTS_ALL, 0), MICA_E_BAD_ARG);
}

KTEST(cap_empty_selector_is_invalid)
{
	mica_cap_t s = ksel();
	CHECK_TAG_ERR(mica_call(s, 1, 0), MICA_E_INVALID_CAP, 0);
	CHECK_TAG_ERR(mica_send(s, 1, 0), MICA_E_INVALID_CAP, 0);
	CHECK_EQ(type_of(KTASK, s), MICA_OBJ_NONE);
}

KTEST(cap_out_of_range_selectors)
{
	mica_cap_t bad[] = { MICA_CAP_SELECTORS, MICA_CAP_SELECTORS + 5, 1ul << 40, ~0ul };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_TAG_ERR(mica_call(bad[i], 1, 0), MICA_E_INVALID_CAP, 0);
		CHECK_EQ(type_of(KTASK, bad[i]), MICA_OBJ_NONE);
		CHECK_ERR(mica_cap_copy(KTASK, MICA_CAP_VCON, bad[i], MICA_RIGHTS_ALL, 0), MICA_E_BAD_ARG);
		CHECK_ERR(mica_cap_delete(KTASK, bad[i]), MICA_E_INVALID_CAP);
	}
}

KTEST(cap_highest_selector_works)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_cap_t top = MICA_CAP_SELECTORS - 1;
	CHECK_OK(kgive(t, MICA_CAP_VCON, top));
	CHECK_EQ(type_of(t, top), MICA_OBJ_VCON);
	CHECK_EQ(type_of(t, top - 1), MICA_OBJ_NONE);
	CHECK_OK(mica_cap_delete(t, top));
	CHECK_EQ(type_of(t, top), MICA_OBJ_NONE);
}

KTEST(cap_sparse_space)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	for (mica_word_t i = 0; i < 8; i++)
		CHECK_OK(kgive(t, MICA_CAP_VCON, 1000 + i * 1000003));
	for (mica_word_t i = 0; i < 8; i++) {
		CHECK_EQ(type_of(t, 1000 + i * 1000003), MICA_OBJ_VCON);
		CHECK_EQ(type_of(t, 1001 + i * 1000003), MICA_OBJ_NONE);
	}
}

KTEST(cap_info_reports_types)
{
	CHECK_EQ(type_of(KTASK, MICA_CAP_TASK), MICA_OBJ_TASK);
	CHECK_EQ(type_of(KTASK, MICA_CAP_THREAD), MICA_OBJ_THREAD);
	CHECK_EQ(type_of(KTASK, MICA_CAP_FACTORY), MICA_OBJ_FACTORY);
	CHECK_EQ(type_of(KTASK, MICA_CAP_VCON), MICA_OBJ_VCON);
	CHECK_EQ(type_of(KTASK, KF), MICA_OBJ_FACTORY);
	CHECK_EQ(rights_of(KTASK, MICA_CAP_TASK), MICA_RIGHTS_ALL);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_EQ(type_of(KTASK, g), MICA_OBJ_GATE);
	/* Two words: type and rights, never the label. */
	mica_mr()[0] = g;
	mica_msgtag_t r = mica_call(KTASK, MICA_TASK_CAP_INFO, 1);
	CHECK_EQ(mica_msgtag_u(r), 2);
}

KTEST(cap_info_needs_read_right)
{
	mica_cap_t t = ksel();
	CHECK_OK(mica_cap_copy(KTASK, KTASK, t, MICA_TASK_R_WRITE, 0));
	mica_word_t type, rights;
	CHECK_ERR(mica_cap_info(t, MICA_CAP_VCON, &type, &rights), MICA_E_NO_RIGHTS);
	int same;
	CHECK_ERR(mica_cap_same(t, 1, 1, &same), MICA_E_NO_RIGHTS);
}

KTEST(cap_same_object_test)
{
	mica_cap_t g1 = ksel(), g2 = ksel(), c1 = ksel(), c2 = ksel();
	CHECK_OK(mica_create_gate(KF, g1, 0, 0));
	CHECK_OK(mica_create_gate(KF, g2, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, g1, c1, MICA_GATE_R_SEND, 7));
	CHECK_OK(mica_cap_copy(KTASK, g1, c2, MICA_GATE_R_RECV, 8));
	int same = -1;
	CHECK_OK(mica_cap_same(KTASK, c1, c2, &same));
	CHECK_EQ(same, 1); /* labels and rights do not matter */
	CHECK_OK(mica_cap_same(KTASK, g1, c1, &same));
	CHECK_EQ(same, 1);
	CHECK_OK(mica_cap_same(KTASK, g1, g2, &same));
	CHECK_EQ(same, 0);
	CHECK_OK(mica_cap_same(KTASK, g1, ksel(), &same));
	CHECK_EQ(same, 0);
	CHECK_OK(mica_cap_same(KTASK, 0, 0, &same));
	CHECK_EQ(same, 0); /* the invalid selector is not an object */
}

KTEST(cap_copy_reduces_rights)
{
	mica_cap_t v = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, v, MICA_VCON_R_READ, 0));
	CHECK_EQ(rights_of(KTASK, v), MICA_VCON_R_READ);
	mica_word_t attr[3];
	CHECK_OK(mica_vcon_get_attr(v, attr));
	mica_mr()[0] = 1;
	mica_mr()[1] = 'x';
	CHECK_TAG_ERR(mica_call(v, MICA_VCON_WRITE, 2), MICA_E_NO_RIGHTS, 0);
}

KTEST(cap_copy_cannot_add_rights)
{
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(mica_cap_copy(KTASK, MICA_CAP_VCON, a, MICA_VCON_R_READ, 0));
	CHECK_OK(mica_cap_copy(KTASK, a, b, MICA_RIGHTS_ALL, 0));
	CHECK_EQ(rights_of(KTASK, b), MICA_VCON_R_READ);
	mica_cap_t c = ksel();
	CHECK_OK(mica_cap_copy(KTASK, a, c, 0, 0));
	CHECK_EQ(rights_of(KTASK, c), 0);
	CHECK_EQ(type_of(KTASK, c), MICA_OBJ_VCON); /* a capability with no rights still names it */
}

KTEST(cap_copy_bad_arguments)
{
	mica_cap_t d = ksel();
	CHECK_ERR(mica_cap_copy(KTASK, MICA_CAP_VCON, d, 0x8, 0), MICA_E_BAD_ARG);
	CHECK_ERR(mica_cap_copy(KTASK, ksel(), d, MICA_RIGHTS_ALL, 0), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_cap_copy(KTASK, 0, d, MICA_RIGHTS_ALL, 0), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_cap_copy(KTASK, MICA_CAP_VCON, d, MICA_RIGHTS_ALL, 5), MICA_E_BAD_ARG);
	CHECK_EQ(type_of(KTASK, d), MICA_OBJ_NONE);
	mica_mr()[0] = MICA_CAP_VCON;
	CHECK_TAG_ERR(mica_call(KTASK, MICA_TASK_CAP_COPY, 3), MICA_E_BAD_TAG, 0);
}

KTEST(cap_copy_to_used_selector)
{
	mica_cap_t d = ksel();
	CHECK_OK(kgive(KTASK, MICA_CAP_VCON, d));
	CHECK_ERR(kgive(KTASK, MICA_CAP_TASK, d), MICA_E_EXISTS);
	CHECK_EQ(type_of(KTASK, d), MICA_OBJ_VCON);
	CHECK_ERR(kgive(KTASK, MICA_CAP_VCON, MICA_CAP_TASK), MICA_E_EXISTS);
}

KTEST(cap_copy_needs_write_right)
{
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, KTASK, ro, MICA_TASK_R_READ, 0));
	CHECK_ERR(kgive(ro, MICA_CAP_VCON, ksel()), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_cap_delete(ro, MICA_CAP_VCON), MICA_E_NO_RIGHTS);
	CHECK_EQ(type_of(KTASK, MICA_CAP_VCON), MICA_OBJ_VCON);
}

KTEST(cap_delete_makes_selector_stale)
{
	mica_cap_t s = ksel();
	CHECK_OK(kgive(KTASK, MICA_CAP_VCON, s));
	mica_word_t attr[3];
	CHECK_OK(mica_vcon_get_attr(s, attr));
	CHECK_OK(mica_cap_delete(KTASK, s));
	CHECK_ERR(mica_vcon_get_attr(s, attr), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_cap_delete(KTASK, s), MICA_E_INVALID_CAP);
	CHECK_OK(mica_vcon_get_attr(MICA_CAP_VCON, attr)); /* the object lives on */
}

KTEST(cap_delete_last_destroys_object)
{
	mica_word_t before = kf_used();
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_EQ(kf_used(), before + MICA_OBJ_COST);
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK_EQ(kf_used(), before);
}

KTEST(cap_copies_keep_object_alive)
{
	mica_cap_t g = ksel(), c = ksel();
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	CHECK_OK(kgive(KTASK, g, c));
	mica_word_t used = kf_used();
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK_EQ(kf_used(), used);
	CHECK_EQ(type_of(KTASK, c), MICA_OBJ_GATE);
	CHECK_TAG_ERR(mica_wait(c, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	CHECK_OK(mica_cap_delete(KTASK, c));
	CHECK_EQ(kf_used(), used - MICA_OBJ_COST);
}

KTEST(cap_wrong_type_errors)
{
	mica_cap_t th = ksel(), g = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	/* a gate where a task is needed, a task where a gate or thread is */
	CHECK_ERR(mica_thread_control(th, MICA_THREAD_CTL_BIND, g, MICA_BOOT_UTCB_ADDR, 0, 0),
		  MICA_E_WRONG_TYPE);
	CHECK_TAG_ERR(mica_wait(KTASK, MICA_TIMEOUT_ZERO, 0), MICA_E_WRONG_TYPE, 1);
	CHECK_ERR(mica_create_gate(KF, ksel(), MICA_CAP_VCON, 0), MICA_E_WRONG_TYPE);
}

KTEST(cap_unknown_method_and_short_message)
{
	CHECK_TAG_ERR(mica_call(KTASK, 99, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(KTASK, 0, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(KTASK, MICA_TASK_CAP_INFO, 0), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_call(KTASK, MICA_TASK_CAP_SAME, 1), MICA_E_BAD_TAG, 0);
	CHECK_TAG_ERR(mica_call(KTASK, MICA_TASK_MAP, 2), MICA_E_BAD_TAG, 0);
}

KTEST(cap_copy_into_child_task)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(mica_cap_copy(t, MICA_CAP_FACTORY, 40, MICA_FACTORY_R_READ, 0));
	CHECK_EQ(type_of(t, 40), MICA_OBJ_FACTORY);
	CHECK_EQ(rights_of(t, 40), MICA_FACTORY_R_READ);
	CHECK_EQ(type_of(t, MICA_CAP_FACTORY), MICA_OBJ_NONE); /* a new task starts empty */
	CHECK_OK(mica_cap_delete(t, 40));
	CHECK_EQ(type_of(t, 40), MICA_OBJ_NONE);
}

KTEST(cap_tables_are_charged_and_refunded)
{
	mica_word_t before = kf_used();
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t with_task = kf_used();
	CHECK_OK(kgive(t, MICA_CAP_VCON, 5000000));
	CHECK_EQ(kf_used(), with_task + 2 * 4096ul); /* a middle and a leaf table */
	CHECK_OK(kgive(t, MICA_CAP_VCON, 5000001));
	CHECK_EQ(kf_used(), with_task + 2 * 4096ul); /* same leaf */
	CHECK_OK(mica_cap_delete(KTASK, t));
	CHECK_EQ(kf_used(), before);
}

KTEST(cap_quota_exhausted_by_tables)
{
	mica_cap_t f = ksel();
	CHECK_OK(mica_create_factory(KF, f, 12 * 4096ul));
	mica_cap_t t = ksel();
	CHECK_OK(mica_create_task(f, t, KCHILD_UTCB, 12));
	/* Each new far selector needs a middle and a leaf table: two pages. */
	int e = MICA_OK;
	mica_cap_t s = 1;
	unsigned made = 0;
	for (; e == MICA_OK && made < 20; made++, s += 1ul << 16)
		e = kgive(t, MICA_CAP_VCON, s);
	CHECK_ERR(e, MICA_E_NO_MEMORY);
	CHECK(made > 1);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK(used <= limit);
}

static void child_spin_on_ipc(struct kthread *k)
{
	/* Blocks in an open wait until the task goes away. */
	k->out[0] = 1;
	mica_msgtag_t r = mica_wait(0, MICA_TIMEOUT_NEVER, 0);
	k->out[1] = r.raw;
}

KTEST(cap_task_destroy_revokes_everything)
{
	mica_word_t before = kf_used();
	mica_cap_t t = ktask_create(), copy = ksel();
	CHECK(t);
	CHECK_OK(kgive(KTASK, t, copy));
	struct kthread *k = kthread_start(t, child_spin_on_ipc, 0);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[0], 1);
	CHECK_OK(mica_task_destroy(t));
	CHECK_EQ(type_of(KTASK, t), MICA_OBJ_NONE);
	CHECK_EQ(type_of(KTASK, copy), MICA_OBJ_NONE);
	mica_word_t info[5];
	CHECK_OK(mica_thread_info(k->sel, info));
	CHECK_EQ(info[0], MICA_THREAD_DEAD);
	CHECK_EQ(info[1], 0); /* unbound */
	CHECK_OK(mica_cap_delete(KTASK, k->sel));
	CHECK_EQ(kf_used(), before);
}

KTEST(cap_task_destroy_needs_control)
{
	mica_cap_t t = ktask_create(), rw = ksel();
	CHECK(t);
	CHECK_OK(mica_cap_copy(KTASK, t, rw, MICA_TASK_R_READ | MICA_TASK_R_WRITE, 0));
	CHECK_ERR(mica_task_destroy(rw), MICA_E_NO_RIGHTS);
	CHECK_EQ(type_of(KTASK, t), MICA_OBJ_TASK);
}

KTEST(cap_task_holding_itself_needs_destroy)
{
	/* A task holding a capability to itself is a cycle: deleting our
	 * capability does not end it, destroying it does. */
	mica_cap_t t = ktask_create(), keep = ksel();
	CHECK(t);
	CHECK_OK(kgive(t, t, 50));
	CHECK_OK(kgive(KTASK, t, keep));
	mica_word_t used = kf_used();
	CHECK_OK(mica_cap_delete(KTASK, t));
	CHECK_EQ(kf_used(), used);
	CHECK_OK(mica_task_destroy(keep));
	CHECK(kf_used() < used);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, keep, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
}

static void cap_child_copies(struct kthread *k)
{
	k->out[0] = (mica_word_t)mica_cap_copy(60, MICA_CAP_VCON, 61, MICA_VCON_R_WRITE, 0);
	mica_word_t type = 0, rights;
	mica_cap_info(60, 61, &type, &rights);
	k->out[1] = type;
	k->out[2] = (mica_word_t)mica_cap_copy(60, KF, 62, MICA_RIGHTS_ALL, 0);
	mica_task_destroy(60); /* ends this thread too */
	k->out[3] = 1;
}

KTEST(cap_copy_within_child_from_its_own_task_cap)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(kgive(t, t, 60));
	struct kthread *k = kthread_start(t, cap_child_copies, 0);
	CHECK(k);
	kyield();
	CHECK_EQ(k->out[3], 0); /* it destroyed its own task, and so itself */
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, t, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
	CHECK_EQ(k->out[0], MICA_OK);
	CHECK_EQ(k->out[1], MICA_OBJ_VCON);
	CHECK_EQ(k->out[2], MICA_E_INVALID_CAP); /* the root's selectors mean nothing there */
}
