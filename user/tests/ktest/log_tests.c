/* log_: the log server (user/services/log) served by a thread of this
 * task, its lines captured by an injected sink: whole lines with their
 * tag, writers in child tasks that never mix lines, cut lines, and
 * requests no log should take. */
#include <log/log_srv.h>
#include <mica/factory.h>
#include <mica/gate.h>
#include <mica_log.h>
#include <string.h>

#include "servers.h"

#define NSLOTS (LOGSRV_SLOTS + 1)
#define NSELS 64
#define MAX_LINES 96
static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct logsrv ls;
static struct mica_srv_obj stopper;

/* What reached the sink: each call one line. */
static char lines[MAX_LINES][LOGSRV_OUT_MAX + 1];
static unsigned nlines;

static void capture(void *ctx, const char *line, unsigned n)
{
	(void)ctx;
	if (nlines < MAX_LINES) {
		memcpy(lines[nlines], line, n);
		lines[nlines][n] = 0;
	}
	nlines++;
}

static int stop(struct mica_srv_req *r)
{
	r->srv->stop = 1;
	return MICA_OK;
}

static const struct mica_srv_method stop_methods[] = { { 1, 0, 0, stop } };
static const struct mica_srv_type stop_type = { "stop", stop_methods, 1, 0 };

static unsigned sels_in_use(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NSELS; i++)
		n += (sel_map[i / 64] >> (i % 64)) & 1;
	return n;
}

/* A server thread with a log factory (*fac: a capability with WRITE)
 * and the stopper (*stp); lines go to capture, or to the Vcon if
 * !captured. */
static struct kthread *start(mica_cap_t *fac, mica_cap_t *stp, int captured)
{
	struct kthread *k = ksrv_thread(&srv, slots, gens, NSLOTS, sel_map, NSELS);
	if (!k)
		return 0;
	nlines = 0;
	if (logsrv_init(&ls, &srv, captured ? capture : 0, 0) != MICA_OK ||
	    mica_srv_add(&srv, &stopper, &stop_type) != MICA_OK ||
	    mica_srv_cap(&srv, &ls.factory, MICA_LOG_R_WRITE, fac) != MICA_OK ||
	    mica_srv_cap(&srv, &stopper, 0, stp) != MICA_OK || kthread_go(k) != MICA_OK)
		return 0;
	kyield();
	return k;
}

/* Stops the server and removes everything it served: no log left open. */
static int finish(struct kthread *k, mica_cap_t stp)
{
	if (mica_error(mica_call(stp, 1, 0)) != MICA_OK || !KWAIT(k) || k->out[0] != 0)
		return 0;
	logsrv_fini(&ls);
	mica_srv_remove(&srv, &stopper);
	return logsrv_open_count(&ls) == 0 && sels_in_use() == 0;
}

static int put(mica_cap_t log, const char *s)
{
	return mica_log_write(log, s, strlen(s));
}

static int create(mica_cap_t fac, const char *tag, unsigned colour, mica_cap_t *dst)
{
	*dst = ksel();
	return mica_log_create(fac, *dst, tag, strlen(tag), colour);
}

KTEST(log_lines_appear_whole_with_their_tag)
{
	mica_cap_t fac, stp, a, b;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	CHECK_OK(create(fac, "hello", 0, &a));
	CHECK_OK(create(fac, "red", 1, &b));
	CHECK_OK(put(a, "abc"));
	CHECK_OK(put(b, "one "));
	CHECK_OK(put(a, "def\nxy"));
	CHECK_EQ(nlines, 1);
	CHECK_OK(put(b, "line\n"));
	CHECK_OK(put(a, "z\n\n"));
	CHECK_EQ(nlines, 4);
	CHECK(strcmp(lines[0], "hello | abcdef\n") == 0);
	CHECK(strcmp(lines[1], "\033[31mred\033[0m | one line\n") == 0);
	CHECK(strcmp(lines[2], "hello | xyz\n") == 0);
	CHECK(strcmp(lines[3], "hello | \n") == 0);
	/* WRITE answers with the bytes taken; no bytes is no line. */
	mica_mr()[0] = 0;
	CHECK_OK(mica_error(mica_call(a, MICA_LOG_WRITE, 1)));
	CHECK_EQ(mica_mr()[0], 0);
	mica_mr()[0] = 3;
	memcpy(&mica_mr()[1], "ok\n", 3);
	CHECK_OK(mica_error(mica_call(a, MICA_LOG_WRITE, 2)));
	CHECK_EQ(mica_mr()[0], 3);
	CHECK_EQ(nlines, 5);
	CHECK(finish(k, stp));
}

