/* What every kernel object shares: allocation charged to a factory,
 * pinning, revocation of every capability to it, and destruction through
 * per-CPU queues, after a grace period, so that chains of deletions never
 * recurse and no CPU still uses what is destroyed. */
#include "objects/kobj.h"

#include "sched/cpu_lock.h"

#include "memory/cap.h"
#include "objects/factory.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "ipc/reply_cap.h"
#include "arch/vm.h"
#include "memory/kmem.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "klib/config.h"
#include "klib/spinlock.h"
#include "memory/cap.h"
#include "sched/percpu.h"
#include "sched/remote.h"

/* Each CPU's queue, and the batch taken from it that it destroys after
 * a grace period: only that CPU links and unlinks (interrupts off). */
static struct kobj *reap_head[MAX_CPUS], *reap_batch[MAX_CPUS];
unsigned long kobj_reap_queued;

/* Each CPU's count of quiescent points (kobj_quiescent), and whether it
 * waits with nothing in hand (kobj_wait_begin). */
static uint64_t quiescent_gen[MAX_CPUS];
unsigned kobj_waiting[MAX_CPUS];

#ifdef MICA_DEBUG
struct kobj *kobj_all;
static struct spinlock all_lock; /* a leaf */

bool kobj_all_unlocked(void)
{
	return !__atomic_load_n(&all_lock.locked, __ATOMIC_RELAXED);
}

bool kobj_on_reap_list(const struct kobj *o)
{
	for (unsigned c = 0; c < MAX_CPUS; c++)
		for (const struct kobj *l = reap_head[c]; l; l = l->reap_next)
			if (l == o)
				return true;
	for (unsigned c = 0; c < MAX_CPUS; c++)
		for (const struct kobj *l = reap_batch[c]; l; l = l->reap_next)
			if (l == o)
				return true;
	return false;
}

static void list_add(struct kobj *o)
{
	spin_lock(&all_lock);
	o->all_next = kobj_all;
	o->all_prev = 0;
	if (kobj_all)
		kobj_all->all_prev = o;
	kobj_all = o;
	spin_unlock(&all_lock);
}

static void list_remove(struct kobj *o)
{
	spin_lock(&all_lock);
	if (o->all_prev)
		o->all_prev->all_next = o->all_next;
	else
		kobj_all = o->all_next;
	if (o->all_next)
		o->all_next->all_prev = o->all_prev;
	spin_unlock(&all_lock);
}
#else
static void list_add(struct kobj *o)
{
	(void)o;
}
static void list_remove(struct kobj *o)
{
	(void)o;
}
#endif

void *kobj_alloc(struct factory *f, enum mica_obj_type type)
{
	uint64_t phys;
	if (!quota_alloc_frame(f, &phys))
		return 0;
	struct kobj *o = phys_to_virt(phys);
	o->type = type;
	o->quota = f;
	o->phys = phys;
	kobj_pin(&f->hdr);
	list_add(o);
	return o;
}

void kobj_init_permanent(struct kobj *o, enum mica_obj_type type)
{
	o->type = type;
	o->permanent = true;
	list_add(o);
}

void kobj_pin(struct kobj *o)
{
	__atomic_fetch_add(&o->pins, 1, __ATOMIC_SEQ_CST);
}

void kobj_unpin(struct kobj *o)
{
	__atomic_fetch_sub(&o->pins, 1, __ATOMIC_SEQ_CST);
	kobj_check_unused(o);
}

void kobj_check_unused(struct kobj *o)
{
	/* The last capability and the last pin may go on two CPUs at once:
	 * each changed its count with a full barrier before reading the
	 * other, so at least one sees both at zero; the exchange on
	 * `queued` lets only one queue it. */
	if (o->permanent || __atomic_load_n(&o->ncaps, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&o->pins, __ATOMIC_SEQ_CST))
		return;
	if (__atomic_exchange_n(&o->queued, true, __ATOMIC_SEQ_CST))
		return;
	unsigned c = this_cpu()->id;
	o->reap_next = reap_head[c];
	reap_head[c] = o;
	__atomic_fetch_add(&kobj_reap_queued, 1, __ATOMIC_RELAXED);
}

