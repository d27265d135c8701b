/* Starting sigma0 and the root task from the first two boot modules: each
 * gets a task, a thread, its ELF segments and its initial capabilities
 * (docs/abi.md section 8). */
#include "boot/boot_tasks.h"

#include <mica/kip.h>
#include <mica/layout.h>
#include <mica/sigma0.h>
#include <string.h>

#include "arch/vm.h"
#include "elf.h"
#include "boot/kip.h"
#include "memory/cap.h"
#include "objects/factory.h"
#include "objects/gate.h"
#include "memory/kmem.h"
#include "klib/kprintf.h"
#include "memory/mapdb.h"
#include "progname.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/irq.h"
#include "objects/kdebug.h"
#include "objects/scheduler.h"
#include "objects/vcon.h"

#define PAGE 4096ul

/* sigma0's image and stack are kernel memory charged to the root factory:
 * nothing at user level could page it. */
static bool map_fresh(struct task *t, uint64_t va, unsigned prot, void **kva)
{
	uint64_t pa;
	if (!quota_alloc_frame(t->hdr.quota, &pa))
		return false;
	if (mapdb_map_root(t, va, pa, prot) != MICA_OK) {
		quota_free_frame(t->hdr.quota, pa);
		return false;
	}
	if (kva)
		*kva = phys_to_virt(pa);
	return true;
}

static bool load_segments(struct task *t, const uint8_t *image, const struct elf_image *elf)
{
	for (unsigned i = 0; i < elf->count; i++) {
		const struct elf_segment *s = &elf->seg[i];
		unsigned prot = elf_rights(s->flags); /* VM_* are the same bits */
		for (uint64_t page = s->vaddr & ~(PAGE - 1); page < s->vaddr + s->memsz; page += PAGE) {
			uint8_t *dst;
			if (!map_fresh(t, page, prot, (void **)&dst))
				return false;
			/* The part of the file that lands in this page. */
			uint64_t lo = page > s->vaddr ? page : s->vaddr;
			uint64_t hi = page + PAGE < s->vaddr + s->filesz ? page + PAGE : s->vaddr + s->filesz;
			if (hi > lo)
				memcpy(dst + (lo - page), image + s->offset + (lo - s->vaddr), hi - lo);
		}
	}
	return true;
}

static bool give(struct task *task, mica_cap_t sel, struct kobj *o, unsigned rights, uint64_t label)
{
	struct cap_slot *s;
	cap_lock();
	bool ok = cap_free_slot(task, sel, &s) == MICA_OK;
	if (ok)
		cap_insert(s, o, rights, label);
	cap_unlock();
	return ok;
}

/* A new task with the KIP and one bound thread; nothing else mapped. */
static struct task *boot_task_create(struct factory *f, const char *name, struct thread **thread)
{
	struct task *task = task_create(f, MICA_BOOT_UTCB_ADDR, MICA_BOOT_UTCB_AREA_LOG2);
	bool ok = task != 0;
	for (uint64_t off = 0; ok && off < MICA_KIP_SIZE; off += PAGE)
		ok = mapdb_map_root(task, MICA_BOOT_KIP_ADDR + off, kip_phys + off, VM_READ) == MICA_OK;
	struct thread *t = ok ? thread_create(f) : 0;
	if (!t || !give(task, MICA_CAP_TASK, &task->hdr, MICA_RIGHTS_ALL, 0) ||
	    !give(task, MICA_CAP_THREAD, &t->hdr, MICA_RIGHTS_ALL, 0) ||
	    !give(task, MICA_CAP_VCON, vcon_object(), MICA_RIGHTS_ALL, 0))
		return 0;
	task_set_name(task, name);
	thread_bind(t, task, MICA_BOOT_UTCB_ADDR);
	*thread = t;
	return task;
}

static bool validate(const struct boot_module *m, const char *role, struct elf_image *elf)
{
	enum elf_error err =
		elf_validate(phys_to_virt(m->start), m->end - m->start, MICA_USER_MIN, MICA_USER_END, elf);
	if (err == ELF_OK)
		return true;
	kprintf("mica: boot module '%s' (%s) is not a valid program: %s\n", m->cmdline, role,
		elf_error_name(err));
	return false;
}