KTEST(log_flush_and_close_end_partial_lines)
{
	mica_cap_t fac, stp, a;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	CHECK_OK(create(fac, "t", 0, &a));
	CHECK_OK(put(a, "part"));
	CHECK_EQ(nlines, 0);
	CHECK_OK(mica_log_flush(a));
	CHECK_OK(mica_log_flush(a)); /* nothing left: no line */
	CHECK_OK(put(a, "tail"));
	CHECK_EQ(logsrv_open_count(&ls), 1);
	CHECK_OK(mica_log_close(a));
	CHECK_EQ(nlines, 2);
	CHECK(strcmp(lines[0], "t | part\n") == 0);
	CHECK(strcmp(lines[1], "t | tail\n") == 0);
	/* The object is gone, and with it every capability to it. */
	CHECK_EQ(logsrv_open_count(&ls), 0);
	CHECK_ERR(put(a, "x\n"), MICA_E_INVALID_CAP);
	CHECK_EQ(nlines, 2);
	CHECK(finish(k, stp));
}

#define WRITERS 4
#define WRITER_LINES 12

/* Writes its lines in pieces of 1 to 7 bytes, yielding after each, so
 * that the writers' pieces arrive interleaved. */
static void writer(struct kthread *k)
{
	char line[48];
	unsigned piece = 1 + (unsigned)k->arg;
	for (unsigned j = 0; j < WRITER_LINES; j++) {
		unsigned n = 0;
		const char *head = "writer ";
		while (*head)
			line[n++] = *head++;
		line[n++] = (char)('0' + k->arg);
		line[n++] = ' ';
		line[n++] = (char)('a' + j);
		for (unsigned i = 0; i < 20; i++)
			line[n++] = (char)('0' + k->arg);
		line[n++] = '\n';
		for (unsigned i = 0, len; i < n; i += len) {
			len = n - i < piece ? n - i : piece;
			if (mica_log_write(k->cap, line + i, len) != MICA_OK) {
				k->out[0] = 1;
				return;
			}
			mica_thread_yield(k->self);
			piece = piece % 7 + 1;
		}
	}
}

KTEST(log_four_writers_in_child_tasks_never_mix_lines)
{
	mica_cap_t fac, stp;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	struct kthread *w[WRITERS];
	for (unsigned i = 0; i < WRITERS; i++) {
		char tag[3] = { 'w', (char)('0' + i), 0 };
		struct logsrv_log *l;
		mica_cap_t c;
		CHECK_OK(logsrv_open(&ls, tag, 2, 0, &l));
		CHECK_OK(mica_srv_cap(&srv, &l->o, MICA_LOG_R_WRITE, &c));
		mica_cap_t t = ktask_create();
		CHECK(t);
		CHECK(w[i] = kthread_new(t, writer, i));
		w[i]->cap = 0x40;
		CHECK_OK(kgive(t, c, w[i]->cap));
	}
	for (unsigned i = 0; i < WRITERS; i++)
		CHECK_OK(kthread_go(w[i]));
	for (unsigned i = 0; i < WRITERS; i++) {
		for (unsigned tries = 0; tries < 20 && !w[i]->done; tries++)
			KWAIT(w[i]);
		CHECK(w[i]->done);
		CHECK_EQ(w[i]->out[0], 0);
	}
	CHECK_EQ(nlines, WRITERS * WRITER_LINES);
	unsigned next[WRITERS] = { 0 }, switches = 0;
	for (unsigned i = 0; i < nlines; i++) {
		const char *s = lines[i];
		unsigned who = (unsigned)(s[1] - '0');
		CHECK(s[0] == 'w' && who < WRITERS);
		char want[48] = "wN | writer N x";
		want[1] = want[12] = (char)('0' + who);
		want[14] = (char)('a' + next[who]++);
		for (unsigned j = 0; j < 20; j++)
			want[15 + j] = (char)('0' + who);
		want[35] = '\n';
		want[36] = 0;
		CHECK(strcmp(s, want) == 0);
		switches += i && lines[i - 1][1] != s[1];
	}
	/* The pieces did arrive interleaved: lines of the writers alternate. */
	CHECK(switches >= WRITERS);
	CHECK(finish(k, stp));
}

