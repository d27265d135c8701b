/* User-thread breakpoints and single step through the CPU's debug
 * registers (arch/debugregs.h). A breakpoint belongs to one thread: the
 * registers are every CPU's, so another thread that runs the address
 * takes a stray debug exception, which goes on unnoticed. A hit (or a
 * step) of the owner opens the debugger when `catch` is on; otherwise
 * it is an exception (vector 1, the debug status in the error word) to
 * the thread's exception handler, like any other. */
#include <format.h>
#include <mica/layout.h>

#include "arch/debugregs.h"
#include "debug/kdb.h"
#include "debug/kdb/kdb.h"
#include "klib/kprintf.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "sched/percpu.h"

static struct arch_breakpoint bps[ARCH_BREAKPOINTS];
static unsigned owner[ARCH_BREAKPOINTS]; /* thread ids (a thread's pointer may be reused) */
static bool catching;

void kdb_breakpoints_load(void)
{
	arch_debug_load(bps);
}

static const char *const kind_names[] = { "x", "w", "rw" };

static void show(unsigned i)
{
	kprintf("bp: %u thread %u %s at 0x%lx len %u\n", i, owner[i], kind_names[bps[i].kind], bps[i].addr,
		bps[i].len);
}

void kdb_cmd_breakpoint(struct kdb_args *a)
{
	if (a->n == 1) {
		for (unsigned i = 0; i < ARCH_BREAKPOINTS; i++)
			if (bps[i].on)
				show(i);
		kprintf("bp: catch %s\n",
			catching ? "on (hits open the debugger)" : "off (hits go to the handler)");
		return;
	}
	struct thread *t = kdb_thread(a->v[1]);
	uint64_t addr, len = 1;
	if (!t)
		return;
	unsigned kind = ARCH_BP_EXEC;
	if (a->n > 3) {
		const char *k = a->v[3];
		kind = k[0] == 'x' && !k[1]		     ? ARCH_BP_EXEC
		       : k[0] == 'w' && !k[1]		     ? ARCH_BP_WRITE
		       : k[0] == 'r' && k[1] == 'w' && !k[2] ? ARCH_BP_RW
							     : 99;
	}
	if (kind != ARCH_BP_EXEC)
		len = 8;
	if (a->n > 4 && !kdb_number(a->v[4], &len))
		len = 0;
	if (a->n < 3 || !kdb_number(a->v[2], &addr) || kind == 99 || !t->task || addr >= MICA_USER_END ||
	    (kind == ARCH_BP_EXEC ? len != 1
				  : (len != 1 && len != 2 && len != 4 && len != 8) || (addr & (len - 1)))) {
		kprintf("kdb: bp THREAD ADDR [x|w|rw] [LEN]: a user thread, a user address (data: LEN 1, 2, "
			"4 or "
			"8, aligned)\n");
		return;
	}
	for (unsigned i = 0; i < ARCH_BREAKPOINTS; i++)
		if (!bps[i].on) {
			bps[i] = (struct arch_breakpoint){
				.addr = addr, .kind = (uint8_t)kind, .len = (uint8_t)len, .on = true
			};
			owner[i] = t->id;
			show(i);
			return;
		}
	kprintf("kdb: all %u breakpoints are in use (bc clears)\n", ARCH_BREAKPOINTS);
}

void kdb_cmd_breakpoint_clear(struct kdb_args *a)
{
	uint64_t n = 0;
	bool all = a->n < 2 || (a->v[1][0] == 'a' && a->v[1][1] == 'l' && a->v[1][2] == 'l' && !a->v[1][3]);
	if (!all && (!kdb_number(a->v[1], &n) || n >= ARCH_BREAKPOINTS)) {
		kprintf("kdb: bc [N|all]\n");
		return;
	}
	for (unsigned i = 0; i < ARCH_BREAKPOINTS; i++)
		if (all || i == n)
			bps[i].on = false;
	kprintf("bp: cleared %s\n", all ? "all" : a->v[1]);
}

void kdb_cmd_step(struct kdb_args *a)
{
	struct thread *t = kdb_thread(a->n > 1 ? a->v[1] : ".");
	if (!t)
		return;
	if (!t->task || t->state == THREAD_INACTIVE || t->state == THREAD_DEAD) {
		kprintf("kdb: thread %u has no user context to step\n", t->id);
		return;
	}
	bool off = a->n > 2 && a->v[2][0] == 'o';
	arch_debug_set_step(&t->regs, !off);
	kprintf("ss: thread %u %s\n", t->id, off ? "runs on" : "stops after its next instruction");
}

void kdb_cmd_catch(struct kdb_args *a)
{
	if (a->n > 1)
		catching = a->v[1][0] == 'o' && a->v[1][1] == 'n';
	kprintf("catch: %s\n", catching ? "on: breakpoints and steps open the debugger"
					: "off: breakpoints and steps go to the thread's exception handler");
}

bool kdb_debug_exception(struct arch_regs *r, uint64_t status)
{
	struct thread *t = this_cpu()->current;
	unsigned hits = arch_debug_hits(status), mine = 0, stray = 0;
	for (unsigned i = 0; i < ARCH_BREAKPOINTS; i++)
		if ((hits >> i) & 1 && bps[i].on)
			*(owner[i] == t->id ? &mine : &stray) |= 1u << i;
	bool stepped = arch_debug_stepped(status);
	/* An instruction breakpoint's instruction has not run: it must run
	 * once without the breakpoint when the thread goes on. */
	for (unsigned i = 0; i < ARCH_BREAKPOINTS; i++)
		if (((mine | stray) >> i) & 1 && bps[i].kind == ARCH_BP_EXEC)
			arch_debug_resume_past(r);
	if (!mine && !stepped)
		return stray != 0;
	/* A step is one instruction: `ss` again for the next. */
	if (stepped)
		arch_debug_set_step(r, false);
	if (!catching)
		return false;
	char text[96];
	int bp = __builtin_ffs((int)mine) - 1;
	if (bp >= 0)
		format_buf(text, sizeof(text), "breakpoint %d (%s 0x%lx) at ip 0x%lx", bp,
			   kind_names[bps[bp].kind], bps[bp].addr, regs_ip(r));
	else
		format_buf(text, sizeof(text), "single step to ip 0x%lx", regs_ip(r));
	kdb_enter_for(bp >= 0 ? "breakpoint" : "single step", text, t);
	return true;
}
