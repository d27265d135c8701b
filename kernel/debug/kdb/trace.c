/* The IPC trace: a ring of the last TRACE_SIZE IPC operations, kernel
 * object invocations, errors, faults and interrupts, recorded while
 * tracing is on (the `tr` command, or a program through the kernel debug
 * object), and shown filtered by thread or task.
 *
 * Recording takes no lock: a record's slot is claimed with one atomic
 * increment, so CPUs record at once; the debugger reads the ring while
 * the others are parked. A slot being written while it is read (a CPU
 * that records as it is parked cannot: it is parked between kernel
 * operations) does not happen. */
#include "debug/kdb.h"

#include <format.h>
#include <mica/fpage.h>

#include "arch/cpu.h"
#include "arch/regs.h"
#include "arch/trap.h"
#include "ipc/ipc.h"
#include "memory/cap.h"
#include "objects/vcpu.h"
#include "sched/cpu_lock.h"
#include "sched/sched.h"
#include "debug/kdb/kdb.h"
#include "klib/kprintf.h"
#include "objects/irq.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/clock.h"
#include "sched/percpu.h"

#define TRACE_SIZE 1024 /* a power of two */

enum trace_kind { TR_IPC, TR_ERROR, TR_INVOKE, TR_PAGE_FAULT, TR_EXCEPTION, TR_IRQ };

struct trace_record {
	uint64_t seq;  /* 1, 2, ...; 0: the slot was never written */
	uint64_t time; /* clock ticks */
	uint64_t tag, label, addr, ip;
	uint32_t from, to;	     /* thread ids; 0: none */
	uint32_t from_task, to_task; /* their tasks' ids */
	uint16_t error;
	uint8_t kind, cpu;
};

bool kdb_trace_enabled; /* written only while the other CPUs are parked */
static struct trace_record ring[TRACE_SIZE];
static uint64_t recorded; /* records ever claimed */

static struct trace_record *claim(enum trace_kind kind)
{
	uint64_t seq = __atomic_add_fetch(&recorded, 1, __ATOMIC_RELAXED);
	struct trace_record *r = &ring[(seq - 1) & (TRACE_SIZE - 1)];
	*r = (struct trace_record){
		.seq = seq, .time = clock_now(), .kind = (uint8_t)kind, .cpu = (uint8_t)this_cpu()->id
	};
	return r;
}

static void who(const struct thread *t, uint32_t *id, uint32_t *task)
{
	*id = t ? t->id : 0;
	*task = t && t->task ? t->task->id : 0;
}

void kdb_trace_ipc(const struct thread *from, const struct thread *to, mica_msgtag_t tag, uint64_t label)
{
	/* A fault's message: the fault first, from the message the kernel
	 * built (the pager's and the handler's words). */
	if (from->fault == FAULT_PAGE || from->fault == FAULT_EXC) {
		bool page = from->fault == FAULT_PAGE;
		struct trace_record *f = claim(page ? TR_PAGE_FAULT : TR_EXCEPTION);
		who(from, &f->from, &f->from_task);
		f->addr = page ? from->kmsg[0] : from->kmsg[MICA_EXC_VECTOR];
		f->ip = page ? from->kmsg[1] : from->kmsg[MICA_EXC_IP];
	}
	struct trace_record *r = claim(TR_IPC);
	who(from, &r->from, &r->from_task);
	who(to, &r->to, &r->to_task);
	r->tag = tag.raw;
	r->label = label;
}

void kdb_trace_error(const struct thread *t, unsigned e)
{
	struct trace_record *r = claim(TR_ERROR);
	who(t, &r->from, &r->from_task);
	r->error = (uint16_t)e;
}

void kdb_trace_irq(const struct irq *q, const struct thread *to)
{
	struct trace_record *r = claim(TR_IRQ);
	who(to, &r->to, &r->to_task);
	r->label = q->label;
	r->addr = (uint64_t)(int64_t)q->line;
}

/* ---- the traced system call ------------------------------------------------ */

/* While the trace is on every CPU's system calls come here (its LSTAR,
 * arch_syscall_entry_traced): the general path, as syscall_general
 * runs it, with this CPU's lock as core_syscall_smp takes it, and a
 * record of each kernel object invocation with its result. */
void core_syscall_traced(struct arch_regs *regs)
{
	struct percpu *cpu = this_cpu();
	struct thread *self = cpu->current;
	/* As core_syscall_smp: the wait does not return if the thread was
	 * stopped or moved meanwhile. */
	if (cpus_online > 1 && !cpu_trylock(cpu, cpu->id))
		cpu_lock_own_contended(cpu, true);
	/* A vCPU in user mode: the call is its vCPU's upcall (core_syscall). */
	if (__builtin_expect(self->fault != FAULT_NONE, 0))
		vcpu_user_syscall(self);
	struct ipc_args a = {
		.sel = syscall_arg_selector(regs),
		.tag = { syscall_arg_tag(regs) },
		.flags = syscall_arg_flags(regs),
		.src = syscall_arg_source(regs),
		.timeouts = syscall_arg_timeouts(regs),
	};
	struct cap_slot *cap = (a.flags & MICA_IPC_SEND) ? cap_lookup(self->task, a.sel) : 0;
	unsigned type = cap ? cap_obj(cap)->type : MICA_OBJ_NONE;
	ipc_syscall(self, &a);
	if (type != MICA_OBJ_NONE && type != MICA_OBJ_GATE && self->utcb) {
		struct trace_record *r = claim(TR_INVOKE);
		who(self, &r->from, &r->from_task);
		r->tag = a.tag.raw;
		r->addr = type;
		r->error = (uint16_t)self->utcb->error;
	}
	core_resume();
}

