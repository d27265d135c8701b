/* A thread: an execution context bound to a task, with its UTCB, its
 * place in the scheduler and its IPC state. */
#pragma once

#include <mica/caps.h>
#include <mica/fpage.h>
#include <mica/msgtag.h>
#include <mica/thread.h>
#include <mica/utcb.h>

#include "arch/context.h"
#include "arch/regs.h"
#include "objects/invoke.h"
#include "objects/kobj.h"

struct task;
struct gate;
struct cap_slot;
struct irq;
struct vcpu;

enum thread_state {
	THREAD_INACTIVE, /* never started, or unbound */
	THREAD_READY,	 /* running or runnable (unless halted) */
	THREAD_BLOCKED,	 /* in an IPC phase: see wait */
	THREAD_DEAD,	 /* stopped by an exception or its task's destruction */
};

/* What a blocked thread waits for. */
enum ipc_wait {
	WAIT_NONE,
	WAIT_SEND,	/* queued on wait_gate's senders */
	WAIT_RECV_GATE, /* queued on wait_gate's receivers (closed wait) */
	WAIT_RECV_OPEN, /* open wait: any gate bound to it */
	WAIT_RECV_IRQ,	/* closed wait on wait_irq, an IRQ attached to it */
	WAIT_RECV_MASK, /* open wait for matching labels only (filter_mask, filter_value) */
	WAIT_REPLY,	/* called; reply_partner (or reply_cap) holds the reply right */
	WAIT_VCON,	/* in Vcon READ: queued (q_next) on the console's input */
};

/* A fault the kernel turned into a message on the thread's behalf. */
enum thread_fault {
	FAULT_NONE,
	FAULT_PAGE,	   /* calling its pager: kmsg holds the page-fault message */
	FAULT_EXC,	   /* calling its exception handler: kmsg holds its registers */
	FAULT_EXC_PENDING, /* ready; raises an exception when it next runs (pager failed) */
	FAULT_VCPU,	   /* a vCPU in user mode or with an upcall due: core_resume enters it (vcpu.h) */
};

struct thread {
	struct kobj hdr;
	/* The entry code saves the user registers here (see entry.S). */
	struct arch_regs regs;
	struct arch_thread arch;
	struct task *task; /* 0 while unbound */
	struct thread *task_next, *task_prev;
	enum thread_state state;
	bool halted; /* not run even when READY */
	bool on_rq;  /* linked into its CPU's run queue */
	/* A scheduler's RUN_THREAD (or the boot code) gave it a CPU and
	 * parameters: only then may it become ready (mica/scheduler.h). */
	bool scheduled;
	unsigned id;
	unsigned cpu;
	struct thread *rq_next, *rq_prev; /* in its CPU's queue of its priority */
	unsigned prio;			  /* 0 .. SCHED_PRIOS - 1; higher runs first */
	uint64_t slice;			  /* time slice, in clock ticks */
	uint64_t slice_ns;		  /* ... as set, for THREAD_STATS (ticks do not convert back) */
	int64_t slice_left;		  /* of the current one */
	uint64_t cpu_ticks;		  /* consumed */
	uint64_t utcb_addr;		  /* user address of the UTCB */
	struct mica_utcb *utcb;		  /* the kernel's own mapping of it; 0 while unbound */
	mica_cap_t pager, exc_handler;
	uint64_t user_handle;
	/* The fast path's last looked-up selector and where its slot lives
	 * (ipc/fastpath.h, fast_lookup); 0 (MICA_CAP_INVALID): none yet. */
	mica_cap_t fast_sel;
	struct cap_slot *fast_slot;

