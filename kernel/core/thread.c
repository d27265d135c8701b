#include "thread.h"

#include "kmem.h"

static unsigned next_thread_id = 1;

struct thread *thread_create(struct task *task, uint64_t utcb_addr, uint64_t utcb_phys)
{
	uint64_t phys;
	_Static_assert(sizeof(struct thread) <= 4096, "a thread fits a frame");
	if (!kmem_alloc_frame(&phys))
		return 0;
	struct thread *t = phys_to_virt(phys);
	t->task = task;
	t->state = THREAD_HALTED;
	t->id = __atomic_fetch_add(&next_thread_id, 1, __ATOMIC_RELAXED);
	t->utcb_addr = utcb_addr;
	t->utcb = phys_to_virt(utcb_phys);
	t->utcb->self = utcb_addr;
	return t;
}

const char *thread_state_name(enum thread_state s)
{
	switch (s) {
	case THREAD_READY:
		return "ready";
	case THREAD_RUNNING:
		return "running";
	case THREAD_HALTED:
		return "halted";
	case THREAD_DEAD:
		return "dead";
	}
	return "?";
}
