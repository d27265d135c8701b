/* Taking the kernel lock (sched/kernel_lock.h): the wait that keeps
 * running this CPU's remote requests. */
#include "sched/kernel_lock.h"

#include "objects/kobj.h"
#include "sched/remote.h"

volatile unsigned kernel_lock_owner;
bool sched_started;

void kernel_lock_contended(struct percpu *cpu)
{
	unsigned me = cpu->id + 1;
	if (__atomic_load_n(&kernel_lock_owner, __ATOMIC_RELAXED) == me)
		return;
	/* Taken at entries only: a wait with no object in hand, which
	 * object reaping and the invariant checker count as quiescent. */
	kobj_wait_begin(cpu->id);
	for (;;) {
		unsigned free = 0;
		if (__atomic_compare_exchange_n(&kernel_lock_owner, &free, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			kobj_wait_end(cpu->id);
			return;
		}
		/* The holder may wait for this CPU: a shootdown, or a thread
		 * of this CPU it stops or moves. */
		remote_drain_here();
		__builtin_ia32_pause();
	}
}
