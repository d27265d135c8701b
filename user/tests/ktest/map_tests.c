/* map_ and grant_: typed items in IPC and the task's map method. */
#include "mem.h"
#include "servers.h"

#define A KALIAS

KTEST(map_task_map_aliases_a_page)
{
	karena[0][3] = 0x1234;
	CHECK_OK(kmap(KTASK, KTASK, KPAGE(0), A, 12, MICA_FPAGE_RW));
	volatile mica_word_t *p = (volatile mica_word_t *)A;
	CHECK_EQ(p[3], 0x1234);
	p[4] = 0x5678;
	CHECK_EQ(karena[0][4], 0x5678);
}

KTEST(map_task_map_many_pages_at_once)
{
	for (unsigned i = 0; i < 16; i++)
		karena[i][0] = 100 + i;
	CHECK_OK(kmap(KTASK, KTASK, KPAGE(0), A + 0x100000, 16, MICA_FPAGE_RW));
	for (unsigned i = 0; i < 16; i++)
		CHECK_EQ(*(volatile mica_word_t *)(A + 0x100000 + i * 4096ul), 100 + i);
}

KTEST(map_task_map_bad_arguments)
{
	mica_word_t src = KPAGE(0);
	mica_word_t ok = mica_fpage_mem(src, 12, MICA_FPAGE_R);
	/* malformed fpage: unaligned base, size below a page, kernel half */
	CHECK_ERR(mica_task_map(KTASK, KTASK, mica_fpage_mem(src, 13, 1) | 0x1000, A, MICA_ITEM_MAP),
		  MICA_E_BAD_ARG);
	CHECK_ERR(mica_task_map(KTASK, KTASK, mica_fpage_mem(src, 11, 1), A, MICA_ITEM_MAP), MICA_E_BAD_ARG);
	CHECK_ERR(mica_task_map(KTASK, KTASK, mica_fpage_mem(1ul << 47, 12, 1), A, MICA_ITEM_MAP),
		  MICA_E_BAD_ARG);
	/* destination not aligned to the fpage's size */
	CHECK_ERR(mica_task_map(KTASK, KTASK, mica_fpage_mem(src, 13, 1), A + 0x1000, MICA_ITEM_MAP),
		  MICA_E_BAD_ARG);
	/* bad kind, no read right */
	CHECK_ERR(mica_task_map(KTASK, KTASK, ok, A, 3), MICA_E_BAD_ARG);
	CHECK_ERR(mica_task_map(KTASK, KTASK, mica_fpage_mem(src, 12, MICA_FPAGE_W), A, MICA_ITEM_MAP),
		  MICA_E_BAD_ARG);
	/* the destination's UTCB area, page 0 and the kernel half are out */
	CHECK_ERR(mica_task_map(KTASK, KTASK, ok, MICA_BOOT_UTCB_ADDR, MICA_ITEM_MAP), MICA_E_OVERFLOW);
	CHECK_ERR(mica_task_map(KTASK, KTASK, ok, 0, MICA_ITEM_MAP), MICA_E_OVERFLOW);
	/* rights: the source needs READ, the destination WRITE */
	mica_cap_t ro = ksel(), wo = ksel();
	CHECK_OK(mica_cap_copy(KTASK, KTASK, ro, MICA_TASK_R_READ, 0));
	CHECK_OK(mica_cap_copy(KTASK, KTASK, wo, MICA_TASK_R_WRITE, 0));
	CHECK_ERR(mica_task_map(ro, KTASK, ok, A, MICA_ITEM_MAP), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_task_map(KTASK, wo, ok, A, MICA_ITEM_MAP), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_task_map(KTASK, ro, ok, A, MICA_ITEM_GRANT), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_task_map(KTASK, MICA_CAP_VCON, ok, A, MICA_ITEM_MAP), MICA_E_WRONG_TYPE);
	CHECK_OK(mica_task_map(KTASK, ro, ok, A, MICA_ITEM_MAP));
}

