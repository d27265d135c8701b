/* factory_: creating each type, quotas, exhaustion and refunds. */
#include <mica/layout.h>

#include "ktest.h"

KTEST(factory_info_of_case_factory)
{
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(KF, &limit, &used));
	CHECK_EQ(limit, KTEST_QUOTA);
	CHECK_EQ(used, 0);
	CHECK_OK(mica_factory_info(MICA_CAP_FACTORY, &limit, &used));
	CHECK(used >= KTEST_QUOTA + MICA_OBJ_COST && used <= limit);
}

KTEST(factory_creates_every_type)
{
	mica_word_t types[] = { MICA_OBJ_TASK, MICA_OBJ_THREAD, MICA_OBJ_GATE, MICA_OBJ_FACTORY,
				MICA_OBJ_IRQ };
	mica_word_t arg0[] = { KCHILD_UTCB, 0, 0, 4096, 0 }, arg1[] = { 12, 0, 0, 0, 0 };
	for (unsigned i = 0; i < 5; i++) {
		mica_cap_t s = ksel();
		CHECK_OK(mica_factory_create(KF, types[i], s, arg0[i], arg1[i]));
		mica_word_t type, rights;
		CHECK_OK(mica_cap_info(KTASK, s, &type, &rights));
		CHECK_EQ(type, types[i]);
		CHECK_EQ(rights, MICA_RIGHTS_ALL);
	}
}

KTEST(factory_rejects_bad_types)
{
	mica_word_t bad[] = { MICA_OBJ_NONE,	  MICA_OBJ_VCON,  MICA_OBJ_ICU,
			      MICA_OBJ_SCHEDULER, MICA_OBJ_TYPES, ~0ul };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_ERR(mica_factory_create(KF, bad[i], ksel(), 0, 0), MICA_E_BAD_ARG);
	CHECK_EQ(kf_used(), 0);
}

KTEST(factory_answer_lands_in_the_object_window)
{
	/* As from a user-level factory: an object item, into BR2's slot. */
	mica_cap_t s = ksel();
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_obj(s, 0, MICA_RIGHTS_ALL);
	mica_mr()[0] = MICA_OBJ_GATE;
	mica_mr()[1] = 0;
	mica_mr()[2] = 0;
	mica_msgtag_t t = mica_call(KF, MICA_FACTORY_CREATE, 3);
	*br = saved;
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_msgtag_u(t), 0);
	CHECK_EQ(mica_msgtag_t_items(t), MICA_ITEM_WORDS);
	CHECK_EQ(mica_mr()[0] & MICA_ITEM_KIND_MASK, MICA_ITEM_MAP);
	CHECK_EQ(mica_mr()[1], mica_fpage_obj(s, 0, MICA_RIGHTS_ALL));
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, s, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_GATE);
	CHECK_EQ(rights, MICA_RIGHTS_ALL);
}

