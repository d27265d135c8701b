/* The protocol fuzzer's client: random and mutated messages to every
 * object it was given or made. A table of (target kind, opcode, words
 * generator, check of the answer) says what a plausible request of each
 * protocol looks like; a protocol joins as a target kind and its rows.
 * Objects it creates land in its own selectors (CL_OWNED + i); what was
 * there is ended first, as a well-behaved owner would, so at most
 * CL_OWNED_MAX of its objects live at a time. At the end it closes its
 * logs and leaves its memory objects for the root, which deletes the
 * allocator they were made with. Every few requests a valid sequence
 * (create, map, write, copy, clear, delete) checks that the memory
 * server still does what its protocol says. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/log.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <string.h>

#include "svcfuzz.h"

static unsigned long rng;
static struct target owned[CL_OWNED_MAX]; /* sel = CL_OWNED + i */

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A word a parser should fear: small, at a limit, or anything. */
static mica_word_t nasty(void)
{
	/* Counts at the log's limits, the factory types, page edges. */
	static const mica_word_t small[] = { 0,	    1,	   2,	  7,	 8,	9,	15,	16,
					     17,    63,	   64,	  200,	 201,	495,	496,	497,
					     0x100, 0x101, 0x102, 0x103, 0xfff, 0x1000, 0x1001, 0x200000 };
	/* MICA_DS_COPY_MAX and one more, 2^47 (the largest size) and past
	 * it, words whose sum with almost anything overflows. */
	static const mica_word_t large[] = { 0x4000000,		 0x4000001,	    0x800000000000,
					     0x800000001000,	 0x7fffffff,	    0x8000000000000000,
					     0xfffffffffffff000, 0xffffffffffffffff };
	switch (rnd() % 4) {
	case 0:
		return small[rnd() % (sizeof(small) / sizeof(small[0]))];
	case 1:
		return large[rnd() % (sizeof(large) / sizeof(large[0]))];
	case 2:
		return rnd() % 512;
	default:
		return rnd();
	}
}

/* One request being built: words in mr[0..u), items after them. */
struct req {
	const struct target *to;
	mica_word_t *mr;
	unsigned t;	 /* words of items after the words */
	mica_word_t in0; /* MR0 as sent (the answer's checks see the answer's MRs) */
};

/* ---- log (docs/protocols.md §8) ---- */

static unsigned gen_write(struct req *q)
{
	unsigned n = (unsigned)(rnd() % (MICA_LOG_WRITE_MAX + 1));
	q->mr[0] = n;
	char *bytes = (char *)&q->mr[1];
	for (unsigned i = 0; i < n; i++) {
		unsigned long r = rnd();
		/* Mostly letters, some newlines, a few bytes of any value. */
		bytes[i] = (char)(r % 8 ? 'a' + (r >> 8) % 26 : r % 32 ? '\n' : (r >> 8));
	}
	return 1 + (n + 7) / 8;
}

static unsigned gen_none(struct req *q)
{
	(void)q;
	return 0;
}

static unsigned gen_create_log(struct req *q)
{
	q->mr[0] = MICA_PROTO_LOG;
	q->mr[1] = rnd() % MICA_LOG_COLOURS;
	unsigned n = 1 + (unsigned)(rnd() % MICA_LOG_TAG_MAX);
	q->mr[2] = n;
	for (unsigned i = 0; i < n; i++)
		((char *)&q->mr[3])[i] = (char)('a' + rnd() % 26);
	return 3 + (n + 7) / 8;
}

/* ---- memory allocator (§2) ---- */

static mica_word_t ds_size(void)
{
	switch (rnd() % 8) {
	case 5: /* room for a 2 MiB page, or two: the quota is 4 MiB */
		return (1 + rnd() % 2) << 21;
	case 6:
		return nasty();
	case 7: /* up to twice the quota */
		return (rnd() % 2048) * 4096;
	default:
		return (1 + rnd() % 16) * 4096;
	}
}

static unsigned gen_create_ds(struct req *q)
{
	q->mr[0] = MICA_PROTO_DATASPACE;
	q->mr[1] = ds_size();
	/* PINNED, CONTIG and LARGE in every combination, a few unknown bits. */
	q->mr[2] = rnd() % 16 ? rnd() % 8 : nasty();
	return 3;
}

