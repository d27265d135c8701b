/* The task object's methods: decoding and checking (see mica/task.h). */
#include <mica/task.h>

#include "arch/vm.h"
#include "memory/cap.h"
#include "fpage.h"
#include "memory/iospace.h"
#include "ipc/items.h"
#include "memory/mapdb.h"
#include "objects/invoke.h"
#include "objects/task.h"
#include "objects/thread.h"

static mica_msgtag_t cap_info(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *s = cap_lookup(t, mr[0]);
	caller->utcb->mr[0] = s ? cap_obj(s)->type : MICA_OBJ_NONE;
	caller->utcb->mr[1] = s ? cap_rights(s) : 0;
	return invoke_ok(caller, 2);
}

static mica_msgtag_t cap_same(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *a = cap_lookup(t, mr[0]), *b = cap_lookup(t, mr[1]);
	caller->utcb->mr[0] = a && b && cap_obj(a) == cap_obj(b);
	return invoke_ok(caller, 1);
}

static mica_msgtag_t cap_copy(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *src = cap_lookup(caller->task, mr[0]), *dst;
	if (!src)
		return invoke_error(caller, MICA_E_INVALID_CAP);
	uint64_t label = mr[3];
	if (label && cap_obj(src)->type != MICA_OBJ_GATE)
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (label && src->label)
		return invoke_error(caller, MICA_E_NO_RIGHTS);
	if (mr[2] & ~MICA_RIGHTS_ALL)
		return invoke_error(caller, MICA_E_BAD_ARG);
	enum mica_error e = cap_free_slot(t, mr[1], &dst);
	if (e != MICA_OK)
		return invoke_error(caller, e);
	cap_derive(dst, src, cap_rights(src) & mr[2], label ? label : src->label);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t cap_del(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *s = cap_lookup(t, mr[0]);
	if (!s)
		return invoke_error(caller, MICA_E_INVALID_CAP);
	/* Set the result first: the caller may be deleting its own thread. */
	mica_msgtag_t ok = invoke_ok(caller, 0);
	cap_delete(s);
	return ok;
}

/* MICA_TASK_MAP: one item from the source task into t, into a window of
 * the fpage's own size at the given base. */
static mica_msgtag_t map(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *src;
	struct item it;
	enum mica_error e = item_decode(mr[2] & MICA_ITEM_KIND_MASK, mr[1], &it);
	if (e != MICA_OK)
		return invoke_error(caller, e);
	unsigned need = MICA_TASK_R_READ | (it.kind == MICA_ITEM_GRANT ? MICA_TASK_R_WRITE : 0);
	if ((e = cap_get(caller->task, mr[0], MICA_OBJ_TASK, need, &src)) != MICA_OK)
		return invoke_error(caller, e);
	/* The destination base, encoded like the fpage's own base. */
	mica_word_t dst = (mr[2] & ~0xffful) | ((mr[1] & 0xffful) & ~MICA_FPAGE_RIGHTS) | MICA_FPAGE_RIGHTS;
	struct fpage win;
	if ((mr[2] & 0xff0) || !fpage_decode(dst, &win))
		return invoke_error(caller, MICA_E_BAD_ARG);
	struct task *from = (struct task *)cap_obj(src);
	/* One item, decoded once: checking before committing (items_move's
	 * two passes, for messages of several) would only repeat it. */
	e = items_move_one(from, &it, t, &win, true);
	return e == MICA_OK ? invoke_ok(caller, 0) : invoke_error(caller, e);
}

static void unmap_objects(struct task *t, const struct fpage *f, bool flush)
{
	mica_cap_t s = f->base, end = f->base + (1ul << f->log2);
	for (struct cap_slot *c; (c = capspace_next(&t->caps, &s, end)); s++) {
		if (flush)
			cap_revoke(c, f->rights);
		else
			cap_revoke_below(c, f->rights);
	}
}

static mica_msgtag_t unmap(struct thread *caller, struct task *t, mica_msgtag_t tag)
{
	unsigned n = mica_msgtag_u(tag) - 1;
	volatile mica_word_t *mr = caller->utcb->mr;
	mica_word_t flags = mr[0], fp[MICA_UNMAP_MAX];
	if (flags & ~MICA_UNMAP_FLUSH)
		return invoke_error(caller, MICA_E_BAD_ARG);
	/* All checked before anything is revoked. */
	for (unsigned i = 0; i < n; i++) {
		struct fpage f;
		fp[i] = mr[1 + i];
		if (!fpage_decode(fp[i], &f))
			return invoke_error(caller, MICA_E_BAD_ARG);
	}
	for (unsigned i = 0; i < n; i++) {
		struct fpage f;
		fpage_decode(fp[i], &f);
		unsigned st = 0;
		if (f.type == MICA_FPAGE_OBJ)
			unmap_objects(t, &f, flags & MICA_UNMAP_FLUSH);
		else if (f.type == MICA_FPAGE_IO)
			iospace_unmap(t, (unsigned)f.base, f.log2, flags & MICA_UNMAP_FLUSH);
		else
			st = mapdb_unmap(t, f.base, f.log2, f.rights, flags & MICA_UNMAP_FLUSH);
		mr[1 + i] = (fp[i] & ~MICA_FPAGE_RIGHTS) | ((st & VM_ACCESSED) ? MICA_UNMAP_ACCESSED : 0) |
			    ((st & VM_DIRTY) ? MICA_UNMAP_DIRTY : 0);
	}
	return invoke_ok(caller, 1 + n);
}

mica_msgtag_t task_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	struct task *t = (struct task *)cap_obj(cap);
	mica_word_t mr[4];
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_TASK_CAP_INFO:
		if ((e = invoke_check(cap, tag, 1, MICA_TASK_R_READ)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 1);
		return cap_info(caller, t, mr);
	case MICA_TASK_CAP_SAME:
		if ((e = invoke_check(cap, tag, 2, MICA_TASK_R_READ)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 2);
		return cap_same(caller, t, mr);
	case MICA_TASK_CAP_COPY:
		if ((e = invoke_check(cap, tag, 4, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 4);
		return cap_copy(caller, t, mr);
	case MICA_TASK_CAP_DELETE:
		if ((e = invoke_check(cap, tag, 1, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 1);
		return cap_del(caller, t, mr);
	case MICA_TASK_MAP:
		if ((e = invoke_check(cap, tag, 3, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 3);
		return map(caller, t, mr);
	case MICA_TASK_UNMAP:
		if ((e = invoke_check(cap, tag, 1, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		return unmap(caller, t, tag);
	case MICA_TASK_DESTROY: {
		if ((e = invoke_check(cap, tag, 0, MICA_TASK_R_CONTROL)))
			return invoke_error(caller, e);
		/* The caller may be one of its threads: answer before. */
		mica_msgtag_t ok = invoke_ok(caller, 0);
		kobj_revoke_all(&t->hdr);
		return ok;
	}
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
