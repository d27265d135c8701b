/* Log objects: bytes in, whole tagged lines out (mica/log.h). Each
 * object assembles its own line, so bytes of different writers never
 * meet in one line, and a line leaves in one call of the sink. */
#include <console.h>
#include <mica/vcon.h>
#include <string.h>

#include "log_srv.h"

_Static_assert(LOGSRV_OUT_MAX <= MICA_VCON_WRITE_MAX, "a line is one Vcon write");

static unsigned append(char *out, unsigned n, const char *s, unsigned len)
{
	memcpy(out + n, s, len);
	return n + len;
}

/* The whole line in one call, the only way two servers' or programs'
 * lines cannot mix on the console either. */
static void emit(struct logsrv_log *l, bool cut)
{
	static const char cut_mark[] = MICA_LOG_CUT_MARK;
	char out[LOGSRV_OUT_MAX];
	unsigned n = 0;
	if (l->colour) {
		char on[5] = { '\033', '[', '3', (char)('0' + l->colour), 'm' };
		n = append(out, n, on, sizeof(on));
	}
	n = append(out, n, l->tag, l->tag_len);
	if (l->colour) {
		static const char off[4] = { '\033', '[', '0', 'm' };
		n = append(out, n, off, sizeof(off));
	}
	n = append(out, n, " | ", 3);
	n = append(out, n, l->buf, l->len);
	if (cut)
		n = append(out, n, cut_mark, sizeof(cut_mark) - 1);
	out[n++] = '\n';
	l->len = 0;
	if (l->ls->sink)
		l->ls->sink(l->ls->sink_ctx, out, n);
	else
		vcon_write(out, n);
}

static void put(struct logsrv_log *l, char c)
{
	if (c == '\n') {
		if (!l->cutting)
			emit(l, false);
		l->cutting = false;
		return;
	}
	if (c == '\r' || l->cutting)
		return;
	/* No escape sequence or carriage return may rewrite another line. */
	if ((c < ' ' && c != '\t') || c == 0x7f)
		c = '.';
	if (l->len == MICA_LOG_LINE_MAX) {
		emit(l, true);
		l->cutting = true;
		return;
	}
	l->buf[l->len++] = c;
}

static void flush(struct logsrv_log *l)
{
	if (l->len)
		emit(l, false);
	l->cutting = false;
}

static int m_write(struct mica_srv_req *r)
{
	struct logsrv_log *l = (struct logsrv_log *)r->obj;
	mica_word_t n = r->in[0];
	/* Both bounds before any byte is taken: a bad request changes nothing. */
	if (n > MICA_LOG_WRITE_MAX || n > (mica_word_t)(r->n - 1) * sizeof(mica_word_t))
		return MICA_E_BAD_ARG;
	const char *bytes = (const char *)&r->in[1];
	for (mica_word_t i = 0; i < n; i++)
		put(l, bytes[i]);
	mica_srv_ret(r, n);
	return MICA_OK;
}

static int m_flush(struct mica_srv_req *r)
{
	flush((struct logsrv_log *)r->obj);
	return MICA_OK;
}

static int m_close(struct mica_srv_req *r)
{
	logsrv_close((struct logsrv_log *)r->obj);
	return MICA_OK;
}

static const struct mica_srv_method log_methods[] = {
	{ MICA_LOG_WRITE, 1, MICA_LOG_R_WRITE, m_write },
	{ MICA_LOG_FLUSH, 0, MICA_LOG_R_WRITE, m_flush },
	{ MICA_LOG_CLOSE, 0, MICA_LOG_R_CONTROL, m_close },
};

static void release(struct mica_srv_obj *o)
{
	((struct logsrv_log *)o)->in_use = false;
}

static const struct mica_srv_type log_type = { "log", log_methods,
					       sizeof(log_methods) / sizeof(log_methods[0]), release };

bool logsrv_valid(const char *tag, unsigned n, unsigned colour)
{
	if (n == 0 || n > MICA_LOG_TAG_MAX || colour >= MICA_LOG_COLOURS)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (tag[i] <= ' ' || tag[i] > '~')
			return false;
	return true;
}

int logsrv_open(struct logsrv *ls, const char *tag, unsigned n, unsigned colour, struct logsrv_log **out)
{
	if (!logsrv_valid(tag, n, colour))
		return MICA_E_BAD_ARG;
	for (unsigned i = 0; i < LOGSRV_LOGS; i++) {
		struct logsrv_log *l = &ls->logs[i];
		if (l->in_use)
			continue;
		int e = mica_srv_add(ls->srv, &l->o, &log_type);
		if (e != MICA_OK)
			return e;
		l->ls = ls;
		l->in_use = true;
		l->cutting = false;
		l->colour = (unsigned char)colour;
		l->tag_len = (unsigned char)n;
		memcpy(l->tag, tag, n);
		l->len = 0;
		*out = l;
		return MICA_OK;
	}
	return MICA_E_NO_MEMORY;
}

void logsrv_close(struct logsrv_log *l)
{
	flush(l);
	mica_srv_remove(l->ls->srv, &l->o);
}

unsigned logsrv_open_count(const struct logsrv *ls)
{
	unsigned n = 0;
	for (unsigned i = 0; i < LOGSRV_LOGS; i++)
		n += ls->logs[i].in_use;
	return n;
}
