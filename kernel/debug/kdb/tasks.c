/* The debugger's task commands: every task, a task's capability space
 * (selector, type, rights, label, object, where it was derived from),
 * and which tasks hold a capability to an object. */
#include <format.h>

#include "debug/kdb/kdb.h"
#include "klib/kprintf.h"
#include "memory/cap.h"
#include "objects/task.h"
#include "objects/thread.h"

/* The task and selector of a slot: the slot does not know them, so
 * every task's space is searched (the debugger has the time). */
static bool slot_owner(const struct cap_slot *s, struct task **task, mica_cap_t *sel)
{
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev) {
		if (o->type != MICA_OBJ_TASK)
			continue;
		struct task *t = (struct task *)o;
		mica_cap_t at = 0;
		struct cap_slot *x;
		while ((x = capspace_next(&t->caps, &at, MICA_CAP_SELECTORS))) {
			if (x == s) {
				*task = t;
				*sel = at;
				return true;
			}
			at++;
		}
	}
	return false;
}

void kdb_cmd_tasks(struct kdb_args *a)
{
	(void)a;
	unsigned n = 0;
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev) {
		if (o->type != MICA_OBJ_TASK)
			continue;
		const struct task *t = (const struct task *)o;
		unsigned threads = 0, caps = 0;
		for (const struct thread *th = t->threads; th; th = th->task_next)
			threads++;
		mica_cap_t sel = 0;
		while (capspace_next(&t->caps, &sel, MICA_CAP_SELECTORS)) {
			caps++;
			sel++;
		}
		char id[40];
		kdb_obj_id(o, id, sizeof(id));
		kprintf("task %-3u %-12s threads %u caps %u utcb 0x%lx+0x%lx%s%s obj %s\n", t->id, t->name,
			threads, caps, t->utcb_base, t->utcb_size, t->phys_space ? " physical-space" : "",
			t->io_root ? " io-root" : "", id);
		n++;
	}
	kprintf("tasks: %u\n", n);
}

void kdb_cmd_caps(struct kdb_args *a)
{
	struct task *t = kdb_task(a->n > 1 ? a->v[1] : ".");
	if (!t)
		return;
	unsigned n = 0;
	mica_cap_t sel = 0;
	struct cap_slot *s;
	while ((s = capspace_next(&t->caps, &sel, MICA_CAP_SELECTORS))) {
		char id[40], from[64] = "";
		kdb_obj_id(cap_obj(s), id, sizeof(id));
		struct cap_slot *parent = cap_of(s->tree.parent);
		struct task *pt;
		mica_cap_t psel;
		if (parent && slot_owner(parent, &pt, &psel)) {
			char pid[40];
			kdb_obj_id(&pt->hdr, pid, sizeof(pid));
			format_buf(from, sizeof(from), " from %s sel 0x%lx", pid, psel);
		}
		kprintf("cap 0x%-5lx %-9s rights 0x%x label 0x%lx obj %s%s\n", sel,
			kdb_type_name(cap_obj(s)->type), cap_rights(s), s->label, id, from);
		n++;
		sel++;
	}
	kprintf("caps: task %u '%s' holds %u\n", t->id, t->name, n);
}

void kdb_cmd_holders(struct kdb_args *a)
{
	struct kobj *target = 0;
	uint64_t sel;
	if (a->n > 2) {
		/* Named by a capability: TASK SEL. */
		struct task *t = kdb_task(a->v[1]);
		struct cap_slot *s = t && kdb_number(a->v[2], &sel) ? cap_lookup(t, sel) : 0;
		if (t && !s)
			kprintf("kdb: task %u has no capability at '%s'\n", t->id, a->v[2]);
		target = s ? cap_obj(s) : 0;
	} else {
		target = kdb_object(a->n > 1 ? a->v[1] : 0);
	}
	if (!target)
		return;
	char tid[40];
	kdb_obj_id(target, tid, sizeof(tid));
	unsigned n = 0;
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev) {
		if (o->type != MICA_OBJ_TASK)
			continue;
		struct task *t = (struct task *)o;
		mica_cap_t sel = 0;
		struct cap_slot *s;
		while ((s = capspace_next(&t->caps, &sel, MICA_CAP_SELECTORS))) {
			if (cap_obj(s) == target) {
				kprintf("who: task %u '%s' sel 0x%lx rights 0x%x label 0x%lx\n", t->id,
					t->name, sel, cap_rights(s), s->label);
				n++;
			}
			sel++;
		}
	}
	kprintf("who: %u capabilities name %s (its count: %u)\n", n, tid, target->ncaps);
}