void kobj_revoke_all(struct kobj *o)
{
	/* Keep o alive (and off the queue) while its slots go. */
	kobj_pin(o);
	cap_lock();
	while (o->caps)
		cap_delete(o->caps);
	cap_unlock();
	kobj_unpin(o);
}

static void release(struct kobj *o)
{
	switch (o->type) {
	case MICA_OBJ_TASK:
		task_release((struct task *)o);
		break;
	case MICA_OBJ_THREAD:
		thread_release((struct thread *)o);
		break;
	case MICA_OBJ_GATE:
		gate_release((struct gate *)o);
		break;
	case MICA_OBJ_FACTORY:
		factory_release((struct factory *)o);
		break;
	case MICA_OBJ_IRQ:
		irq_release((struct irq *)o);
		break;
	case MICA_OBJ_REPLY:
		reply_cap_release((struct reply_cap *)o);
		break;
	default:
		break;
	}
}

void kobj_quiescent(unsigned cpu)
{
	/* A locked add: a full barrier, so whatever this CPU reads after it
	 * sees every unlink made before a reaper read the old count. */
	__atomic_fetch_add(&quiescent_gen[cpu], 1, __ATOMIC_SEQ_CST);
}

static void nothing(struct remote_request *r)
{
	(void)r;
}

/* Returns once every other online CPU has been at a quiescent point
 * since the call: seen to count one more, or to wait with nothing in
 * hand (for its own CPU lock at an entry, or in here itself). A
 * CPU in user mode or idle takes the request's interrupt at once (which
 * counts); one that runs the request while it waits in the kernel for
 * something else does not count, and is asked again. */
static void grace_period(unsigned self)
{
	unsigned n = __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
	if (n <= 1)
		return;
	uint64_t snap[MAX_CPUS];
	kobj_wait_begin(self);
	for (unsigned c = 0; c < n; c++)
		snap[c] = __atomic_load_n(&quiescent_gen[c], __ATOMIC_SEQ_CST);
	for (unsigned c = 0; c < n; c++) {
		if (c == self)
			continue;
		while (__atomic_load_n(&quiescent_gen[c], __ATOMIC_SEQ_CST) == snap[c] &&
		       !kobj_cpu_waits(c)) {
			struct remote_request r = { .fn = nothing };
			remote_run(percpu_by_id[c], &r);
		}
	}
	kobj_wait_end(self);
}

void kobj_reap(void)
{
	unsigned self = this_cpu()->id;
	while (reap_head[self]) {
		/* Called with no lock held and no object in hand. */
		kobj_quiescent(self);
		reap_batch[self] = reap_head[self];
		reap_head[self] = 0;
		grace_period(self);
		/* Releases reach into threads of any CPU. */
		cpu_lock_all(this_cpu());
		while (reap_batch[self]) {
			struct kobj *o = reap_batch[self];
			reap_batch[self] = o->reap_next;
			__atomic_fetch_sub(&kobj_reap_queued, 1, __ATOMIC_RELAXED);
			if (__atomic_load_n(&o->ncaps, __ATOMIC_SEQ_CST) ||
			    __atomic_load_n(&o->pins, __ATOMIC_SEQ_CST)) {
				/* Pinned again by a CPU that found it before it
				 * was queued (a factory creating): it lives on,
				 * and its last unpin queues it again. */
				__atomic_store_n(&o->queued, false, __ATOMIC_SEQ_CST);
				kobj_check_unused(o);
				continue;
			}
			release(o);
			list_remove(o);
			struct factory *f = o->quota;
			quota_free_frame(f, o->phys);
			/* f may be queued now: it waits for a grace period of
			 * its own (the next round), since another CPU may be
			 * creating with it. */
			kobj_unpin(&f->hdr);
		}
		cpu_unlock_others_if(this_cpu());
		if (__atomic_load_n(&cpus_online, __ATOMIC_RELAXED) > 1)
			cpu_unlock_own(this_cpu());
	}
}
