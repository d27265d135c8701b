/* The kernel debug object's methods (mica/kdebug.h): their table and
 * decoders; the operations are the invariant checker, remote-request
 * tests and storms (debug builds only). */
#include <mica/kdebug.h>
#include <mica/layout.h>

#include "debug/invariants.h"
#include "debug/kdb.h"
#include "debug/storm.h"
#include "objects/factory.h"
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

#ifdef MICA_DEBUG
static enum mica_error storm_decode(struct invoke_call *c, struct storm_args *a)
{
	const mica_word_t *mr = c->mr;
	struct task *self = c->caller->task;
	struct cap_slot *s;
	enum mica_error e;
	*a = (struct storm_args){ .kind = (unsigned)mr[0], .iterations = mr[1], .task = self };
	if (mr[0] > MICA_KDEBUG_STORM_FRAMES || mr[1] < 1 || mr[1] > 100000)
		return MICA_E_BAD_ARG;
	switch (mr[0]) {
	case MICA_KDEBUG_STORM_CAPS:
		if (!cap_lookup(self, mr[2]))
			return MICA_E_INVALID_CAP;
		if (mr[3] == MICA_CAP_INVALID || mr[3] >= MICA_CAP_SELECTORS - 192)
			return MICA_E_BAD_ARG;
		a->sel = mr[2];
		a->base = mr[3];
		return MICA_OK;
	case MICA_KDEBUG_STORM_MAP: {
		mica_word_t base;
		invoke_copy_mrs(c->caller, &base, 4, 1);
		if ((e = cap_get(self, mr[2], MICA_OBJ_TASK, 0, &s)) != MICA_OK)
			return e;
		a->dst = (struct task *)cap_obj(s);
		a->sel = mr[3];
		a->base = base;
		uint64_t span = 65 * 4096ul;
		if (self->phys_space || a->dst->phys_space || ((mr[3] | base) & 0xfff) ||
		    mr[3] < MICA_USER_MIN || mr[3] >= MICA_USER_END || base < MICA_USER_MIN ||
		    base > MICA_USER_END - span || task_in_utcb_area(a->dst, base, span) ||
		    task_in_utcb_area(self, mr[3], 4096))
			return MICA_E_BAD_ARG;
		return MICA_OK;
	}
	case MICA_KDEBUG_STORM_QUOTA:
		if ((e = cap_get(self, mr[2], MICA_OBJ_FACTORY, 0, &s)) != MICA_OK)
			return e;
		a->factory = (struct factory *)cap_obj(s);
		return MICA_OK;
	default:
		return MICA_OK;
	}
}
#endif

static mica_msgtag_t storm(struct invoke_call *c)
{
#ifdef MICA_DEBUG
	struct storm_args a;
	enum mica_error e = storm_decode(c, &a);
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	struct storm_result r;
	storm_run(&a, &r);
	volatile mica_word_t *mr = c->caller->utcb->mr;
	mr[0] = r.cpus;
	mr[1] = r.ops;
	mr[2] = r.failures;
	mr[3] = r.before;
	mr[4] = r.after;
	mr[5] = r.contended;
	return invoke_ok(c->caller, 6);
#else
	return invoke_error(c->caller, MICA_E_NOT_IMPLEMENTED);
#endif
}

static mica_msgtag_t kdb(struct invoke_call *c)
{
#ifdef MICA_DEBUG
	/* The text is copied out of the UTCB once, then used. */
	mica_word_t len = c->mr[2];
	unsigned words = (unsigned)((len + 7) / 8);
	if (c->mr[0] > MICA_KDEBUG_KDB_RUN || len > MICA_KDEBUG_KDB_TEXT_MAX ||
	    3 + words > mica_msgtag_u(c->tag))
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	mica_word_t w[MICA_KDEBUG_KDB_TEXT_MAX / 8 + 1] = { 0 };
	invoke_copy_mrs(c->caller, w, 3, words);
	char *text = (char *)w;
	text[len] = 0;
	for (mica_word_t i = 0; i < len; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			text[i] = ' '; /* no control bytes onto the console */
	kdb_invoked(c->caller, c->mr[0] == MICA_KDEBUG_KDB_ENTER, text, c->mr[1]);
	return invoke_ok(c->caller, 0);
#else
	return invoke_error(c->caller, MICA_E_NOT_IMPLEMENTED);
#endif
}

const struct invoke_method kdebug_methods[INVOKE_LABELS] = {
	[MICA_KDEBUG_CHECK] = { .decode = check, .rights = MICA_KDEBUG_R_READ },
	[MICA_KDEBUG_REMOTE] = { .decode = remote, .words = 3, .rights = MICA_KDEBUG_R_READ },
	[MICA_KDEBUG_STORM] = { .decode = storm, .words = 4, .rights = MICA_KDEBUG_R_READ },
	[MICA_KDEBUG_KDB] = { .decode = kdb, .words = 3, .rights = MICA_KDEBUG_R_WRITE },
};
