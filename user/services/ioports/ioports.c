/* The I/O-port server (docs/protocols.md §11): the sigma0 protocol's I/O
 * request, answered from the ports this task holds and takes from
 * sigma0 on demand. */
#include "ioports/ioports.h"

#include <fpage.h>
#include <mica/fpage.h>
#include <mica_sigma0.h>
#include <mica_sys.h>

static bool held(const struct ioports *io, unsigned p)
{
	return io->held[p / 8] & (1u << (p % 8));
}

static void mark(struct ioports *io, unsigned first, unsigned n)
{
	for (unsigned p = first; p < first + n; p++)
		io->held[p / 8] |= (uint8_t)(1u << (p % 8));
}

/* Whether [p, p + 2^log2) is all held (1), none of it (0) or some (-1). */
static int held_block(const struct ioports *io, unsigned p, unsigned log2)
{
	unsigned n = 1u << log2, have = 0;
	for (unsigned q = p; q < p + n; q++)
		have += held(io, q);
	return have == n ? 1 : have == 0 ? 0 : -1;
}

/* Ports [first, end) that are not held yet, from sigma0: from the start,
 * the largest aligned block that is all held (skipped) or none of it
 * (asked for whole). Sigma0 gives a port out once and only to this task,
 * so NO_MEMORY for a block means some of it was taken by this task
 * itself (before the server knew): smaller blocks then, and a single
 * port it refuses is held. */
static int take(struct ioports *io, unsigned first, unsigned end)
{
	for (unsigned p = first; p < end;) {
		unsigned log2 = 0;
		while (log2 < 16 && !(p & (1u << log2)) && p + (2u << log2) <= end)
			log2++;
		int h = held_block(io, p, log2);
		while (h < 0 && log2 > 0) /* a single port is held or not */
			h = held_block(io, p, --log2);
		while (h == 0) {
			mica_word_t fp = mica_fpage_io(p, log2);
			int e = mica_sigma0_request(io->pager, MICA_SIGMA0_IO, fp, fp, 0);
			if (e == MICA_OK || (e == MICA_E_NO_MEMORY && log2 == 0)) {
				mark(io, p, 1u << log2);
				break;
			}
			if (e != MICA_E_NO_MEMORY || log2 == 0)
				return e;
			log2--;
		}
		p += 1u << log2;
	}
	return MICA_OK;
}

int ioports_take(struct ioports *io, mica_word_t fp)
{
	unsigned first = (unsigned)mica_fpage_base(fp);
	return take(io, first, first + (1u << mica_fpage_log2(fp)));
}

/* MR0 = MICA_SIGMA0_IO, MR1 = an I/O flexpage -> MR0 = it, one map item
 * of it (the caller's I/O window, BR1). */
static int m_request(struct mica_srv_req *r)
{
	struct ioports *io = (struct ioports *)r->obj;
	mica_word_t fp = r->in[1];
	struct fpage f;
	if (r->in[0] != MICA_SIGMA0_IO)
		return MICA_E_UNKNOWN_OP;
	if (!fpage_decode(fp, &f) || f.type != MICA_FPAGE_IO || !(f.rights & MICA_FPAGE_R))
		return MICA_E_BAD_ARG;
	fp = mica_fpage_io(mica_fpage_base(fp), mica_fpage_log2(fp));
	int e = ioports_take(io, fp);
	if (e != MICA_OK)
		return e;
	mica_srv_ret(r, fp);
	mica_srv_ret_ports(r, fp);
	return MICA_OK;
}

static const struct mica_srv_method methods[] = {
	{ MICA_LABEL_SIGMA0, MICA_SIGMA0_REQUEST_WORDS, MICA_SRV_R_WRITE, m_request },
};
static const struct mica_srv_type type = { "ioports", methods, 1, 0 };

int ioports_init(struct ioports *io, struct mica_srv *srv, mica_cap_t pager)
{
	io->pager = pager;
	return mica_srv_add(srv, &io->o, &type);
}
