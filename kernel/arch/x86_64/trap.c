/* Dispatch of interrupts and exceptions by where they came from. */
#include "arch/trap.h"

#include <format.h>
#include <mica/fpage.h>

#include "apic.h"
#include "arch/cpu.h"
#include "arch/debugregs.h"
#include "arch/irq_lines.h"
#include "arch/timer.h"
#include "debug/kdb.h"
#include "debug/ksym.h"
#include "klib/kprintf.h"
#include "layout.h"
#include "klib/panic.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include <machine/user_return.h>
#include <machine/x86.h>

#define VEC_DB 1
#define VEC_PF 14

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
};

const char *arch_exception_name(uint64_t v)
{
	if (v < 32 && exception_names[v])
		return exception_names[v];
	return "reserved exception";
}

static void describe_pf(uint64_t err, uint64_t addr, char *buf, size_t size)
{
	format_buf(buf, size, "addr 0x%lx: %s, %s%s", addr,
		   (err & 16)  ? "execute"
		   : (err & 2) ? "write"
			       : "read",
		   (err & 1) ? "protection violation" : "not present", (err & 8) ? ", reserved bit" : "");
}

bool arch_page_fault(const struct arch_regs *r, uint64_t *addr, uint64_t *access)
{
	if (r->vector != VEC_PF)
		return false;
	*addr = read_cr2();
	*access = ((r->error & 16)  ? MICA_FPAGE_X
		   : (r->error & 2) ? MICA_FPAGE_W
				    : MICA_FPAGE_R) |
		  ((r->error & 1) ? MICA_PF_PRESENT : 0);
	return true;
}

void arch_describe_exception(uint64_t vector, uint64_t error, uint64_t addr, uint64_t ip, char *buf,
			     size_t size)
{
	char detail[96] = "";
	if (vector == VEC_PF)
		describe_pf(error, addr, detail, sizeof(detail));
	else if (error)
		format_buf(detail, sizeof(detail), "error code 0x%lx", error);
	format_buf(buf, size, "%s at ip 0x%lx%s%s%s", arch_exception_name(vector), ip, detail[0] ? " (" : "",
		   detail, detail[0] ? ")" : "");
}

static void print_symbol(const char *label, uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		kprintf("%s%016lx <%s+0x%lx>\n", label, addr, name, off);
	else
		kprintf("%s%016lx\n", label, addr);
}

static void dump_regs(const struct arch_regs *r)
{
	print_symbol("  rip ", r->rip);
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", r->rsi, r->rdi, r->rbp, r->rsp);
	kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", r->r8, r->r9, r->r10, r->r11);
	kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", r->r12, r->r13, r->r14, r->r15);
	kprintf("  rflags %016lx cs %04lx ss %04lx error %lx\n", r->rflags, r->cs, r->ss, r->error);
	kprintf("  cr0 %016lx cr2 %016lx cr3 %016lx cr4 %016lx\n", read_cr0(), read_cr2(), read_cr3(),
		read_cr4());
}

/* A kernel exception is always a kernel bug: report it and stop. */
static __attribute__((noreturn)) void kernel_exception(struct arch_regs *r)
{
	panic_begin();
	char what[160];
	arch_describe_exception(r->vector, r->error, r->vector == VEC_PF ? read_cr2() : 0, r->rip, what,
				sizeof(what));
	kprintf("\nPANIC: kernel exception: %s\n", what);
	dump_regs(r);
	panic_end(r->rbp, r->rip);
}

static void handle_irq(uint64_t vector)
{
	/* Only the remote requests run without this CPU's lock: the CPU
	 * that posted them may hold it while it waits for them. */
	if (vector != VEC_REMOTE && vector != VEC_APIC_SPURIOUS)
		cpu_lock_own(this_cpu());
	switch (vector) {
	case VEC_APIC_TIMER:
		this_cpu()->timer_ticks++;
		apic_eoi();
		core_timer_interrupt();
		break;
	case VEC_REMOTE:
		apic_eoi();
		core_remote_interrupt();
		break;
	case VEC_APIC_ERROR:
		kprintf("apic: error status 0x%x\n", apic_error_status());
		apic_eoi();
		break;
	case VEC_APIC_SPURIOUS:
		break; /* no EOI for spurious interrupts */
	default:
		if (vector >= VEC_IRQ_BASE && vector < VEC_IRQ_BASE + VEC_IRQ_LINES) {
			/* Masked until its receiver unmasks it. */
			arch_irq_mask((unsigned)(vector - VEC_IRQ_BASE));
			apic_eoi();
			core_irq_line((unsigned)(vector - VEC_IRQ_BASE));
		}
		/* Legacy PIC spurious lines (0x27, 0x2f) need no EOI. */
		break;
	}
}

