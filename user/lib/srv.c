/* The server framework (mica_srv.h): the registry of served objects, the
 * capabilities minted for them, and the checked dispatch of requests. */
#include <mica/gate.h>
#include <mica_obj.h>
#include <mica_srv.h>
#include <string.h>

void mica_srv_init(struct mica_srv *s, mica_cap_t gate, struct mica_srv_obj **slots, uint32_t *gens,
		   unsigned nslots, mica_cap_t sel_base, uint64_t *sel_used, unsigned sel_count)
{
	memset(s, 0, sizeof(*s));
	s->gate = gate;
	s->slots = slots;
	s->gens = gens;
	s->nslots = nslots;
	s->sel_base = sel_base;
	s->sel_count = sel_count;
	s->sel_used = sel_used;
	for (unsigned i = 0; i < nslots; i++) {
		slots[i] = 0;
		gens[i] = 0;
	}
	memset(sel_used, 0, (sel_count + 63) / 64 * sizeof(*sel_used));
}

mica_cap_t mica_srv_sel_alloc(struct mica_srv *s)
{
	for (unsigned w = 0; w < (s->sel_count + 63) / 64; w++) {
		uint64_t free = ~s->sel_used[w];
		if (!free)
			continue;
		unsigned i = w * 64 + (unsigned)__builtin_ctzll(free);
		if (i >= s->sel_count)
			return 0;
		s->sel_used[w] |= 1ull << (i % 64);
		return s->sel_base + i;
	}
	return 0;
}

void mica_srv_sel_free(struct mica_srv *s, mica_cap_t sel)
{
	if (sel < s->sel_base || sel - s->sel_base >= s->sel_count)
		return;
	unsigned i = (unsigned)(sel - s->sel_base);
	s->sel_used[i / 64] &= ~(1ull << (i % 64));
}

/* Word copies and fills for the request path: one rep movsq / stosq
 * (memcpy and memset go a byte at a time, and every request pays for
 * these). */
static inline void copy_words(mica_word_t *dst, const mica_word_t *src, mica_word_t n)
{
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static inline void zero_words(mica_word_t *dst, mica_word_t n)
{
	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(n) : "a"(0ul) : "memory");
}

static mica_word_t label_of(const struct mica_srv_obj *o, unsigned rights)
{
	return (mica_word_t)(o->slot + 1) << MICA_SRV_LABEL_SLOT_SHIFT |
	       (mica_word_t)(o->gen & MICA_SRV_LABEL_GEN_MASK) << MICA_SRV_LABEL_GEN_SHIFT | rights;
}

int mica_srv_add(struct mica_srv *s, struct mica_srv_obj *o, const struct mica_srv_type *t)
{
	for (unsigned i = 0; i < s->nslots; i++) {
		if (s->slots[i])
			continue;
		memset(o, 0, sizeof(*o));
		o->type = t;
		o->slot = i;
		o->gen = s->gens[i];
		s->slots[i] = o;
		return MICA_OK;
	}
	return MICA_E_NO_MEMORY;
}

void mica_srv_remove(struct mica_srv *s, struct mica_srv_obj *o)
{
	for (unsigned r = 0; r <= MICA_SRV_RIGHTS; r++) {
		if (!o->caps[r])
			continue;
		/* Flushing the minted capability's object flexpage revokes it
		 * and everything derived from it, in every task. */
		mica_word_t fp = mica_fpage_obj(o->caps[r], 0, MICA_RIGHTS_ALL);
		mica_task_unmap(MICA_CAP_TASK, MICA_UNMAP_FLUSH, &fp, 1);
		mica_srv_sel_free(s, o->caps[r]);
		o->caps[r] = 0;
	}
	s->slots[o->slot] = 0;
	s->gens[o->slot] = (s->gens[o->slot] + 1) & MICA_SRV_LABEL_GEN_MASK;
	if (o->type->release)
		o->type->release(o);
}

