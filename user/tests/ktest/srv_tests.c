/* The server framework of user/lib (mica_srv.h): objects found by the
 * label of the capability a request came through, the method tables'
 * checks, capabilities in both directions, and requests no handler
 * should ever see. */
#include <mica/gate.h>
#include <mica_srv.h>

#include "servers.h"

enum { OP_ADD = 1, OP_GET = 2, OP_STOP = 3, OP_OPEN = 4, OP_SAME = 5, OP_BIG = 6, OP_SEL = 7, OP_WHO = 8 };

struct counter {
	struct mica_srv_obj o; /* first: handlers cast back */
	mica_word_t value;
};

#define NSLOTS 8
#define NSELS 64
static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct counter counters[3];
static int released;

static int add(struct mica_srv_req *r)
{
	struct counter *c = (struct counter *)r->obj;
	c->value += r->in[0];
	mica_srv_ret(r, c->value);
	return MICA_OK;
}

static int get(struct mica_srv_req *r)
{
	mica_srv_ret(r, ((struct counter *)r->obj)->value);
	mica_srv_ret(r, r->rights);
	return MICA_OK;
}

static int stop(struct mica_srv_req *r)
{
	r->srv->stop = 1;
	return MICA_OK;
}

/* Answers with a read-only capability to counters[1]. */
static int open(struct mica_srv_req *r)
{
	mica_cap_t c;
	int e = mica_srv_cap(r->srv, &counters[1].o, MICA_SRV_R_READ, &c);
	if (e != MICA_OK)
		return e;
	mica_srv_ret(r, 1);
	mica_srv_ret_cap(r, c, MICA_GATE_R_SEND, MICA_ITEM_MAP);
	return MICA_OK;
}

/* Whether the capability sent along names the object MR0 says (its
 * slot), found by the label of a request made through it. */
static int same(struct mica_srv_req *r)
{
	mica_cap_t c = r->in[1] ? mica_srv_take_cap(r) : 0;
	mica_srv_ret(r, r->rcv != 0 || c != 0);
	if (c) {
		mica_word_t type, rights;
		mica_srv_ret(r, mica_cap_info(MICA_CAP_TASK, c, &type, &rights) == MICA_OK ? type : 0);
		mica_cap_delete(MICA_CAP_TASK, c);
		mica_srv_sel_free(r->srv, c);
	}
	return MICA_OK;
}

/* More words than a message holds. */
static int big(struct mica_srv_req *r)
{
	for (unsigned i = 0; i < 70; i++)
		mica_srv_ret(r, i);
	return MICA_OK;
}

/* How many of the server's selectors are in use. */
static int sels(struct mica_srv_req *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NSELS; i++)
		n += (srv.sel_used[i / 64] >> (i % 64)) & 1;
	mica_srv_ret(r, n);
	return MICA_OK;
}

/* Which of our objects the capability sent along names (its slot + 1, 0:
 * none), with that capability's rights, and whether a capability
 * arrived instead. */
static int who(struct mica_srv_req *r)
{
	mica_srv_ret(r, r->local ? r->local->slot + 1 : 0);
	mica_srv_ret(r, r->local_rights);
	mica_srv_ret(r, r->rcv != 0);
	return MICA_OK;
}

static const struct mica_srv_method counter_methods[] = {
	{ OP_ADD, 1, MICA_SRV_R_WRITE, add },
	{ OP_GET, 0, MICA_SRV_R_READ, get },
	{ OP_STOP, 0, MICA_SRV_R_CONTROL, stop },
	{ OP_OPEN, 0, MICA_SRV_R_READ, open },
	{ OP_SAME, 2, 0, same },
	{ OP_BIG, 0, 0, big },
	{ OP_SEL, 0, 0, sels },
	{ OP_WHO, 0, 0, who },
};

static void counter_release(struct mica_srv_obj *o)
{
	(void)o;
	released++;
}

static const struct mica_srv_type counter_type = { "counter", counter_methods,
						   sizeof(counter_methods) / sizeof(counter_methods[0]),
						   counter_release };

/* A server thread with the three counters registered; *all gets a
 * capability to counters[0] with every right. */
static struct kthread *start(mica_cap_t *all)
{
	struct kthread *k = ksrv_thread(&srv, slots, gens, NSLOTS, sel_map, NSELS);
	if (!k)
		return 0;
	released = 0;
	for (unsigned i = 0; i < 3; i++) {
		counters[i].value = 0;
		if (mica_srv_add(&srv, &counters[i].o, &counter_type) != MICA_OK)
			return 0;
	}
	if (mica_srv_cap(&srv, &counters[0].o, MICA_SRV_RIGHTS, all) != MICA_OK || kthread_go(k) != MICA_OK)
		return 0;
	kyield();
	return k;
}