/* A WRITE of u words with MR0 = n. */
static mica_msgtag_t raw_write(mica_cap_t log, mica_word_t n, unsigned u)
{
	mica_mr()[0] = n;
	memset(&mica_mr()[1], 'x', (MICA_MSG_WORDS_MAX - 1) * sizeof(mica_word_t));
	return mica_call(log, MICA_LOG_WRITE, u);
}

KTEST(log_bad_requests_get_errors_and_print_nothing)
{
	mica_cap_t fac, stp, a, ro, wo;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	CHECK_OK(create(fac, "bad", 0, &a));
	CHECK_OK(put(a, "kept"));
	CHECK_TAG_ERR(raw_write(a, MICA_LOG_WRITE_MAX + 1, MICA_MSG_WORDS_MAX), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_write(a, 9, 2), MICA_E_BAD_ARG, 0); /* more bytes than the words carry */
	CHECK_TAG_ERR(raw_write(a, 1, 1), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_write(a, ~0ul, MICA_MSG_WORDS_MAX), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_write(a, 1ul << 63, 3), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_write(a, 0, 0), MICA_E_BAD_TAG, 0);
	/* Rights: a READ-only capability writes nothing, WRITE does not close. */
	struct logsrv_log *l = &ls.logs[0];
	CHECK(l->in_use);
	CHECK_OK(mica_srv_cap(&srv, &l->o, MICA_SRV_R_READ, &ro));
	CHECK_OK(mica_srv_cap(&srv, &l->o, MICA_LOG_R_WRITE, &wo));
	CHECK_TAG_ERR(raw_write(ro, 1, 2), MICA_E_NO_RIGHTS, 0);
	CHECK_TAG_ERR(mica_call(ro, MICA_LOG_FLUSH, 0), MICA_E_NO_RIGHTS, 0);
	CHECK_TAG_ERR(mica_call(wo, MICA_LOG_CLOSE, 0), MICA_E_NO_RIGHTS, 0);
	/* Nothing was printed, and nothing the bad requests carried kept. */
	CHECK_EQ(nlines, 0);
	CHECK_OK(mica_log_flush(wo));
	CHECK_EQ(nlines, 1);
	CHECK(strcmp(lines[0], "bad | kept\n") == 0);
	CHECK_EQ(logsrv_open_count(&ls), 1);
	CHECK(finish(k, stp));
}