static void start(struct thread *t, uint64_t entry)
{
	arch_thread_init_user(&t->regs, &t->arch, entry, MICA_BOOT_STACK_TOP, MICA_BOOT_KIP_ADDR,
			      MICA_BOOT_UTCB_ADDR, MICA_BOOT_UTCB_ADDR);
	kprintf("mica: starting '%s' (task %u, thread %u) at 0x%lx\n", t->task->name, t->task->id, t->id,
		entry);
	/* The boot threads are the only ones the kernel itself places: the
	 * defaults, on the boot CPU. */
	t->scheduled = true;
	sched_ready(t);
}

/* sigma0: its image and stack are kernel memory, mapped here; its memory
 * space for items is physical memory and it is the root of the I/O
 * trees. Returns the gate its thread serves. */
static struct gate *start_sigma0(struct factory *f, const struct boot_module *m)
{
	struct elf_image elf;
	if (!validate(m, "sigma0", &elf))
		return 0;
	struct thread *t;
	struct task *task = boot_task_create(f, "sigma0", &t);
	bool ok = task && load_segments(task, phys_to_virt(m->start), &elf);
	for (uint64_t va = MICA_BOOT_STACK_TOP - MICA_BOOT_STACK_SIZE; ok && va < MICA_BOOT_STACK_TOP;
	     va += PAGE)
		ok = map_fresh(task, va, VM_READ | VM_WRITE, 0);
	struct gate *g = ok ? gate_create(f, t) : 0;
	if (!g)
		return 0;
	task->phys_space = true;
	task->io_root = true;
	start(t, elf.entry);
	return g;
}

/* The root task: only the KIP is mapped; its first instruction fetch
 * and every later fault go to sigma0 through the pager gate. */
static bool start_root(struct factory *f, struct gate *sigma0, const struct boot_module *m)
{
	struct elf_image elf;
	if (!validate(m, "root task", &elf))
		return false;
	char name[TASK_NAME_MAX];
	progname(m->cmdline, name, sizeof(name));
	if (!name[0])
		memcpy(name, "boot", 5);
	struct thread *t;
	struct task *task = boot_task_create(f, name, &t);
	if (!task || !give(task, MICA_CAP_FACTORY, &f->hdr, MICA_RIGHTS_ALL, 0) ||
	    !give(task, MICA_CAP_PAGER, &sigma0->hdr, MICA_GATE_R_SEND | MICA_GATE_R_MAP,
		  MICA_SIGMA0_LABEL_ROOT) ||
	    !give(task, MICA_CAP_SCHEDULER, scheduler_root(), MICA_RIGHTS_ALL, 0) ||
	    !give(task, MICA_CAP_ICU, icu_object(), MICA_RIGHTS_ALL, 0))
		return false;
#ifdef MICA_DEBUG
	if (!give(task, MICA_CAP_KDEBUG, kdebug_object(), MICA_RIGHTS_ALL, 0))
		return false;
#endif
	t->pager = MICA_CAP_PAGER;
	start(t, elf.entry);
	kprintf("mica: the root factory holds %lu KiB\n", (f->limit - f->used) >> 10);
	return true;
}

void boot_tasks_start(const struct boot_module *mods, unsigned count)
{
	if (count == 0) {
		kprintf("mica: no boot modules: nothing to start\n");
		return;
	}
	/* sigma0's objects are charged to the root factory too: all kernel
	 * memory is accounted in one tree. */
	struct factory *f = factory_create_root();
	struct gate *sigma0 = f ? start_sigma0(f, &mods[0]) : 0;
	if (!sigma0) {
		kprintf("mica: sigma0 did not start: nothing to run\n");
		return;
	}
	if (count == 1) {
		kprintf("mica: no root task module: only sigma0 runs\n");
		return;
	}
	if (!start_root(f, sigma0, &mods[1]))
		kprintf("mica: the root task did not start\n");
}
