/* The log factory: the factory protocol's CREATE (mica/factory.h) for
 * log objects, so a program gets its log the way it gets any object. */
#include <mica/factory.h>
#include <mica/gate.h>
#include <string.h>

#include "log_srv.h"

static int m_create(struct mica_srv_req *r)
{
	struct logsrv *ls = (struct logsrv *)r->obj;
	mica_word_t colour = r->in[1], n = r->in[2];
	if (r->in[0] != MICA_PROTO_LOG || colour >= MICA_LOG_COLOURS || n == 0 || n > MICA_LOG_TAG_MAX ||
	    n > (mica_word_t)(r->n - 3) * sizeof(mica_word_t))
		return MICA_E_BAD_ARG;
	struct logsrv_log *l;
	int e = logsrv_open(ls, (const char *)&r->in[3], (unsigned)n, (unsigned)colour, &l);
	if (e != MICA_OK)
		return e;
	mica_cap_t c;
	e = mica_srv_cap(ls->srv, &l->o, MICA_LOG_R_WRITE | MICA_LOG_R_CONTROL, &c);
	if (e != MICA_OK) {
		logsrv_close(l);
		return e;
	}
	mica_srv_ret_cap(r, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

static const struct mica_srv_method factory_methods[] = {
	{ MICA_FACTORY_CREATE, 3, MICA_LOG_R_WRITE, m_create },
};

static const struct mica_srv_type factory_type = { "log factory", factory_methods,
						   sizeof(factory_methods) / sizeof(factory_methods[0]), 0 };

int logsrv_init(struct logsrv *ls, struct mica_srv *srv, logsrv_sink sink, void *sink_ctx)
{
	memset(ls, 0, sizeof(*ls));
	ls->srv = srv;
	ls->sink = sink;
	ls->sink_ctx = sink_ctx;
	return mica_srv_add(srv, &ls->factory, &factory_type);
}

void logsrv_fini(struct logsrv *ls)
{
	for (unsigned i = 0; i < LOGSRV_LOGS; i++)
		if (ls->logs[i].in_use)
			logsrv_close(&ls->logs[i]);
	mica_srv_remove(ls->srv, &ls->factory);
}