KTEST(log_a_long_line_is_cut)
{
	mica_cap_t fac, stp, a;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	CHECK_OK(create(fac, "long", 0, &a));
	char buf[700];
	memset(buf, 'a', sizeof(buf));
	buf[MICA_LOG_LINE_MAX] = '\n'; /* exactly the most a line holds */
	CHECK_OK(mica_log_write(a, buf, MICA_LOG_LINE_MAX + 1));
	CHECK_EQ(nlines, 1);
	CHECK_EQ(strlen(lines[0]), 7 + MICA_LOG_LINE_MAX + 1);
	/* 700 bytes, over two WRITEs, then a newline: cut once, the rest
	 * dropped up to the newline. */
	memset(buf, 'b', sizeof(buf));
	CHECK_OK(mica_log_write(a, buf, sizeof(buf)));
	CHECK_EQ(nlines, 2);
	CHECK_OK(put(a, "bbb\nnext\n"));
	CHECK_EQ(nlines, 3);
	char want[LOGSRV_OUT_MAX + 1] = "long | ";
	memset(want + 7, 'b', MICA_LOG_LINE_MAX);
	memcpy(want + 7 + MICA_LOG_LINE_MAX, MICA_LOG_CUT_MARK "\n", sizeof(MICA_LOG_CUT_MARK "\n"));
	CHECK(strcmp(lines[1], want) == 0);
	CHECK(strcmp(lines[2], "long | next\n") == 0);
	/* A cut line ended by FLUSH: the next bytes start a line again. */
	CHECK_OK(mica_log_write(a, buf, MICA_LOG_LINE_MAX + 5));
	CHECK_OK(mica_log_flush(a));
	CHECK_OK(put(a, "after\n"));
	CHECK_EQ(nlines, 5);
	CHECK(strcmp(lines[4], "long | after\n") == 0);
	CHECK(finish(k, stp));
}