static int finish(struct kthread *k, mica_cap_t all)
{
	return mica_error(mica_call(all, OP_STOP, 0)) == MICA_OK && KWAIT(k) && k->out[0] == 0;
}

KTEST(srv_requests_reach_the_object_their_label_names)
{
	mica_cap_t a, b;
	struct kthread *k = start(&a);
	CHECK(k);
	CHECK_OK(mica_srv_cap(&srv, &counters[2].o, MICA_SRV_RIGHTS, &b));
	mica_mr()[0] = 5;
	CHECK_OK(mica_error(mica_call(a, OP_ADD, 1)));
	CHECK_EQ(mica_mr()[0], 5);
	mica_mr()[0] = 7;
	CHECK_OK(mica_error(mica_call(b, OP_ADD, 1)));
	mica_mr()[0] = 1;
	CHECK_OK(mica_error(mica_call(a, OP_ADD, 1)));
	CHECK_EQ(mica_mr()[0], 6);
	CHECK_EQ(counters[2].value, 7);
	CHECK_EQ(counters[1].value, 0);
	CHECK(finish(k, a));
}

KTEST(srv_checks_opcode_words_and_rights_before_the_handler)
{
	mica_cap_t a, ro;
	struct kthread *k = start(&a);
	CHECK(k);
	CHECK_OK(mica_srv_cap(&srv, &counters[0].o, MICA_SRV_R_READ, &ro));
	CHECK_TAG_ERR(mica_call(a, 99, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(a, 0, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(a, OP_ADD, 0), MICA_E_BAD_TAG, 0);
	mica_mr()[0] = 3;
	CHECK_TAG_ERR(mica_call(ro, OP_ADD, 1), MICA_E_NO_RIGHTS, 0);
	CHECK_TAG_ERR(mica_call(ro, OP_STOP, 0), MICA_E_NO_RIGHTS, 0);
	CHECK_EQ(counters[0].value, 0); /* no handler ran */
	CHECK_OK(mica_error(mica_call(ro, OP_GET, 0)));
	CHECK_EQ(mica_mr()[1], MICA_SRV_R_READ);
	/* An error tag is no request. */
	CHECK_TAG_ERR(mica_ipc(a, mica_msgtag(OP_GET, 0, 0, MICA_TAG_ERROR), MICA_IPC_CALL, 0, 0, 0),
		      MICA_E_BAD_TAG, 0);
	CHECK(finish(k, a));
}

KTEST(srv_unknown_and_stale_labels_name_nothing)
{
	mica_cap_t a, c;
	struct kthread *k = start(&a);
	CHECK(k);
	unsigned rights;
	CHECK(!mica_srv_lookup(&srv, 0, &rights));
	CHECK(!mica_srv_lookup(&srv, ~0ul, &rights));
	CHECK(!mica_srv_lookup(&srv, (mica_word_t)(NSLOTS + 1) << MICA_SRV_LABEL_SLOT_SHIFT, &rights));
	for (mica_word_t l = 1; l < 0x40000; l += 0x1001) {
		struct mica_srv_obj *o = mica_srv_lookup(&srv, l, &rights);
		CHECK(!o || (o == &counters[(l >> 16) - 1].o && rights == (l & 7)));
	}
	/* A removed object: its capabilities are revoked, its label stale. */
	CHECK_OK(mica_srv_cap(&srv, &counters[1].o, MICA_SRV_R_READ, &c));
	mica_cap_t copy = ksel();
	CHECK_OK(mica_cap_copy(KTASK, c, copy, MICA_RIGHTS_ALL, 0));
	mica_word_t old = (mica_word_t)(counters[1].o.slot + 1) << 16 | counters[1].o.gen << 3 | 1;
	CHECK(mica_srv_lookup(&srv, old, &rights) == &counters[1].o);
	mica_srv_remove(&srv, &counters[1].o);
	CHECK_EQ(released, 1);
	CHECK_TAG_ERR(mica_call(copy, OP_GET, 0), MICA_E_INVALID_CAP, 0);
	CHECK(!mica_srv_lookup(&srv, old, &rights));
	/* The slot again, with another generation. */
	CHECK_OK(mica_srv_add(&srv, &counters[1].o, &counter_type));
	CHECK(!mica_srv_lookup(&srv, old, &rights));
	CHECK_OK(mica_srv_cap(&srv, &counters[1].o, MICA_SRV_R_READ, &c));
	CHECK_OK(mica_error(mica_call(c, OP_GET, 0)));
	CHECK(finish(k, a));
}

KTEST(srv_answers_carry_capabilities)
{
	mica_cap_t a;
	struct kthread *k = start(&a);
	CHECK(k);
	counters[1].value = 42;
	mica_cap_t got = ksel();
	mica_word_t saved = mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(got, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t t = mica_call(a, OP_OPEN, 0);
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] = saved;
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_msgtag_u(t), 1);
	CHECK_EQ(mica_msgtag_t_items(t), 2);
	CHECK_OK(mica_error(mica_call(got, OP_GET, 0)));
	CHECK_EQ(mica_mr()[0], 42);
	CHECK_EQ(mica_mr()[1], MICA_SRV_R_READ);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(KTASK, got, &type, &rights));
	CHECK_EQ(rights, MICA_GATE_R_SEND); /* the item's rights, not more */
	CHECK(finish(k, a));
}

