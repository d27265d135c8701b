#include "task.h"

#include <string.h>

#include "kmem.h"

static unsigned next_task_id = 1;

struct task *task_create(const char *name)
{
	uint64_t phys;
	_Static_assert(sizeof(struct task) <= 4096, "a task fits a frame");
	if (!kmem_alloc_frame(&phys))
		return 0;
	struct task *t = phys_to_virt(phys);
	if (!vm_space_create(&t->vm)) {
		kmem_free_frame(phys);
		return 0;
	}
	t->id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_RELAXED);
	size_t n = strnlen(name, TASK_NAME_MAX - 1);
	memcpy(t->name, name, n);
	t->name[n] = '\0';
	return t;
}