KTEST(log_unknown_opcodes_get_unknown_op)
{
	mica_cap_t fac, stp, a;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	CHECK_OK(create(fac, "op", 0, &a));
	CHECK_TAG_ERR(mica_call(a, 0, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(a, 4, 3), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(a, 1ul << 40, 0), MICA_E_UNKNOWN_OP, 0);
	/* The factory has CREATE only; CREATE's words are checked. */
	CHECK_TAG_ERR(mica_call(fac, MICA_FACTORY_INFO, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(fac, MICA_LOG_FLUSH + 40, 0), MICA_E_UNKNOWN_OP, 0);
	CHECK_TAG_ERR(mica_call(fac, MICA_FACTORY_CREATE, 2), MICA_E_BAD_TAG, 0);
	CHECK_EQ(nlines, 0);
	CHECK_OK(put(a, "alive\n"));
	CHECK_EQ(nlines, 1);
	CHECK(finish(k, stp));
}

/* A CREATE with a tag of n bytes in u words. */
static mica_msgtag_t raw_create(mica_cap_t fac, mica_word_t type, mica_word_t colour, mica_word_t n,
				const char *tag, unsigned u, mica_cap_t dst)
{
	mica_word_t *mr = mica_mr();
	mr[0] = type;
	mr[1] = colour;
	mr[2] = n;
	memset(&mr[3], 'z', 3 * sizeof(mica_word_t));
	memcpy(&mr[3], tag, strlen(tag));
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	*br = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t t = mica_call(fac, MICA_FACTORY_CREATE, u);
	*br = MICA_FPAGE_NIL;
	return t;
}

KTEST(log_factory_checks_what_it_creates)
{
	mica_cap_t fac, stp, a, ro, d = ksel();
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	unsigned sels = sels_in_use();
	CHECK_TAG_ERR(raw_create(fac, MICA_OBJ_GATE, 0, 2, "ab", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_DATASPACE, 0, 2, "ab", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, MICA_LOG_COLOURS, 2, "ab", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, 0, "", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, MICA_LOG_TAG_MAX + 1, "", 6, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, ~0ul, "", 6, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, 9, "abcdefghi", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, 3, "a b", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, 2, "a\n", 4, d), MICA_E_BAD_ARG, 0);
	CHECK_OK(mica_srv_cap(&srv, &ls.factory, MICA_SRV_R_READ, &ro));
	CHECK_TAG_ERR(raw_create(ro, MICA_PROTO_LOG, 0, 2, "ab", 4, d), MICA_E_NO_RIGHTS, 0);
	CHECK_EQ(logsrv_open_count(&ls), 0);
	/* Every log in use: NO_MEMORY, and closing one makes room. */
	mica_cap_t logs[LOGSRV_LOGS];
	for (unsigned i = 0; i < LOGSRV_LOGS; i++)
		CHECK_OK(create(fac, "many", (unsigned)i % MICA_LOG_COLOURS, &logs[i]));
	CHECK_TAG_ERR(raw_create(fac, MICA_PROTO_LOG, 0, 2, "ab", 4, d), MICA_E_NO_MEMORY, 0);
	CHECK_OK(mica_log_close(logs[3]));
	CHECK_OK(create(fac, "again", 0, &a));
	CHECK_OK(put(a, "x\n"));
	CHECK(strcmp(lines[0], "again | x\n") == 0);
	for (unsigned i = 0; i < LOGSRV_LOGS; i++)
		if (i != 3)
			CHECK_OK(mica_log_close(logs[i]));
	CHECK_OK(mica_log_close(a));
	CHECK_EQ(logsrv_open_count(&ls), 0);
	CHECK_EQ(sels_in_use(), sels + 1); /* the read-only factory capability */
	CHECK_EQ(nlines, 1);
	CHECK(finish(k, stp));
}

KTEST(log_control_bytes_cannot_rewrite_lines)
{
	mica_cap_t fac, stp, a;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	CHECK_OK(create(fac, "ctl", 0, &a));
	CHECK_OK(mica_log_write(a, "a\rb\033[2J\tc\0d\177\r\n", 14));
	CHECK_EQ(nlines, 1);
	CHECK(strcmp(lines[0], "ctl | ab.[2J\tc.d.\n") == 0);
	CHECK(finish(k, stp));
}

KTEST(log_lines_reach_the_vcon)
{
	mica_cap_t fac, stp, a;
	struct kthread *k = start(&fac, &stp, 0);
	CHECK(k);
	CHECK_OK(create(fac, "ktest", 2, &a));
	CHECK_OK(put(a, "log: a line through the log server "));
	CHECK_OK(put(a, "and the Vcon\n"));
	CHECK_EQ(nlines, 0);
	CHECK(finish(k, stp));
}

/* A client in a child task (which holds no capability to its own task)
 * creates logs into the same selector, closing each before the next:
 * every answer's capability arrives, and CLOSE empties the selector. */
static void recreate(struct kthread *k)
{
	for (unsigned i = 0; i < 6; i++) {
		mica_cap_t d = 0x50;
		int e = mica_log_create(k->cap, d, "kid", 3, 0);
		if (e == MICA_OK)
			e = mica_log_write(k->cap2, "made\n", 5);
		if (e == MICA_OK)
			e = mica_log_close(d);
		/* Closing revoked the capability: the selector is empty again. */
		if (e != MICA_OK || mica_log_flush(d) != MICA_E_INVALID_CAP) {
			k->out[0] = 100 + i;
			k->out[1] = (mica_word_t)e;
			return;
		}
	}
}

KTEST(log_child_creates_and_closes_again_and_again)
{
	mica_cap_t fac, stp;
	struct kthread *k = start(&fac, &stp, 1);
	CHECK(k);
	mica_cap_t t = ktask_create();
	CHECK(t);
	struct kthread *c = kthread_new(t, recreate, 0);
	CHECK(c);
	c->cap = 0x40;
	CHECK_OK(kgive(t, fac, c->cap));
	struct logsrv_log *l;
	mica_cap_t w;
	CHECK_OK(logsrv_open(&ls, "parent", 6, 0, &l));
	CHECK_OK(mica_srv_cap(&srv, &l->o, MICA_LOG_R_WRITE, &w));
	c->cap2 = 0x41;
	CHECK_OK(kgive(t, w, c->cap2));
	CHECK_OK(kthread_go(c));
	CHECK(KWAIT(c));
	CHECK_EQ(c->out[1], 0);
	CHECK_EQ(c->out[0], 0);
	CHECK_EQ(nlines, 6);
	CHECK(strcmp(lines[5], "parent | made\n") == 0);
	CHECK_EQ(logsrv_open_count(&ls), 1);
	CHECK(finish(k, stp));
}
