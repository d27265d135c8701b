/* sched_ (nothing runs unscheduled): a thread runs only once a holder of
 * a scheduler capability gave it parameters (RUN_THREAD); START or a
 * resume before that is MICA_E_NOT_SCHEDULED and changes nothing. Also
 * the loader's side: programs' main threads placed, ceilings kept. */
#include <mica/factory.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica_mem.h>

#include "ldsrv.h"

static void set_flag(struct kthread *k)
{
	k->out[0] = 1;
	mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
}

/* Lets everything else run a while. */
static void let_others_run(void)
{
	for (unsigned i = 0; i < 20; i++)
		kyield();
}

static mica_word_t state_of(mica_cap_t thread)
{
	mica_word_t info[5] = { 0 };
	if (mica_thread_info(thread, info) != MICA_OK)
		return ~0ul;
	return info[0];
}

KTEST(sched_start_without_parameters_is_refused)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_ERR(kthread_go_raw(k), MICA_E_NOT_SCHEDULED);
	CHECK_EQ(mica_utcb()->error, MICA_E_NOT_SCHEDULED);
	let_others_run();
	CHECK_EQ(k->out[0], 0);
	CHECK_EQ(state_of(k->sel), MICA_THREAD_INACTIVE);
	/* nothing was set either: the registers are those of the binding */
	struct mica_exregs old;
	CHECK_OK(mica_thread_ex_regs(k->sel, 0, 0, &old));
	CHECK_EQ(old.ip, 0);
	CHECK_EQ(old.sp, 0);
}

KTEST(sched_resume_without_parameters_is_refused)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	struct mica_exregs in = { .ip = 0x401000, .sp = 0x500000 };
	CHECK_ERR(mica_thread_ex_regs(k->sel, MICA_EXREGS_SET_IP | MICA_EXREGS_SET_SP | MICA_EXREGS_RESUME,
				      &in, 0),
		  MICA_E_NOT_SCHEDULED);
	CHECK_ERR(mica_thread_ex_regs(k->sel, MICA_EXREGS_RESUME, 0, 0), MICA_E_NOT_SCHEDULED);
	let_others_run();
	CHECK_EQ(state_of(k->sel), MICA_THREAD_INACTIVE);
	struct mica_exregs old;
	CHECK_OK(mica_thread_ex_regs(k->sel, 0, 0, &old));
	CHECK_EQ(old.ip, 0); /* the refused call set nothing */
	/* halting (and other changes that start nothing) need no parameters */
	CHECK_OK(mica_thread_ex_regs(k->sel, MICA_EXREGS_HALT, 0, 0));
}

KTEST(sched_run_thread_then_start_runs)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	/* Higher than this runner: it runs as soon as it is started. */
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, 120, 2000000, 0));
	let_others_run();
	CHECK_EQ(k->out[0], 0); /* the parameters alone start nothing */
	CHECK_EQ(state_of(k->sel), MICA_THREAD_INACTIVE);
	CHECK_OK(kthread_go_raw(k));
	CHECK_EQ(k->out[0], 1);
	mica_word_t st[3];
	CHECK_OK(mica_thread_stats(k->sel, st));
	CHECK_EQ(st[1], 120);
	CHECK_EQ(st[2], 2000000);
}

KTEST(sched_start_after_refused_start_works)
{
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	CHECK_ERR(kthread_go_raw(k), MICA_E_NOT_SCHEDULED);
	CHECK_OK(mica_sched_run_thread(MICA_CAP_SCHEDULER, k->sel, MICA_SCHED_DEFAULT_PRIO, KTEST_SLICE_NS,
				       0));
	let_others_run();
	CHECK_EQ(k->out[0], 0); /* the refused START left nothing pending */
	CHECK_OK(kthread_go_raw(k));
	let_others_run();
	CHECK_EQ(k->out[0], 1);
	CHECK_EQ(state_of(k->sel), MICA_THREAD_RECEIVING);
	/* started once: a second START is refused as before */
	CHECK_ERR(kthread_go_raw(k), MICA_E_EXISTS);
}