/* One page at a time: after the first, the page tables exist (the map
 * fast path's case). Each page is derived from its own source page, with
 * the rights of both, and the source must be a task we may read. */
KTEST(map_page_by_page_is_derived_from_each_source)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	for (unsigned i = 0; i < 4; i++) {
		karena[20 + i][0] = 200 + i;
		CHECK_OK(kmap(t, KTASK, KPAGE(20 + i), A + i * 4096ul, 12,
			      i == 3 ? MICA_FPAGE_R : MICA_FPAGE_RW));
	}
	mica_word_t v = 0;
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(kprobe(t, A + i * 4096ul, 0, &v), 0);
		CHECK_EQ(v, 200 + i);
	}
	v = 5;
	CHECK_EQ(kprobe(t, A + 3 * 4096ul, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(kprobe(t, A + 2 * 4096ul, 1, &v), 0);
	CHECK_EQ(karena[22][0], 5);
	/* Revoking a source page takes the page derived from it, only it. */
	CHECK_OK(kunmap(KTASK, KPAGE(21), 12, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(t, A + 4096ul, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t, A, 0, &v), 0);
	mica_word_t ok = mica_fpage_mem(KPAGE(24), 12, MICA_FPAGE_R);
	CHECK_ERR(mica_task_map(t, ksel(), ok, A + 4 * 4096ul, MICA_ITEM_MAP), MICA_E_INVALID_CAP);
	CHECK_ERR(mica_task_map(t, MICA_CAP_FACTORY, ok, A + 4 * 4096ul, MICA_ITEM_MAP), MICA_E_WRONG_TYPE);
	CHECK_EQ(kprobe(t, A + 4 * 4096ul, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(map_unmapped_source_maps_nothing)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	/* A hole in the source is skipped, not an error. */
	CHECK_OK(kmap(t, KTASK, A + 0x200000, A, 12, MICA_FPAGE_RW));
	CHECK_EQ(kprobe(t, A, 0, 0), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(map_rights_are_the_and_of_item_and_source)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v = 7;
	/* read-only into the child: writes fault with the page present */
	CHECK_OK(kmap(t, KTASK, KPAGE(1), A, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, A, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	/* asking the child's read-only page for more gives no more */
	CHECK_OK(kmap(t, t, A, A + 0x1000, 12, MICA_FPAGE_RWX));
	CHECK_EQ(kprobe(t, A + 0x1000, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	karena[1][0] = 99;
	CHECK_EQ(kprobe(t, A + 0x1000, 0, &v), 0);
	CHECK_EQ(v, 99);
}

KTEST(map_same_mapping_again_extends_rights)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	mica_word_t v = 0x77;
	CHECK_OK(kmap(t, KTASK, KPAGE(2), A, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, A, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_OK(kmap(t, KTASK, KPAGE(2), A, 12, MICA_FPAGE_W | MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, A, 1, &v), 0);
	CHECK_EQ(karena[2][0], 0x77);
}

KTEST(map_replaces_a_conflicting_mapping)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	karena[3][0] = 3;
	karena[4][0] = 4;
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KPAGE(3), A, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, A, 0, &v), 0);
	CHECK_EQ(v, 3);
	CHECK_OK(kmap(t, KTASK, KPAGE(4), A, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, A, 0, &v), 0);
	CHECK_EQ(v, 4);
}

/* A server that receives one message with a window in BR0 and reports
 * the tag, the first words and the word it then reads at out[3]. */
static void window_server(struct kthread *k)
{
	mica_utcb()->br[MICA_BR_MEM_WINDOW] = k->arg;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	k->out[0] = t.raw;
	k->out[1] = mica_mr()[1];
	k->out[2] = mica_mr()[2];
	if (!mica_msgtag_is_error(t) && k->arg2)
		k->out[3] = *(volatile mica_word_t *)k->arg2;
	mica_reply(mica_msgtag(0, 0, 0, 0));
}

static mica_msgtag_t call_with_item(mica_cap_t g, mica_word_t hot, mica_word_t fpage,
				    enum mica_item_kind kind)
{
	mica_word_t *mr = mica_mr();
	mr[0] = 0xabc;
	mr[1] = mica_item_mem(hot, kind);
	mr[2] = fpage;
	return mica_ipc(g, mica_msgtag(5, 1, 2, 0), MICA_IPC_CALL, 0, 0, 0);
}

KTEST(map_item_lands_at_hot_spot_in_window)
{
	mica_cap_t g;
	karena[6][0] = 0x6666;
	struct kthread *k = start_on_new_gate(window_server, mica_fpage_mem(A, 16, MICA_FPAGE_RWX), &g);
	CHECK(k);
	k->arg2 = A + 0x3000;
	CHECK_OK(mica_error(
		call_with_item(g, 0x12343000, mica_fpage_mem(KPAGE(6), 12, MICA_FPAGE_RW), MICA_ITEM_MAP)));
	CHECK(KWAIT(k));
	mica_msgtag_t t = { k->out[0] };
	CHECK_EQ(mica_msgtag_u(t), 1);
	CHECK_EQ(mica_msgtag_t_items(t), 2);
	CHECK_EQ(k->out[1], mica_item_mem(0x12343000, MICA_ITEM_MAP)); /* the receiver sees the item */
	CHECK_EQ(k->out[3], 0x6666);
	CHECK_EQ(*(volatile mica_word_t *)(A + 0x3000), 0x6666);
}

KTEST(map_item_without_window_overflows)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(window_server, MICA_FPAGE_NIL, &g);
	CHECK(k);
	/* The sender fails; the receiver keeps waiting, undisturbed. */
	CHECK_TAG_ERR(call_with_item(g, 0, mica_fpage_mem(KPAGE(6), 12, MICA_FPAGE_R), MICA_ITEM_MAP),
		      MICA_E_OVERFLOW, 0);
	CHECK(!k->done);
	CHECK_OK(mica_error(mica_call(g, 1, 0)));
	CHECK(KWAIT(k));
}

KTEST(map_item_needs_map_right)
{
	mica_cap_t g, weak = ksel();
	struct kthread *k = start_on_new_gate(window_server, MICA_FPAGE_ALL_MEM, &g);
	CHECK(k);
	CHECK_OK(mica_cap_copy(KTASK, g, weak, MICA_GATE_R_SEND, 0));
	CHECK_TAG_ERR(call_with_item(weak, A, mica_fpage_mem(KPAGE(6), 12, MICA_FPAGE_R), MICA_ITEM_MAP),
		      MICA_E_NO_RIGHTS, 0);
	CHECK_OK(mica_error(mica_call(weak, 1, 0)));
	CHECK(KWAIT(k));
}

KTEST(map_item_malformed)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(window_server, MICA_FPAGE_ALL_MEM, &g);
	CHECK(k);
	CHECK_TAG_ERR(
		call_with_item(g, A, mica_fpage_mem(KPAGE(6), 13, MICA_FPAGE_R) | 0x1000, MICA_ITEM_MAP),
		MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(call_with_item(g, A, mica_fpage_mem(KPAGE(6), 12, MICA_FPAGE_R), 5), MICA_E_BAD_ARG, 0);
	/* hot spot in the receiver's UTCB area */
	CHECK_TAG_ERR(call_with_item(g, MICA_BOOT_UTCB_ADDR, mica_fpage_mem(KPAGE(6), 12, MICA_FPAGE_R),
				     MICA_ITEM_MAP),
		      MICA_E_OVERFLOW, 0);
	CHECK_OK(mica_error(mica_call(g, 1, 0)));
	CHECK(KWAIT(k));
}

KTEST(map_item_larger_than_window_sends_the_hot_part)
{
	mica_cap_t g;
	for (unsigned i = 8; i < 16; i++)
		karena[i][1] = i;
	struct kthread *k = start_on_new_gate(window_server, mica_fpage_mem(A, 12, MICA_FPAGE_RWX), &g);
	CHECK(k);
	k->arg2 = A + 8;
	/* a 32 KiB fpage into a one-page window: the page holding the hot
	 * spot (offset 0x5000) goes */
	CHECK_OK(mica_error(
		call_with_item(g, 0x5000, mica_fpage_mem(KPAGE(8), 15, MICA_FPAGE_RW), MICA_ITEM_MAP)));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[3], 13);
}

static void mapping_server(struct kthread *k)
{
	mica_word_t label;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	if (mica_msgtag_is_error(t))
		return;
	mica_word_t *mr = mica_mr();
	mr[0] = mica_item_mem(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_mem(k->arg, 12, MICA_FPAGE_RW);
	k->out[0] = mica_error(mica_reply(mica_msgtag(0, 0, 2, 0)));
	if (k->out[0] != MICA_OK) /* the reply right is still ours */
		k->out[1] = mica_error(mica_reply(mica_msgtag(0, 0, 0, 0)));
}

KTEST(map_reply_from_server)
{
	mica_cap_t g;
	karena[7][2] = 0x7777;
	struct kthread *k = start_on_new_gate(mapping_server, KPAGE(7), &g);
	CHECK(k);
	mica_utcb()->br[MICA_BR_MEM_WINDOW] = mica_fpage_mem(A + 0x10000, 12, MICA_FPAGE_RWX);
	mica_msgtag_t t = mica_call(g, 1, 0);
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_msgtag_t_items(t), 2);
	CHECK_EQ(*(volatile mica_word_t *)(A + 0x10000 + 16), 0x7777);
	CHECK(KWAIT(k));
	CHECK_OK(k->out[0]);
}

KTEST(map_reply_that_does_not_fit_keeps_reply_right)
{
	mica_cap_t g;
	struct kthread *k = start_on_new_gate(mapping_server, KPAGE(7), &g);
	CHECK(k);
	mica_utcb()->br[MICA_BR_MEM_WINDOW] = MICA_FPAGE_NIL;
	/* The server's reply fails with OVERFLOW and the caller keeps
	 * waiting; the server's second reply, without the item, arrives. */
	mica_msgtag_t t = mica_call(g, 1, 0);
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_msgtag_t_items(t), 0);
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[0], MICA_E_OVERFLOW);
	CHECK_OK(k->out[1]);
}

KTEST(map_quota_charged_to_receiver_and_refunded)
{
	mica_word_t before = kf_used();
	mica_cap_t t = ksel();
	CHECK_OK(mica_create_task(KF, t, KCHILD_UTCB, 12));
	mica_word_t with_task = kf_used();
	CHECK_OK(kmap(t, KTASK, KPAGE(0), 0x500000000ul, 16, MICA_FPAGE_RW));
	/* page tables (three levels, the lowest two with their link pages)
	 * and a node page */
	CHECK_EQ(kf_used(), with_task + 6 * 4096ul);
	CHECK_OK(kunmap(t, 0x500000000ul, 16, MICA_FPAGE_RWX, MICA_UNMAP_FLUSH, 0));
	CHECK_OK(mica_cap_delete(KTASK, t));
	CHECK_EQ(kf_used(), before);
}

KTEST(map_out_of_quota)
{
	mica_cap_t f = ksel(), t = ksel();
	CHECK_OK(mica_create_factory(KF, f, 9 * 4096ul));
	CHECK_OK(mica_create_task(f, t, KCHILD_UTCB, 12));
	CHECK_ERR(kmap(t, KTASK, KPAGE(0), 0x500000000ul, 12, MICA_FPAGE_R), MICA_E_NO_MEMORY);
	mica_word_t limit, used;
	CHECK_OK(mica_factory_info(f, &limit, &used));
	CHECK_EQ(used, limit);
}

KTEST(grant_moves_the_mapping)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	karena[9][0] = 9;
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KPAGE(9), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kgrant(t, t, A, A + 0x5000, 12));
	CHECK_EQ(kprobe(t, A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t, A + 0x5000, 0, &v), 0);
	CHECK_EQ(v, 9);
}

KTEST(grant_keeps_what_was_derived)
{
	/* t's page has a child mapping in u; after t grants it on, unmapping
	 * at the new place still revokes u's. */
	mica_cap_t t = ktask_create(), u = ktask_create();
	CHECK(t && u);
	mica_word_t v;
	CHECK_OK(kmap(t, KTASK, KPAGE(10), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kmap(u, t, A, A, 12, MICA_FPAGE_RW));
	CHECK_OK(kgrant(t, t, A, A + 0x8000, 12));
	CHECK_EQ(kprobe(u, A, 0, &v), 0);
	CHECK_OK(kunmap(t, A + 0x8000, 12, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(u, A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(t, A + 0x8000, 0, &v), 0);
}

KTEST(grant_item_in_ipc)
{
	mica_cap_t g;
	karena[11][0] = 11;
	CHECK_OK(kmap(KTASK, KTASK, KPAGE(11), A + 0x20000, 12, MICA_FPAGE_RW));
	struct kthread *k =
		start_on_new_gate(window_server, mica_fpage_mem(A + 0x40000, 12, MICA_FPAGE_RWX), &g);
	CHECK(k);
	k->arg2 = A + 0x40000;
	CHECK_OK(mica_error(
		call_with_item(g, 0, mica_fpage_mem(A + 0x20000, 12, MICA_FPAGE_RW), MICA_ITEM_GRANT)));
	CHECK(KWAIT(k));
	CHECK_EQ(k->out[3], 11);
	/* the alias is gone from the sender's side: mapping from it maps nothing */
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(kmap(t, KTASK, A + 0x20000, A, 12, MICA_FPAGE_R));
	CHECK_EQ(kprobe(t, A, 0, 0), KPROBE_FAULT | MICA_FPAGE_R);
}

KTEST(grant_from_read_only_task_cap_refused)
{
	mica_cap_t t = ktask_create(), ro = ksel();
	CHECK(t);
	CHECK_OK(kmap(t, KTASK, KPAGE(12), A, 12, MICA_FPAGE_RW));
	CHECK_OK(mica_cap_copy(KTASK, t, ro, MICA_TASK_R_READ, 0));
	CHECK_ERR(kgrant(KTASK, ro, A, A, 12), MICA_E_NO_RIGHTS);
	CHECK_EQ(kprobe(t, A, 0, 0), 0);
}

/* The receiver's UTCB area and the last user page are never mapped into;
 * an address beyond user space is a bad argument. */
KTEST(map_never_into_utcb_area_or_last_page)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_ERR(kmap(t, KTASK, KPAGE(4), KCHILD_UTCB, 12, MICA_FPAGE_RW), MICA_E_OVERFLOW);
	CHECK_ERR(kmap(t, KTASK, KPAGE(4), MICA_USER_END, 12, MICA_FPAGE_RW), MICA_E_OVERFLOW);
	CHECK_ERR(kmap(t, KTASK, KPAGE(4), 0, 12, MICA_FPAGE_RW), MICA_E_OVERFLOW);
	CHECK(kmap(t, KTASK, KPAGE(4), 0x800000000000ul, 12, MICA_FPAGE_RW) != MICA_OK);
}

/* The KIP, mapped on read-only, stays read-only two levels down. */
KTEST(map_kip_read_only_down_the_chain)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	CHECK_OK(kmap(a, KTASK, MICA_BOOT_KIP_ADDR, A, 13, MICA_FPAGE_RWX));
	CHECK_OK(kmap(b, a, A, A, 13, MICA_FPAGE_RWX));
	mica_word_t v = 0;
	CHECK_EQ(kprobe(b, A, 0, &v), 0);
	CHECK_EQ(v & 0xff, 'L');
	CHECK_EQ(kprobe(b, A + 4096, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
}

/* After a grant the mapping is still derived from ours: our unmap
 * revokes it at its new owner. */
KTEST(grant_stays_derived_from_the_origin)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	mica_word_t v;
	CHECK_OK(kmap(a, KTASK, KPAGE(17), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kgrant(b, a, A, A + 0x3000, 12));
	CHECK_EQ(kprobe(a, A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(b, A + 0x3000, 0, &v), 0);
	CHECK_OK(kunmap(KTASK, KPAGE(17), 12, MICA_FPAGE_RWX, 0, 0));
	CHECK_EQ(kprobe(b, A + 0x3000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

/* Granting a hole moves nothing and is no error. */
KTEST(grant_of_a_hole_moves_nothing)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	mica_word_t v;
	CHECK_OK(kgrant(b, a, A, A, 16));
	CHECK_EQ(kprobe(b, A, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
	CHECK_EQ(kprobe(b, A + 0xf000, 0, &v), KPROBE_FAULT | MICA_FPAGE_R);
}

/* A grant with fewer rights takes them from what was derived from the
 * granted mapping too (the fuzzer found them left behind). */
KTEST(grant_with_fewer_rights_restricts_derived_memory)
{
	mica_cap_t a = ktask_create(), b = ktask_create();
	CHECK(a && b);
	/* our page -> b (rw), then b's -> a (rw, derived) */
	CHECK_OK(kmap(b, KTASK, KPAGE(7), A, 12, MICA_FPAGE_RW));
	CHECK_OK(kmap(a, b, A, A, 12, MICA_FPAGE_RW));
	mica_word_t v = 5;
	CHECK_EQ(kprobe(a, A, 1, &v), 0);
	/* b grants its page to us, read-only: a's copy loses write too. */
	CHECK_OK(mica_task_map(KTASK, b, mica_fpage_mem(A, 12, MICA_FPAGE_R), A + 0x10000, MICA_ITEM_GRANT));
	CHECK_EQ(kprobe(a, A, 1, &v), KPROBE_FAULT | MICA_FPAGE_W | MICA_PF_PRESENT);
	CHECK_EQ(kprobe(a, A, 0, &v), 0);
	CHECK_EQ(v, 5);
}

KTEST(grant_with_fewer_rights_restricts_derived_capabilities)
{
	mica_cap_t a = ktask_create(), b = ktask_create(), g = ksel();
	CHECK(a && b);
	CHECK_OK(mica_create_gate(KF, g, 0, 0));
	/* our gate -> b (all rights), then b's -> a (derived, all rights) */
	CHECK_OK(mica_task_map(b, KTASK, mica_fpage_obj(g, 0, MICA_RIGHTS_ALL), mica_item_unit(0x40, 0),
			       MICA_ITEM_MAP));
	CHECK_OK(mica_task_map(a, b, mica_fpage_obj(0x40, 0, MICA_RIGHTS_ALL), mica_item_unit(0x41, 0),
			       MICA_ITEM_MAP));
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(a, 0x41, &type, &rights));
	CHECK_EQ(rights, MICA_RIGHTS_ALL);
	/* b grants it to us with the send right only: a keeps no more. */
	mica_cap_t back = ksel();
	CHECK_OK(mica_task_map(KTASK, b, mica_fpage_obj(0x40, 0, MICA_GATE_R_SEND), mica_item_unit(back, 0),
			       MICA_ITEM_GRANT));
	CHECK_OK(mica_cap_info(KTASK, back, &type, &rights));
	CHECK_EQ(rights, MICA_GATE_R_SEND);
	CHECK_OK(mica_cap_info(a, 0x41, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_GATE);
	CHECK_EQ(rights, MICA_GATE_R_SEND);
}
