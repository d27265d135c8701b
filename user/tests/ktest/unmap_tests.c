/* unmap_ and destroy_: recursive revocation and teardown. */
#include "mem.h"

#define A KALIAS

/* KTASK's page -> t1 -> t2 -> t3, each at A. */
static int chain(mica_cap_t *t, unsigned page)
{
	for (unsigned i = 0; i < 3; i++)
		if (!(t[i] = ktask_create()))
			return -1;
	int e = kmap(t[0], KTASK, KPAGE(page), A, 12, MICA_FPAGE_RW);
	for (unsigned i = 1; e == MICA_OK && i < 3; i++)
		e = kmap(t[i], t[i - 1], A, A, 12, MICA_FPAGE_RW);
	return e;
}

KTEST(unmap_revokes_three_levels_deep)
{
	mica_cap_t t[3];
	CHECK_OK(chain(t, 0));
	mica_word_t v;
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(kprobe(t[i], A, 0, &v), 0);
	/* The arena page itself: everything derived goes, ours stays. */
	CHECK_OK(kunmap(KTASK, KPAGE(0), 12, MICA_FPAGE_RWX, 0, 0));
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(kprobe(t[i], A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	karena[0][0] = 1; /* still ours */
}

KTEST(unmap_in_the_middle_keeps_the_levels_above)
{
	mica_cap_t t[3];
	CHECK_OK(chain(t, 1));
	mica_word_t v;
	CHECK_OK(kunmap(t[1], A, 12, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(t[0], A, 0, &v), 0);
	CHECK_EQ(kprobe(t[1], A, 0, &v), 0);
	CHECK_EQ(kprobe(t[2], A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(unmap_flush_includes_own_mapping)
{
	mica_cap_t t[3];
	CHECK_OK(chain(t, 2));
	mica_word_t v;
	CHECK_OK(kunmap(t[1], A, 12, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kprobe(t[0], A, 0, &v), 0);
	CHECK_EQ(kprobe(t[1], A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t[2], A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(unmap_partial_rights)
{
	mica_cap_t t[3];
	CHECK_OK(chain(t, 3));
	mica_word_t v = 5;
	/* Revoking W from what t1 derived: t2 and t3 can read, not write. */
	CHECK_OK(kunmap(t[0], A, 12, MICA_FPAGE_W, 0, 0));
	CHECK_EQ(kprobe(t[0], A, 1, &v), 0);
	CHECK_EQ(kprobe(t[1], A, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(kprobe(t[2], A, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(kprobe(t[2], A, 0, &v), 0);
	CHECK_EQ(v, 5);
	/* flush with W: t0 loses it too */
	CHECK_OK(kunmap(t[0], A, 12, MICA_FPAGE_W, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kprobe(t[0], A, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(kprobe(t[0], A, 0, &v), 0);
}

KTEST(unmap_reports_accessed_and_dirty)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t st, v = 1;
	CHECK_OK(kmap(t, KTASK, KPAGE(4), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kunmap(t, A, 12, 0, 0, &st)); /* no rights revoked: status only */
	CHECK_EQ(st, 0);
	CHECK_EQ(kprobe(t, A, 0, &v), 0);
	CHECK_OK(kunmap(t, A, 12, 0, 0, &st));
	CHECK_EQ(st, MICA_UNMAP_ACCESSED);
	CHECK_OK(kunmap(t, A, 12, 0, 0, &st)); /* reading resets it */
	CHECK_EQ(st, 0);
	CHECK_EQ(kprobe(t, A, 1, &v), 0);
	/* seen from the parent's page: the derived mapping's status counts */
	CHECK_OK(kunmap(KTASK, KPAGE(4), 12, 0, 0, &st));
	CHECK(st & MICA_UNMAP_DIRTY);
}

KTEST(unmap_large_range_and_holes)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KPAGE(0), A, 16, MICA_FPAGE_RW));
	CHECK_OK(kmap(t, KTASK, KPAGE(0), A + 0x1000000, 12, MICA_FPAGE_RW));
	/* one fpage covers both, with a hole of 16 MiB between */
	CHECK_OK(kunmap(t, A, 25, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	CHECK_EQ(kprobe(t, A + 0x5000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t, A + 0x1000000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(unmap_bad_arguments)
{
	mica_word_t fp[2] = { mica_fpage_mem(A, 12, 7), mica_fpage_mem(A, 13, 7) | 0x1000 };
	CHECK_ERR(mica_task_unmap(KTASK, 0, fp, 2), MICA_E_BAD_ARG);
	CHECK_ERR(mica_task_unmap(KTASK, 0x10, fp, 1), MICA_E_BAD_ARG);
	CHECK_TAG_ERR(mica_call(KTASK, MICA_TASK_UNMAP, 0), MICA_E_BAD_TAG, 0);
	mica_cap_t ro = ksel();
	CHECK_OK(mica_cap_copy(KTASK, KTASK, ro, MICA_TASK_R_READ, 0));
	CHECK_ERR(mica_task_unmap(ro, 0, fp, 1), MICA_E_NO_RIGHTS);
	/* the kernel's own mappings (UTCB area) have no node: untouched */
	fp[0] = mica_fpage_mem(MICA_BOOT_UTCB_ADDR, 16, 7);
	CHECK_OK(mica_task_unmap(KTASK, MICA_UNMAP_FLUSH, fp, 1));
	CHECK_EQ(mica_utcb()->self, MICA_BOOT_UTCB_ADDR);
}

KTEST(unmap_several_fpages_at_once)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KPAGE(5), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kmap(t, KTASK, KPAGE(6), A + 0x2000, 12, MICA_FPAGE_RW));
	CHECK_EQ(kprobe(t, A, 0, &v), 0);
	mica_word_t fp[2] = { mica_fpage_mem(A, 12, 7), mica_fpage_mem(A + 0x2000, 12, 7) };
	CHECK_OK(mica_task_unmap(t, MICA_UNMAP_FLUSH, fp, 2));
	CHECK_EQ(fp[0] & MICA_FPAGE_RIGHTS, MICA_UNMAP_ACCESSED);
	CHECK_EQ(fp[1] & MICA_FPAGE_RIGHTS, 0);
	CHECK_EQ(fp[1] & ~MICA_FPAGE_RIGHTS, mica_fpage_mem(A + 0x2000, 12, 0));
	CHECK_EQ(kprobe(t, A + 0x2000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(destroy_task_revokes_what_it_mapped_on)
{
	mica_cap_t t[3];
	CHECK_OK(chain(t, 7));
	mica_word_t v;
	CHECK_OK(mica_task_destroy(t[1]));
	CHECK_EQ(kprobe(t[0], A, 0, &v), 0);
	CHECK_EQ(kprobe(t[2], A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(destroy_refunds_mapping_memory_exactly)
{
	mica_word_t before = kf_used();
	for (unsigned round = 0; round < 3; round++) {
		mica_cap_t t[3];
		CHECK_OK(chain(t, 8));
		CHECK_OK(kmap(t[2], t[1], A, 0x600000000ul, 12, MICA_FPAGE_R));
		for (unsigned i = 0; i < 3; i++)
			CHECK_OK(mica_cap_delete(KTASK, t[i]));
		CHECK_EQ(kf_used(), before);
	}
}

KTEST(destroy_parent_space_first)
{
	/* Destroying the task in the middle, then the top, then the last
	 * (the runner checks that everything was refunded). */
	mica_cap_t t[3];
	CHECK_OK(chain(t, 9));
	CHECK_OK(mica_cap_delete(KTASK, t[1]));
	CHECK_OK(mica_cap_delete(KTASK, t[0]));
	mica_word_t v;
	CHECK_EQ(kprobe(t[2], A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_OK(mica_cap_delete(KTASK, t[2]));
}

/* Unmapping where nothing is mapped is no error and reports nothing. */
KTEST(unmap_of_nothing_reports_nothing)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t st = 99;
	CHECK_OK(kunmap(t, A, 20, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, &st));
	CHECK_EQ(st, 0);
	CHECK_OK(kunmap(KTASK, A, 12, MICA_FPAGE_RWX, 0, &st));
	CHECK_EQ(st, 0);
}

/* Revoking only X leaves a readable, writable page. */
KTEST(unmap_execute_right_only)
{
	mica_cap_t t[3];
	CHECK_OK(chain(t, 10));
	mica_word_t v = 5;
	CHECK_OK(kunmap(t[0], A, 12, MICA_FPAGE_X, 0, 0));
	CHECK_EQ(kprobe(t[2], A, 1, &v), 0);
	CHECK_EQ(karena[10][0], 5);
}
