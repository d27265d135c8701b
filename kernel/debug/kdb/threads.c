/* The debugger's thread commands: every thread with its state in words
 * (whom it sends to, receives from, waits for), one thread's registers,
 * UTCB and IPC state, kernel backtraces, and the CPUs. */
#include <format.h>
#include <mica/fpage.h>

#include "arch/context.h"
#include "arch/cpu.h"
#include "debug/kdb/kdb.h"
#include "debug/park.h"
#include "klib/kprintf.h"
#include "objects/gate.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/clock.h"
#include "sched/percpu.h"
#include "sched/sched.h"

/* The CPU t runs on right now, or -1. */
static int running_on(const struct thread *t)
{
	for (unsigned c = 0; c < cpus_online; c++)
		if (percpu_by_id[c] && percpu_by_id[c]->current == t)
			return (int)c;
	return -1;
}

/* A gate's partner in output: the thread it is bound to. */
static void gate_partner(const struct gate *g, char *buf, unsigned size)
{
	char id[40], who[64] = "no server";
	kdb_obj_id(&g->hdr, id, sizeof(id));
	if (g->bound) {
		char n[48];
		kdb_thread_name(g->bound, n, sizeof(n));
		format_buf(who, sizeof(who), "server %s", n);
	}
	format_buf(buf, size, "%s (%s)", id, who);
}

static void describe_state(const struct thread *t, char *buf, unsigned size)
{
	char a[96] = "", b[64] = "";
	switch (t->state) {
	case THREAD_INACTIVE:
		format_buf(buf, size, "inactive");
		return;
	case THREAD_DEAD:
		format_buf(buf, size, "dead");
		return;
	case THREAD_READY:
		format_buf(buf, size, "%s%s", running_on(t) >= 0 ? "running" : "ready",
			   t->halted ? ", halted" : "");
		return;
	case THREAD_BLOCKED:
		break;
	}
	if (t->fault == FAULT_PAGE)
		format_buf(b, sizeof(b), "blocked on a page fault at 0x%lx, ", t->kmsg[0]);
	else if (t->fault == FAULT_EXC)
		format_buf(b, sizeof(b), "blocked on exception %lu, ", t->kmsg[MICA_EXC_VECTOR]);
	switch (t->wait) {
	case WAIT_SEND:
		gate_partner(t->wait_gate, a, sizeof(a));
		format_buf(buf, size, "%ssending to %s%s", b, a,
			   t->send_call ? ", then waits for the reply" : "");
		break;
	case WAIT_RECV_GATE:
		gate_partner(t->wait_gate, a, sizeof(a));
		format_buf(buf, size, "%sreceiving from %s", b, a);
		break;
	case WAIT_RECV_OPEN:
		format_buf(buf, size, "%sreceiving from any bound gate or IRQ", b);
		break;
	case WAIT_RECV_IRQ:
		format_buf(buf, size, "%sreceiving from one IRQ", b);
		break;
	case WAIT_RECV_MASK:
		format_buf(buf, size, "%sreceiving from bound gates with label & 0x%lx == 0x%lx", b,
			   t->filter_mask, t->filter_value);
		break;
	case WAIT_REPLY:
		if (t->reply_partner)
			kdb_thread_name(t->reply_partner, a, sizeof(a));
		format_buf(buf, size, "%swaiting for reply from %s", b, t->reply_partner ? a : "-");
		break;
	case WAIT_VCON:
		format_buf(buf, size, "%sreading the console", b);
		break;
	default:
		format_buf(buf, size, "%sblocked", b);
		break;
	}
	if (t->deadline) {
		unsigned n = 0;
		while (buf[n])
			n++;
		format_buf(buf + n, size - n, ", timeout in %lu us",
			   t->deadline > clock_now() ? clock_ns_of_ticks(t->deadline - clock_now()) / 1000
						     : 0);
	}
}

static void thread_line(const struct thread *t)
{
	char state[200];
	describe_state(t, state, sizeof(state));
	kprintf("thread %-4u task %-12s cpu %u prio %-3u time %8lu us state %s\n", t->id,
		t->task ? t->task->name : "-", t->cpu, t->prio, clock_ns_of_ticks(sched_cpu_ticks(t)) / 1000,
		state);
}

void kdb_cmd_threads(struct kdb_args *a)
{
	(void)a;
	unsigned n = 0;
	for (struct kobj *o = kdb_oldest(); o; o = o->all_prev)
		if (o->type == MICA_OBJ_THREAD) {
			thread_line((const struct thread *)o);
			n++;
		}
	kprintf("threads: %u\n", n);
}

