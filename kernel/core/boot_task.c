#include "boot_task.h"

#include <mica/kip.h>
#include <mica/layout.h>
#include <string.h>

#include "arch/vm.h"
#include "elf.h"
#include "kip.h"
#include "cap.h"
#include "factory.h"
#include "kmem.h"
#include "kprintf.h"
#include "mapdb.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "vcon.h"

#define PAGE 4096ul

/* "build/user/hello.elf arg" -> "hello" */
static void task_name_from_cmdline(const char *cmdline, char *name, size_t size)
{
	const char *start = cmdline, *end = cmdline;
	while (*end && *end != ' ') {
		if (*end == '/')
			start = end + 1;
		end++;
	}
	size_t n = (size_t)(end - start);
	if (n > 4 && memcmp(end - 4, ".elf", 4) == 0)
		n -= 4;
	if (n >= size)
		n = size - 1;
	memcpy(name, start, n);
	name[n] = '\0';
	if (!n)
		memcpy(name, "boot", 5);
}

/* Interim: the root task's image and stack come from kernel memory,
 * charged to its factory. With sigma0 (the memory issue) its memory is
 * mapped from user level. */
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
		unsigned prot = VM_READ | ((s->flags & ELF_SEG_W) ? VM_WRITE : 0) |
				((s->flags & ELF_SEG_X) ? VM_EXEC : 0);
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

static bool give(struct task *task, mica_cap_t sel, struct kobj *o)
{
	struct cap_slot *s;
	if (cap_free_slot(task, sel, &s) != MICA_OK)
		return false;
	cap_insert(s, o, MICA_RIGHTS_ALL, 0);
	return true;
}

/* The root task's initial capabilities (DESIGN.md section 3). The pager
 * (sigma0), ICU and scheduler selectors stay empty until their issues. */
static bool give_initial_caps(struct task *task, struct thread *t, struct factory *f)
{
	return give(task, MICA_CAP_TASK, &task->hdr) && give(task, MICA_CAP_THREAD, &t->hdr) &&
	       give(task, MICA_CAP_FACTORY, &f->hdr) && give(task, MICA_CAP_VCON, vcon_object());
}

bool boot_task_start(const struct boot_module *m)
{
	char name[TASK_NAME_MAX];
	task_name_from_cmdline(m->cmdline, name, sizeof(name));
	const uint8_t *image = phys_to_virt(m->start);
	struct elf_image elf;
	enum elf_error err = elf_validate(image, m->end - m->start, MICA_USER_MIN, MICA_USER_END, &elf);
	if (err != ELF_OK) {
		kprintf("mica: boot module '%s' is not a valid program: %s\n", m->cmdline,
			elf_error_name(err));
		return false;
	}

	struct factory *f = factory_create_root();
	struct task *task = f ? task_create(f, MICA_BOOT_UTCB_ADDR, MICA_BOOT_UTCB_AREA_LOG2) : 0;
	bool ok = task && load_segments(task, image, &elf);
	for (uint64_t off = 0; ok && off < MICA_KIP_SIZE; off += PAGE)
		ok = mapdb_map_root(task, MICA_BOOT_KIP_ADDR + off, kip_phys + off, VM_READ) == MICA_OK;
	for (uint64_t va = MICA_BOOT_STACK_TOP - MICA_BOOT_STACK_SIZE; ok && va < MICA_BOOT_STACK_TOP;
	     va += PAGE)
		ok = map_fresh(task, va, VM_READ | VM_WRITE, 0);
	struct thread *t = ok ? thread_create(f) : 0;
	if (!t || !give_initial_caps(task, t, f)) {
		/* Boot cannot go on without its first program; the memory is not
		 * worth reclaiming. */
		kprintf("mica: out of kernel memory loading '%s'\n", name);
		return false;
	}
	task_set_name(task, name);
	/* Interim until sigma0 owns them: the root task holds every port. */
	task->io_root = true;
	thread_bind(t, task, MICA_BOOT_UTCB_ADDR);
	arch_thread_init_user(&t->regs, &t->arch, elf.entry, MICA_BOOT_STACK_TOP, MICA_BOOT_KIP_ADDR,
			      MICA_BOOT_UTCB_ADDR, MICA_BOOT_UTCB_ADDR);
	kprintf("mica: starting '%s' (task %u, thread %u) at 0x%lx; its factory holds %lu KiB\n", name,
		task->id, t->id, elf.entry, (f->limit - f->used) >> 10);
	sched_ready(t);
	return true;
}
