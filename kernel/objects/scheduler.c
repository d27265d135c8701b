/* The scheduler object: the boot one, new ones, and what they set. */
#include "objects/scheduler.h"

#include "sched/clock.h"
#include "sched/sched.h"

static struct scheduler root;

struct kobj *scheduler_root(void)
{
	if (!root.hdr.type) {
		kobj_init_permanent(&root.hdr, MICA_OBJ_SCHEDULER);
		root.ceiling = SCHED_PRIOS - 1;
		root.cpus = ~0ull;
	}
	return &root.hdr;
}

void scheduler_run_thread(struct thread *t, unsigned prio, uint64_t slice_ns, unsigned cpu)
{
	sched_set_params(t, prio, slice_ns);
	sched_migrate(t, cpu);
	t->scheduled = true;
}

struct scheduler *scheduler_create(struct factory *f, unsigned ceiling, uint64_t cpus)
{
	struct scheduler *n = kobj_alloc(f, MICA_OBJ_SCHEDULER);
	if (n) {
		n->ceiling = ceiling;
		n->cpus = cpus;
	}
	return n;
}
