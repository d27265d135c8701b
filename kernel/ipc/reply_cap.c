/* Reply capabilities (reply_cap.h): saving a reply right into a slot,
 * the reply through it, and the release of its caller when the right is
 * dropped unused. The IPC path (ipc.c) calls in at three places: the
 * save before a receive, a send whose selector names a reply object, and
 * a caller that leaves its reply wait (ipc_release_reply_right). */
#include "ipc/reply_cap.h"

#include "ipc/ipc.h"
#include "ipc/ipc_steps.h"
#include "memory/cap.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"

enum mica_error reply_cap_save(struct thread *self, mica_cap_t sel)
{
	struct task *t = self->task;
	struct cap_slot *slot;
	cap_lock();
	enum mica_error e = cap_free_slot(t, sel, &slot);
	cap_unlock();
	if (e != MICA_OK)
		return e;
	/* The move writes caller c's IPC state (reply_partner, reply_cap),
	 * which is its CPU's: with that lock held, looked at again after
	 * any lock was let go. CPU locks come before the allocator's and
	 * the capability lock, so the object is allocated under them: an
	 * allocation made before could be lost if cpu_lock_more abandons
	 * the call. */
	struct percpu *cpu = this_cpu();
	struct thread *c;
	while ((c = self->reply_to) && !cpu_locks_cover(cpu, ipc_lock_of(c)))
		cpu_lock_more(cpu, ipc_lock_of(c));
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

void reply_cap_done(struct thread *self, mica_cap_t sel, struct reply_cap *r)
{
	if (r->caller)
		return; /* the reply failed and keeps its right (items that do not fit) */
	/* The slot, not the copy cap_get answered with: looked up again
	 * under the lock, and emptied only if it still names r (another
	 * thread of the task may have deleted or refilled it meanwhile). */
	cap_lock();
	struct cap_slot *s = cap_lookup(self->task, sel);
	if (s && cap_obj(s) == &r->hdr)
		cap_delete(s);
	cap_unlock();
}

void reply_cap_detach(struct thread *c)
{
	CPU_LOCK_CHECK(c->cpu); /* r->caller is c's CPU's */
	c->reply_cap->caller = 0;
	c->reply_cap = 0;
}

void reply_cap_release(struct reply_cap *r)
{
	/* From kobj_reap, with every CPU's lock held (as a gate's or an
	 * IRQ's release aborts the threads waiting on it). */
	if (r->caller)
		ipc_abort(r->caller, MICA_E_ABORTED);
}
