/* sigma0: the root pager. It starts owning all free physical memory and
 * every I/O port, and hands them out on request, first come first
 * served (include/mica/sigma0.h); it pages the root task. */
#include <boot_env.h>
#include <fpage.h>
#include <console.h>
#include <mica/fpage.h>
#include <mica/sigma0.h>
#include <mica_sys.h>

#include "phys.h"
#include "pool.h"
#include "root_pager.h"

/* The flexpage given and one map item of it; the hot spot is its base. */
static mica_msgtag_t give(mica_word_t *mr, mica_word_t fpage)
{
	mr[0] = fpage;
	mr[1] = mica_fpage_type(fpage) == MICA_FPAGE_MEM
			? mica_item_mem(fpage, MICA_ITEM_MAP)
			: mica_item_unit(mica_fpage_base(fpage), MICA_ITEM_MAP);
	mr[2] = fpage;
	return mica_msgtag(0, 1, MICA_ITEM_WORDS, 0);
}

/* A well-formed flexpage of the type, with R: what sigma0 hands out. */
static bool valid(mica_word_t f, unsigned type)
{
	struct fpage fp;
	return fpage_decode(f, &fp) && fp.type == type && (fp.rights & MICA_FPAGE_R);
}

static mica_msgtag_t request(mica_msgtag_t tag, mica_word_t *mr)
{
	if (mica_msgtag_u(tag) < MICA_SIGMA0_REQUEST_WORDS || mica_msgtag_t_items(tag))
		return mica_error_tag(MICA_E_BAD_TAG);
	mica_word_t f = mr[1];
	uint64_t base = mica_fpage_base(f), size = 1ul << mica_fpage_log2(f);
	bool io = mr[0] == MICA_SIGMA0_IO;
	if (mr[0] == MICA_SIGMA0_INFO) {
		mr[0] = pool_free_bytes();
		mr[1] = pool_given_bytes();
		return mica_msgtag(0, 2, 0, 0);
	}
	if (mr[0] < MICA_SIGMA0_MEM || mr[0] > MICA_SIGMA0_IO)
		return mica_error_tag(MICA_E_UNKNOWN_OP);
	/* MEM_ANY ignores the base. */
	if (!valid(mr[0] == MICA_SIGMA0_MEM_ANY ? f & 0xffful : f, io ? MICA_FPAGE_IO : MICA_FPAGE_MEM))
		return mica_error_tag(MICA_E_BAD_ARG);
	enum mica_error e;
	switch (mr[0]) {
	case MICA_SIGMA0_MEM:
		e = pool_take(base, size);
		break;
	case MICA_SIGMA0_MEM_ANY:
		e = pool_take_any(mica_fpage_log2(f), &base);
		f = mica_fpage_mem(base, mica_fpage_log2(f), mica_fpage_rights(f));
		break;
	case MICA_SIGMA0_DEVICE:
		e = pool_take_device(base, size);
		break;
	default:
		e = pool_take_ports(base, size);
		break;
	}
	return e ? mica_error_tag(e) : give(mr, f);
}

int main(void)
{
	pool_init(boot_kip);
	if (!root_pager_init(boot_kip))
		printf("sigma0: no root task image to page\n");
	printf("sigma0: %lu MiB of free memory\n", pool_free_bytes() >> 20);
	mica_word_t *mr = mica_mr();
	mica_msgtag_t tag = mica_wait(MICA_CAP_INVALID, 0, 0);
	for (;;) {
		mica_msgtag_t answer;
		if (mica_msgtag_is_error(tag))
			answer = mica_msgtag(0, 0, 0, 0); /* a failed wait: nobody to answer */
		else if (mica_msgtag_label(tag) == MICA_LABEL_PAGE_FAULT && mica_msgtag_u(tag) >= 3)
			answer = root_page_fault(mr);
		else if (mica_msgtag_label(tag) == MICA_LABEL_SIGMA0)
			answer = request(tag, mr);
		else
			answer = mica_error_tag(MICA_E_UNKNOWN_OP);
		tag = mica_reply_wait(answer, MICA_CAP_INVALID, 0);
	}
}
