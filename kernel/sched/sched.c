/* The scheduler: run queues per priority, time slices, preemption, direct
 * hand-off and donation, CPU-time accounting and the idle loop. */
#include "sched/sched.h"

#include "arch/cpu.h"
#include "arch/platform.h"
#include "arch/timer.h"
#include "arch/trap.h"
#include "sched/clock.h"
#include "klib/config.h"
#include "ipc/fault.h"
#include "objects/irq.h"
#include "objects/kobj.h"
#include "klib/kprintf.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/remote.h"
#include "arch/fpu.h"
#include "objects/task.h"
#include "sched/timeout.h"
#include "objects/vcon.h"
#include "objects/vcpu.h"

/* A slice end may be overrun this much rather than reprogramming the
 * timer on every switch (deadlines of timeouts never are). */
#define SLICE_SLACK_NS 50000ul

static uint64_t default_slice, slice_slack;

void sched_init_thread(struct thread *t)
{
	if (!default_slice) {
		default_slice = clock_ticks_of_ns(SCHED_DEFAULT_SLICE_NS);
		slice_slack = clock_ticks_of_ns(SLICE_SLACK_NS);
	}
	t->prio = SCHED_DEFAULT_PRIO;
	t->slice = default_slice;
	t->slice_ns = SCHED_DEFAULT_SLICE_NS;
	t->slice_left = (int64_t)default_slice;
}

/* Books the slice time since the last booking to s->charged (a thread's
 * CPU time needs no booking: sched_set_ran). */
static void charge(struct sched_cpu *s, uint64_t now)
{
	if (s->charged)
		s->charged->slice_left -= (int64_t)(now - s->since);
	s->since = now;
}

/* t starts a turn on its own slice: the time so far is booked, and a
 * yield donation to another thread ends. */
static void start_turn(struct sched_cpu *s, struct thread *t)
{
	uint64_t now = clock_now();
	charge(s, now);
	if (s->ran != t)
		sched_set_ran(s, t, now);
	s->charged = t;
	if (s->boosted != t)
		s->boosted = 0;
}

/* The idle spell of a CPU whose thread blocked in a cross-CPU fast path
 * is booked lazily (issue 27; sched_resume_blocked): it notes only when
 * the spell began (ran_since) and leaves `ran` and `charged` as they
 * were, their time and slice stopped there. The spell is *open* while
 * the CPU idles (`idling`, under its lock) with `ran` set, which only
 * sched_resume_blocked's poll does: when it ends, the thread that began
 * the spell, back (the cross-CPU call's reply), goes on with three
 * additions (idle_end), and anything else books the spell as begun at
 * ran_since (idle_settle, then start_turn or core_resume). Whatever
 * looks at the CPU's times meanwhile books it first (idle_settle: an
 * eviction, new scheduling parameters), skips it (the timer interrupt:
 * no slice runs while idle) or reads it as booked (sched_cpu_ticks,
 * sched_idle_ticks): every reader sees what an eager booking gave. */
static bool idle_open(const struct percpu *cpu)
{
	return cpu->idling && cpu->sched.ran;
}

/* Books an open idle spell as begun at ran_since: ran's time and
 * charged's slice end there, and the CPU idles since then. */
static void idle_settle(struct percpu *cpu)
{
	struct sched_cpu *s = &cpu->sched;
	if (!idle_open(cpu))
		return;
	charge(s, s->ran_since);
	sched_set_ran(s, 0, s->ran_since);
	s->charged = 0;
}

/* The idle spell ends and t runs: t's turn starts now. True if t began
 * the spell and goes on, on its own slice. */
static inline __attribute__((always_inline)) bool idle_end(struct percpu *cpu, struct sched_cpu *s,
							   struct thread *t)
{
	if (s->ran == t && s->charged == t) {
		/* t began the spell: its time and slice go on from now, as
		 * if they had stopped for the spell (the slice's end moves
		 * by as much, so the timer set for it is early enough). */
		uint64_t idle = clock_now() - s->ran_since;
		s->idle_ticks += idle;
		t->cpu_ticks -= idle;
		s->since += idle;
		return true;
	}
	idle_settle(cpu);
	start_turn(s, t);
	return false;
}

/* The CPU idles from now on: the time so far is booked (ran's CPU time,
 * charged's slice), the eager way. */
static void idle_begin(struct percpu *cpu)
{
	struct sched_cpu *s = &cpu->sched;
	uint64_t now = clock_now();
	cpu->current = 0;
	charge(s, now);
	sched_set_ran(s, 0, now);
	s->charged = 0;
	s->boosted = 0;
	cpu->idling = true;
	cpu->idle_polled = false;
}

