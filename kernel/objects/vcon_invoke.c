/* The Vcon's methods (mica/vcon.h): their table, and decoders that check
 * the message before the operation (vcon.c) runs. */
#include <mica/vcon.h>

#include "ipc/ipc.h"
#include "objects/invoke.h"
#include "objects/thread.h"
#include "objects/vcon.h"

/* MR0 = n, then the bytes in ceil(n / 8) more words. */
static mica_msgtag_t write(struct invoke_call *c)
{
	unsigned u = mica_msgtag_u(c->tag);
	mica_word_t n = c->mr[0], bytes[MICA_MSG_WORDS_MAX];
	if (n > MICA_VCON_WRITE_MAX || n > (mica_word_t)(u - 1) * 8)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	invoke_copy_mrs(c->caller, bytes, 1, u - 1);
	vcon_write((const char *)bytes, (unsigned)n);
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t get_attr(struct invoke_call *c)
{
	mica_word_t iflags, oflags;
	vcon_get_attr(&iflags, &oflags);
	volatile mica_word_t *out = c->caller->utcb->mr;
	out[0] = iflags;
	out[1] = oflags;
	out[2] = 0; /* no local flags */
	return invoke_ok(c->caller, 3);
}

static mica_msgtag_t set_attr(struct invoke_call *c)
{
	if ((c->mr[0] & ~MICA_VCON_IFLAGS) || (c->mr[1] & ~MICA_VCON_OFLAGS) || c->mr[2])
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	vcon_set_attr(c->mr[0], c->mr[1]);
	return invoke_ok(c->caller, 0);
}

/* MR0 = the most bytes, MR1 = the timeout word. */
static mica_msgtag_t read(struct invoke_call *c)
{
	mica_word_t max = c->mr[0], to = c->mr[1];
	if (max < 1 || max > MICA_VCON_READ_MAX || to > UINT32_MAX || ipc_check_timeout((uint32_t)to))
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if (!vcon_input_ours())
		return invoke_error(c->caller, MICA_E_BUSY); /* a driver's, or no interrupt to read it by */
	return vcon_read(c->caller, max, (uint32_t)to);
}

const struct invoke_method vcon_methods[INVOKE_LABELS] = {
	[MICA_VCON_WRITE] = { .decode = write, .words = 1, .rights = MICA_VCON_R_WRITE },
	[MICA_VCON_GET_ATTR] = { .decode = get_attr, .rights = MICA_VCON_R_READ },
	[MICA_VCON_SET_ATTR] = { .decode = set_attr, .words = 3, .rights = MICA_VCON_R_CONTROL },
	[MICA_VCON_READ] = { .decode = read, .words = 2, .rights = MICA_VCON_R_READ },
};
