/* Which thread runs next on this CPU: fixed priorities (the highest
 * ready one runs, and preempts a lower one at once), round robin with a
 * time slice per thread within a priority, and an idle loop that halts
 * the CPU. A thread runs when it is READY and not halted; a queue may
 * still hold a thread that was halted meanwhile, which is skipped when
 * reached. */
#pragma once

#include <mica/scheduler.h>

#include "sched/clock.h"
#include "sched/percpu.h"
#include "sched/runqueue.h"
#include "objects/thread.h"

struct percpu;

#define SCHED_DEFAULT_PRIO MICA_SCHED_DEFAULT_PRIO
#define SCHED_DEFAULT_SLICE_NS MICA_SCHED_DEFAULT_SLICE_NS
_Static_assert(SCHED_PRIOS == MICA_SCHED_PRIOS, "priorities are ABI");

/* A new thread's scheduling parameters: the defaults. */
void sched_init_thread(struct thread *t);

/* Sets t's priority and time slice (it starts a fresh one). */
void sched_set_params(struct thread *t, unsigned prio, uint64_t slice_ns);

/* t became READY (or was resumed): queue it unless it is current, or
 * hand it to its CPU if that idles (sched_hand_to_idle). */
void sched_ready(struct thread *t);

/* sched_ready's way to another CPU (its lock held) for t, ready and
 * not halted: if that CPU idles with nothing in hand, t becomes its
 * current thread at once (issue 27), and its next pick finds it there,
 * with no queueing on either side; whatever takes t off that CPU
 * meanwhile (evict_here) clears current. False if the CPU does not
 * idle: t is then to be queued. The caller nudges the CPU. */
static inline bool sched_hand_to_idle(struct percpu *cpu, struct thread *t)
{
	if (!cpu->idling || cpu->current)
		return false;
	cpu->current = t;
	return true;
}

/* t is READY and should run instead of the current thread, which goes to
 * the back of its queue if it can still run (a direct IPC hand-off);
 * priorities still decide: a higher ready thread preempts t. */
void sched_switch_to(struct thread *t);

/* The current thread gives up the processor (the X.2 ThreadSwitch).
 * `next`, if ready on this CPU, runs at once on the rest of the caller's
 * slice and with the caller's priority, until it blocks, yields or is
 * preempted (a donation); without one, the caller gets a fresh slice
 * and goes behind its equals. */
void sched_yield(struct thread *next);

/* The system-call exits that skip core_resume. */

/* Whether t, the current thread of cpu, simply runs on: it can, no ready
 * thread outranks it, and the timer is set early enough for every
 * timeout (its slice end it was set for when t started). */
bool sched_keeps_running(struct percpu *cpu, const struct thread *t);

/* The ready queues (inline: the fast paths use them too). A thread not
 * queued has no links (rq_next and rq_prev are 0: sched_dequeue and
 * sched_swap_current clear them, debug/invariants.c checks it). */

/* t, not queued, joins the queue of its priority at the front or the
 * back. Always inline: with `front` a constant, each caller gets its
 * own half (the fast paths' callers would otherwise pay a call). */
static inline __attribute__((always_inline)) void sched_link(struct sched_cpu *s, struct thread *t,
							     bool front)
{
	unsigned p = t->prio;
	t->on_rq = true;
	if (front) {
		t->rq_next = s->head[p];
		if (s->head[p])
			s->head[p]->rq_prev = t;
		else
			s->tail[p] = t;
		s->head[p] = t;
	} else {
		t->rq_prev = s->tail[p];
		if (s->tail[p])
			s->tail[p]->rq_next = t;
		else
			s->head[p] = t;
		s->tail[p] = t;
	}
	s->ready_map[p / 64] |= 1ul << (p % 64);
	s->ready_words |= 1u << (p / 64);
}

static inline void sched_enqueue(struct sched_cpu *s, struct thread *t, bool front)
{
	if (!t->on_rq)
		sched_link(s, t, front);
}

static inline void sched_dequeue(struct sched_cpu *s, struct thread *t)
{
	if (!t->on_rq)
		return;
	unsigned p = t->prio;
	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		s->head[p] = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		s->tail[p] = t->rq_prev;
	if (!s->head[p] && !(s->ready_map[p / 64] &= ~(1ul << (p % 64))))
		s->ready_words &= ~(1u << (p / 64));
	t->on_rq = false;
	t->rq_next = t->rq_prev = 0;
}

/* sched_swap where `in` is queued and `out` is not (out is the current
 * thread, which is never queued): in leaves the queues and out goes to
 * the back of its priority's queue. When in is the last of out's
 * priority (two threads taking turns), out simply takes its place. */
static inline __attribute__((always_inline)) void sched_swap_current(struct sched_cpu *s, struct thread *in,
								     struct thread *out)
{
	unsigned p = out->prio;
	if (in->prio != p || s->tail[p] != in) {
		sched_dequeue(s, in);
		sched_link(s, out, false);
		return;
	}
	/* out->rq_next is 0 already (not queued), as in's is (the tail). */
	struct thread *prev = in->rq_prev;
	out->rq_prev = prev;
	if (prev)
		prev->rq_next = out;
	else
		s->head[p] = out;
	s->tail[p] = out;
	out->on_rq = true;
	in->on_rq = false;
	in->rq_prev = 0;
}