KTEST(sched_ceiling_holds_for_new_threads)
{
	mica_cap_t s = ksel();
	CHECK_OK(mica_sched_create(MICA_CAP_SCHEDULER, KF, s, 120));
	struct kthread *k = kthread_new(KTASK, set_flag, 0);
	CHECK(k);
	/* A refused RUN_THREAD records nothing: still not startable. */
	CHECK_ERR(mica_sched_run_thread(s, k->sel, 121, KTEST_SLICE_NS, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(kthread_go_raw(k), MICA_E_NOT_SCHEDULED);
	CHECK_OK(mica_sched_run_thread(s, k->sel, 120, KTEST_SLICE_NS, 0));
	CHECK_OK(kthread_go_raw(k));
	CHECK_EQ(k->out[0], 1); /* at 120, above this runner: at once */
	mica_word_t st[3];
	CHECK_OK(mica_thread_stats(k->sel, st));
	CHECK_EQ(st[1], 120);
	/* and a running thread is not raised above the ceiling either */
	CHECK_ERR(mica_sched_run_thread(s, k->sel, 200, KTEST_SLICE_NS, 0), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_thread_stats(k->sel, st));
	CHECK_EQ(st[1], 120);
}

/* Child-task selectors (the helpers' own start at 0x10). */
#define C_FACTORY 0x40
#define C_TASK 0x41
#define C_THREAD 0x42
#define C_SCHED 0x43

static volatile int orphan_ran;
static _Alignas(16) uint8_t orphan_stack[1024];

static void orphan(void)
{
	orphan_ran = 1;
	for (;;)
		mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
}

/* In a task with a factory and no scheduler: makes a thread and tries
 * every way of running it. */
static void make_running_thread(struct kthread *k)
{
	mica_word_t sp = (mica_word_t)&orphan_stack[sizeof(orphan_stack) - 8];
	k->out[0] = (mica_word_t)mica_create_thread(C_FACTORY, C_THREAD);
	k->out[1] = (mica_word_t)mica_thread_control(C_THREAD, MICA_THREAD_CTL_BIND, C_TASK,
						     KCHILD_UTCB + 15 * MICA_UTCB_SIZE, 0, 0);
	k->out[2] = (mica_word_t)mica_thread_start(C_THREAD, (mica_word_t)orphan, sp, 0);
	struct mica_exregs in = { .ip = (mica_word_t)orphan, .sp = sp };
	k->out[3] = (mica_word_t)mica_thread_ex_regs(
		C_THREAD, MICA_EXREGS_SET_IP | MICA_EXREGS_SET_SP | MICA_EXREGS_RESUME, &in, 0);
	k->out[4] = (mica_word_t)mica_sched_run_thread(MICA_CAP_SCHEDULER, C_THREAD, 1, KTEST_SLICE_NS, 0);
	k->out[5] = (mica_word_t)mica_sched_create(MICA_CAP_SCHEDULER, C_FACTORY, C_SCHED, 1);
	mica_word_t info[5] = { 0 };
	k->out[6] = (mica_word_t)mica_thread_info(C_THREAD, info);
	k->out[7] = info[0];
}

KTEST(sched_task_without_scheduler_cannot_run_threads)
{
	mica_cap_t t = ktask_create();
	CHECK(t);
	CHECK_OK(kgive(t, KF, C_FACTORY));
	CHECK_OK(kgive(t, t, C_TASK));
	orphan_ran = 0;
	struct kthread *k = kthread_start(t, make_running_thread, 0);
	CHECK(k);
	CHECK(KWAIT(k));
	CHECK_OK(k->out[0]);
	CHECK_OK(k->out[1]);
	CHECK_ERR(k->out[2], MICA_E_NOT_SCHEDULED);
	CHECK_ERR(k->out[3], MICA_E_NOT_SCHEDULED);
	CHECK_ERR(k->out[4], MICA_E_INVALID_CAP);
	CHECK_ERR(k->out[5], MICA_E_INVALID_CAP);
	CHECK_OK(k->out[6]);
	CHECK_EQ(k->out[7], MICA_THREAD_INACTIVE);
	let_others_run();
	CHECK_EQ(orphan_ran, 0);
	mica_word_t before = kf_used();
	CHECK_OK(mica_task_destroy(t));
	CHECK(kf_used() < before); /* the task and its stopped thread went */
}

/* ---- programs: the loader places their main threads ---- */

#define PROG_MEMQ (512ul << 10)
#define PROG_KQ (200ul << 10)

static int prepare_exit0(struct ldr_prog **p, mica_cap_t *pc)
{
	static const char *const argv[] = { "ldtest", "status", "0", 0 };
	struct ldr_params pp = { .name = "ldtest",
				 .argv = argv,
				 .alloc = &kldr.root,
				 .mem_quota = PROG_MEMQ,
				 .factory = KF,
				 .kern_quota = PROG_KQ };
	int elf_error, e = ldr_prepare(&kldr.l, &pp, p, &elf_error);
	return e != MICA_OK ? e : ldr_cap(*p, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, pc);
}

static mica_word_t type_in(mica_cap_t task, mica_cap_t sel)
{
	mica_word_t type = ~0ul, rights;
	return mica_cap_info(task, sel, &type, &rights) == MICA_OK ? type : ~0ul;
}

static int prio_of(mica_cap_t thread)
{
	mica_word_t st[3] = { 0 };
	return mica_thread_stats(thread, st) == MICA_OK ? (int)st[1] : -1;
}

KTEST(sched_loader_places_main_threads)
{
	CHECK(kldr_start(4ul << 20));
	struct ldr_prog *a, *b;
	mica_cap_t ca, cb;
	mica_word_t st[5];
	/* Not placed by its starter: the default priority. */
	CHECK_OK(prepare_exit0(&a, &ca));
	CHECK_EQ(state_of(a->thread), MICA_THREAD_INACTIVE);
	CHECK_OK(ldr_start(a));
	CHECK_EQ(prio_of(a->thread), MICA_SCHED_DEFAULT_PRIO); /* equal to ours: not run yet */
	CHECK_EQ(state_of(a->thread), MICA_THREAD_READY);
	/* and a scheduler up to its own priority (the loader's shared one) */
	CHECK_EQ(type_in(a->task, MICA_CAP_SCHEDULER), MICA_OBJ_SCHEDULER);
	CHECK(kldr.l.prog_sched);
	CHECK_OK(kldr_wait(ca, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	/* Placed (below this runner, so it waits): that priority stays. */
	CHECK_OK(prepare_exit0(&b, &cb));
	CHECK_OK(ldr_place(b, 90));
	CHECK_EQ(state_of(b->thread), MICA_THREAD_INACTIVE);
	CHECK_OK(ldr_start(b));
	CHECK_EQ(prio_of(b->thread), 90);
	CHECK_EQ(type_in(b->task, MICA_CAP_SCHEDULER), MICA_OBJ_SCHEDULER); /* its own, ceiling 90 */
	CHECK_ERR(ldr_place(b, 80), MICA_E_EXISTS);			    /* only before the start */
	CHECK_OK(kldr_wait(cb, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_OK(mica_obj_delete(ca));
	CHECK_OK(mica_obj_delete(cb));
	CHECK(kldr_finish());
}

KTEST(sched_loader_ceilings_hold)
{
	CHECK(kldr_start(4ul << 20));
	mica_cap_t s = ksel();
	CHECK_OK(mica_sched_create(MICA_CAP_SCHEDULER, KF, s, 120));
	kldr.l.sched = s; /* a loader whose scheduler reaches 120 */
	/* kldr_wait makes its IRQ from the case's factory the first time */
	mica_word_t kf0 = kf_used() + (kldr.irq ? 0 : MICA_OBJ_COST);
	struct ldr_prog *p;
	mica_cap_t pc;
	CHECK_OK(prepare_exit0(&p, &pc));
	CHECK_ERR(ldr_place(p, 121), MICA_E_NO_RIGHTS);
	CHECK_ERR(ldr_give_sched(p, 121), MICA_E_NO_RIGHTS);
	CHECK_ERR(ldr_give_sched(p, MICA_SCHED_PRIOS), MICA_E_BAD_ARG);
	mica_word_t type = 0, rights = 0;
	CHECK_OK(mica_cap_info(p->task, MICA_CAP_SCHEDULER, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE); /* the refused ones gave nothing */
	CHECK_OK(ldr_give_sched(p, 110));
	CHECK_OK(mica_cap_info(p->task, MICA_CAP_SCHEDULER, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_SCHEDULER);
	CHECK_EQ(rights, MICA_SCHED_R_READ | MICA_SCHED_R_WRITE);
	CHECK(p->env.present & (1u << MICA_CAP_SCHEDULER));
	CHECK_OK(ldr_place(p, 120));
	CHECK_OK(ldr_start(p));
	mica_word_t st[5];
	CHECK_OK(kldr_wait(pc, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_OK(mica_obj_delete(pc));
	/* The program's scheduler went with it: its kernel quota is back. */
	CHECK_EQ(kf_used(), kf0);
	CHECK(kldr_finish());
}

KTEST(sched_loader_no_sched_gives_none)
{
	CHECK(kldr_start(4ul << 20));
	struct ldr_prog *p;
	mica_cap_t pc;
	mica_word_t st[5];
	CHECK_OK(prepare_exit0(&p, &pc));
	CHECK_OK(ldr_no_sched(p));
	CHECK_OK(ldr_start(p));
	CHECK_EQ(type_in(p->task, MICA_CAP_SCHEDULER), MICA_OBJ_NONE);
	CHECK(!(p->env.present & (1u << MICA_CAP_SCHEDULER)));
	CHECK_ERR(ldr_no_sched(p), MICA_E_EXISTS);
	CHECK_OK(kldr_wait(pc, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_OK(mica_obj_delete(pc));
	CHECK(kldr_finish());
}