/* The first runnable thread of the highest non-empty priority, dropping
 * the halted ones found on the way. */
static struct thread *peek_top(struct sched_cpu *s)
{
	/* ready_words names the non-empty words: no scan of empty ones. */
	while (s->ready_words) {
		unsigned w = 31 - (unsigned)__builtin_clz(s->ready_words);
		unsigned p = w * 64 + 63 - (unsigned)__builtin_clzl(s->ready_map[w]);
		struct thread *t = s->head[p];
		if (sched_runnable(t))
			return t;
		sched_dequeue(s, t);
	}
	return 0;
}

void sched_set_params(struct thread *t, unsigned prio, uint64_t slice_ns)
{
	uint64_t slice = clock_ticks_of_ns(slice_ns);
	struct sched_cpu *s = &percpu_by_id[t->cpu]->sched;
	/* The fresh slice owes nothing of a spell's time before it. */
	idle_settle(percpu_by_id[t->cpu]);
	bool queued = t->on_rq;
	sched_dequeue(s, t);
	t->prio = prio;
	t->slice = slice;
	t->slice_ns = slice_ns;
	t->slice_left = (int64_t)slice;
	if (queued)
		sched_enqueue(s, t, false);
}

/* t, queued on another CPU (whose lock this CPU holds), may have to run
 * there now: that CPU is interrupted if it idles or t outranks what it
 * runs. It looks at its queues once it has its lock back after the IPI. */
static void kick(struct percpu *cpu, const struct thread *t)
{
	const struct thread *cur = cpu->current;
	if (cpu->idling || !cur || t->prio > sched_eff_prio(&cpu->sched, cur))
		cpu_kick(cpu);
}

void sched_ready(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	CPU_LOCK_CHECK(t->cpu);
	timeout_disarm(t);
	t->state = THREAD_READY;
	if (t->halted || cpu->current == t)
		return;
	if (cpu == this_cpu()) {
		sched_enqueue(&cpu->sched, t, false);
		return;
	}
	if (sched_hand_to_idle(cpu, t)) {
		cpu_kick(cpu);
		return;
	}
	sched_enqueue(&cpu->sched, t, false);
	kick(cpu, t);
}

void sched_switch_to(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	if (t->halted || cpu != this_cpu()) {
		sched_ready(t);
		return;
	}
	timeout_disarm(t);
	t->state = THREAD_READY;
	struct thread *cur = cpu->current;
	if (cur && sched_runnable(cur))
		sched_enqueue(&cpu->sched, cur, false);
	sched_dequeue(&cpu->sched, t);
	cpu->current = t;
}

void sched_yield(struct thread *next)
{
	struct percpu *cpu = this_cpu();
	struct sched_cpu *s = &cpu->sched;
	struct thread *cur = cpu->current;
	if (next && next != cur && sched_runnable(next) && next->cpu == cur->cpu) {
		unsigned prio = sched_eff_prio(s, cur);
		sched_swap(s, next, cur);
		cpu->current = next;
		s->boosted = next;
		s->boost_prio = prio;
		sched_lend_slice(s, cur, next);
		return;
	}
	cur->slice_left = (int64_t)cur->slice;
	struct thread *top = peek_top(s);
	if (top && top->prio >= sched_eff_prio(s, cur)) {
		sched_enqueue(s, cur, false);
		cpu->current = 0;
	}
}

/* sched_evict's part on t's own CPU (cpu): its CPU lock is held, by
 * this CPU or by the one that asked and waits. */
static void evict_here(struct percpu *cpu, struct thread *t)
{
	struct sched_cpu *s = &cpu->sched;
	timeout_disarm(t);
	idle_settle(cpu);
	if (cpu->current == t) {
		cpu->current = 0;
		/* A system call of t's that this CPU was entering (waiting for
		 * a lock) is abandoned and made again where t runs next
		 * (cpu_lock.c rewound it). */
		cpu->disturbed = true;
	}
	if (s->ran == t || s->charged == t) {
		uint64_t now = clock_now();
		charge(s, now);
		if (s->ran == t)
			sched_set_ran(s, 0, now);
		if (s->charged == t)
			s->charged = s->ran; /* a lent slice goes back to its user */
	}
	if (s->boosted == t)
		s->boosted = 0;
	sched_dequeue(s, t);
	/* Its FPU registers may still be this CPU's only copy. */
	arch_fpu_release(t->fpu);
}

