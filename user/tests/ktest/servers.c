/* The small servers and the caller of servers.h. */
#include "servers.h"

void echo_server(struct kthread *k)
{
	mica_word_t label;
	mica_msgtag_t t = mica_wait(k->cap, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		if (mica_msgtag_is_error(t) && (t.raw & MICA_TAG_RECV_PHASE)) {
			k->out[0] = mica_error(t);
			return;
		}
		k->out[1]++;
		k->out[2] = label;
		unsigned u = mica_msgtag_u(t);
		mica_word_t *mr = mica_mr();
		for (unsigned i = 0; i < u; i++)
			mr[i]++;
		t = mica_reply_wait(mica_msgtag(mica_msgtag_label(t) + 1, u, 0, 0), k->cap, &label);
	}
}

struct kthread *new_echo(mica_cap_t task, int bound, mica_cap_t *gate)
{
	struct kthread *k = kthread_new(task, echo_server, 0);
	if (!k)
		return 0;
	*gate = ksel();
	if (mica_create_gate(KF, *gate, bound ? k->sel : 0, 0) != MICA_OK)
		return 0;
	k->cap = 0;
	if (!bound) {
		k->cap = *gate;
		if (task != KTASK) {
			k->cap = 0x30;
			if (kgive(task, *gate, k->cap) != MICA_OK)
				return 0;
		}
	}
	return k;
}

struct kthread *start_echo(mica_cap_t task, int bound, mica_cap_t *gate)
{
	struct kthread *k = new_echo(task, bound, gate);
	if (!k || kthread_go(k) != MICA_OK)
		return 0;
	kyield(); /* let it reach its wait */
	return k;
}

struct kthread *start_on_new_gate(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t *gate)
{
	*gate = ksel();
	if (mica_create_gate(KF, *gate, 0, 0) != MICA_OK)
		return 0;
	struct kthread *k = kthread_new(KTASK, fn, arg);
	if (!k)
		return 0;
	k->cap = *gate;
	if (kthread_go(k) != MICA_OK)
		return 0;
	kyield();
	return k;
}

void call_with_arg(struct kthread *k)
{
	mica_mr()[0] = k->arg;
	k->out[0] = mica_call(k->cap, 1, 1).raw;
	k->out[1] = mica_mr()[0];
}

static void srv_serve(struct kthread *k)
{
	k->out[0] = (mica_word_t)mica_srv_loop((struct mica_srv *)k->arg);
}

struct kthread *ksrv_thread(struct mica_srv *s, struct mica_srv_obj **slots, uint32_t *gens, unsigned nslots,
			    uint64_t *sel_map, unsigned nsels)
{
	struct kthread *k = kthread_new(KTASK, srv_serve, (mica_word_t)s);
	if (!k)
		return 0;
	mica_cap_t g = ksel(), base = ksel();
	for (unsigned i = 1; i < nsels; i++)
		ksel();
	if (mica_create_gate(KF, g, k->sel, 0) != MICA_OK)
		return 0;
	mica_srv_init(s, g, slots, gens, nslots, base, sel_map, nsels);
	return k;
}
