/* Per-CPU kernel state. Each CPU touches its own; other CPUs touch its
 * scheduling state only under its CPU lock (sched/cpu_lock.h), and
 * append to its remote-request queue. The first five words are used by
 * the entry code. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "sched/remote.h"
#include "sched/runqueue.h"

struct thread;

struct percpu {
	struct percpu *self;  /* %gs:0 */
	uint64_t scratch_rsp; /* user RSP while the syscall entry switches stacks */
	uint64_t regs_top;    /* end of the current thread's saved registers */
	uint64_t kstack_top;  /* this CPU's kernel stack */
	/* Its CPU lock: 0 while free, else the holder's id + 1 (the exit to
	 * user mode stores 0: sched/cpu_lock.h). */
	volatile unsigned lock_owner;
	/* While this CPU let its own lock go to take others in order: set
	 * by a remote request that stopped or reached into its current
	 * thread (sched/cpu_lock.c). */
	bool disturbed;
	/* Waiting at an entry for its own lock, which it then gets first:
	 * no other CPU takes it meanwhile (sched/cpu_lock.c). */
	volatile bool own_waiting;
	uint64_t locks_held;	/* other CPUs' locks this CPU holds (bit = id) */
	bool holds_none;	/* waiting for a CPU lock with none held (the checker may park it) */
	uint64_t kicks;		/* CPUs to interrupt once their locks are let go (cpu_unlock_others) */
	unsigned remote_depth;	/* running a request for another CPU (cpu_lock.h's checks) */
	struct thread *current; /* whose registers regs_top points into, or one handed to run next */
	unsigned id;		/* 0 .. number of CPUs - 1; 0 is the boot CPU */
	uint32_t apic_id;
	bool online; /* set by the CPU itself once it runs the kernel */
	bool idling; /* in the idle loop, nothing to run (under its CPU lock) */
	/* Idle and looking at nudged in a pause loop rather than halted: a
	 * wake-up sets nudged and sends no IPI (cpu_nudge). */
	volatile bool polling;
	volatile bool nudged;	/* told to look again: a wake-up, or an interrupt taken idle */
	bool idle_polled;	/* this idle spell polled already: the next round halts */
	struct sched_cpu sched; /* ready queues, time accounting, timeouts */
	uint64_t timer_ticks;
	uint64_t fastpath_ipcs;	    /* calls and reply-and-waits the fast path did */
	struct remote_queue remote; /* work other CPUs ask of this one (the one shared part) */
	struct arch_percpu arch;
};

extern struct percpu *percpu_by_id[];
extern unsigned cpu_count;   /* CPUs found */
extern unsigned cpus_online; /* CPUs running the kernel: ids 0 .. cpus_online - 1 */
/* CPUs threads may be placed on: ids 0 .. cpus_placeable - 1, every
 * online CPU once they all are up (cpus_start_all). */
extern unsigned cpus_placeable;

/* Sets up the boot CPU's per-CPU data and makes this_cpu() work. */
void percpu_init_boot_cpu(uint32_t apic_id);

/* Per-CPU data for the next CPU to come online (id cpus_online), in
 * zeroed kernel memory; 0 if there is none. It counts as online (and
 * percpu_by_id finds it) only after percpu_online. */
struct percpu *percpu_alloc(uint32_t apic_id);
/* The CPU for which percpu_alloc last gave data came online. */
void percpu_online(struct percpu *cpu);

/* Architecture part: descriptor tables, TSS, system-call MSRs, GS base. */
void arch_percpu_init(struct percpu *cpu);