/* The thread's registers are in memory now; a system call it is
 * entering is made anew (cpu_lock.c), with whatever registers the
 * requester gives it. */
static void sync_registers(struct remote_request *r)
{
	struct percpu *cpu = this_cpu();
	if (cpu->current == r->arg)
		cpu->disturbed = true;
}

static void evict_remote(struct remote_request *r)
{
	evict_here(this_cpu(), r->arg);
}

/* Takes t off its CPU: off the run queue and the timeout list, not
 * current there, its FPU state in memory. On another CPU that is a
 * remote request this CPU waits for (never on the IPC path: only
 * destruction and migration come here), so that the CPU no longer uses
 * the thread when this returns. */
static void sched_evict(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	CPU_LOCK_CHECK(t->cpu);
	if (cpu == this_cpu()) {
		evict_here(cpu, t);
		return;
	}
	struct remote_request r = { .fn = evict_remote, .arg = t };
	remote_run(cpu, &r);
}

void sched_remove(struct thread *t)
{
	sched_evict(t);
}

void sched_migrate(struct thread *t, unsigned to)
{
	if (t->cpu == to)
		return;
	uint64_t deadline = t->deadline;
	sched_evict(t);
	t->cpu = to;
	if (deadline)
		timeout_arm(t, deadline);
	if (sched_runnable(t))
		sched_ready(t);
	irq_thread_moved(t);
}

void sched_sync_registers(struct thread *t)
{
	struct percpu *cpu = percpu_by_id[t->cpu];
	if (cpu == this_cpu() || cpu->current != t)
		return;
	/* Its CPU enters the kernel (saving t's registers) for the IPI
	 * and then waits for its lock, which this CPU holds. */
	CPU_LOCK_CHECK(t->cpu);
	struct remote_request r = { .fn = sync_registers, .arg = t };
	remote_run(cpu, &r);
}

uint64_t sched_cpu_ticks(const struct thread *t)
{
	const struct percpu *cpu = percpu_by_id[t->cpu];
	if (cpu->sched.ran != t)
		return t->cpu_ticks;
	/* In an open idle spell t's time stopped at its start. */
	return t->cpu_ticks + (cpu->idling ? cpu->sched.ran_since : clock_now());
}

uint64_t sched_idle_ticks(unsigned id)
{
	const struct percpu *cpu = percpu_by_id[id];
	const struct sched_cpu *s = &cpu->sched;
	return s->idle_ticks + (!s->ran || cpu->idling ? clock_now() - s->ran_since : 0);
}

/* Whether the timer fires no later than the next timeout. */
static bool timer_covers_timeouts(const struct sched_cpu *s)
{
	return !s->timeouts || (s->timer_armed && s->timer_armed <= s->timeouts->deadline);
}

bool sched_keeps_running(struct percpu *cpu, const struct thread *t)
{
	const struct sched_cpu *s = &cpu->sched;
	return cpu->current == t && sched_runnable(t) && t->fault == FAULT_NONE && s->ran == t &&
	       !sched_outranked(s, sched_eff_prio(s, t)) && timer_covers_timeouts(s);
}

void sched_preempted_by(struct percpu *cpu)
{
	struct thread *t = cpu->current;
	start_turn(&cpu->sched, t);
	sched_timer_for(cpu, t);
}

/* Sets the timer for the next timeout and the end of t's slice (t: 0
 * when idle, which is tickless), unless it is set early enough already;
 * an interrupt that comes early just leads here again. The test comes
 * first: the timer is rarely late (virq_latency's fast trigger comes
 * here on every IRQ). */
void sched_timer_for(struct percpu *cpu, const struct thread *t)
{
	struct sched_cpu *s = &cpu->sched;
	uint64_t armed = s->timer_armed, want = timeout_next(cpu);
	if (t) {
		uint64_t end = s->since + (t->slice_left > 0 ? (uint64_t)t->slice_left : 0);
		/* Close enough: the slice may run a little longer. */
		if (armed && armed <= end + slice_slack && (!want || armed <= want))
			return;
		if (!want || end < want)
			want = end;
	} else if (!want || (armed && armed <= want)) {
		return;
	}
	s->timer_armed = want;
	arch_timer_set(want);
}

