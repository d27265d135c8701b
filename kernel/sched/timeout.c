/* IPC timeouts: each CPU's list of waiting threads by deadline, and the
 * expiry of those that are due. */
#include "sched/timeout.h"

#include <mica/error.h>

#include "ipc/ipc.h"
#include "arch/cpu.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/remote.h"
#include "objects/thread.h"

void timeout_arm(struct thread *t, uint64_t deadline)
{
	struct sched_cpu *s = &percpu_by_id[t->cpu]->sched;
	CPU_LOCK_CHECK(t->cpu);
	timeout_disarm(t);
	t->deadline = deadline ? deadline : 1;
	struct thread *prev = 0, *n = s->timeouts;
	while (n && n->deadline <= t->deadline) {
		prev = n;
		n = n->to_next;
	}
	t->to_prev = prev;
	t->to_next = n;
	if (n)
		n->to_prev = t;
	if (prev)
		prev->to_next = t;
	else
		s->timeouts = t;
	/* Only a CPU can set its own timer: one whose timer fires too late
	 * for this deadline is told to look (sched_timer_for, on its way
	 * back to user mode or in its idle loop). */
	struct percpu *cpu = percpu_by_id[t->cpu];
	if (cpu != this_cpu() && (!s->timer_armed || t->deadline < s->timer_armed))
		cpu_kick(cpu);
}

void timeout_remove(struct thread *t)
{
	struct sched_cpu *s = &percpu_by_id[t->cpu]->sched;
	if (t->to_prev)
		t->to_prev->to_next = t->to_next;
	else
		s->timeouts = t->to_next;
	if (t->to_next)
		t->to_next->to_prev = t->to_prev;
	t->to_next = t->to_prev = 0;
	t->deadline = 0;
}

void timeout_expire(struct percpu *cpu, uint64_t now)
{
	struct thread *t;
	while ((t = cpu->sched.timeouts) && t->deadline <= now) {
		/* The abort may reach a partner on another CPU: with its
		 * lock, and the list looked at again if this CPU had to let
		 * its own go meanwhile. */
		uint64_t need = ipc_abort_locks(t);
		if (!cpu_locks_cover(cpu, need)) {
			cpu_lock_more(cpu, need);
			continue;
		}
		timeout_disarm(t);
		ipc_abort(t, MICA_E_TIMEOUT);
	}
}
