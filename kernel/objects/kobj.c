/* What every kernel object shares: allocation charged to a factory,
 * pinning, revocation of every capability to it, and destruction through
 * a queue so that chains of deletions never recurse. */
#include "objects/kobj.h"

#include "memory/cap.h"
#include "objects/factory.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "arch/vm.h"
#include "memory/kmem.h"
#include "objects/task.h"
#include "objects/thread.h"

struct kobj *kobj_reap_head;

#ifdef MICA_DEBUG
struct kobj *kobj_all;

static void list_add(struct kobj *o)
{
	o->all_next = kobj_all;
	o->all_prev = 0;
	if (kobj_all)
		kobj_all->all_prev = o;
	kobj_all = o;
}

static void list_remove(struct kobj *o)
{
	if (o->all_prev)
		o->all_prev->all_next = o->all_next;
	else
		kobj_all = o->all_next;
	if (o->all_next)
		o->all_next->all_prev = o->all_prev;
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
	o->pins++;
}

void kobj_unpin(struct kobj *o)
{
	o->pins--;
	kobj_check_unused(o);
}

void kobj_check_unused(struct kobj *o)
{
	if (o->ncaps || o->pins || o->permanent || o->queued)
		return;
	o->queued = true;
	o->reap_next = kobj_reap_head;
	kobj_reap_head = o;
}

void kobj_revoke_all(struct kobj *o)
{
	/* Keep o alive (and off the queue) while its slots go. */
	o->pins++;
	while (o->caps)
		cap_delete(o->caps);
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
	default:
		break;
	}
}

void kobj_reap(void)
{
	while (kobj_reap_head) {
		struct kobj *o = kobj_reap_head;
		kobj_reap_head = o->reap_next;
		release(o);
		list_remove(o);
		struct factory *f = o->quota;
		quota_free_frame(f, o->phys);
		kobj_unpin(&f->hdr);
	}
}
