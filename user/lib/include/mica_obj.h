/* One-line wrappers of the kernel objects' methods (the protocols in include/mica/).
 * Each returns MICA_OK or a mica_error; results come back through out
 * parameters. */
#pragma once

#include <mica/factory.h>
#include <mica/irq.h>
#include <mica/kdebug.h>
#include <mica/scheduler.h>
#include <mica/task.h>
#include <mica/thread.h>
#include <mica/vcon.h>
#include <mica/vcpu.h>
#include <mica_sys.h>

/* Calls obj (op, u words in the MRs) with the object window (BR2) on dst
 * for the capability the answer carries, and the caller's window
 * restored: how every factory's CREATE is called. */
int mica_call_into(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t dst);

/* Calls obj (op, u words in the MRs) and, if cap is not 0, one object
 * item after them that maps cap with every right it has; a capability the
 * answer carries lands at dst (if not 0), the caller's window restored.
 * timeouts as mica_ipc's (0: wait without limit). The MRs hold the
 * answer after: how a server's objects are called. */
int mica_call_items(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t cap, mica_cap_t dst,
		    mica_word_t timeouts);

/* Factory */
int mica_factory_create(mica_cap_t factory, enum mica_obj_type type, mica_cap_t dst, mica_word_t arg0,
			mica_word_t arg1);
int mica_create_task(mica_cap_t factory, mica_cap_t dst, mica_word_t utcb_area, unsigned utcb_log2);
int mica_create_thread(mica_cap_t factory, mica_cap_t dst);
int mica_create_gate(mica_cap_t factory, mica_cap_t dst, mica_cap_t bind_thread, mica_word_t label);
int mica_create_factory(mica_cap_t factory, mica_cap_t dst, mica_word_t quota);
int mica_factory_info(mica_cap_t factory, mica_word_t *limit, mica_word_t *used);

/* Task */
int mica_cap_info(mica_cap_t task, mica_cap_t sel, mica_word_t *type, mica_word_t *rights);
int mica_cap_same(mica_cap_t task, mica_cap_t a, mica_cap_t b, int *same);
int mica_cap_copy(mica_cap_t task, mica_cap_t src, mica_cap_t dst, mica_word_t rights, mica_word_t label);
int mica_cap_delete(mica_cap_t task, mica_cap_t sel);
/* MICA_TASK_MAP: fpage of src_task to `task` at dst_base (kind: MICA_ITEM_MAP
 * or MICA_ITEM_GRANT); dst_base is encoded like the fpage's base. */
int mica_task_map(mica_cap_t task, mica_cap_t src_task, mica_word_t fpage, mica_word_t dst_base,
		  enum mica_item_kind kind);
/* MICA_TASK_UNMAP of n fpages; their status replaces them in fpages[]. */
int mica_task_unmap(mica_cap_t task, mica_word_t flags, mica_word_t *fpages, unsigned n);
int mica_task_destroy(mica_cap_t task);

/* Thread */
int mica_thread_control(mica_cap_t thread, mica_word_t flags, mica_cap_t task, mica_word_t utcb,
			mica_cap_t pager, mica_cap_t exc);
struct mica_exregs {
	mica_word_t ip, sp, flags, handle, state;
};
/* Sets what `flags` says from *in (may be 0 if flags set nothing);
 * returns the old values in *out (may be 0). */
int mica_thread_ex_regs(mica_cap_t thread, mica_word_t flags, const struct mica_exregs *in,
			struct mica_exregs *out);
int mica_thread_start(mica_cap_t thread, mica_word_t ip, mica_word_t sp, mica_word_t arg);
int mica_thread_yield(mica_cap_t thread);
int mica_thread_halt_other(mica_cap_t thread);
int mica_thread_info(mica_cap_t thread, mica_word_t info[5]);
/* CPU time (ns), priority, time slice (ns). */
int mica_thread_stats(mica_cap_t thread, mica_word_t stats[3]);
/* vCPU mode (mica/vcpu.h): the state area at addr, in the thread's task's
 * UTCB area. */
int mica_vcpu_control(mica_cap_t thread, mica_word_t state_addr);
/* Resumes the calling thread (self: its own selector) from its state
 * area; returns only with an error. */
int mica_vcpu_resume(mica_cap_t self);

