/* The log protocol's client calls (mica_log.h). */
#include <mica/factory.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <string.h>

/* Words that carry n bytes after `lead` words. */
static unsigned words_for(unsigned lead, size_t n)
{
	return lead + (unsigned)((n + sizeof(mica_word_t) - 1) / sizeof(mica_word_t));
}

int mica_log_write(mica_cap_t log, const char *buf, size_t n)
{
	do {
		size_t k = n < MICA_LOG_WRITE_MAX ? n : MICA_LOG_WRITE_MAX;
		mica_word_t *mr = mica_mr();
		mr[0] = k;
		memcpy(&mr[1], buf, k);
		int e = mica_error(mica_call(log, MICA_LOG_WRITE, words_for(1, k)));
		if (e != MICA_OK)
			return e;
		buf += k;
		n -= k;
	} while (n);
	return MICA_OK;
}

int mica_log_flush(mica_cap_t log)
{
	return mica_error(mica_call(log, MICA_LOG_FLUSH, 0));
}

int mica_log_close(mica_cap_t log)
{
	return mica_error(mica_call(log, MICA_LOG_CLOSE, 0));
}

int mica_log_create(mica_cap_t factory, mica_cap_t dst, const char *tag, size_t n, unsigned colour)
{
	if (n > MICA_LOG_TAG_MAX)
		return MICA_E_BAD_ARG;
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_PROTO_LOG;
	mr[1] = colour;
	mr[2] = n;
	memcpy(&mr[3], tag, n);
	return mica_call_into(factory, MICA_FACTORY_CREATE, words_for(3, n), dst);
}