KTEST(factory_answer_replaces_what_the_window_held)
{
	mica_cap_t s = ksel(), copy = ksel();
	CHECK_OK(mica_create_gate(KF, s, 0, 0));
	CHECK_OK(mica_cap_copy(KTASK, s, copy, MICA_RIGHTS_ALL, 0));
	mica_word_t one = kf_used();
	/* The old gate's capabilities are revoked (the copy derived from it
	 * too) and, with its last one gone, it is destroyed. */
	CHECK_OK(mica_create_thread(KF, s));
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, s, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_THREAD);
	CHECK_OK(mica_cap_info(KTASK, copy, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
	CHECK_EQ(kf_used(), one); /* one object then, one now */
	/* A failed create leaves the window's capability alone. */
	CHECK_ERR(mica_create_factory(KF, s, KTEST_QUOTA * 2), MICA_E_NO_MEMORY);
	CHECK_OK(mica_cap_info(KTASK, s, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_THREAD);
	CHECK_EQ(kf_used(), one);
}

KTEST(factory_without_a_window_overflows)
{
	mica_word_t used = kf_used();
	CHECK_ERR(mica_create_gate(KF, MICA_CAP_INVALID, 0, 0), MICA_E_OVERFLOW);
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	mica_word_t bad[] = { MICA_FPAGE_NIL, mica_fpage_mem(0x10000, 12, MICA_FPAGE_RW),
			      mica_fpage_io(0x60, 0), mica_fpage_obj(ksel(), 0, 0) | 8 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		*br = bad[i];
		mica_mr()[0] = MICA_OBJ_IRQ;
		mica_msgtag_t t = mica_call(KF, MICA_FACTORY_CREATE, 1);
		*br = saved;
		CHECK_TAG_ERR(t, MICA_E_OVERFLOW, 0);
	}
	CHECK_EQ(kf_used(), used); /* nothing half made */
}

KTEST(factory_rights)
{
	mica_cap_t ro = ksel(), co = ksel();
	CHECK_OK(mica_cap_copy(KTASK, KF, ro, MICA_FACTORY_R_READ, 0));
	CHECK_OK(mica_cap_copy(KTASK, KF, co, MICA_FACTORY_R_CREATE, 0));
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(ro, &limit, &used));
	CHECK_ERR(mica_create_gate(ro, ksel(), 0, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_factory_info(co, &limit, &used), MICA_E_NO_RIGHTS);
	mica_cap_t g = ksel();
	CHECK_OK(mica_create_gate(co, g, 0, 0));
}

KTEST(factory_quota_exhaustion_and_refund)
{
	mica_cap_t f = ksel();
	CHECK_OK(mica_create_factory(KF, f, 3 * MICA_OBJ_COST));
	mica_cap_t g[4];
	for (unsigned i = 0; i < 3; i++) {
		g[i] = ksel();
		CHECK_OK(mica_create_gate(f, g[i], 0, 0));
	}
	g[3] = ksel();
	CHECK_ERR(mica_create_gate(f, g[3], 0, 0), MICA_E_NO_MEMORY);
	CHECK_ERR(mica_create_thread(f, g[3]), MICA_E_NO_MEMORY);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK_EQ(used, limit);
	CHECK_OK(mica_cap_delete(KTASK, g[1]));
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK_EQ(used, 2 * MICA_OBJ_COST);
	CHECK_OK(mica_create_gate(f, g[3], 0, 0));
}

KTEST(factory_task_costs)
{
	mica_word_t before = kf_used();
	mica_cap_t t = ksel();
	CHECK_OK(mica_create_task(KF, t, KCHILD_UTCB, 13));
	/* the object, its top page table and capability table, two UTCB pages
	 * and the page tables that map them (the two lowest levels, which
	 * can hold mappings, come with a page of mapping-database links) */
	mica_word_t cost = kf_used() - before;
	CHECK_EQ(cost, MICA_TASK_BASE_COST + 2 * 4096ul + 5 * 4096ul);
	CHECK_OK(mica_cap_delete(KTASK, t));
	CHECK_EQ(kf_used(), before);
}

KTEST(factory_task_cost_is_the_documented_formula)
{
	/* abi.md 6.4: 32 KiB and the UTCB area, for a one-page area and a
	 * 256 KiB one */
	unsigned sizes[] = { MICA_UTCB_AREA_MIN_LOG2, 18 };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK_EQ(MICA_TASK_COST(sizes[i]), 32 * 1024ul + (1ul << sizes[i]));
		mica_word_t before = kf_used();
		mica_cap_t t = ksel();
		CHECK_OK(mica_create_task(KF, t, KCHILD_UTCB, sizes[i]));
		CHECK_EQ(kf_used() - before, MICA_TASK_COST(sizes[i]));
		CHECK_OK(mica_cap_delete(KTASK, t));
		CHECK_EQ(kf_used(), before);
	}
}

KTEST(factory_task_creation_fails_cleanly)
{
	/* Every quota too small for a task fails with nothing left charged. */
	for (mica_word_t pages = 0; pages < 8; pages++) {
		mica_cap_t f = ksel(), t = ksel();
		CHECK_OK(mica_create_factory(KF, f, pages * 4096));
		int e = mica_create_task(f, t, KCHILD_UTCB, 12);
		mica_word_t limit, used;
		CHECK_OK(mica_factory_info(f, &limit, &used));
		if (e == MICA_OK) {
			CHECK(pages >= 7);
		} else {
			CHECK_EQ(e, MICA_E_NO_MEMORY);
			CHECK_EQ(used, 0);
		}
	}
}

KTEST(factory_task_utcb_area_checks)
{
	mica_word_t bad[][2] = { { KCHILD_UTCB, 11 },	       { KCHILD_UTCB, 21 },
				 { KCHILD_UTCB + 4096, 13 },   { 0, 12 },
				 { 0xffffffff80000000ul, 12 }, { MICA_USER_END - 4096, 13 } };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_ERR(mica_create_task(KF, ksel(), bad[i][0], (unsigned)bad[i][1]), MICA_E_BAD_ARG);
	CHECK_EQ(kf_used(), 0);
}

KTEST(factory_sub_factory_charges_parent)
{
	mica_word_t before = kf_used();
	mica_cap_t f = ksel();
	CHECK_OK(mica_create_factory(KF, f, 16 * 4096ul));
	CHECK_EQ(kf_used(), before + 16 * 4096ul + MICA_OBJ_COST);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK_EQ(limit, 16 * 4096ul);
	CHECK_EQ(used, 0);
	CHECK_ERR(mica_create_factory(KF, ksel(), KTEST_QUOTA), MICA_E_NO_MEMORY);
	CHECK_ERR(mica_create_factory(KF, ksel(), 100), MICA_E_BAD_ARG);
	CHECK_ERR(mica_create_factory(f, ksel(), 16 * 4096ul), MICA_E_NO_MEMORY); /* its own frame too */
	CHECK_OK(mica_cap_delete(KTASK, f));
	CHECK_EQ(kf_used(), before);
}

KTEST(factory_objects_outlive_its_capability)
{
	mica_cap_t f = ksel(), g = ksel();
	CHECK_OK(mica_create_factory(KF, f, 4 * 4096ul));
	CHECK_OK(mica_create_gate(f, g, 0, 0));
	mica_word_t with = kf_used();
	CHECK_OK(mica_cap_delete(KTASK, f));
	CHECK_EQ(kf_used(), with); /* the gate still pins its factory */
	CHECK_TAG_ERR(mica_wait(g, MICA_TIMEOUT_ZERO, 0), MICA_E_TIMEOUT, 1);
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK_EQ(kf_used(), 0);
}

KTEST(factory_nested_factories)
{
	mica_cap_t a = ksel(), b = ksel(), c = ksel(), g = ksel();
	CHECK_OK(mica_create_factory(KF, a, 64 * 4096ul));
	CHECK_OK(mica_create_factory(a, b, 16 * 4096ul));
	CHECK_OK(mica_create_factory(b, c, 4 * 4096ul));
	CHECK_OK(mica_create_gate(c, g, 0, 0));
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(b, &limit, &used));
	CHECK_EQ(used, 4 * 4096ul + MICA_OBJ_COST);
	/* deleting from the top: everything below goes when unpinned */
	CHECK_OK(mica_cap_delete(KTASK, a));
	CHECK_OK(mica_cap_delete(KTASK, b));
	CHECK_OK(mica_cap_delete(KTASK, c));
	CHECK(kf_used() > 0);
	CHECK_OK(mica_cap_delete(KTASK, g));
	CHECK_EQ(kf_used(), 0);
}