/* `in` (queued) leaves the queues and `out` (not queued) goes to the back
 * of its priority's queue; if either is not as said, the swap is a
 * dequeue and an enqueue. */
static inline void sched_swap(struct sched_cpu *s, struct thread *in, struct thread *out)
{
	if (out->on_rq || !in->on_rq) {
		sched_dequeue(s, in);
		sched_enqueue(s, out, false);
		return;
	}
	sched_swap_current(s, in, out);
}

static inline unsigned sched_eff_prio(const struct sched_cpu *s, const struct thread *t)
{
	return t == s->boosted && s->boost_prio > t->prio ? s->boost_prio : t->prio;
}

/* Whether a ready thread has a priority above prio (halted threads
 * still queued count too: callers then take the general path). */
static inline __attribute__((always_inline)) bool sched_outranked(const struct sched_cpu *s, unsigned prio)
{
	if (!s->ready_words)
		return false; /* nothing queued: the IPC fast path's common case */
	unsigned w = 31 - (unsigned)__builtin_clz(s->ready_words);
	return w * 64 + 63 - (unsigned)__builtin_clzl(s->ready_map[w]) > prio;
}

/* Whether the IPC partner `to` may run at once in place of the current
 * thread, as core_resume would decide: nothing outranks it and no yield
 * donation is in force. (The timer already covers every timeout: each
 * way out to user level makes sure of that, and the fast path arms no
 * timeout.) */
static inline __attribute__((always_inline)) bool sched_direct_switch_ok(const struct sched_cpu *s,
									 const struct thread *to)
{
	return !s->boosted && s->charged && !sched_outranked(s, to->prio);
}

/* The CPU time from now on is to's (0: idle), no longer s->ran's. A
 * thread's cpu_ticks count its time when it is not ran, its time minus
 * the clock while it is (sched_cpu_ticks adds the clock back). */
static inline void sched_set_ran(struct sched_cpu *s, struct thread *to, uint64_t now)
{
	if (s->ran)
		s->ran->cpu_ticks += now;
	else
		s->idle_ticks += now - s->ran_since;
	if (to)
		to->cpu_ticks -= now;
	else
		s->ran_since = now;
	s->ran = to;
}

/* The direct switch from `from` to `to` happens: the CPU time so far is
 * from's, the current thread's (which is s->ran: whenever a thread runs
 * or is in a system call, it is ran; the caller's register has it, where
 * s->ran would be one more load), from now on `to`'s, which runs on the
 * slice of the thread charged. sched_set_ran for a thread that runs. */
static inline void sched_lend_slice(struct sched_cpu *s, struct thread *from, struct thread *to)
{
	uint64_t now = clock_now();
	from->cpu_ticks += now;
	to->cpu_ticks -= now;
	s->ran = to;
}

/* Sets the timer for the next timeout and the end of t's slice (0: the
 * idle CPU), unless it is set early enough already. */
void sched_timer_for(struct percpu *cpu, const struct thread *t);

/* cpu's current thread, just made current, preempted the thread that
 * ran (a switch outside core_resume, which would do the same): it runs
 * on its own slice from now on, and the timer is set for it. */
void sched_preempted_by(struct percpu *cpu);

/* This CPU's current thread blocked, in a system call with this CPU's
 * own lock held and no other: the CPU idles at once if nothing else is
 * queued here, booking the idle spell when it ends (sched.c, idle_open),
 * else core_resume decides what runs. */
__attribute__((noreturn)) void sched_resume_blocked(struct percpu *cpu);

/* A CPU that just came online: empty queues (its per-CPU data is
 * zeroed), idle from now on, timer disarmed. */
void sched_init_cpu(struct percpu *cpu);

/* An application processor that came online: it waits (halted) until
 * the boot CPU has started the first threads, then schedules. */
__attribute__((noreturn)) void sched_ap_start(struct percpu *cpu);

/* The boot CPU's last step: threads may be placed on every online CPU,
 * the others start scheduling, and the first thread runs. */
__attribute__((noreturn)) void sched_start(void);

/* Takes t off its CPU for good (it is dying); when it returns, no CPU
 * runs t or holds its FPU state. */
void sched_remove(struct thread *t);

/* Moves t (ready, running on any CPU, or blocked) to CPU `to`: it keeps
 * its state, its timeout and its place in IPC; a ready one is queued
 * there; a system call it was entering is made again there; its IRQs
 * are routed there. */
void sched_migrate(struct thread *t, unsigned to);

/* If t runs on another CPU, makes that CPU save t's user registers and
 * hold them until this CPU lets that CPU's lock go (thread_ex_regs reads
 * and writes them; the caller holds it). */
void sched_sync_registers(struct thread *t);

/* t's CPU time in ticks, including the running turn. */
uint64_t sched_cpu_ticks(const struct thread *t);

/* The idle time of a CPU in ticks. */
uint64_t sched_idle_ticks(unsigned cpu);

static inline bool sched_runnable(const struct thread *t)
{
	return t->state == THREAD_READY && !t->halted;
}