void core_timer_interrupt(void)
{
	struct percpu *cpu = this_cpu();
	struct sched_cpu *s = &cpu->sched;
	if (!default_slice)
		return; /* the boot self-test */
	uint64_t now = clock_now();
	s->timer_armed = 0;
	timeout_expire(cpu, now);
	struct thread *cur = cpu->current;
	/* Idle, with at most a thread handed over to run next: no slice
	 * runs (charged's stopped with an open spell's start). */
	if (!cur || cpu->idling)
		return;
	charge(s, now);
	struct thread *holder = s->charged;
	if (!holder || holder->slice_left > 0)
		return;
	/* The slice is used up, cur's own or one lent to it: a fresh one,
	 * and cur goes behind its equals. */
	holder->slice_left = (int64_t)holder->slice;
	if (!sched_runnable(cur))
		return;
	if (s->boosted == cur)
		s->boosted = 0;
	struct thread *top = peek_top(s);
	if (top && top->prio >= cur->prio) {
		sched_enqueue(s, cur, false);
		cpu->current = 0;
	}
}

/* Whether the test run is over: every CPU idles with nothing queued,
 * and nothing can make a thread ready again: no timeout, no hardware
 * interrupt someone waits for (console input included). Every CPU's
 * lock makes the second look at the other CPUs consistent. */
static bool others_idle(const struct percpu *self)
{
	for (unsigned i = 0; i < cpus_online; i++) {
		const struct percpu *c = percpu_by_id[i];
		if ((c != self && (!__atomic_load_n(&c->idling, __ATOMIC_RELAXED) || c->current)) ||
		    c->sched.timeouts || c->sched.ready_words)
			return false;
	}
	return true;
}

static bool nothing_can_run(struct percpu *self)
{
	/* A first look without the locks: an idle CPU does not contend
	 * for every CPU's lock while others work. */
	if (!others_idle(self))
		return false;
	cpu_lock_all(self);
	bool none = others_idle(self) && !irq_lines_armed() && !vcon_readers_waiting();
	cpu_unlock_others_if(self);
	return none;
}

static uint64_t fastpath_ipcs_all(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < cpus_online; i++)
		n += percpu_by_id[i]->fastpath_ipcs;
	return n;
}

/* Pause-loop turns an idle CPU polls before it halts: a thread readied
 * meanwhile costs its waker a store, not an IPI, and this CPU no
 * interrupt entry and exit (on real hardware some ten microseconds). */
#define IDLE_POLL_SPINS 1000

/* Nothing to run: one round of idling. The first round books the time
 * so far (idle_begin, unless the spell is open: sched_resume_blocked),
 * marks the CPU idle and polls without its lock: a wake-up
 * (cpu_nudge) or an interrupt ends the poll. A round after a poll that
 * saw nothing ends the test run if no thread can ever become ready again
 * on any CPU, else halts without its lock until an interrupt (an IPI
 * from cpu_nudge on another CPU, or the timer) wakes the CPU; core_resume
 * then looks again. */
static void idle_round(struct percpu *cpu)
{
	/* Under the lock: whoever readies a thread here after this nudges
	 * (the pick before saw what came earlier). */
	cpu->nudged = false;
	if (!cpu->idling)
		idle_begin(cpu);
	sched_timer_for(cpu, 0);
	if (!cpu->idle_polled && cpus_online > 1) {
		cpu->idle_polled = true;
		__atomic_store_n(&cpu->polling, true, __ATOMIC_SEQ_CST);
		cpu_unlock_own(cpu);
		arch_idle_poll(&cpu->nudged, IDLE_POLL_SPINS);
		/* Whatever nudged meanwhile queued its thread first: the
		 * next round looks under the lock. */
		__atomic_store_n(&cpu->polling, false, __ATOMIC_SEQ_CST);
		return;
	}
	if (kernel_test_mode && nothing_can_run(cpu)) {
		kprintf("mica: no runnable threads; test run ends (%lu IPCs took the fast path)\n",
			fastpath_ipcs_all());
		arch_platform_exit(EXIT_IDLE);
	}
	cpu_unlock_own(cpu);
	arch_idle_wait();
}

void sched_init_cpu(struct percpu *cpu)
{
	struct sched_cpu *s = &cpu->sched;
	cpu->current = 0;
	s->ran = s->charged = 0;
	s->ran_since = s->since = clock_now();
	s->timer_armed = 0;
	arch_timer_set(0);
}

void sched_ap_start(struct percpu *cpu)
{
	/* Until the boot CPU has made the first threads, nothing here can
	 * become ready; it sends an IPI when it is done (sched_start). */
	while (!__atomic_load_n(&sched_started, __ATOMIC_ACQUIRE))
		arch_idle_wait();
	(void)cpu; /* core_resume takes its lock */
	arch_syscall_entry_smp();
	core_resume();
}