static unsigned gen_create_alloc(struct req *q)
{
	q->mr[0] = MICA_PROTO_ALLOCATOR;
	switch (rnd() % 4) {
	case 0:
		q->mr[1] = (1 + rnd() % 64) * 4096;
		break;
	case 1:
		q->mr[1] = rnd() % (1ul << 20);
		break;
	case 2:
		q->mr[1] = rnd() % 2 ? 0 : MICA_OBJ_COST;
		break;
	default:
		q->mr[1] = nasty();
	}
	return 2;
}

/* ---- dataspace (§3) ---- */

/* An offset inside the target (as far as the client knows its size),
 * at its end, or anywhere. */
static mica_word_t ds_offset(const struct req *q)
{
	mica_word_t size = q->to->size;
	switch (rnd() % 8) {
	case 0:
		return size;
	case 1:
		return size ? size - 1 : 0;
	case 2:
		return nasty();
	default:
		return size ? rnd() % size : rnd() % 0x10000;
	}
}

static unsigned gen_map(struct req *q)
{
	static const mica_word_t rights[] = { MICA_FPAGE_R, MICA_FPAGE_RW, MICA_FPAGE_RX, MICA_FPAGE_RWX };
	mica_word_t off = ds_offset(q);
	q->mr[0] = off;
	/* The hot spot: mostly agreeing with the offset modulo 2 MiB (a
	 * large page lands whole), else anywhere in the window, or junk. */
	switch (rnd() % 4) {
	case 0:
		q->mr[1] = nasty();
		break;
	case 1:
		q->mr[1] = rnd() % (1ul << CL_MEM_WINDOW_LOG2);
		break;
	default:
		q->mr[1] = CL_MEM_WINDOW + (off & ((1ul << 21) - 1)) + (rnd() % 2 << 21);
	}
	q->mr[2] = rnd() % 8 ? rights[rnd() % 4] : nasty();
	return 3;
}

/* A range: inside, whole pages, partial, or overflowing its end. */
static void ds_range(const struct req *q, mica_word_t *off, mica_word_t *size)
{
	mica_word_t ds = q->to->size ? q->to->size : 0x10000;
	switch (rnd() % 6) {
	case 0: /* whole pages */
		*off = (rnd() % (ds / 4096)) * 4096;
		*size = (1 + rnd() % 4) * 4096;
		break;
	case 1: /* the end overflows a word */
		*off = ds - 1;
		*size = ~0ul - rnd() % 4096;
		break;
	case 2:
		*off = nasty();
		*size = nasty();
		break;
	default:
		*off = rnd() % ds;
		*size = rnd() % (ds - *off + 4096);
	}
}

/* One of the capabilities a request could carry: the client's own
 * dataspaces (also deleted ones: empty selectors), the served objects
 * (another server's log, the root's allocator and dataspace) or the
 * kernel's console. */
static mica_cap_t some_cap(void)
{
	switch (rnd() % 4) {
	case 0:
		return sf.targets[rnd() % sf.ntargets].sel;
	case 1:
		return rnd() % 2 ? MICA_CAP_VCON : CL_SCRATCH;
	default:
		return CL_OWNED + (mica_cap_t)(rnd() % CL_OWNED_MAX);
	}
}

static unsigned gen_clear(struct req *q)
{
	ds_range(q, &q->mr[0], &q->mr[1]);
	return 2;
}

/* A dataspace the client holds a capability to (its own, or the
 * root's), or 0 if none. */
static const struct target *some_ds(void)
{
	const struct target *c[CL_OWNED_MAX + MAX_TARGETS];
	unsigned n = 0;
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		if (owned[i].kind == T_DS)
			c[n++] = &owned[i];
	for (unsigned i = 0; i < sf.ntargets; i++)
		if (sf.targets[i].kind == T_DS)
			c[n++] = &sf.targets[i];
	return n ? c[rnd() % n] : 0;
}

static unsigned gen_copy_in(struct req *q)
{
	const struct target *src = rnd() % 4 ? some_ds() : 0;
	if (src && q->to->size && src->size) {
		/* Both ranges inside, mostly: a copy that can succeed. */
		mica_word_t d = rnd() % q->to->size, s = rnd() % src->size, room = q->to->size - d;
		if (room > src->size - s)
			room = src->size - s;
		q->mr[0] = d;
		q->mr[1] = s;
		q->mr[2] = rnd() % 4 ? rnd() % (room < 0x3000 ? room + 1 : 0x3000) : room;
	} else {
		mica_word_t size;
		ds_range(q, &q->mr[0], &size);
		q->mr[1] = rnd() % 2 ? q->mr[0] : ds_offset(q);
		q->mr[2] = rnd() % 16 ? size % 0x6000 : size;
	}
	if (rnd() % 8) {
		q->mr[3] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[4] = mica_fpage_obj(src ? src->sel : some_cap(), 0,
					  rnd() % 8 ? MICA_RIGHTS_ALL : rnd() % 8);
		q->t = 2;
	}
	return 3;
}

