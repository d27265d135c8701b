/* Remote requests (Fiasco's DRQs): work one CPU asks another to do on
 * that CPU, through a per-CPU queue and an IPI. The requester waits until
 * the target has run it; while it waits it runs the requests queued for
 * its own CPU, so two CPUs that ask each other never deadlock. The queue
 * lock is the only shared state; it is a leaf in the locking order
 * (docs/architecture.md, "Locking order"). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "klib/spinlock.h"

struct percpu;
struct remote_request;

typedef void remote_fn(struct remote_request *r);

/* Lives on the requester's stack until done. */
struct remote_request {
	remote_fn *fn; /* runs on the target CPU, interrupts off */
	void *arg;
	uint64_t out; /* the function's answer, if it has one */
	struct remote_request *next;
	bool done; /* set by the target after fn returned */
};

/* Each CPU's queue of requests to run (in struct percpu). */
struct remote_queue {
	struct spinlock lock;
	struct remote_request *head, **tail;
	uint64_t posted;     /* requests others queued here (under lock) */
	bool interrupted;    /* running the queue from the IPI: at a quiescent point */
	uint64_t handled;    /* requests this CPU ran for others */
	uint64_t shootdowns; /* TLB shootdown requests among them */
};

void remote_init_cpu(struct percpu *cpu);

/* Runs r->fn on cpu (an online one) and returns after it ran; directly
 * when cpu is this CPU. */
void remote_run(struct percpu *cpu, struct remote_request *r);

/* remote_run in two halves, so that one CPU can have several others
 * work at once: queues r on cpu (another CPU) and interrupts it; then
 * waits until it ran (running this CPU's own requests meanwhile). */
void remote_post(struct percpu *cpu, struct remote_request *r);
void remote_wait(struct remote_request *r);

/* The remote-request IPI arrived: runs this CPU's queued requests. It
 * arrives only where the kernel enables interrupts (user mode, hlt), so
 * it is also a quiescent point for object reaping (kobj.c). */
void core_remote_interrupt(void);

/* Runs this CPU's queued requests now: for waits with interrupts off. */
void remote_serve(void);

/* A spin lock that may be held while its holder waits for a remote
 * request (the mapping database's, the capability lock): its waiter runs
 * its own CPU's requests while it spins, or the holder could wait for it
 * forever. A request's function never takes such a lock. */
static inline void spin_lock_serving(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			__builtin_ia32_pause();
			remote_serve();
		}
}
/* Runs this CPU's queued requests (a CPU waiting for a CPU lock). */
void remote_drain_here(void);

/* Arch: interrupts cpu with the remote-request vector. */
void arch_send_remote_ipi(const struct percpu *cpu);