/* IRQ and ICU */
int mica_create_irq(mica_cap_t factory, mica_cap_t dst);
int mica_irq_attach(mica_cap_t irq, mica_cap_t thread, mica_word_t label);
int mica_irq_detach(mica_cap_t irq);
int mica_irq_trigger(mica_cap_t irq);
int mica_irq_unmask(mica_cap_t irq);
/* Line, attached, pending, masked. */
int mica_irq_info(mica_cap_t irq, mica_word_t info[4]);
int mica_icu_info(mica_cap_t icu, mica_word_t *lines, mica_word_t *isa_lines);
/* *gsi (may be 0) gets the line bound. */
int mica_icu_bind(mica_cap_t icu, mica_cap_t irq, mica_word_t line, mica_word_t mode, mica_word_t *gsi);
int mica_icu_unbind(mica_cap_t icu, mica_cap_t irq);
/* The start of a driver: an IRQ object at sel (from factory) bound to
 * ISA interrupt `isa` with its default mode, attached to the calling
 * thread with label, and unmasked. */
int mica_irq_for_isa(mica_cap_t factory, mica_cap_t icu, mica_cap_t sel, unsigned isa, mica_word_t label);
/* The start of a driver of ISA interrupt `isa`: the IRQ init gave it
 * as `name` (docs/init.md), attached and unmasked, or else one made at
 * sel through the root's ICU (mica_irq_for_isa). *irq: the one in use. */
int mica_irq_for_driver(const char *name, unsigned isa, mica_cap_t sel, mica_word_t label, mica_cap_t *irq);

/* Scheduler */
int mica_sched_run_thread(mica_cap_t sched, mica_cap_t thread, unsigned prio, mica_word_t slice_ns,
			  unsigned cpu);
/* Ceiling, priorities, CPUs threads may be placed on (ids 0 .. n - 1; the
 * KIP lists every online CPU), default slice (ns), default priority. */
int mica_sched_info(mica_cap_t sched, mica_word_t info[5]);
int mica_sched_idle_ns(mica_cap_t sched, unsigned cpu, mica_word_t *ns);
int mica_sched_create(mica_cap_t sched, mica_cap_t factory, mica_cap_t dst, unsigned ceiling);
/* The same, the new scheduler placing threads only on the CPUs of cpus
 * (bit c: CPU c) that this one may place them on. */
int mica_sched_create_on(mica_cap_t sched, mica_cap_t factory, mica_cap_t dst, unsigned ceiling,
			 mica_word_t cpus);
/* The CPU set the scheduler places threads on (INFO's MR5). */
int mica_sched_cpus(mica_cap_t sched, mica_word_t *cpus);

/* Vcon */
int mica_vcon_get_attr(mica_cap_t vcon, mica_word_t attr[3]);
int mica_vcon_set_attr(mica_cap_t vcon, const mica_word_t attr[3]);
/* Reads 1 .. max bytes of console input into buf (*n of them), waiting
 * at most `timeout` (a timeout word, mica_clock.h) for the first. */
int mica_vcon_read(mica_cap_t vcon, char *buf, unsigned max, uint32_t timeout, unsigned *n);

/* Kernel debug (debug kernels): runs the invariant checker, which panics
 * the kernel on a violation; objects walked and conditions checked. */
int mica_kdebug_check(mica_cap_t kdebug, mica_word_t *objects, mica_word_t *checks);
/* MICA_KDEBUG_KDB (mica/kdebug.h): op ENTER opens the kernel debugger
 * with text as its banner, RUN runs text as a command line; value is
 * what `$` stands for there. */
int mica_kdebug_kdb(mica_cap_t kdebug, unsigned op, mica_word_t value, const char *text);
/* MICA_KDEBUG_REMOTE (mica/kdebug.h): out gets its five answer words;
 * addr is READ's address or RELAY's CPU. */
int mica_kdebug_remote(mica_cap_t kdebug, unsigned cpu, unsigned op, mica_cap_t task, mica_word_t addr,
		       mica_word_t out[5]);
/* MICA_KDEBUG_STORM (mica/kdebug.h): kind, iterations per CPU and its
 * arguments MR2 .. MR4; out gets the six answer words. */
int mica_kdebug_storm(mica_cap_t kdebug, unsigned kind, mica_word_t iterations, mica_word_t a, mica_word_t b,
		      mica_word_t c, mica_word_t out[6]);