static unsigned gen_phys(struct req *q)
{
	q->mr[0] = ds_offset(q);
	return 1;
}

/* After a MAP answered with a page: it is where the send-base rule
 * puts it and reads back what is written to it (the page stays mapped
 * until the client's next request: nothing else talks to the server). */
static void touch(struct req *q, mica_msgtag_t r)
{
	if (mica_msgtag_is_error(r) || mica_msgtag_t_items(r) != 2)
		return;
	mica_word_t hot = q->mr[0] & ~0xffful, fp = q->mr[1], off = q->in0;
	unsigned s = mica_fpage_log2(fp);
	mica_word_t page = CL_MEM_WINDOW + ((hot & ~((1ul << s) - 1)) & ((1ul << CL_MEM_WINDOW_LOG2) - 1));
	volatile unsigned char *b = (volatile unsigned char *)(page + (off & ((1ul << s) - 1)));
	unsigned char v = *b;
	if (mica_fpage_rights(fp) & MICA_FPAGE_W) {
		v = (unsigned char)(v + 1 + rnd() % 254);
		*b = v;
	}
	if (*b != v)
		sf.check_failed = 1;
	sf.maps_touched++;
}

struct method {
	enum target_kind kind;
	mica_word_t op;
	unsigned (*gen)(struct req *q);
	/* If not 0: looks at the answer (in the MRs) of a request made as
	 * the row says (the words perhaps mutated). */
	void (*after)(struct req *q, mica_msgtag_t answer);
};

/* A row twice weighs twice (the methods with the most words to get
 * wrong). */
