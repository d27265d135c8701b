/* The scheduler object's methods (mica/scheduler.h): their table, and
 * decoders that check the message before the operation (scheduler.c)
 * runs. */
#include <mica/scheduler.h>

#include "memory/cap.h"
#include "sched/clock.h"
#include "objects/invoke.h"
#include "sched/percpu.h"
#include "sched/sched.h"
#include "objects/scheduler.h"
#include "objects/thread.h"

static const struct scheduler *scheduler_of(const struct invoke_call *c)
{
	return (const struct scheduler *)cap_obj(c->cap);
}

/* Bit c for every CPU threads may be placed on. */
static uint64_t placeable_mask(void)
{
	return cpus_placeable >= 64 ? ~0ull : (1ull << cpus_placeable) - 1;
}

/* MR0 = the thread (its CONTROL right), MR1 = priority, MR2 = slice (ns),
 * MR3 = CPU (one of this scheduler's set). */
static mica_msgtag_t run_thread(struct invoke_call *c)
{
	const mica_word_t *mr = c->mr;
	struct cap_slot *tc;
	enum mica_error e = cap_get(c->caller->task, mr[0], MICA_OBJ_THREAD, MICA_THREAD_R_CONTROL, &tc);
	if (e == MICA_OK &&
	    (mr[1] >= SCHED_PRIOS || mr[2] < MICA_SCHED_MIN_SLICE_NS || mr[2] > MICA_SCHED_MAX_SLICE_NS ||
	     mr[3] >= cpus_placeable || !(scheduler_of(c)->cpus >> mr[3] & 1)))
		e = MICA_E_BAD_ARG;
	else if (e == MICA_OK && mr[1] > scheduler_of(c)->ceiling)
		e = MICA_E_NO_RIGHTS;
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	scheduler_run_thread((struct thread *)cap_obj(tc), (unsigned)mr[1], mr[2], (unsigned)mr[3]);
	return invoke_ok(c->caller, 0);
}

static mica_msgtag_t info(struct invoke_call *c)
{
	volatile mica_word_t *out = c->caller->utcb->mr;
	out[0] = scheduler_of(c)->ceiling;
	out[1] = SCHED_PRIOS;
	out[2] = cpus_placeable; /* every online CPU */
	out[3] = SCHED_DEFAULT_SLICE_NS;
	out[4] = SCHED_DEFAULT_PRIO;
	out[5] = scheduler_of(c)->cpus & placeable_mask();
	return invoke_ok(c->caller, 6);
}

static mica_msgtag_t idle_time(struct invoke_call *c)
{
	if (c->mr[0] >= cpus_online)
		return invoke_error(c->caller, MICA_E_BAD_ARG);
	c->caller->utcb->mr[0] = clock_ns_of_ticks(sched_idle_ticks((unsigned)c->mr[0]));
	return invoke_ok(c->caller, 1);
}

/* MR0 = the factory (its CREATE right), MR1 = the new scheduler's
 * ceiling, MR2 (if sent) = its CPU set, a subset of this one's; the
 * capability arrives in the caller's object window. */
static mica_msgtag_t create(struct invoke_call *c)
{
	const mica_word_t *mr = c->mr;
	struct cap_slot *fc, *dst;
	mica_cap_t sel;
	uint64_t cpus = scheduler_of(c)->cpus;
	if (mica_msgtag_u(c->tag) >= 3) {
		mica_word_t want;
		invoke_copy_mrs(c->caller, &want, 2, 1);
		cpus &= want;
	}
	enum mica_error e = cap_get(c->caller->task, mr[0], MICA_OBJ_FACTORY, MICA_FACTORY_R_CREATE, &fc);
	if (e == MICA_OK && (mr[1] >= SCHED_PRIOS || !(cpus & placeable_mask())))
		e = MICA_E_BAD_ARG;
	else if (e == MICA_OK && mr[1] > scheduler_of(c)->ceiling)
		e = MICA_E_NO_RIGHTS;
	if (e == MICA_OK)
		e = invoke_window_slot(c->caller, &dst, &sel);
	if (e != MICA_OK)
		return invoke_error(c->caller, e);
	struct scheduler *n = scheduler_create((struct factory *)cap_obj(fc), (unsigned)mr[1], cpus);
	if (!n)
		return invoke_error(c->caller, MICA_E_NO_MEMORY);
	return invoke_answer_cap(c->caller, dst, sel, &n->hdr, 0);
}

const struct invoke_method scheduler_methods[INVOKE_LABELS] = {
	[MICA_SCHED_RUN_THREAD] = { .decode = run_thread, .words = 4, .rights = MICA_SCHED_R_WRITE },
	[MICA_SCHED_INFO] = { .decode = info, .rights = MICA_SCHED_R_READ },
	[MICA_SCHED_IDLE_TIME] = { .decode = idle_time, .words = 1, .rights = MICA_SCHED_R_READ },
	[MICA_SCHED_CREATE] = { .decode = create, .words = 2, .rights = MICA_SCHED_R_WRITE },
};
