/* Reply capabilities (reply_cap.h): saving a reply right into a slot,
 * the reply through it, and the release of its caller when the right is
 * dropped unused. The IPC path (ipc.c) calls in at three places: the
 * save before a receive, a send whose selector names a reply object, and
 * a caller that leaves its reply wait (ipc_release_reply_right). */
#include "ipc/reply_cap.h"

#include "ipc/ipc.h"
#include "memory/cap.h"
#include "objects/task.h"
#include "objects/thread.h"

enum mica_error reply_cap_save(struct thread *self, mica_cap_t sel)
{
	struct task *t = self->task;
	struct cap_slot *slot;
	cap_lock();
	enum mica_error e = cap_free_slot(t, sel, &slot);
	cap_unlock();
	if (e != MICA_OK)
		return e;
	struct thread *c = self->reply_to;
	if (!c)
		return MICA_E_NO_PARTNER;
	/* A frame per saved right, charged to the server's task: only the
	 * out-of-order case pays it, and a server out of quota answers in
	 * order (the right stays where it was). */
	struct reply_cap *r = t->hdr.quota ? kobj_alloc(t->hdr.quota, MICA_OBJ_REPLY) : 0;
	if (!r)
		return MICA_E_NO_MEMORY;
	cap_lock();
	/* Looked up again under the lock: another thread of the task may
	 * have filled the slot meanwhile; the unused object is then freed. */
	if ((e = cap_free_slot(t, sel, &slot)) != MICA_OK) {
		cap_unlock();
		kobj_check_unused(&r->hdr);
		return e;
	}
	r->caller = c;
	self->reply_to = 0;
	c->reply_partner = 0;
	c->reply_cap = r;
	cap_insert(slot, &r->hdr, MICA_RIGHTS_ALL, 0);
	cap_unlock();
	return MICA_OK;
}

struct thread *reply_cap_caller(const struct cap_slot *cap)
{
	return ((const struct reply_cap *)cap_obj(cap))->caller;
}

void reply_cap_done(struct cap_slot *cap)
{
	if (reply_cap_caller(cap))
		return; /* the reply failed and keeps its right (items that do not fit) */
	cap_lock();
	if (cap->obj_rights)
		cap_delete(cap);
	cap_unlock();
}

void reply_cap_detach(struct thread *c)
{
	c->reply_cap->caller = 0;
	c->reply_cap = 0;
}

void reply_cap_release(struct reply_cap *r)
{
	if (r->caller)
		ipc_abort(r->caller, MICA_E_ABORTED);
}
