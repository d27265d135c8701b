/* What the debugger's files share: the session (why it was entered, by
 * which thread), argument parsing, naming objects in output, and each
 * command group's commands (one file per group, docs/debugger.md). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "objects/kobj.h"

struct thread;
struct task;

/* Why and by whom the debugger was entered. */
struct kdb_session {
	const char *why;       /* "break key", "panic", "kdebug", "breakpoint", ... */
	struct thread *thread; /* the thread `.` names; 0: none */
	uint64_t value;	       /* what `$` stands for */
	bool panic;	       /* the other CPUs were stopped for good */
	bool done;	       /* `go` */
};
extern struct kdb_session kdb_session;

#define KDB_ARGS 8
struct kdb_args {
	unsigned n;
	const char *v[KDB_ARGS]; /* v[0] is the command */
};

/* A number: decimal, 0x hex, or `$` (the session's value). */
bool kdb_number(const char *s, uint64_t *out);
/* A thread: its id, or `.` (the session's). Says so and returns 0 if
 * there is none. */
struct thread *kdb_thread(const char *s);
/* A task: its id, its name, or `.` (the session thread's task). */
struct task *kdb_task(const char *s);
/* An object by its id (kdb_obj_id), as printed in `caps`. */
struct kobj *kdb_object(const char *s);

const char *kdb_type_name(unsigned type);
/* An object's id in output: "thread:N", "task:N", the singletons by
 * name ("vcon"), others as type:frame ("gate:0x1a2"). */
void kdb_obj_id(const struct kobj *o, char *buf, unsigned size);
/* The thread's name in output: "N" plus its task's name. */
void kdb_thread_name(const struct thread *t, char *buf, unsigned size);

/* The oldest live object, from which o->all_prev walks to the newest:
 * the debugger lists objects in the order they were made. */
struct kobj *kdb_oldest(void);

/* One line of input from the console, edited (backspace, Ctrl-U). */
unsigned kdb_read_line(char *buf, unsigned size);

/* The commands, by group. */
void kdb_cmd_threads(struct kdb_args *a);
void kdb_cmd_thread(struct kdb_args *a);
void kdb_cmd_backtrace(struct kdb_args *a);
void kdb_cmd_tasks(struct kdb_args *a);
void kdb_cmd_caps(struct kdb_args *a);
void kdb_cmd_holders(struct kdb_args *a);
void kdb_cmd_mapping(struct kdb_args *a);
void kdb_cmd_pagewalk(struct kdb_args *a);
void kdb_cmd_dump_phys(struct kdb_args *a);
void kdb_cmd_dump_virt(struct kdb_args *a);
void kdb_cmd_factories(struct kdb_args *a);
void kdb_cmd_gates(struct kdb_args *a);
void kdb_cmd_irqs(struct kdb_args *a);
void kdb_cmd_runqueues(struct kdb_args *a);
void kdb_cmd_cpus(struct kdb_args *a);
void kdb_cmd_trace(struct kdb_args *a);
void kdb_cmd_breakpoint(struct kdb_args *a);
void kdb_cmd_breakpoint_clear(struct kdb_args *a);
void kdb_cmd_step(struct kdb_args *a);
void kdb_cmd_catch(struct kdb_args *a);

/* Opens the debugger for thread t (a breakpoint or single step). */
void kdb_enter_for(const char *why, const char *text, struct thread *t);

/* The breakpoints as every CPU must have them loaded (breakpoints.c). */
void kdb_breakpoints_load(void);
/* What each CPU loads when the debugger leaves (the parked ones as they
 * are let go): the breakpoints, and the system-call entry the trace's
 * switch asks for. */
void kdb_cpu_resume(void);
