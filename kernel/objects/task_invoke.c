/* The task object's methods (mica/task.h): their table, and decoders that
 * check the message before the operation (task.c, the capability space
 * and the mapping code) runs. */
#include <mica/task.h>

#include "arch/vm.h"
#include "memory/cap.h"
#include "fpage.h"
#include "ipc/items.h"
#include "objects/invoke.h"
#include "objects/task.h"
#include "objects/thread.h"

static struct task *task_of(const struct invoke_call *c)
{
	return (struct task *)cap_obj(c->cap);
}

static mica_msgtag_t cap_info(struct invoke_call *c)
{
	struct cap_slot *s = cap_lookup(task_of(c), c->mr[0]);
	c->caller->utcb->mr[0] = s ? cap_obj(s)->type : MICA_OBJ_NONE;
	c->caller->utcb->mr[1] = s ? cap_rights(s) : 0;
	return invoke_ok(c->caller, 2);
}

static mica_msgtag_t cap_same(struct invoke_call *c)
{
	struct task *t = task_of(c);
	struct cap_slot *a = cap_lookup(t, c->mr[0]), *b = cap_lookup(t, c->mr[1]);
	c->caller->utcb->mr[0] = a && b && cap_obj(a) == cap_obj(b);
	return invoke_ok(c->caller, 1);
}

/* MR0 names the source in the caller's space, MR1 the free destination
 * slot in the task's, MR2 the rights mask, MR3 a label for a gate. */
static enum mica_error check_copy(struct invoke_call *c, struct cap_slot **src, struct cap_slot **dst)
{
	const mica_word_t *mr = c->mr;
	uint64_t label = mr[3];
	if (!(*src = cap_lookup(c->caller->task, mr[0])))
		return MICA_E_INVALID_CAP;
	if (label && cap_obj(*src)->type != MICA_OBJ_GATE)
		return MICA_E_BAD_ARG;
	if (label && (*src)->label)
		return MICA_E_NO_RIGHTS; /* a label, once set, stays */
	if (mr[2] & ~MICA_RIGHTS_ALL)
		return MICA_E_BAD_ARG;
	return cap_free_slot(task_of(c), mr[1], dst);
}

static mica_msgtag_t cap_copy(struct invoke_call *c)
{
	struct cap_slot *src, *dst;
	cap_lock();
	enum mica_error e = check_copy(c, &src, &dst);
	if (e == MICA_OK)
		cap_derive(dst, src, cap_rights(src) & c->mr[2], c->mr[3] ? c->mr[3] : src->label);
	cap_unlock();
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t cap_del(struct invoke_call *c)
{
	cap_lock();
	struct cap_slot *s = cap_lookup(task_of(c), c->mr[0]);
	if (!s) {
		cap_unlock();
		return invoke_error(c->caller, MICA_E_INVALID_CAP);
	}
	/* Set the result first: the caller may be deleting its own thread. */
	mica_msgtag_t ok = invoke_ok(c->caller, 0);
	cap_delete(s);
	cap_unlock();
	return ok;
}

/* MICA_TASK_MAP: one item from the source task (MR0) into the task, into
 * a window of the fpage's own size at the given base (MR2). */
static mica_msgtag_t map(struct invoke_call *c)
{
	const mica_word_t *mr = c->mr;
	struct cap_slot *src;
	struct item it;
	enum mica_error e = item_decode(mr[2] & MICA_ITEM_KIND_MASK, mr[1], &it);
	if (e == MICA_OK)
		e = cap_get(c->caller->task, mr[0], MICA_OBJ_TASK,
			    task_map_source_rights(it.kind == MICA_ITEM_GRANT), &src);
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	/* The destination base, encoded like the fpage's own base. */
	mica_word_t dst = (mr[2] & ~0xffful) | ((mr[1] & 0xffful) & ~MICA_FPAGE_RIGHTS) | MICA_FPAGE_RIGHTS;
	struct fpage win;
	if ((mr[2] & 0xff0) || !fpage_decode(dst, &win))
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	/* One item, decoded once: checking before committing (items_move's
	 * two passes, for messages of several) would only repeat it. Where
	 * the pages may go is known only as it maps them. */
	e = items_move_one((struct task *)cap_obj(src), &it, task_of(c), &win, true);
	return e == MICA_OK ? invoke_ok(c->caller, 0) : invoke_error(c->caller, e);
}

/* MR0 = flags, MR1 .. = the n fpages (u = 1 + n). */
static mica_msgtag_t unmap(struct invoke_call *c)
{
	unsigned n = mica_msgtag_u(c->tag) - 1;
	mica_word_t flags = c->mr[0], fp[MICA_UNMAP_MAX];
	struct fpage f[MICA_UNMAP_MAX];
	if (flags & ~MICA_UNMAP_FLUSH)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	invoke_copy_mrs(c->caller, fp, 1, n);
	for (unsigned i = 0; i < n; i++)
		if (!fpage_decode(fp[i], &f[i]))
			return invoke_error(c->caller, MICA_E_BAD_ARG);
	/* All checked: now revoke. */
	volatile mica_word_t *out = c->caller->utcb->mr;
	for (unsigned i = 0; i < n; i++) {
		unsigned st = task_unmap(task_of(c), &f[i], flags & MICA_UNMAP_FLUSH);
		out[1 + i] = task_unmap_result(fp[i], st);
	}
	return invoke_ok(c->caller, 1 + n);
}

static mica_msgtag_t destroy(struct invoke_call *c)
{
	/* The caller may be one of its threads: answer before. */
	mica_msgtag_t ok = invoke_ok(c->caller, 0);
	kobj_revoke_all(&task_of(c)->hdr);
	return ok;
}

const struct invoke_method task_methods[INVOKE_LABELS] = {
	[MICA_TASK_CAP_INFO] = { .decode = cap_info, .words = 1, .rights = MICA_TASK_R_READ },
	[MICA_TASK_CAP_SAME] = { .decode = cap_same, .words = 2, .rights = MICA_TASK_R_READ },
	[MICA_TASK_CAP_COPY] = { .decode = cap_copy, .words = 4, .rights = MICA_TASK_R_WRITE },
	[MICA_TASK_CAP_DELETE] = { .decode = cap_del, .words = 1, .rights = MICA_TASK_R_WRITE },
	[MICA_TASK_MAP] = { .decode = map, .words = TASK_MAP_WORDS, .rights = TASK_MAP_RIGHTS },
	[MICA_TASK_UNMAP] = { .decode = unmap, .words = TASK_UNMAP_WORDS, .rights = TASK_UNMAP_RIGHTS },
	[MICA_TASK_DESTROY] = { .decode = destroy, .rights = MICA_TASK_R_CONTROL },
};