#ifdef MICA_DEBUG
extern const char vm_probe_insn[], vm_probe_resume[];
#endif

void trap_from_kernel(struct arch_regs *r)
{
#ifdef MICA_DEBUG
	/* vm_probe_read's user read faulted: that is its answer. */
	if (r->vector == VEC_PF && r->rip == (uint64_t)vm_probe_insn) {
		r->rip = (uint64_t)vm_probe_resume;
		r->rdx = 1;
		return;
	}
#endif
	/* A data breakpoint on a user address the kernel touched: the
	 * breakpoints are for user threads only. */
	if (r->vector == VEC_DB && !arch_debug_stepped(r->error = arch_debug_status_take()))
		return;
	if (r->vector < 32)
		kernel_exception(r);
	handle_irq(r->vector);
	/* Back into hlt or the idle poll (the only places the kernel takes interrupts), where
	 * the next interrupt may come before the cli: a remote request run
	 * there counts as at a quiescent point, so no lock stays held. The
	 * idle loop takes its own again (core_resume). */
	struct percpu *cpu = this_cpu();
	cpu_unlock_others_if(cpu);
	cpu_unlock_own_if_held(cpu);
	/* An idle CPU's poll ends as hlt would (sched.c, idle_round). */
	cpu->nudged = true;
}

__attribute__((noreturn)) void trap_from_user(struct arch_regs *r)
{
	if (r->vector < 32) {
		struct percpu *cpu = this_cpu();
		struct thread *t = cpu->current;
		cpu_lock_own(cpu);
		/* Stopped or moved while it waited: the instruction runs again
		 * wherever the thread runs next. */
		if (cpu->current != t)
			core_resume();
		/* The debug status goes in the error code: the exception
		 * message carries it to the thread's handler. */
		if (r->vector == VEC_DB && kdb_debug_exception(r, r->error = arch_debug_status_take()))
			core_resume();
		core_user_exception(r);
	}
	handle_irq(r->vector);
	core_resume();
}

__attribute__((noreturn)) void trap_fatal(struct arch_regs *r)
{
	kernel_exception(r);
}

/* entry.S reaches into struct arch_regs by these offsets. */
#define REGS_AT(field, off) (offsetof(struct arch_regs, field) == (size_t)(off))
_Static_assert(REGS_AT(r15, REGS_R15) && REGS_AT(r14, REGS_R14) && REGS_AT(r13, REGS_R13) &&
		       REGS_AT(r12, REGS_R12) && REGS_AT(rbp, REGS_RBP) && REGS_AT(rbx, REGS_RBX) &&
		       REGS_AT(r11, REGS_R11) && REGS_AT(r10, REGS_R10) && REGS_AT(r9, REGS_R9) &&
		       REGS_AT(r8, REGS_R8) && REGS_AT(rdi, REGS_RDI) && REGS_AT(rsi, REGS_RSI) &&
		       REGS_AT(rdx, REGS_RDX) && REGS_AT(rax, REGS_RAX) && REGS_AT(rcx, REGS_RCX) &&
		       REGS_AT(vector, REGS_VECTOR) && REGS_AT(error, REGS_ERROR) && REGS_AT(rip, REGS_RIP) &&
		       REGS_AT(cs, REGS_CS) && REGS_AT(rflags, REGS_RFLAGS) && REGS_AT(rsp, REGS_RSP) &&
		       REGS_AT(ss, REGS_SS),
	       "layout.h's REGS_* offsets");

void arch_restart_syscall(struct arch_regs *regs)
{
	/* `syscall` is 0f 05; the saved RIP is the instruction after it. */
	if (regs->vector == VEC_SYSCALL)
		regs->rip -= 2;
}

void arch_unrestart_syscall(struct arch_regs *regs)
{
	if (regs->vector == VEC_SYSCALL)
		regs->rip += 2;
}

bool arch_in_syscall(const struct arch_regs *regs)
{
	return regs->vector == VEC_SYSCALL;
}

void arch_return_to_user(struct arch_regs *regs)
{
	arch_check_user_rip(regs);
	arch_return_to_user_asm(regs);
}