void sched_start(void)
{
	cpus_placeable = cpus_online;
	if (cpus_online > 1)
		arch_syscall_entry_smp();
	__atomic_store_n(&sched_started, true, __ATOMIC_RELEASE);
	for (unsigned i = 1; i < cpus_online; i++)
		arch_send_remote_ipi(percpu_by_id[i]);
	core_resume();
}

/* The thread to run: the current one unless a higher one is ready. */
static struct thread *pick(struct percpu *cpu)
{
	struct sched_cpu *s = &cpu->sched;
	struct thread *cur = cpu->current;
	struct thread *top = peek_top(s);
	if (cur && sched_runnable(cur)) {
		if (!top || top->prio <= sched_eff_prio(s, cur))
			return cur;
		sched_enqueue(s, cur, true); /* preempted: first in line, with the rest of its slice */
	}
	if (top)
		sched_dequeue(s, top);
	cpu->current = top;
	return top;
}

/* t, whose turn has begun and for which the timer is set, runs in user
 * mode; returns if it does not (a vCPU's entry failed, a deferred
 * exception was raised). */
static inline __attribute__((always_inline)) void enter(struct thread *t)
{
	if (t->vcpu && !vcpu_enter(t))
		return;
	if (t->fault != FAULT_EXC_PENDING)
		arch_enter_user(&t->regs, &t->arch, &t->task->vm);
	fault_raise_pending(t);
}

/* t, picked, runs: its turn and the timer; returns if it does not
 * (a vCPU's entry failed, a deferred exception was raised). */
static inline __attribute__((always_inline)) void run(struct percpu *cpu, struct sched_cpu *s,
						      struct thread *t)
{
	cpu->idling = false;
	if (s->ran != t) /* else t goes on, on its own or a lent slice */
		start_turn(s, t);
	sched_timer_for(cpu, s->charged);
	enter(t);
}

void core_resume(void)
{
	for (;;) {
		struct percpu *cpu = this_cpu();
		cpu_unlock_others_if(cpu);
		if (kobj_reap_pending()) {
			/* With no lock held and no object in hand (kobj.c). A
			 * remote request's interrupt from user mode comes here
			 * without this CPU's lock, which another CPU may hold. */
			if (cpus_online > 1)
				cpu_unlock_own_if_held(cpu);
			kobj_reap();
		}
		cpu_lock_own(cpu);
		struct sched_cpu *s = &cpu->sched;
		struct thread *t = pick(cpu);
		if (!t) {
			idle_round(cpu);
			continue;
		}
		run(cpu, s, t);
	}
}

/* sched_resume_blocked's poll ended with t handed over: the spell ends
 * and t runs. If t began it (the cross-CPU call's reply) and nothing
 * took the timer meanwhile, t simply runs on, as sched_keeps_running's
 * thread does: the timer was set for its slice when it started, and the
 * slice's end only moved later by the spell (idle_end); a timeout armed
 * here meanwhile, or the timer's firing, has sched_timer_for look. */
static inline __attribute__((always_inline)) void end_spell_and_run(struct percpu *cpu, struct sched_cpu *s,
								    struct thread *t)
{
	bool goes_on = idle_end(cpu, s, t);
	cpu->idling = false;
	if (!goes_on || !s->timer_armed || !timer_covers_timeouts(s))
		sched_timer_for(cpu, s->charged);
	enter(t);
}

void sched_resume_blocked(struct percpu *cpu)
{
	/* pick's and core_resume's outcome, without the loop's way there:
	 * the current thread blocked and nothing else is queued (issue 27:
	 * a cross-CPU hand-off's CPU goes idle 8 instructions sooner). */
	struct sched_cpu *s = &cpu->sched;
	if (!cpu->locks_held && !s->ready_words && !kobj_reap_pending()) {
		/* An open idle spell (idle_open; ran is the thread that
		 * blocked, in its system call): only its start is noted. */
		cpu->current = 0;
		s->ran_since = clock_now();
		s->boosted = 0;
		cpu->idling = true;
		cpu->idle_polled = false;
		idle_round(cpu);
		/* The poll ended: a thread handed over meanwhile
		 * (sched_hand_to_idle) runs at once if nothing else came, as
		 * pick would have it (issue 27: ipc_rt_cross_cpu_0w 1079 -> 1049). */
		cpu_lock_own(cpu);
		struct thread *t = cpu->current;
		if (t && sched_runnable(t) && !s->ready_words && !kobj_reap_pending())
			end_spell_and_run(cpu, s, t);
		/* Anything else as if the spell had been booked when it began. */
		idle_settle(cpu);
	}
	core_resume();
}
