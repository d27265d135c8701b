/* The protocol fuzzer's client: random and mutated messages to every
 * object it was given or made. A table of (target kind, opcode, words
 * generator) says what a plausible request of each protocol looks like;
 * more protocols (dataspace, allocator, region map) plug in as rows.
 * Objects it creates land in its own selectors (CL_OWNED + i) and are
 * closed when replaced and at the end, as a well-behaved owner would, so
 * the server's resources must come back to where they started. */
#include <mica/factory.h>
#include <mica/log.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <string.h>

#include "svcfuzz.h"

static unsigned long rng;

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
	static const mica_word_t edges[] = { 0,	  1,   2,     7,     8,	   9,	      15,
					     16,  17,  63,    64,    200,  201,	      495,
					     496, 497, 0x100, 0x103, ~0ul, 1ul << 63, 0x7fffffff };
	switch (rnd() % 3) {
	case 0:
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return rnd() % 512;
	default:
		return rnd();
	}
}

/* Generators: fill MRs, return u. */
static unsigned gen_write(mica_word_t *mr)
{
	unsigned n = (unsigned)(rnd() % (MICA_LOG_WRITE_MAX + 1));
	mr[0] = n;
	char *bytes = (char *)&mr[1];
	for (unsigned i = 0; i < n; i++) {
		unsigned long r = rnd();
		/* Mostly letters, some newlines, a few bytes of any value. */
		bytes[i] = (char)(r % 8 ? 'a' + (r >> 8) % 26 : r % 32 ? '\n' : (r >> 8));
	}
	return 1 + (n + 7) / 8;
}

static unsigned gen_none(mica_word_t *mr)
{
	(void)mr;
	return 0;
}

static unsigned gen_create(mica_word_t *mr)
{
	mr[0] = MICA_PROTO_LOG;
	mr[1] = rnd() % MICA_LOG_COLOURS;
	unsigned n = 1 + (unsigned)(rnd() % MICA_LOG_TAG_MAX);
	mr[2] = n;
	for (unsigned i = 0; i < n; i++)
		((char *)&mr[3])[i] = (char)('a' + rnd() % 26);
	return 3 + (n + 7) / 8;
}

struct method {
	enum target_kind kind;
	mica_word_t op;
	unsigned (*gen)(mica_word_t *mr);
};

static const struct method methods[] = {
	{ T_LOG, MICA_LOG_WRITE, gen_write },
	{ T_LOG, MICA_LOG_FLUSH, gen_none },
	{ T_LOG, MICA_LOG_CLOSE, gen_none },
	{ T_LOG_FACTORY, MICA_FACTORY_CREATE, gen_create },
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* Ends what the client owns at sel, if anything. Closing a log revokes
 * every capability to it, this one too, so the selector is empty after
 * (the client holds no capability to its own task to delete with). */
static void drop(mica_cap_t sel)
{
	mica_log_close(sel);
}

/* One request: a method of the table, mutated or not, or noise. */
static void one(void)
{
	mica_word_t *mr = mica_mr();
	mica_cap_t to;
	enum target_kind kind;
	if (rnd() % 4 == 0) {
		to = CL_OWNED + (mica_cap_t)(rnd() % CL_OWNED_MAX);
		kind = T_LOG;
	} else {
		const struct target *t = &sf.targets[rnd() % sf.ntargets];
		to = t->sel;
		kind = t->kind;
	}
	const struct method *m = &methods[rnd() % NMETHODS];
	mica_word_t op = m->op;
	unsigned u = m->kind == kind || rnd() % 2 ? m->gen(mr) : 0;
	switch (rnd() % 4) {
	case 0: /* as generated */
		break;
	case 1: /* a word mutated */
		mr[rnd() % (u + 1)] = nasty();
		break;
	case 2: /* another count of words */
		u = (unsigned)(rnd() % (MICA_MSG_WORDS_MAX + 1));
		break;
	default: /* noise */
		op = rnd() % 2 ? rnd() % 8 : rnd();
		u = (unsigned)(rnd() % (MICA_MSG_WORDS_MAX + 1));
		for (unsigned i = 0; i < u; i++)
			mr[i] = nasty();
	}
	unsigned t = 0;
	if (rnd() % 8 == 0 && u + 2 <= MICA_MSG_WORDS_MAX + 1) {
		mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[u + 1] = mica_fpage_obj(sf.targets[rnd() % sf.ntargets].sel, 0, MICA_RIGHTS_ALL);
		t = 2;
	}
	/* Whatever the answer carries lands in an owned selector: what was
	 * there is closed first, so nothing is lost without being ended. */
	mica_cap_t win = CL_OWNED + (mica_cap_t)(rnd() % CL_OWNED_MAX);
	if (op == MICA_FACTORY_CREATE) {
		mica_word_t saved[MICA_MSG_WORDS_MAX + 1];
		memcpy(saved, mr, sizeof(saved));
		drop(win);
		memcpy(mr, saved, sizeof(saved));
	}
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	*br = mica_fpage_obj(op == MICA_FACTORY_CREATE ? win : CL_SCRATCH, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t r = mica_ipc(to, mica_msgtag(op, u, t, 0), MICA_IPC_CALL, 0, 0, 0);
	*br = MICA_FPAGE_NIL;
	sf.sent++;
	if (!mica_msgtag_is_error(r))
		sf.answered_ok++;
	drop(CL_SCRATCH);
}

void svcfuzz_client(long unused)
{
	(void)unused;
	rng = sf.seed * 0x9e3779b97f4a7c15ul + 1;
	for (unsigned long i = 0; i < sf.iterations; i++)
		one();
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		drop(CL_OWNED + i);
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		if (mica_log_flush(CL_OWNED + i) != MICA_E_INVALID_CAP)
			sf.client_failed = 1;
	sf.done = 1;
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}