	/* IPC */
	enum ipc_wait wait;
	struct gate *wait_gate;
	struct thread *q_next, *q_prev; /* in wait_gate's queue (or the Vcon's readers) */
	struct irq *wait_irq;		/* WAIT_RECV_IRQ: the one IRQ it takes */
	mica_msgtag_t send_tag;		/* a blocked sender's message */
	uint64_t send_label;
	bool send_call;		      /* ... and it waits for a reply after it */
	struct thread *reply_to;      /* the caller this thread owes a reply */
	struct thread *reply_partner; /* WAIT_REPLY: who owes this thread one */
	struct reply_cap *reply_cap;  /* WAIT_REPLY: or the reply capability that does (ipc/reply_cap.h) */
	struct gate *bound_gates;     /* gates whose messages its open wait takes */
	struct gate *pend_head, *pend_tail; /* bound gates that (may) have senders */
	struct irq *irqs;		    /* IRQs attached to it */
	struct irq *irq_head, *irq_tail;    /* those that fired, for its open wait */
	uint32_t reply_timeout;		    /* a call's receive timeout, for the reply wait */
	uint64_t deadline;		    /* an IPC timeout (clock ticks); 0: none */
	struct thread *to_next, *to_prev;   /* in its CPU's timeout list */
	/* WAIT_RECV_MASK (MICA_IPC_FILTER): it takes labels with label &
	 * filter_mask == filter_value. */
	mica_word_t filter_mask, filter_value;

	/* Faults as messages. The message lives here, not in the UTCB, whose
	 * MRs still belong to the interrupted user code. */
	enum thread_fault fault;
	mica_word_t kmsg[MICA_EXC_WORDS]; /* FAULT_EXC_PENDING: kmsg[0] is the fault address */
	struct vcpu *vcpu;		  /* vCPU mode (objects/vcpu.h); 0: an ordinary thread */

	_Alignas(64) uint8_t fpu[]; /* FPU/SSE state, up to the end of the frame */
};

#define THREAD_FPU_SPACE (4096 - sizeof(struct thread))

struct thread *thread_create(struct factory *f);

/* Binds t to task with its UTCB at utcb_addr (checked by the caller). */
void thread_bind(struct thread *t, struct task *task, uint64_t utcb_addr);

/* Stops t for good: its IPC ends, it leaves the run queue and its task. */
void thread_kill(struct thread *t);
void thread_release(struct thread *t);

enum mica_thread_state thread_abi_state(const struct thread *t);

/* MICA_THREAD_CONTROL, checked: what flags says to set. */
struct thread_control_args {
	mica_word_t flags; /* MICA_THREAD_CTL_* */
	struct task *task; /* BIND: t is unbound and alive */
	uint64_t utcb;	   /* BIND: a free UTCB place in task's area */
	mica_cap_t pager, exc_handler;
	uint64_t user_handle;
};
void thread_control(struct thread *t, const struct thread_control_args *a);

/* MICA_THREAD_EX_REGS, checked (ip and sp are user addresses, t has a
 * task if they are set or it is resumed): old gets the ip, sp, flags and
 * user handle from before. */
struct thread_regs_args {
	mica_word_t flags; /* MICA_EXREGS_* */
	mica_word_t ip, sp, user_flags, user_handle;
};
void thread_ex_regs(struct thread *t, const struct thread_regs_args *a, mica_word_t old[4]);

/* Starts t (bound, inactive or dead, scheduled) at ip with sp and arg
 * (checked). */
void thread_start(struct thread *t, uint64_t ip, uint64_t sp, uint64_t arg);

/* The thread's methods, by label (thread_invoke.c). */
extern const struct invoke_method thread_methods[INVOKE_LABELS];

/* MICA_THREAD_YIELD's entry in thread_methods, for the yield fast path
 * too (it takes no words). */
#define THREAD_YIELD_RIGHTS MICA_THREAD_R_WRITE

/* Whether t waits in an open wait: an IRQ or a message through a bound
 * gate goes straight to it. */
static inline bool thread_in_open_wait(const struct thread *t)
{
	return t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_OPEN;
}

/* Whether t waits in a filtered open wait (MICA_IPC_FILTER) that takes
 * a message through a capability with this label. */
static inline bool thread_filter_takes(const struct thread *t, uint64_t label)
{
	return t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_MASK &&
	       (label & t->filter_mask) == t->filter_value;
}

static inline bool thread_yield_call(mica_msgtag_t tag, unsigned rights)
{
	return mica_msgtag_label(tag) == MICA_THREAD_YIELD &&
	       (rights & THREAD_YIELD_RIGHTS) == THREAD_YIELD_RIGHTS;
}
