/* The log server (protocol: mica/log.h, docs/protocols.md §8), as code
 * that any server thread serves with the server framework (mica_srv.h):
 * a log factory and a fixed pool of log objects registered in the
 * caller's struct mica_srv, beside whatever else that server serves.
 * Whole lines go to a sink, the Vcon unless a test injects another. */
#pragma once

#include <mica/log.h>
#include <mica_srv.h>
#include <stdbool.h>

/* Receives one whole line, "tag | text\n", n bytes (never more than
 * LOGSRV_OUT_MAX), in one call: one Vcon write for the default sink. */
typedef void (*logsrv_sink)(void *ctx, const char *line, unsigned n);

/* Colour prefix and suffix, tag, " | ", text, cut mark, newline. */
#define LOGSRV_OUT_MAX (5 + MICA_LOG_TAG_MAX + 4 + 3 + MICA_LOG_LINE_MAX + sizeof(MICA_LOG_CUT_MARK) - 1 + 1)
/* Log objects one server holds; a CREATE beyond them is NO_MEMORY. */
#define LOGSRV_LOGS 16
/* Framework slots the log server takes: its factory and its logs. */
#define LOGSRV_SLOTS (LOGSRV_LOGS + 1)

struct logsrv;

struct logsrv_log {
	struct mica_srv_obj o; /* first: handlers cast back */
	struct logsrv *ls;
	bool in_use;
	bool cutting; /* the line was cut: drop bytes up to its newline */
	unsigned char colour, tag_len;
	char tag[MICA_LOG_TAG_MAX];
	unsigned len; /* bytes of the current line in buf */
	char buf[MICA_LOG_LINE_MAX];
};

struct logsrv {
	struct mica_srv_obj factory; /* first: the CREATE handler casts back */
	struct mica_srv *srv;
	logsrv_sink sink;
	void *sink_ctx;
	struct logsrv_log logs[LOGSRV_LOGS];
};

/* Registers the log factory in srv (which must have LOGSRV_SLOTS free
 * slots for it and its logs); lines go to sink (0: the Vcon). MICA_OK or
 * the framework's error. */
int logsrv_init(struct logsrv *ls, struct mica_srv *srv, logsrv_sink sink, void *sink_ctx);

/* Removes the factory and every open log (their partial lines flushed,
 * their capabilities revoked). */
void logsrv_fini(struct logsrv *ls);

/* Whether tag (n bytes) and colour are acceptable (mica/log.h). */
bool logsrv_valid(const char *tag, unsigned n, unsigned colour);

/* A new log object with this tag (n bytes) and colour, for the server's
 * owner (the root task gives programs theirs): MICA_OK and *out,
 * MICA_E_BAD_ARG or MICA_E_NO_MEMORY. Its capabilities come from
 * mica_srv_cap(srv, &(*out)->o, rights, ...). */
int logsrv_open(struct logsrv *ls, const char *tag, unsigned n, unsigned colour, struct logsrv_log **out);

/* Flushes and removes a log; its capabilities are revoked. */
void logsrv_close(struct logsrv_log *l);

/* Log objects open now (for checks that nothing leaked). */
unsigned logsrv_open_count(const struct logsrv *ls);
