/* The task object's methods: decoding and checking (see mica/task.h). */
#include <mica/layout.h>
#include <mica/task.h>

#include "cap.h"
#include "invoke.h"
#include "task.h"
#include "thread.h"

#define PAGE 4096ul

static mica_msgtag_t cap_info(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *s = cap_lookup(t, mr[0]);
	caller->utcb->mr[0] = s ? cap_obj(s)->type : MICA_OBJ_NONE;
	caller->utcb->mr[1] = s ? cap_rights(s) : 0;
	return invoke_ok(caller, 2);
}

static mica_msgtag_t cap_same(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *a = cap_lookup(t, mr[0]), *b = cap_lookup(t, mr[1]);
	caller->utcb->mr[0] = a && b && cap_obj(a) == cap_obj(b);
	return invoke_ok(caller, 1);
}

static mica_msgtag_t cap_copy(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *src = cap_lookup(caller->task, mr[0]), *dst;
	if (!src)
		return invoke_error(caller, MICA_E_INVALID_CAP);
	uint64_t label = mr[3];
	if (label && cap_obj(src)->type != MICA_OBJ_GATE)
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (label && src->label)
		return invoke_error(caller, MICA_E_NO_RIGHTS);
	if (mr[2] & ~MICA_RIGHTS_ALL)
		return invoke_error(caller, MICA_E_BAD_ARG);
	enum mica_error e = cap_free_slot(t, mr[1], &dst);
	if (e != MICA_OK)
		return invoke_error(caller, e);
	cap_insert(dst, cap_obj(src), cap_rights(src) & mr[2], label ? label : src->label);
	return invoke_ok(caller, 0);
}

static mica_msgtag_t cap_del(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	struct cap_slot *s = cap_lookup(t, mr[0]);
	if (!s)
		return invoke_error(caller, MICA_E_INVALID_CAP);
	/* Set the result first: the caller may be deleting its own thread. */
	mica_msgtag_t ok = invoke_ok(caller, 0);
	cap_delete(s);
	return ok;
}

static bool user_range(uint64_t addr, uint64_t pages)
{
	return !(addr & (PAGE - 1)) && addr >= MICA_USER_MIN && addr < MICA_USER_END &&
	       pages <= (MICA_USER_END - addr) / PAGE;
}

static mica_msgtag_t map_pages(struct thread *caller, struct task *t, const mica_word_t *mr)
{
	uint64_t src = mr[0], dst = mr[1], pages = mr[2], prot = mr[3];
	if (!pages || pages > MICA_TASK_MAP_MAX_PAGES || !user_range(src, pages) || !user_range(dst, pages) ||
	    (prot & ~(MICA_MAP_R | MICA_MAP_W | MICA_MAP_X)) || !(prot & MICA_MAP_R))
		return invoke_error(caller, MICA_E_BAD_ARG);
	/* UTCB pages are kernel memory freed with their task: never shared,
	 * never replaced. */
	if (task_in_utcb_area(caller->task, src, pages * PAGE) || task_in_utcb_area(t, dst, pages * PAGE))
		return invoke_error(caller, MICA_E_BAD_ARG);
	unsigned want = VM_READ | ((prot & MICA_MAP_W) ? VM_WRITE : 0) | ((prot & MICA_MAP_X) ? VM_EXEC : 0);
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t phys;
		unsigned have;
		if (!vm_lookup(&caller->task->vm, src + i * PAGE, &phys, &have) || (want & ~have))
			return invoke_error(caller, MICA_E_BAD_ARG);
	}
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t phys;
		unsigned have;
		vm_lookup(&caller->task->vm, src + i * PAGE, &phys, &have);
		if (!vm_map_user_page(&t->vm, dst + i * PAGE, phys, want))
			return invoke_error(caller, MICA_E_NO_MEMORY);
	}
	return invoke_ok(caller, 0);
}

mica_msgtag_t task_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	struct task *t = (struct task *)cap_obj(cap);
	mica_word_t mr[4];
	enum mica_error e;

	switch (mica_msgtag_label(tag)) {
	case MICA_TASK_CAP_INFO:
		if ((e = invoke_check(cap, tag, 1, MICA_TASK_R_READ)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 1);
		return cap_info(caller, t, mr);
	case MICA_TASK_CAP_SAME:
		if ((e = invoke_check(cap, tag, 2, MICA_TASK_R_READ)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 2);
		return cap_same(caller, t, mr);
	case MICA_TASK_CAP_COPY:
		if ((e = invoke_check(cap, tag, 4, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 4);
		return cap_copy(caller, t, mr);
	case MICA_TASK_CAP_DELETE:
		if ((e = invoke_check(cap, tag, 1, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 1);
		return cap_del(caller, t, mr);
	case MICA_TASK_MAP:
		if ((e = invoke_check(cap, tag, 4, MICA_TASK_R_WRITE)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 4);
		return map_pages(caller, t, mr);
	case MICA_TASK_DESTROY: {
		if ((e = invoke_check(cap, tag, 0, MICA_TASK_R_CONTROL)))
			return invoke_error(caller, e);
		/* The caller may be one of its threads: answer before. */
		mica_msgtag_t ok = invoke_ok(caller, 0);
		kobj_revoke_all(&t->hdr);
		return ok;
	}
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
