/* The CPU locks: one per CPU, covering its run queues, its timeout list
 * and the IPC state of the threads placed on it (docs/architecture.md,
 * "Locking order"). A CPU holds its own from every entry from user mode
 * until it leaves again (entry.S stores 0 on the way out) or halts idle;
 * it takes another CPU's only to reach that CPU's threads (an IPC
 * partner there, a wake-up), and every CPU's only for the rare
 * operations that reach into any thread (thread control, placement,
 * destruction, IRQ binding, the Vcon's readers). Locks of other CPUs are
 * taken in the order of their ids; one below a lock already held is
 * tried, and if that fails this CPU lets all of its go and takes them in
 * order (cpu_lock_more). With one CPU online no lock is taken: the
 * single-CPU paths pay one comparison. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sched/percpu.h"

/* Set once the boot CPU has started the first thread: from then on the
 * set of online CPUs no longer changes. */
extern bool sched_started;

static inline __attribute__((always_inline)) bool cpu_trylock(struct percpu *c, unsigned me)
{
	unsigned free = 0;
	return __atomic_compare_exchange_n(&c->lock_owner, &free, me + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* An entry waits for its own CPU's lock: another CPU reaches into this
 * one's threads. A system call is rewound while it waits, made again
 * elsewhere if its thread was stopped or moved meanwhile, and made anew
 * if its registers were changed (thread_ex_regs). */
void cpu_lock_own_contended(struct percpu *cpu, bool in_syscall);

/* Takes this CPU's own lock unless it holds it already. */
static inline __attribute__((always_inline)) void cpu_lock_own(struct percpu *cpu)
{
	if (cpus_online > 1 && cpu->lock_owner != cpu->id + 1 && !cpu_trylock(cpu, cpu->id))
		cpu_lock_own_contended(cpu, false);
}

#ifdef MICA_DEBUG
/* Debug builds check that a CPU lets go only a lock it holds: the test
 * inline (a call less on the cross-CPU paths, issue 27), the panic out
 * of line. */
void cpu_lock_release_unheld(const struct percpu *c, unsigned me);
static inline void cpu_lock_check_release(const struct percpu *c, unsigned me)
{
	if (cpus_online > 1 && __atomic_load_n(&c->lock_owner, __ATOMIC_RELAXED) != me + 1)
		cpu_lock_release_unheld(c, me);
}
#else
static inline void cpu_lock_check_release(const struct percpu *c, unsigned me)
{
	(void)c;
	(void)me;
}
#endif

/* Only the holder may: another CPU may hold this CPU's lock while this
 * one passes through the kernel without it (a remote request's interrupt
 * from user mode), and a store of 0 would take that CPU's lock away. */
static inline void cpu_unlock_own(struct percpu *cpu)
{
	cpu_lock_check_release(cpu, cpu->id);
	__atomic_store_n(&cpu->lock_owner, 0, __ATOMIC_RELEASE);
}

/* Lets this CPU's own lock go if it holds it (paths that may be
 * reached without it). */
static inline void cpu_unlock_own_if_held(struct percpu *cpu)
{
	if (cpu->lock_owner == cpu->id + 1)
		__atomic_store_n(&cpu->lock_owner, 0, __ATOMIC_RELEASE);
}

/* The locks of CPU ids in mask. */
static inline uint64_t cpu_mask_of(unsigned id)
{
	return 1ul << id;
}

/* Whether this CPU holds every lock in mask (always, with one CPU). */
static inline bool cpu_locks_cover(const struct percpu *cpu, uint64_t mask)
{
	if (cpus_online < 2)
		return true;
	uint64_t own = cpu->lock_owner == cpu->id + 1 ? cpu_mask_of(cpu->id) : 0;
	return !(mask & ~(cpu->locks_held | own));
}

/* Takes the locks of the CPUs in mask too. True if nothing was let go
 * meanwhile; false if, to keep the order, this CPU let every lock go and
 * took them all again: what it read under them may have changed since.
 * If its current thread was stopped or reached into meanwhile, it does
 * not return: the entry is abandoned (a system call is made again). */
bool cpu_lock_more(struct percpu *cpu, uint64_t mask);

static inline uint64_t cpu_mask_all(void)
{
	return cpus_online >= 64 ? ~0ul : (1ul << cpus_online) - 1;
}

/* Every online CPU's lock (cpu_lock_more's rules). */
bool cpu_lock_all(struct percpu *cpu);

/* Interrupts CPU c (a wake-up: it looks at its queues and timer): once
 * this CPU lets c's lock go, if it holds it, else at once. */
void cpu_kick(struct percpu *c);

/* Tells CPU c to look at its queues and timer: a store if it polls in
 * its idle loop, else an IPI. */
void cpu_nudge(struct percpu *c);

/* Lets the other CPUs' locks go (this CPU keeps its own), and sends the
 * wake-ups cpu_kick kept. */
void cpu_unlock_others(struct percpu *cpu);

static inline void cpu_unlock_others_if(struct percpu *cpu)
{
	if (cpu->locks_held)
		cpu_unlock_others(cpu);
}

/* Whether the lock of CPU id is held by this CPU, or by the CPU this one
 * runs a remote request for (debug checks). */
bool cpu_lock_held_here(unsigned id);

/* Debug builds check that the lock of CPU id is held where a thread of
 * that CPU or its queues are touched. */
#ifdef MICA_DEBUG
#include "klib/panic.h"
#define CPU_LOCK_CHECK(id)                                                                                   \
	do {                                                                                                 \
		if (!cpu_lock_held_here(id))                                                                 \
			panic("CPU %u's lock is not held here (issue 20)", (unsigned)(id));                  \
	} while (0)
#else
#define CPU_LOCK_CHECK(id) ((void)(id))
#endif