static const struct method methods[] = {
	{ T_LOG, MICA_LOG_WRITE, gen_write, 0 },
	{ T_LOG, MICA_LOG_FLUSH, gen_none, 0 },
	{ T_LOG, MICA_LOG_CLOSE, gen_none, 0 },
	{ T_LOG_FACTORY, MICA_FACTORY_CREATE, gen_create_log, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_ds, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_ds, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_alloc, 0 },
	{ T_ALLOC, MICA_FACTORY_INFO, gen_none, 0 },
	{ T_ALLOC, MICA_OBJ_DELETE, gen_none, 0 },
	{ T_DS, MICA_DS_INFO, gen_none, 0 },
	{ T_DS, MICA_DS_MAP, gen_map, touch },
	{ T_DS, MICA_DS_MAP, gen_map, touch },
	{ T_DS, MICA_DS_CLEAR, gen_clear, 0 },
	{ T_DS, MICA_DS_COPY_IN, gen_copy_in, 0 },
	{ T_DS, MICA_DS_COPY_IN, gen_copy_in, 0 },
	{ T_DS, MICA_DS_PHYS, gen_phys, 0 },
	{ T_DS, MICA_OBJ_DELETE, gen_none, 0 },
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* What a CREATE of type `type` answered with an object makes. */
static enum target_kind kind_of(mica_word_t type)
{
	switch (type) {
	case MICA_PROTO_LOG:
		return T_LOG;
	case MICA_PROTO_DATASPACE:
		return T_DS;
	case MICA_PROTO_ALLOCATOR:
		return T_ALLOC;
	default:
		return T_NONE;
	}
}

/* Ends what the client owns at owned[i], if anything: a log is closed,
 * a memory object deleted (an allocator with all it made). Either
 * revokes every capability to it, this one too, so the selector is
 * empty after (the client holds no capability to its own task to delete
 * with). An object already gone (closed by a request of the fuzzing, or
 * with its allocator) answers INVALID_CAP. */
static void drop(unsigned i)
{
	if (owned[i].kind == T_LOG)
		mica_log_close(owned[i].sel);
	else if (owned[i].kind != T_NONE)
		mica_call(owned[i].sel, MICA_OBJ_DELETE, 0);
	owned[i].kind = T_NONE;
}

/* Whether sel is empty: the kernel answers INVALID_CAP before any
 * server sees the request (an object would answer UNKNOWN_OP). */
static int empty(mica_cap_t sel)
{
	return mica_error(mica_call(sel, 0x77, 0)) == MICA_E_INVALID_CAP;
}

static void mix(mica_msgtag_t r)
{
	sf.digest = (sf.digest ^ (mica_word_t)mica_error(r) ^ (mica_msgtag_is_error(r) ? 0 : mica_mr()[0])) *
		    0x100000001b3ul;
}

/* One call of the client's: counted and mixed into the digest. */
static mica_msgtag_t send(mica_cap_t to, mica_word_t op, unsigned u, unsigned t, mica_cap_t win)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	*br = mica_fpage_obj(win, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t r = mica_ipc(to, mica_msgtag(op, u, t, 0), MICA_IPC_CALL, 0, 0, 0);
	*br = MICA_FPAGE_NIL;
	sf.sent++;
	if (!mica_msgtag_is_error(r))
		sf.answered_ok++;
	mix(r);
	return r;
}

/* One request: a method of the table, mutated or not, or noise. */
static void one(void)
{
	mica_word_t *mr = mica_mr();
	const struct target *to;
	if (rnd() % 4 == 0)
		to = &owned[rnd() % CL_OWNED_MAX];
	else
		to = &sf.targets[rnd() % sf.ntargets];
	/* Mostly a method of the target's kind, else any. */
	const struct method *m = &methods[rnd() % NMETHODS];
	for (unsigned tries = 0; m->kind != to->kind && tries < 16 && rnd() % 4; tries++)
		m = &methods[rnd() % NMETHODS];
	struct req q = { to, mr, 0, 0 };
	mica_word_t op = m->op;
	unsigned u = m->kind == to->kind || rnd() % 2 ? m->gen(&q) : 0;
	unsigned t = q.t;
	switch (rnd() % 4) {
	case 0: /* as generated */
	case 1:
		break;
	case 2: /* a word mutated, or another count of words */
		if (rnd() % 2)
			mr[rnd() % (u + 1)] = nasty();
		else
			u = (unsigned)(rnd() % (MICA_MSG_WORDS_MAX + 1));
		break;
	default: /* noise */
		op = rnd() % 2 ? rnd() % 8 : rnd() % 2 ? MICA_OBJ_DELETE : rnd();
		u = (unsigned)(rnd() % (MICA_MSG_WORDS_MAX + 1));
		for (unsigned i = 0; i < u; i++)
			mr[i] = nasty();
		t = 0;
	}
	if (u + t > MICA_MSG_WORDS_MAX + 1)
		t = 0;
	if (rnd() % 16 == 0 && u + 2 <= MICA_MSG_WORDS_MAX + 1) {
		/* A wrong item: a capability nobody asked for, or memory (a
		 * page of the client's own; the server accepts none). */
		if (rnd() % 4) {
			mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
			mr[u + 1] = mica_fpage_obj(some_cap(), 0, MICA_RIGHTS_ALL);
		} else {
			mr[u] = mica_item_mem(0, MICA_ITEM_MAP);
			mr[u + 1] = mica_fpage_mem((mica_word_t)&rng & ~0xffful, 12, MICA_FPAGE_R);
		}
		t = 2;
	}
	/* Whatever the answer carries lands in an owned selector: what was
	 * there is ended first, so nothing is lost without being ended. */
	unsigned w = (unsigned)(rnd() % CL_OWNED_MAX);
	q.in0 = mr[0];
	mica_word_t size = mr[1];
	if (op == MICA_FACTORY_CREATE) {
		mica_word_t saved[MICA_MSG_WORDS_MAX + 1];
		memcpy(saved, mr, sizeof(saved));
		drop(w);
		memcpy(mr, saved, sizeof(saved));
	}
	mica_msgtag_t r = send(to->sel, op, u, t, op == MICA_FACTORY_CREATE ? owned[w].sel : CL_SCRATCH);
	if (op == MICA_FACTORY_CREATE && !mica_msgtag_is_error(r) && mica_msgtag_t_items(r)) {
		owned[w].kind = kind_of(q.in0);
		owned[w].size = owned[w].kind == T_DS ? size : 0;
	}
	if (m->after && op == m->op && m->kind == to->kind)
		m->after(&q, r);
}

/* A valid sequence through the client's allocator (the first target
 * of kind T_ALLOC with CREATE): a dataspace written through a mapping,
 * copied to another, read back from there, cleared, then both deleted.
 * Running out of quota or objects is no failure (the fuzzing may hold
 * them); a wrong answer of any other kind is. */
static void sequence(void)
{
	const struct target *a = &sf.targets[sf.own_alloc];
	unsigned i1 = (unsigned)(rnd() % CL_OWNED_MAX), i2 = (i1 + 1) % CL_OWNED_MAX;
	mica_word_t pages = 1 + rnd() % 4, size = pages * 4096, off = rnd() % size;
	mica_word_t *mr = mica_mr();
	drop(i1);
	drop(i2);
	unsigned ok = 0;
	for (unsigned k = 0; k < 2; k++) {
		unsigned i = k ? i2 : i1;
		mr[0] = MICA_PROTO_DATASPACE;
		mr[1] = size;
		mr[2] = 0;
		mica_msgtag_t r = send(a->sel, MICA_FACTORY_CREATE, 3, 0, owned[i].sel);
		if (mica_error(r) == MICA_E_NO_MEMORY)
			return;
		if (mica_error(r) != MICA_OK || mica_msgtag_t_items(r) != 2) {
			sf.check_failed = 1;
			return;
		}
		owned[i].kind = T_DS;
		owned[i].size = size;
	}
	/* Write through a mapping of the first. */
	volatile unsigned char *b = (volatile unsigned char *)(CL_MEM_WINDOW + off);
	unsigned char v = (unsigned char)(1 + rnd() % 255);
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_RW;
	mica_msgtag_t r = send(owned[i1].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	if (mica_error(r) != MICA_OK || *b != 0) {
		sf.check_failed = 1;
		return;
	}
	*b = v;
	/* Copy it all to the second, and read it there. */
	mr[0] = 0;
	mr[1] = 0;
	mr[2] = size;
	mr[3] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[4] = mica_fpage_obj(owned[i1].sel, 0, MICA_RIGHTS_ALL);
	r = send(owned[i2].sel, MICA_DS_COPY_IN, 3, 2, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	ok += mica_error(r) == MICA_OK;
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_R;
	r = send(owned[i2].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	ok += mica_error(r) == MICA_OK && *b == v;
	/* Cleared, the first reads zero again (its page is new). */
	mr[0] = off & ~0xffful;
	mr[1] = 4096;
	ok += mica_error(send(owned[i1].sel, MICA_DS_CLEAR, 2, 0, CL_SCRATCH)) == MICA_OK;
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_R;
	r = send(owned[i1].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	ok += mica_error(r) == MICA_OK && *b == 0;
	ok += mica_error(send(owned[i1].sel, MICA_OBJ_DELETE, 0, 0, CL_SCRATCH)) == MICA_OK;
	ok += mica_error(send(owned[i1].sel, MICA_DS_INFO, 0, 0, CL_SCRATCH)) == MICA_E_INVALID_CAP;
	owned[i1].kind = T_NONE;
	if (ok != 6)
		sf.check_failed = 1;
	sf.sequences++;
}

void svcfuzz_client(long unused)
{
	(void)unused;
	rng = sf.seed * 0x9e3779b97f4a7c15ul + 1;
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		owned[i].sel = CL_OWNED + i;
	mica_utcb()->br[MICA_BR_MEM_WINDOW] =
		mica_fpage_mem(CL_MEM_WINDOW, CL_MEM_WINDOW_LOG2, MICA_FPAGE_RWX);
	for (unsigned long i = 0; i < sf.iterations; i++) {
		if (rnd() % 32 == 0)
			sequence();
		else
			one();
	}
	/* Logs are the client's to close; its memory objects are left to
	 * go with the allocator they were made with (the root deletes it
	 * and counts what goes). Every other selector must be empty: no
	 * answer left a capability the client does not know of. */
	for (unsigned i = 0; i < CL_OWNED_MAX; i++) {
		if (owned[i].kind == T_LOG)
			drop(i);
		else if (owned[i].kind == T_DS &&
			 mica_error(mica_call(owned[i].sel, MICA_DS_INFO, 0)) == MICA_OK)
			sf.left++;
		else if (owned[i].kind == T_ALLOC &&
			 mica_error(mica_call(owned[i].sel, MICA_FACTORY_INFO, 0)) == MICA_OK)
			sf.left++;
		else
			owned[i].kind = T_NONE;
	}
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		if (owned[i].kind == T_NONE && !empty(owned[i].sel))
			sf.client_failed = 1;
	if (!empty(CL_SCRATCH))
		sf.client_failed = 1;
	sf.done = 1;
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}
