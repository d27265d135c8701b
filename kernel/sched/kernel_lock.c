/* Taking the kernel lock (sched/kernel_lock.h): the wait that keeps
 * running this CPU's remote requests. */
#include "sched/kernel_lock.h"

#include "sched/remote.h"

volatile unsigned kernel_lock_owner;
bool sched_started;

void kernel_lock_contended(struct percpu *cpu)
{
	unsigned me = cpu->id + 1;
	if (__atomic_load_n(&kernel_lock_owner, __ATOMIC_RELAXED) == me)
		return;
	for (;;) {
		unsigned free = 0;
		if (__atomic_compare_exchange_n(&kernel_lock_owner, &free, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		/* The holder may wait for this CPU: a shootdown, a thread of
		 * this CPU it stops or moves, a grace period (kobj_reap) or the
		 * invariant checker. The entries hold nothing while they wait
		 * (they look at `current` again after it). */
		remote_serve_quiescent();
		__builtin_ia32_pause();
	}
}
