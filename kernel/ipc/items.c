/* Moving a message's typed items from the sender's task to the receiver's:
 * memory through the mapping database, I/O ports through the I/O space,
 * capabilities through their derivation links. */
#include "ipc/items.h"

#include "memory/cap.h"
#include "fpage.h"
#include "memory/iospace.h"
#include "memory/mapdb.h"
#include "objects/gate.h"
#include "objects/task.h"
#include "objects/thread.h"

/* Capabilities: each non-empty selector of the source range goes to the
 * same offset in the destination range, with rights cut to the item's.
 * Under the capability lock. */
static enum mica_error move_objects_locked(struct task *from, const struct item *it, struct task *to,
					   uint64_t src, uint64_t dst, unsigned log2)
{
	bool grant = it->kind == MICA_ITEM_GRANT;
	mica_cap_t s = src, end = src + (1ul << log2);
	for (struct cap_slot *sc; (sc = capspace_next(&from->caps, &s, end)); s++) {
		mica_cap_t d = dst + (s - src);
		if (d == MICA_CAP_INVALID)
			continue;
		struct cap_slot *ds = capspace_slot(&to->caps, d);
		if (!ds)
			return MICA_E_NO_MEMORY;
		unsigned r = cap_rights(sc) & it->fp.rights;
		if (ds == sc)
			continue; /* onto itself */
		if (ds->obj_rights) {
			if (!grant && cap_of(ds->tree.parent) == sc) {
				/* The same mapping again: rights can grow. */
				ds->obj_rights |= r;
				continue;
			}
			if (dtree_below(&sc->tree, &ds->tree))
				continue; /* replacing it would revoke the source */
			cap_revoke(ds, MICA_RIGHTS_ALL);
		}
		if (grant)
			cap_move(ds, sc, r);
		else
			cap_derive(ds, sc, r, sc->label);
	}
	return MICA_OK;
}

/* Out of line: inlined, its loop's registers cost every memory item. */
static __attribute__((noinline)) enum mica_error move_objects(struct task *from, const struct item *it,
							      struct task *to, uint64_t src, uint64_t dst,
							      unsigned log2)
{
	cap_lock();
	enum mica_error e = move_objects_locked(from, it, to, src, dst, log2);
	cap_unlock();
	return e;
}

_Static_assert(MICA_BR_MEM_WINDOW == MICA_FPAGE_MEM && MICA_BR_IO_WINDOW == MICA_FPAGE_IO &&
		       MICA_BR_OBJ_WINDOW == MICA_FPAGE_OBJ,
	       "a window's index is its fpage type");

enum mica_error items_move_one(struct task *from, const struct item *it, struct task *to,
			       const struct fpage *win, bool commit)
{
	if (it->fp.type == MICA_FPAGE_MEM && !(it->fp.rights & MICA_FPAGE_R))
		return MICA_E_BAD_ARG; /* a page without read access is no mapping */
	uint64_t src, dst;
	unsigned log2;
	enum mica_error e = item_region(it, win, &src, &dst, &log2);
	if (e != MICA_OK)
		return e;
	bool grant = it->kind == MICA_ITEM_GRANT;
	switch (it->fp.type) {
	case MICA_FPAGE_MEM:
		e = items_memory_places(from, src, to, dst, 1ul << log2);
		if (e != MICA_OK || !commit)
			return e;
		return mapdb_map(from, src, to, dst, log2, it->fp.rights, grant);
	case MICA_FPAGE_OBJ:
		return commit ? move_objects(from, it, to, src, dst, log2) : MICA_OK;
	default: /* I/O ports: the same ports, if the receiver's window holds them */
		return commit ? iospace_map(from, (unsigned)src, to, log2, grant) : MICA_OK;
	}
}

/* Whether the single capability item `it` names a gate bound to the
 * receiving thread: with MICA_RCV_LOCAL_IDS, such an item arrives as the
 * capability's label (seL4 unwraps badges the same way), so a server
 * recognizes its own objects without holding them. Only the receiving
 * thread's own gates: labels mean something only to their server. With
 * commit, the receiver's copy of the item at MR[at] becomes the local
 * id. Out of line: memory items, the common ones, only pass by. */
static __attribute__((noinline)) bool local_id(const struct task *from, const struct item *it,
					       const struct windows *win, bool commit, unsigned at)
{
	if (it->fp.type != MICA_FPAGE_OBJ || it->fp.log2 != 0)
		return false;
	struct cap_slot *c = cap_lookup(from, it->fp.base);
	if (!c || cap_obj(c)->type != MICA_OBJ_GATE || !(cap_rights(c) & it->fp.rights & MICA_GATE_R_SEND))
		return false;
	const struct gate *g = (const struct gate *)cap_obj(c);
	if (g->bound != win->thread)
		return false;
	if (commit) {
		win->mr[at] = (win->mr[at] & ~MICA_ITEM_KIND_MASK) | MICA_ITEM_LOCAL;
		win->mr[at + 1] = c->label;
	}
	return true;
}

enum mica_error items_move(struct task *from, const volatile mica_word_t *mr, mica_msgtag_t tag,
			   struct task *to, const struct windows *win, bool commit)
{
	unsigned u = mica_msgtag_u(tag), t = mica_msgtag_t_items(tag);
	if (t % MICA_ITEM_WORDS)
		return MICA_E_BAD_TAG;
	for (unsigned i = u; i < u + t; i += MICA_ITEM_WORDS) {
		struct item it;
		struct fpage w;
		enum mica_error e = item_decode(mr[i], mr[i + 1], &it);
		if (e != MICA_OK)
			return e;
		/* The receiver's window for the item's type; none: nothing of
		 * that type is accepted. */
		if (it.fp.type == MICA_FPAGE_OBJ && (win->flags & MICA_RCV_LOCAL_IDS) &&
		    local_id(from, &it, win, commit, i))
			continue;
		if (!fpage_decode(win->w[it.fp.type], &w))
			return MICA_E_OVERFLOW;
		if ((e = items_move_one(from, &it, to, &w, commit)) != MICA_OK)
			return e;
	}
	return MICA_OK;
}