KTEST(factory_irq_costs_one_object)
{
	mica_cap_t irq = ksel();
	CHECK_OK(mica_factory_create(KF, MICA_OBJ_IRQ, irq, 0, 0));
	CHECK_EQ(kf_used(), MICA_OBJ_COST);
	/* ATTACH wants two words */
	CHECK_TAG_ERR(mica_call(irq, MICA_IRQ_ATTACH, 0), MICA_E_BAD_TAG, 0);
	CHECK_OK(mica_cap_delete(KTASK, irq));
	CHECK_EQ(kf_used(), 0);
}

KTEST(factory_thread_in_exhausted_child)
{
	/* A task whose factory is spent cannot grow its capability tables. */
	mica_cap_t f = ksel(), t = ksel();
	CHECK_OK(mica_create_factory(KF, f, 9 * 4096ul));
	CHECK_OK(mica_create_task(f, t, KCHILD_UTCB, 12));
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK_EQ(used, limit);
	CHECK_ERR(kgive(t, MICA_CAP_VCON, 77), MICA_E_NO_MEMORY);
	CHECK_ERR(mica_task_map(t, MICA_CAP_TASK, mica_fpage_mem(0x400000, 12, MICA_FPAGE_R), 0x10000000ul,
				MICA_ITEM_MAP),
		  MICA_E_NO_MEMORY);
}

static void factory_child_creates(struct kthread *k)
{
	k->out[0] = (mica_word_t)mica_create_gate(70, 71, 0, 0);
	k->out[1] =
		(mica_word_t)mica_error(mica_wait(71, MICA_TIMEOUT_ZERO, 0)) == MICA_E_TIMEOUT ? MICA_OK : 1;
}

KTEST(factory_create_in_child_task_space)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(mica_cap_copy(t, KF, 70, MICA_RIGHTS_ALL, 0));
	struct kthread *k = kthread_start(t, factory_child_creates, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_OK);
	CHECK_EQ(k->out[1], MICA_OK);
}
