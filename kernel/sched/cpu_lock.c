/* Taking CPU locks (sched/cpu_lock.h): the waits, which run this CPU's
 * remote requests, and the retreat that keeps the locks' order. */
#include "sched/cpu_lock.h"

#include "arch/trap.h"
#include "objects/kobj.h"
#include "objects/thread.h"
#include "sched/remote.h"
#include "sched/sched.h"
#include "klib/panic.h"

bool sched_started;

/* Whether this CPU may take CPU c's lock now: a CPU that waits at an
 * entry for its own has it first. Without that rule a CPU that takes
 * every lock again and again (a storm of thread_ex_regs) starves the
 * others out of their own kernels: it lets the locks go and takes them
 * again before a waiting CPU looks (always so under TCG's round robin). */
static bool may_take(const struct percpu *self, const struct percpu *c)
{
	return c == self || !__atomic_load_n(&c->own_waiting, __ATOMIC_ACQUIRE);
}

/* Waits for CPU c's lock. The holder may wait for this CPU meanwhile (a
 * shootdown, or a thread of this CPU it stops or moves): its requests
 * run here while this CPU spins. */
static void lock_waiting(struct percpu *self, struct percpu *c)
{
	while (!may_take(self, c) || !cpu_trylock(c, self->id)) {
		remote_drain_here();
		__builtin_ia32_pause();
	}
}

/* The system call of cur (this CPU's current thread), if it is in one,
 * is rewound before this CPU lets its lock go: whatever another CPU then
 * reads of its registers (thread_ex_regs) is the state before the call,
 * and it is made again if the thread is stopped or moved. */
static bool rewind(struct thread *cur)
{
	if (!arch_in_syscall(&cur->regs))
		return false;
	arch_restart_syscall(&cur->regs);
	return true;
}

/* The lock is back: abandons the entry if cur was stopped, moved or
 * reached into meanwhile (core_resume then decides what runs), else
 * undoes the rewind and goes on. */
static void resume_entry(struct percpu *cpu, struct thread *cur, bool rewound)
{
	if (cpu->current != cur || cpu->disturbed) {
		cpu_unlock_others_if(cpu);
		core_resume();
	}
	if (rewound)
		arch_unrestart_syscall(&cur->regs);
}

void cpu_lock_own_contended(struct percpu *cpu, bool in_syscall)
{
	if (__atomic_load_n(&cpu->lock_owner, __ATOMIC_RELAXED) == cpu->id + 1)
		return;
	struct thread *cur = cpu->current;
	bool rewound = in_syscall && cur && rewind(cur);
	cpu->disturbed = false;
	/* Taken at entries only: a wait with no object in hand, which
	 * object reaping and the invariant checker count as quiescent. */
	kobj_wait_begin(cpu->id);
	/* It holds no other lock here, so no CPU that defers to it holds
	 * one it waits for. */
	__atomic_store_n(&cpu->own_waiting, true, __ATOMIC_RELEASE);
	lock_waiting(cpu, cpu);
	__atomic_store_n(&cpu->own_waiting, false, __ATOMIC_RELEASE);
	kobj_wait_end(cpu->id);
	if (in_syscall)
		resume_entry(cpu, cur, rewound);
}

bool cpu_lock_more(struct percpu *cpu, uint64_t mask)
{
	if (cpus_online < 2)
		return true;
	unsigned me = cpu->id;
	uint64_t own = cpu_mask_of(me);
	bool own_held = cpu->lock_owner == me + 1;
	uint64_t held = cpu->locks_held | (own_held ? own : 0);
	uint64_t want = mask & ~held;
	/* Above every lock held: wait in order. Below one: only try. */
	while (want) {
		unsigned id = (unsigned)__builtin_ctzl(want);
		struct percpu *c = percpu_by_id[id];
		if (held >> id) {
			if (!may_take(cpu, c) || !cpu_trylock(c, me))
				break;
		} else {
			cpu->holds_none = !held;
			lock_waiting(cpu, c);
			cpu->holds_none = false;
		}
		held |= cpu_mask_of(id);
		want &= want - 1;
	}
	cpu->locks_held = held & ~own;
	if (!want)
		return true;

	/* A lock below one held is taken: let all go, take all in order. */
	struct thread *cur = own_held ? cpu->current : 0;
	bool rewound = cur && rewind(cur);
	cpu->disturbed = false;
	uint64_t all = held | want;
	for (uint64_t m = held; m; m &= m - 1)
		cpu_lock_check_release(percpu_by_id[__builtin_ctzl(m)], me);
	for (uint64_t m = held; m; m &= m - 1)
		__atomic_store_n(&percpu_by_id[__builtin_ctzl(m)]->lock_owner, 0, __ATOMIC_RELEASE);
	cpu->locks_held = 0;
	/* Until the first is back this CPU holds nothing: the invariant
	 * checker may park it here (debug/invariants.c). */
	cpu->holds_none = true;
	for (uint64_t m = all; m; m &= m - 1) {
		lock_waiting(cpu, percpu_by_id[__builtin_ctzl(m)]);
		cpu->holds_none = false;
	}
	cpu->locks_held = all & ~own;
	if (own_held)
		resume_entry(cpu, cur, rewound);
	return false;
}

bool cpu_lock_all(struct percpu *cpu)
{
	return cpu_lock_more(cpu, cpu_mask_all());
}

#ifdef MICA_DEBUG
void cpu_lock_release_unheld(const struct percpu *c, unsigned me)
{
	unsigned owner = __atomic_load_n(&c->lock_owner, __ATOMIC_RELAXED);
	if (sched_started && owner != me + 1)
		panic("CPU %u lets CPU %u's lock go, which %s (issue 20)", me, c->id,
		      owner ? "another CPU holds" : "is free");
}
#endif

void cpu_unlock_others(struct percpu *cpu)
{
	for (uint64_t m = cpu->locks_held; m; m &= m - 1)
		cpu_lock_check_release(percpu_by_id[__builtin_ctzl(m)], cpu->id);
	for (uint64_t m = cpu->locks_held; m; m &= m - 1)
		__atomic_store_n(&percpu_by_id[__builtin_ctzl(m)]->lock_owner, 0, __ATOMIC_RELEASE);
	cpu->locks_held = 0;
	/* Interrupted only now, the CPUs find their locks free. */
	uint64_t k = cpu->kicks;
	cpu->kicks = 0;
	for (; k; k &= k - 1)
		cpu_nudge(percpu_by_id[__builtin_ctzl(k)]);
}

void cpu_nudge(struct percpu *c)
{
	/* With polling, the other side of a Dekker pair: c stores polling
	 * (0 on its way to hlt) and then loads nudged, this CPU stores
	 * nudged and then loads polling, each store a locked one. Either c
	 * sees the nudge, or this CPU sees it halting and interrupts it. */
	__atomic_store_n(&c->nudged, true, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&c->polling, __ATOMIC_SEQ_CST))
		arch_send_remote_ipi(c);
}

void cpu_kick(struct percpu *c)
{
	struct percpu *self = this_cpu();
	if (self->locks_held & cpu_mask_of(c->id))
		self->kicks |= cpu_mask_of(c->id);
	else
		cpu_nudge(c);
}

bool cpu_lock_held_here(unsigned id)
{
	if (cpus_online < 2 || !sched_started)
		return true;
	struct percpu *self = this_cpu();
	unsigned owner = __atomic_load_n(&percpu_by_id[id]->lock_owner, __ATOMIC_RELAXED);
	return owner == self->id + 1 || (owner && self->remote_depth);
}
