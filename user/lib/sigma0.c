/* Requests to sigma0 (see mica_sigma0.h). */
#include <mica_image.h>
#include <mica_sigma0.h>
#include <mica_sys.h>

int mica_sigma0_request(mica_cap_t sigma0, mica_word_t request, mica_word_t fpage, mica_word_t window,
			mica_word_t *given)
{
	struct mica_utcb *u = mica_utcb();
	unsigned br = mica_fpage_type(window) == MICA_FPAGE_IO ? MICA_BR_IO_WINDOW : MICA_BR_MEM_WINDOW;
	mica_word_t saved = u->br[br];
	u->br[br] = window;
	u->mr[0] = request;
	u->mr[1] = fpage;
	mica_msgtag_t r = mica_call(sigma0, MICA_LABEL_SIGMA0, MICA_SIGMA0_REQUEST_WORDS);
	u->br[br] = saved;
	if (mica_msgtag_is_error(r))
		return mica_error(r);
	if (given)
		*given = mica_msgtag_u(r) ? u->mr[0] : MICA_FPAGE_NIL;
	return MICA_OK;
}

int mica_sigma0_ram(mica_cap_t sigma0, mica_word_t addr, unsigned log2, mica_word_t rights, mica_word_t *phys)
{
	mica_word_t given = MICA_FPAGE_NIL;
	int e = mica_sigma0_request(sigma0, MICA_SIGMA0_MEM_ANY, mica_fpage_mem(0, log2, rights),
				    mica_fpage_mem(addr, log2, rights), &given);
	if (e == MICA_OK && phys)
		*phys = mica_fpage_base(given);
	return e;
}

int mica_sigma0_map_phys(mica_cap_t sigma0, mica_word_t request, mica_word_t pa, mica_word_t size,
			 mica_word_t va, mica_word_t rights)
{
	mica_word_t p = pa & ~0xffful, end = (pa + size + 0xfff) & ~0xffful, v = va & ~0xffful;
	while (p < end) {
		unsigned s = mica_fit_log2(p, v, end - p);
		int e = mica_sigma0_request(sigma0, request, mica_fpage_mem(p, s, rights),
					    mica_fpage_mem(v, s, rights), 0);
		if (e != MICA_OK)
			return e;
		p += 1ul << s;
		v += 1ul << s;
	}
	return MICA_OK;
}
