/* The kernel debugger's hooks in the rest of the kernel (the debugger
 * itself is kernel/debug/kdb/, compiled into debug builds only; in
 * release builds every hook here is an empty inline function, and
 * kdb_tracing() is the constant false).
 *
 * The IPC trace: a caller checks kdb_tracing() (one load of a global
 * flag, predicted not taken) before it calls a kdb_trace_* function, so
 * tracing off costs one branch on the general paths that record. While
 * tracing is on, every system call enters core_syscall_traced (each
 * CPU's system-call entry is switched: arch/trap.h), which takes the
 * general path only and records kernel object invocations; so the fast
 * paths record nothing and pay nothing. */
#pragma once

#include <mica/msgtag.h>
#include <stdbool.h>
#include <stdint.h>

struct thread;
struct irq;
struct arch_regs;

/* The break key: Ctrl-\ (0x1c) as the first byte of a line on the
 * kernel's console input (README.md, docs/debugger.md). */
#define KDB_BREAK_KEY 0x1c

#ifdef MICA_DEBUG

extern bool kdb_trace_enabled;

static inline __attribute__((always_inline)) bool kdb_tracing(void)
{
	return __builtin_expect(__atomic_load_n(&kdb_trace_enabled, __ATOMIC_RELAXED), 0);
}

/* A message went from `from` to `to` (a send, call or reply; a fault's
 * message too, recorded as the page fault or exception first), with tag
 * and the label the receiver sees. */
void kdb_trace_ipc(const struct thread *from, const struct thread *to, mica_msgtag_t tag, uint64_t label);
/* t's IPC or invocation failed with error e. */
void kdb_trace_error(const struct thread *t, unsigned e);
/* IRQ q fired towards `to` (0: attached to nobody). */
void kdb_trace_irq(const struct irq *q, const struct thread *to);

/* Boot: reads "kdb" from the kernel command line (the debugger opens on a
 * panic in test mode only with it). */
void kdb_init(const char *cmdline);

/* A byte of console input arrived (the Vcon's interrupt): true if it
 * was the break key at the start of a line, which opened the debugger
 * (the byte is consumed). */
bool kdb_console_input(int c);

/* The panic path, after the message: runs the debugger (the other CPUs
 * are already stopped) until `go`, then the panic goes on. */
void kdb_on_panic(void);

/* The kernel debug object's MICA_KDEBUG_KDB by thread t: opens the
 * debugger with the text as its banner (interactive), or runs the text
 * as one command line and returns. value is what `$` stands for. */
void kdb_invoked(struct thread *t, bool interactive, const char *text, uint64_t value);

/* A debug exception (#DB) from user mode with the debug status (the
 * architecture's; decoded by arch/debugregs.h): true if the debugger
 * dealt with it (it opened, or the exception was a stray one of another
 * thread), false if it goes to the thread's exception handler. */
bool kdb_debug_exception(struct arch_regs *r, uint64_t status);

#else

static inline bool kdb_tracing(void)
{
	return false;
}
static inline void kdb_trace_ipc(const struct thread *from, const struct thread *to, mica_msgtag_t tag,
				 uint64_t label)
{
	(void)from, (void)to, (void)tag, (void)label;
}
static inline void kdb_trace_error(const struct thread *t, unsigned e)
{
	(void)t, (void)e;
}
static inline void kdb_trace_irq(const struct irq *q, const struct thread *to)
{
	(void)q, (void)to;
}
static inline void kdb_init(const char *cmdline)
{
	(void)cmdline;
}
static inline bool kdb_console_input(int c)
{
	(void)c;
	return false;
}
static inline void kdb_on_panic(void) {}
static inline bool kdb_debug_exception(struct arch_regs *r, uint64_t status)
{
	(void)r, (void)status;
	return false;
}

#endif