static const char *const exc_names[MICA_EXC_WORDS] = {
	[MICA_EXC_IP] = "ip",		[MICA_EXC_SP] = "sp",	[MICA_EXC_FLAGS] = "flags",
	[MICA_EXC_FS_BASE] = "fs_base", [MICA_EXC_RAX] = "rax", [MICA_EXC_RBX] = "rbx",
	[MICA_EXC_RCX] = "rcx",		[MICA_EXC_RDX] = "rdx", [MICA_EXC_RSI] = "rsi",
	[MICA_EXC_RDI] = "rdi",		[MICA_EXC_RBP] = "rbp", [MICA_EXC_R8] = "r8",
	[MICA_EXC_R9] = "r9",		[MICA_EXC_R10] = "r10", [MICA_EXC_R11] = "r11",
	[MICA_EXC_R12] = "r12",		[MICA_EXC_R13] = "r13", [MICA_EXC_R14] = "r14",
	[MICA_EXC_R15] = "r15",
};

/* The kernel frames of a CPU: this one's from here, a parked one's from
 * its parking function. */
static void cpu_backtrace(unsigned c)
{
	if (c == this_cpu()->id) {
		arch_backtrace(0, 0);
		return;
	}
	uint64_t fp = park_frame(c);
	if (!fp) {
		kprintf("bt: CPU %u is not parked (stopped by a panic, or not online)\n", c);
		return;
	}
	const uint64_t *frame = (const uint64_t *)fp;
	arch_backtrace(frame[0], frame[1] - 1);
}

void kdb_cmd_thread(struct kdb_args *a)
{
	struct thread *t = kdb_thread(a->n > 1 ? a->v[1] : ".");
	if (!t)
		return;
	thread_line(t);
	kprintf("  pager sel 0x%lx, exception handler sel 0x%lx, user handle 0x%lx, slice %lu ns\n", t->pager,
		t->exc_handler, t->user_handle, t->slice_ns);
	if (t->reply_to) {
		char n[48];
		kdb_thread_name(t->reply_to, n, sizeof(n));
		kprintf("  owes a reply to %s\n", n);
	}
	if (t->state == THREAD_INACTIVE || !t->task) {
		kprintf("  no user context\n");
		return;
	}
	mica_word_t w[MICA_EXC_WORDS];
	arch_exception_message(&t->regs, &t->arch, 0, w);
	kprintf("  regs:");
	for (unsigned i = MICA_EXC_IP, k = 0; i < MICA_EXC_WORDS; i++, k++)
		kprintf("%s %s %016lx", k % 4 == 0 && k ? "\n       " : "", exc_names[i], w[i]);
	kprintf("\n");
	if (t->utcb) {
		volatile struct mica_utcb *u = t->utcb;
		kprintf("  utcb 0x%lx: error %lu label 0x%lx\n", t->utcb_addr, u->error, u->label);
		kprintf("  mr0-7:");
		for (unsigned i = 0; i < 8; i++)
			kprintf(" %lx", u->mr[i]);
		kprintf("\n");
	}
	int c = running_on(t);
	if (c >= 0) {
		kprintf("  kernel: on CPU %d, its ", c);
		cpu_backtrace((unsigned)c);
	} else {
		kprintf("  kernel: no kernel frames (a thread that does not run keeps none: one kernel stack "
			"per "
			"CPU)\n");
	}
}

void kdb_cmd_backtrace(struct kdb_args *a)
{
	uint64_t c = this_cpu()->id;
	if (a->n > 1 && (!kdb_number(a->v[1], &c) || c >= cpus_online)) {
		kprintf("kdb: no CPU '%s'\n", a->v[1]);
		return;
	}
	kprintf("bt: CPU %lu\n", c);
	cpu_backtrace((unsigned)c);
}

void kdb_cmd_cpus(struct kdb_args *a)
{
	(void)a;
	unsigned self = this_cpu()->id;
	for (unsigned c = 0; c < cpus_online; c++) {
		const struct percpu *cpu = percpu_by_id[c];
		if (!cpu)
			continue;
		char cur[48] = "idle";
		if (cpu->current)
			kdb_thread_name(cpu->current, cur, sizeof(cur));
		unsigned ready = 0, timeouts = 0;
		for (unsigned p = 0; p < SCHED_PRIOS; p++)
			for (const struct thread *t = cpu->sched.head[p]; t; t = t->rq_next)
				ready++;
		for (const struct thread *t = cpu->sched.timeouts; t; t = t->to_next)
			timeouts++;
		kprintf("cpu %u apic %u %s current %s ready %u timeouts %u timer ticks %lu fastpath ipcs "
			"%lu\n",
			c, cpu->apic_id,
			c == self	    ? "debugger"
			: kdb_session.panic ? "stopped"
			: park_frame(c)	    ? "parked"
					    : "?",
			cur, ready, timeouts, cpu->timer_ticks, cpu->fastpath_ipcs);
	}
	kprintf("cpus: %u online, threads placed on %u\n", cpus_online, cpus_placeable);
}
