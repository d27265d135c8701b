/* Boot-time checks of the kernel's failure paths (panic, assert, a kernel
 * page fault, the invariant checker catching damage), run when the
 * command line asks for them. */
#include "debug/selftest.h"

#include <mica/layout.h>
#include <string.h>

#include "arch/vm.h"
#include "boot/cmdline.h"
#include "objects/factory.h"
#include "debug/invariants.h"
#include "objects/kobj.h"
#include "klib/kprintf.h"
#include "memory/mapdb.h"
#include "klib/panic.h"
#include "sched/percpu.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "klib/config.h"

/* noinline: each must show up by name in the backtrace. */
static __attribute__((noinline)) void selftest_panic(void)
{
	panic("selftest: deliberate panic");
}

static __attribute__((noinline)) void selftest_assert(void)
{
	volatile int one = 1;
	assert(one != 1);
	/* Release builds (DEBUG=0) do not evaluate assert(): say so. */
	panic("selftest: assert() is compiled out in this build");
}

static __attribute__((noinline)) void selftest_fault(void)
{
	/* Kernel text is mapped read-only: this must raise a page fault. */
	volatile char *text = (volatile char *)(void *)&selftest_fault;
	*text = 0;
}

#ifdef MICA_DEBUG
static struct kobj *first_of(enum mica_obj_type type, bool permanent)
{
	for (struct kobj *o = kobj_all; o; o = o->all_next)
		if (o->type == type && o->permanent == permanent)
			return o;
	panic("selftest: no object of type %u", type);
}

/* The checker passes on the state after boot, then must catch one
 * deliberate corruption of it (each a QEMU case). */
static __attribute__((noinline)) void selftest_invariants(const char *what)
{
	struct invariants_report r;
	invariants_check(&r);
	kprintf("selftest: invariants hold after boot: %lu objects, %lu checks\n", r.objects, r.checks);
	if (strcmp(what, "ncaps") == 0) {
		first_of(MICA_OBJ_TASK, false)->ncaps++;
	} else if (strcmp(what, "leak") == 0) {
		uint64_t pa;
		quota_alloc_frame((struct factory *)first_of(MICA_OBJ_FACTORY, true), &pa);
	} else if (strcmp(what, "ready") == 0) {
		struct sched_cpu *s = &this_cpu()->sched;
		PANIC_IF(s->head[0], "selftest: priority 0 has threads");
		s->ready_map[0] |= 1;
	} else if (strcmp(what, "thread_cpu") == 0) {
		/* A thread on an online CPU threads may not be placed on yet. */
		PANIC_IF(cpus_online < 2, "selftest: needs a second CPU online");
		((struct thread *)first_of(MICA_OBJ_THREAD, false))->cpu = 1;
	} else if (strcmp(what, "cpu_data") == 0) {
		/* Per-CPU data under an id beyond the online CPUs. */
		PANIC_IF(cpus_online >= MAX_CPUS, "selftest: every CPU id is online");
		percpu_by_id[cpus_online] = percpu_by_id[0];
	} else if (strcmp(what, "pte") == 0) {
		struct task *t = (struct task *)first_of(MICA_OBJ_TASK, false);
		uint64_t va = 0;
		struct vm_leaf l;
		PANIC_IF(!vm_next_node(&t->vm, &va, MICA_USER_END, &l), "selftest: task %u maps nothing",
			 t->id);
		vm_leaf_set(&t->vm, &l, va, (*l.node)->pa, VM_READ | VM_WRITE | VM_EXEC);
	} else {
		kprintf("selftest: unknown corruption '%s'\n", what);
		return;
	}
	invariants_check(&r);
	panic("selftest: the invariant checker missed the '%s' corruption", what);
}
#endif

void selftest_run(const char *cmdline)
{
	char name[32];
	if (!cmdline_option(cmdline, "selftest", name, sizeof(name)))
		return;
	kprintf("selftest: %s\n", name);
	if (strcmp(name, "panic") == 0)
		selftest_panic();
	else if (strcmp(name, "assert") == 0)
		selftest_assert();
	else if (strcmp(name, "fault") == 0)
		selftest_fault();
	else if (strncmp(name, "inv_", 4) == 0)
#ifdef MICA_DEBUG
		selftest_invariants(name + 4);
#else
		kprintf("selftest: the invariant checker is not in release builds\n");
#endif
	else
		kprintf("selftest: unknown test '%s'\n", name);
}