int mica_srv_cap(struct mica_srv *s, struct mica_srv_obj *o, unsigned rights, mica_cap_t *sel)
{
	rights &= MICA_SRV_RIGHTS;
	if (!o->caps[rights]) {
		mica_cap_t c = mica_srv_sel_alloc(s);
		if (!c)
			return MICA_E_NO_MEMORY;
		int e = mica_cap_copy(MICA_CAP_TASK, s->gate, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP,
				      label_of(o, rights));
		if (e != MICA_OK) {
			mica_srv_sel_free(s, c);
			return e;
		}
		o->caps[rights] = c;
	}
	*sel = o->caps[rights];
	return MICA_OK;
}

struct mica_srv_obj *mica_srv_lookup(const struct mica_srv *s, mica_word_t label, unsigned *rights)
{
	mica_word_t slot = (label >> MICA_SRV_LABEL_SLOT_SHIFT) - 1;
	if (slot >= s->nslots)
		return 0;
	struct mica_srv_obj *o = s->slots[slot];
	if (!o || ((label >> MICA_SRV_LABEL_GEN_SHIFT) & MICA_SRV_LABEL_GEN_MASK) != o->gen)
		return 0;
	*rights = label & MICA_SRV_RIGHTS;
	return o;
}

int mica_srv_accept_caps(struct mica_srv *s)
{
	if (!s->rcv && !(s->rcv = mica_srv_sel_alloc(s)))
		return MICA_E_NO_MEMORY;
	return MICA_OK;
}

/* The serving thread's receive window, before each receive. */
static void set_window(const struct mica_srv *s)
{
	mica_utcb()->br[MICA_BR_OBJ_WINDOW] =
		s->rcv ? mica_fpage_obj(s->rcv, 0, MICA_RIGHTS_ALL) : MICA_FPAGE_NIL;
	mica_utcb()->br[MICA_BR_FLAGS] = MICA_RCV_LOCAL_IDS;
}

/* The first of the n + t words' items that named one of our own
 * objects (a local id), or 0. */
static struct mica_srv_obj *find_local(const struct mica_srv *s, const mica_word_t *in, unsigned n,
				       unsigned t, unsigned *rights)
{
	for (unsigned i = n; i + 1 < n + t; i += MICA_ITEM_WORDS) {
		struct mica_srv_obj *o;
		if ((in[i] & MICA_ITEM_KIND_MASK) == MICA_ITEM_LOCAL &&
		    (o = mica_srv_lookup(s, in[i + 1], rights)))
			return o;
	}
	return 0;
}

mica_cap_t mica_srv_take_cap(struct mica_srv_req *r)
{
	mica_cap_t c = r->rcv;
	if (!c)
		return 0;
	r->rcv = 0;
	/* A new window for the next request (none if the selectors ran
	 * out: capabilities sent then fail with MICA_E_OVERFLOW). */
	r->srv->rcv = 0;
	mica_srv_accept_caps(r->srv);
	return c;
}

void mica_srv_ret(struct mica_srv_req *r, mica_word_t w)
{
	if (r->out < MICA_MSG_WORDS_MAX)
		r->ans[r->out] = w;
	r->out++;
}

static void ret_item(struct mica_srv_req *r, mica_word_t w0, mica_word_t w1)
{
	if (r->out_items + MICA_ITEM_WORDS <= MICA_MSG_WORDS_MAX + 1) {
		r->ans_items[r->out_items] = w0;
		r->ans_items[r->out_items + 1] = w1;
	}
	r->out_items += MICA_ITEM_WORDS;
}

void mica_srv_ret_cap(struct mica_srv_req *r, mica_cap_t sel, unsigned rights, enum mica_item_kind kind)
{
	ret_item(r, mica_item_unit(0, kind), mica_fpage_obj(sel, 0, rights));
}

void mica_srv_ret_mem(struct mica_srv_req *r, mica_word_t fpage, mica_word_t hot)
{
	ret_item(r, mica_item_mem(hot, MICA_ITEM_MAP), fpage);
}

void mica_srv_ret_ports(struct mica_srv_req *r, mica_word_t fpage)
{
	ret_item(r, mica_item_unit(mica_fpage_base(fpage), MICA_ITEM_MAP), fpage);
}

static const struct mica_srv_method *method(const struct mica_srv_type *t, mica_word_t op)
{
	for (unsigned i = 0; i < t->count; i++)
		if (t->methods[i].op == op)
			return &t->methods[i];
	return 0;
}

