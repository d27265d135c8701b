#include "items.h"

#include <mica/layout.h>

#include "fpage.h"
#include "mapdb.h"
#include "memmap.h"
#include "task.h"

static enum mica_error move_memory(struct task *from, const struct item *it, struct task *to,
				   mica_word_t window, bool commit)
{
	struct fpage win;
	uint64_t src, dst;
	unsigned log2;
	if (!(it->fp.rights & MICA_FPAGE_R))
		return MICA_E_BAD_ARG; /* a page without read access is no mapping */
	if (!fpage_decode(window, &win))
		return MICA_E_OVERFLOW;
	enum mica_error e = item_region(it, &win, &src, &dst, &log2);
	if (e != MICA_OK)
		return e;
	uint64_t size = 1ul << log2;
	/* The receiver's first and last pages and its UTCB area are never
	 * mapped from user level. */
	if (dst < MICA_USER_MIN || dst > MICA_USER_END - size || task_in_utcb_area(to, dst, size))
		return MICA_E_OVERFLOW;
	if (from->phys_space && memmap_overlaps(boot_memmap, src, size, MICA_MEM_KERNEL))
		return MICA_E_BAD_ARG;
	if (!commit)
		return MICA_OK;
	return mapdb_map(from, src, to, dst, log2, it->fp.rights, it->kind == MICA_ITEM_GRANT);
}

enum mica_error items_move(struct task *from, const volatile mica_word_t *mr, mica_msgtag_t tag,
			   struct task *to, const struct windows *win, bool commit)
{
	unsigned u = mica_msgtag_u(tag), t = mica_msgtag_t_items(tag);
	if (t % MICA_ITEM_WORDS)
		return MICA_E_BAD_TAG;
	for (unsigned i = u; i < u + t; i += MICA_ITEM_WORDS) {
		struct item it;
		enum mica_error e = item_decode(mr[i], mr[i + 1], &it);
		if (e != MICA_OK)
			return e;
		switch (it.fp.type) {
		case MICA_FPAGE_MEM:
			e = move_memory(from, &it, to, win->w[MICA_BR_MEM_WINDOW], commit);
			break;
		default:
			e = MICA_E_NOT_IMPLEMENTED; /* I/O and object items: next step */
			break;
		}
		if (e != MICA_OK)
			return e;
	}
	return MICA_OK;
}