KTEST(srv_capabilities_sent_in_are_taken_or_dropped)
{
	mica_cap_t a;
	struct kthread *k = start(&a);
	CHECK(k);
	CHECK_OK(mica_srv_accept_caps(&srv));
	CHECK_OK(mica_error(mica_call(a, OP_SEL, 0)));
	mica_word_t in_use = mica_mr()[0];
	for (unsigned take = 0; take < 2; take++) {
		for (unsigned i = 0; i < 20; i++) {
			mica_mr()[0] = 0;
			mica_mr()[1] = take;
			mica_mr()[2] = mica_item_unit(0, MICA_ITEM_MAP);
			mica_mr()[3] = mica_fpage_obj(KF, 0, MICA_RIGHTS_ALL);
			mica_msgtag_t t = mica_ipc(a, mica_msgtag(OP_SAME, 2, 2, 0), MICA_IPC_CALL, 0, 0, 0);
			CHECK_OK(mica_error(t));
			CHECK_EQ(mica_mr()[0], 1);
			if (take)
				CHECK_EQ(mica_mr()[1], MICA_OBJ_FACTORY);
		}
		/* Whether the handler kept them or not, nothing piles up. */
		CHECK_OK(mica_error(mica_call(a, OP_SEL, 0)));
		CHECK_EQ(mica_mr()[0], in_use);
	}
	/* Without a capability along, none arrived. */
	mica_mr()[0] = 0;
	mica_mr()[1] = 1;
	CHECK_OK(mica_error(mica_call(a, OP_SAME, 2)));
	CHECK_EQ(mica_mr()[0], 0);
	CHECK(finish(k, a));
}

KTEST(srv_an_answer_too_long_is_an_overflow)
{
	mica_cap_t a;
	struct kthread *k = start(&a);
	CHECK(k);
	CHECK_TAG_ERR(mica_call(a, OP_BIG, 0), MICA_E_OVERFLOW, 0);
	/* The server goes on. */
	mica_mr()[0] = 2;
	CHECK_OK(mica_error(mica_call(a, OP_ADD, 1)));
	CHECK_EQ(mica_mr()[0], 2);
	CHECK(finish(k, a));
}

/* Calls OP_WHO through a with the capability `sent` as an object item. */
static mica_msgtag_t who_with(mica_cap_t a, mica_cap_t sent)
{
	mica_mr()[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mica_mr()[1] = mica_fpage_obj(sent, 0, MICA_RIGHTS_ALL);
	return mica_ipc(a, mica_msgtag(OP_WHO, 0, 2, 0), MICA_IPC_CALL, 0, 0, 0);
}

KTEST(srv_own_objects_sent_back_arrive_as_local_ids)
{
	mica_cap_t a, ro;
	struct kthread *k = start(&a);
	CHECK(k);
	CHECK_OK(mica_srv_accept_caps(&srv));
	CHECK_OK(mica_srv_cap(&srv, &counters[2].o, MICA_SRV_R_READ, &ro));
	CHECK_OK(mica_error(who_with(a, ro)));
	CHECK_EQ(mica_mr()[0], counters[2].o.slot + 1);
	CHECK_EQ(mica_mr()[1], MICA_SRV_R_READ);
	CHECK_EQ(mica_mr()[2], 0); /* no capability was inserted */
	CHECK_OK(mica_error(who_with(a, a)));
	CHECK_EQ(mica_mr()[0], counters[0].o.slot + 1);
	CHECK_EQ(mica_mr()[1], MICA_SRV_RIGHTS);
	/* Anything else arrives as a capability. */
	CHECK_OK(mica_error(who_with(a, KF)));
	CHECK_EQ(mica_mr()[0], 0);
	CHECK_EQ(mica_mr()[2], 1);
	/* A capability to a removed object is revoked: nothing to send. */
	mica_srv_remove(&srv, &counters[2].o);
	CHECK_OK(mica_error(who_with(a, ro)));
	CHECK_EQ(mica_mr()[0], 0);
	CHECK_EQ(mica_mr()[2], 0);
	CHECK(finish(k, a));
}