/* Whether a capability landed in the receive window with this request. */
static bool cap_arrived(const struct mica_srv *s, mica_msgtag_t tag)
{
	mica_word_t type, rights;
	return s->rcv && mica_msgtag_t_items(tag) &&
	       mica_cap_info(MICA_CAP_TASK, s->rcv, &type, &rights) == MICA_OK && type != MICA_OBJ_NONE;
}

/* MICA_OBJ_REDUCE, for every type: the object with the rights the
 * caller's capability has and MR0 keeps (mica_srv_cap keeps one minted
 * capability per rights, so this allocates nothing more than 8 times per
 * object). */
static int reduce(struct mica_srv_req *r)
{
	mica_cap_t c;
	int e = mica_srv_cap(r->srv, r->obj, r->rights & (unsigned)r->in[0], &c);
	if (e == MICA_OK)
		mica_srv_ret_cap(r, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return e;
}

mica_msgtag_t mica_srv_dispatch(struct mica_srv *s, mica_msgtag_t tag, mica_word_t label)
{
	struct mica_srv_req r;
	r.srv = s;
	r.n = mica_msgtag_u(tag);
	r.t = mica_msgtag_t_items(tag);
	r.out = r.out_items = 0;
	r.op = mica_msgtag_label(tag);
	/* The copy first (items too): every system call here (cap_arrived's
	 * too) overwrites the MRs. */
	unsigned words = r.n + r.t > MICA_MSG_WORDS_MAX + 1 ? MICA_MSG_WORDS_MAX + 1 : r.n + r.t;
	r.in[0] = 0; /* for the analyser: copy_words may copy no word */
	copy_words(r.in, mica_mr(), words);
	zero_words(r.in + words, MICA_MSG_WORDS_MAX + 1 - words);
	r.local_rights = 0;
	r.rights = 0;
	r.local = find_local(s, r.in, r.n, r.t, &r.local_rights);
	r.rcv = cap_arrived(s, tag) ? s->rcv : 0;
	int e;
	const struct mica_srv_method *m = 0;
	/* An error tag is no request; then the kernel's order (docs/abi.md
	 * §4): the object, its method, the rights, the words. */
	if (!(r.obj = mica_srv_lookup(s, label, &r.rights)))
		e = MICA_E_INVALID_CAP;
	else if (!(m = method(r.obj->type, r.op)) && r.op == MICA_OBJ_REDUCE)
		e = r.n < 1 || mica_msgtag_is_error(tag) ? MICA_E_BAD_TAG : reduce(&r);
	else if (!m)
		e = MICA_E_UNKNOWN_OP;
	else if ((r.rights & m->rights) != m->rights)
		e = MICA_E_NO_RIGHTS;
	else if (r.n < m->words || mica_msgtag_is_error(tag))
		e = MICA_E_BAD_TAG;
	else {
		e = m->fn(&r);
		if (e == MICA_OK &&
		    (r.out > MICA_MSG_WORDS_MAX || r.out + r.out_items > MICA_MSG_WORDS_MAX + 1))
			e = MICA_E_OVERFLOW;
	}
	if (r.rcv) /* not taken: the window stays for the next request */
		mica_cap_delete(MICA_CAP_TASK, r.rcv);
	if (e != MICA_OK)
		return mica_error_tag((enum mica_error)e);
	copy_words(mica_mr(), r.ans, r.out);
	copy_words(mica_mr() + r.out, r.ans_items, r.out_items);
	return mica_msgtag(0, r.out, r.out_items, 0);
}

int mica_srv_loop(struct mica_srv *s)
{
	mica_word_t label;
	set_window(s);
	mica_msgtag_t tag = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		if (mica_msgtag_is_error(tag) && (tag.raw & MICA_TAG_RECV_PHASE))
			return (int)mica_msgtag_label(tag);
		mica_msgtag_t answer = mica_srv_dispatch(s, tag, label);
		if (s->stop) {
			mica_reply(answer);
			return 0;
		}
		set_window(s);
		tag = mica_reply_wait(answer, MICA_CAP_INVALID, &label);
	}
}