/* This CPU's system-call entry as the trace's switch says. */
static void trace_entry(void)
{
	arch_syscall_entry_traced(kdb_trace_enabled);
}

void kdb_cpu_resume(void)
{
	kdb_breakpoints_load();
	trace_entry();
}

/* ---- the command ---------------------------------------------------------- */

static const char *task_name(uint32_t id)
{
	for (struct kobj *o = kobj_all; o; o = o->all_next)
		if (o->type == MICA_OBJ_TASK && ((struct task *)o)->id == id)
			return ((struct task *)o)->name;
	return "?";
}

static void show(const struct trace_record *r)
{
	char head[64];
	format_buf(head, sizeof(head), "tr: #%lu %lu us cpu %u", r->seq, clock_ns_of_ticks(r->time) / 1000,
		   r->cpu);
	mica_msgtag_t tag = { r->tag };
	switch (r->kind) {
	case TR_IPC:
		kprintf("%s ipc %u '%s' -> %u '%s' label 0x%lx tag 0x%lx (op %lu, %u words, %u items)%s\n",
			head, r->from, task_name(r->from_task), r->to, task_name(r->to_task), r->label,
			r->tag, mica_msgtag_label(tag), mica_msgtag_u(tag), mica_msgtag_t_items(tag),
			mica_msgtag_is_error(tag) ? " error" : "");
		break;
	case TR_ERROR:
		kprintf("%s error %u '%s' result %u\n", head, r->from, task_name(r->from_task), r->error);
		break;
	case TR_INVOKE:
		kprintf("%s invoke %u '%s' %s op %lu tag 0x%lx result %u\n", head, r->from,
			task_name(r->from_task), kdb_type_name((unsigned)r->addr), mica_msgtag_label(tag),
			r->tag, r->error);
		break;
	case TR_PAGE_FAULT:
		kprintf("%s pagefault %u '%s' addr 0x%lx ip 0x%lx\n", head, r->from, task_name(r->from_task),
			r->addr, r->ip);
		break;
	case TR_EXCEPTION:
		kprintf("%s exception %u '%s' vector %lu ip 0x%lx\n", head, r->from, task_name(r->from_task),
			r->addr, r->ip);
		break;
	case TR_IRQ:
		kprintf("%s irq line %ld -> %u '%s' label 0x%lx\n", head, (int64_t)r->addr, r->to,
			task_name(r->to_task), r->label);
		break;
	}
}

enum filter { ALL, THREAD, TASK };

static bool matches(const struct trace_record *r, enum filter f, uint32_t id)
{
	if (f == THREAD)
		return r->from == id || r->to == id;
	if (f == TASK)
		return (r->from && r->from_task == id) || (r->to && r->to_task == id);
	return true;
}

static bool word(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

void kdb_cmd_trace(struct kdb_args *a)
{
	const char *w = a->n > 1 ? a->v[1] : "";
	if (word(w, "on") || word(w, "off")) {
		/* Each CPU switches its entry as it is let go (kdb_cpu_resume). */
		__atomic_store_n(&kdb_trace_enabled, word(w, "on"), __ATOMIC_RELEASE);
		kprintf("tr: tracing %s (%lu records so far)\n", kdb_trace_enabled ? "on" : "off", recorded);
		return;
	}
	if (word(w, "clear")) {
		for (unsigned i = 0; i < TRACE_SIZE; i++)
			ring[i].seq = 0;
		recorded = 0;
		kprintf("tr: cleared\n");
		return;
	}
	enum filter f = ALL;
	uint32_t id = 0;
	unsigned at = 1;
	if (word(w, "thread") || word(w, "task")) {
		if (word(w, "thread")) {
			struct thread *t = kdb_thread(a->n > 2 ? a->v[2] : 0);
			if (!t)
				return;
			f = THREAD;
			id = t->id;
		} else {
			struct task *t = kdb_task(a->n > 2 ? a->v[2] : 0);
			if (!t)
				return;
			f = TASK;
			id = t->id;
		}
		at = 3;
	}
	uint64_t want = 20;
	if (a->n > at && (!kdb_number(a->v[at], &want) || !want)) {
		kprintf("kdb: tr [on|off|clear] | tr [thread T|task T] [N]\n");
		return;
	}
	/* The last `want` matching records, oldest first: find where they
	 * start, walking back, then print forwards. */
	uint64_t first = recorded > TRACE_SIZE ? recorded - TRACE_SIZE + 1 : 1, start = recorded + 1;
	uint64_t found = 0;
	for (uint64_t s = recorded; s >= first && s && found < want; s--)
		if (matches(&ring[(s - 1) & (TRACE_SIZE - 1)], f, id)) {
			found++;
			start = s;
		}
	for (uint64_t s = start; s <= recorded; s++) {
		const struct trace_record *r = &ring[(s - 1) & (TRACE_SIZE - 1)];
		if (r->seq == s && matches(r, f, id))
			show(r);
	}
	kprintf("tr: %lu shown, %lu recorded, tracing %s\n", found, recorded,
		kdb_trace_enabled ? "on" : "off");
}
