/* Synchronous IPC through gates: send, receive, call, reply and
 * reply-and-wait, with their timeouts: the general path, which the fast
 * paths (ipc/fastpath.h) mirror for their common cases. */
#pragma once

#include <mica/error.h>
#include <mica/msgtag.h>
#include <mica/syscall.h>
#include <stdbool.h>
#include <stdint.h>

struct thread;
struct gate;
struct cap_slot;
struct percpu;
struct arch_regs;

struct ipc_args {
	mica_cap_t sel;
	struct cap_slot *cap; /* what sel names, if already looked up; else 0 */
	mica_msgtag_t tag;
	mica_word_t flags;
	mica_cap_t src;
	mica_word_t timeouts;
};

/* A system call the fast paths did not take: t, the current thread of
 * cpu, made it with these registers. cap: the slot its send selector
 * names, if a fast path looked it up (0: not looked up). */
__attribute__((noreturn)) void syscall_general(struct percpu *cpu, struct thread *t, struct arch_regs *regs,
					       struct cap_slot *cap);

/* The system call: decodes the phases and performs them. Results land in
 * the threads' saved registers and UTCBs. */
void ipc_syscall(struct thread *self, const struct ipc_args *a);

/* Sets t's system-call result (rax = tag, rdx = label). */
void ipc_result(struct thread *t, mica_msgtag_t tag, uint64_t label);
/* Fails t's system call with e (and sets its error TCR). */
void ipc_fail(struct thread *t, enum mica_error e, bool recv_phase);

/* Whether t is a valid timeout word (docs/abi.md 5.4): MICA_OK or
 * MICA_E_BAD_ARG. */
enum mica_error ipc_check_timeout(uint32_t t);

/* A checked timeout as a deadline in clock ticks, or one of these. */
#define DEADLINE_NEVER 0
#define DEADLINE_NOW 1 /* zero, or a deadline already past */

/* The deadline of timeout `to` for t; phase 0 (send) or 1 (receive)
 * names the timeout_abs TCR an absolute one reads. */
uint64_t ipc_deadline_of(const struct thread *t, uint32_t to, unsigned phase);
static inline uint64_t ipc_deadline(const struct thread *t, uint32_t to, unsigned phase)
{
	/* Never, the common case, without a call. */
	return to == MICA_TIMEOUT_NEVER ? DEADLINE_NEVER : ipc_deadline_of(t, to, phase);
}

/* Copies the message words from sender to receiver and sets the
 * receiver's result: tag, label, error TCR. */
void ipc_deliver(struct thread *from, struct thread *to, mica_msgtag_t tag, uint64_t label);

/* The current thread t calls through cap with the message in t->kmsg
 * (a fault; t->fault says which). */
void ipc_send_fault(struct thread *t, struct cap_slot *cap, mica_msgtag_t tag);

/* Ends the IPC t is blocked in with error e; t becomes ready. The
 * caller holds the CPU locks ipc_abort_locks(t) names. */
void ipc_abort(struct thread *t, enum mica_error e);
uint64_t ipc_abort_locks(const struct thread *t);

/* t is dying: it leaves every queue, and the caller it owes a reply (if
 * any) is released with MICA_E_ABORTED. */
void ipc_thread_gone(struct thread *t);
