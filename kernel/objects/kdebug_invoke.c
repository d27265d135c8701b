/* The kernel debug object's methods (mica/kdebug.h): their table and
 * decoder; the operation is the invariant checker (debug builds only). */
#include <mica/kdebug.h>

#include "debug/invariants.h"
#include "objects/invoke.h"
#include "objects/kdebug.h"
#include "memory/cap.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/percpu.h"

static mica_msgtag_t check(struct invoke_call *c)
{
#ifdef MICA_DEBUG
	struct invariants_report r;
	invariants_check(&r);
	c->caller->utcb->mr[0] = r.objects;
	c->caller->utcb->mr[1] = r.checks;
	return invoke_ok(c->caller, 2);
#else
	return invoke_error(c->caller, MICA_E_NOT_IMPLEMENTED);
#endif
}

#ifdef MICA_DEBUG
struct remote_test {
	struct vm_space *vm; /* 0: no task named */
	unsigned op;
	uint64_t va; /* for READ; RELAY's CPU */
	uint64_t out[5];
};

static void remote_test_here(struct remote_request *r)
{
	struct remote_test *t = r->arg;
	struct percpu *cpu = this_cpu();
	if (t->op == MICA_KDEBUG_REMOTE_LOAD || t->op == MICA_KDEBUG_REMOTE_READ)
		vm_space_load(t->vm);
	t->out[0] = cpu->id;
	t->out[1] = cpu->remote.handled;
	t->out[2] = cpu->remote.shootdowns;
	t->out[3] = t->vm ? vm_space_loaded(t->vm, cpu) : vm_user_space_loaded(cpu);
	t->out[4] = 0;
	if (t->op == MICA_KDEBUG_REMOTE_READ)
		t->out[3] = !vm_probe_read(t->va, &t->out[4]);
	if (t->op == MICA_KDEBUG_REMOTE_RELAY) {
		struct remote_test inner = { .vm = 0, .op = MICA_KDEBUG_REMOTE_PING };
		struct remote_request ir = { .fn = remote_test_here, .arg = &inner };
		remote_run(percpu_by_id[t->va], &ir);
		t->out[4] = inner.out[0];
	}
}
#endif

static mica_msgtag_t remote(struct invoke_call *c)
{
#ifdef MICA_DEBUG
	struct remote_test t = { .vm = 0, .op = (unsigned)c->mr[1] };
	if (c->mr[0] >= cpus_online || c->mr[1] > MICA_KDEBUG_REMOTE_RELAY)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	/* The caller's own CPU returns to the caller's space without
	 * looking at what is loaded. */
	bool loads = c->mr[1] == MICA_KDEBUG_REMOTE_LOAD || c->mr[1] == MICA_KDEBUG_REMOTE_READ;
	if (loads && c->mr[0] == c->caller->cpu)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	if (c->mr[1] == MICA_KDEBUG_REMOTE_READ)
		invoke_copy_mrs(c->caller, &t.va, 3, 1);
	if (c->mr[1] == MICA_KDEBUG_REMOTE_RELAY) {
		invoke_copy_mrs(c->caller, &t.va, 3, 1);
		if (t.va >= cpus_online)
			return invoke_error(c->caller, MICA_E_BAD_ARG);
	} else if (c->mr[1] != MICA_KDEBUG_REMOTE_PING) {
		struct cap_slot *s = cap_lookup(c->caller->task, c->mr[2]);
		if (!s)
			return invoke_error(c->caller, MICA_E_INVALID_CAP);
		if (cap_obj(s)->type != MICA_OBJ_TASK)
			return invoke_error(c->caller, MICA_E_WRONG_TYPE);
		t.vm = &((struct task *)cap_obj(s))->vm;
	}
	struct remote_request r = { .fn = remote_test_here, .arg = &t };
	remote_run(percpu_by_id[c->mr[0]], &r);
	for (unsigned i = 0; i < 5; i++)
		c->caller->utcb->mr[i] = t.out[i];
	return invoke_ok(c->caller, 5);
#else
	return invoke_error(c->caller, MICA_E_NOT_IMPLEMENTED);
#endif
}

const struct invoke_method kdebug_methods[INVOKE_LABELS] = {
	[MICA_KDEBUG_CHECK] = { .decode = check, .rights = MICA_KDEBUG_R_READ },
	[MICA_KDEBUG_REMOTE] = { .decode = remote, .words = 3, .rights = MICA_KDEBUG_R_READ },
};
