/* The loader (protocol: include/mica/program.h, docs/protocols.md §6-§7)
 * for the server that runs it, beside the memory service, region maps,
 * the ROM and logs in one mica_srv loop: programs started from ROM
 * dataspaces into address spaces built of dataspaces and region maps,
 * and the program objects through which they end.
 *
 * A program takes a sub-allocator of its starter's allocator (its memory
 * quota: region map, data, stack) and a kernel factory of its starter's
 * (task, thread, page tables); its text and read-only data are the ROM
 * module's pages, attached read-only. Whatever ends it (EXIT, an
 * exception, MICA_OBJ_DELETE by the starter, or the starter's allocator
 * going) reclaims all of it, so both quotas return exactly. The starter
 * learns the end without the server blocking: the `ended` callback
 * (in-process), STATUS and a NOTIFY IRQ (clients). */
#pragma once

#include <log/log_srv.h>
#include <mem/mem.h>
#include <mica/env.h>
#include <mica/program.h>
#include <ramfs/ramfs.h>
#include <rom/rom.h>
#include <stdbool.h>

struct ldr_prog;

struct ldr {
	struct mica_srv_obj o; /* first: the loader's factory object */
	struct mem *m;
	struct rom *rom;
	struct logsrv *log; /* 0: programs get no log */
	mica_word_t kip;    /* the KIP in the server's space */
	mica_cap_t vcon;    /* given to programs at MICA_CAP_VCON (0: none) */
	mica_cap_t sched;   /* places programs' main threads (mica/scheduler.h) */
	/* Made from sched by ldr_init, ceiling MICA_SCHED_DEFAULT_PRIO: the
	 * scheduler every program at that priority gets. A scheduler holds
	 * nothing but its ceiling, so one serves them all. */
	mica_cap_t prog_sched;
	/* If not 0: each program gets a session of LDR_FS_QUOTA bytes at
	 * MICA_CAP_FS (none if the file system has no room left for it). */
	struct ramfs *fs;
	/* Called (in the serving thread) when a program ends, after it is
	 * reclaimed; its object stays until deleted (ldr_delete). */
	void (*ended)(void *ctx, struct ldr_prog *p);
	void *ctx;
	unsigned running;
};

/* A program's stack: 1 MiB below MICA_BOOT_STACK_TOP, an unmapped guard
 * page below it, the read-only environment page above it. */
#define LDR_STACK_SIZE (1ul << 20)
#define LDR_ENV_ADDR MICA_BOOT_STACK_TOP
#define LDR_GUARD_ADDR (MICA_BOOT_STACK_TOP - LDR_STACK_SIZE - 4096)
/* A program's UTCB area at MICA_BOOT_UTCB_ADDR: 16 KiB, room for 16
 * threads (a task's cost grows with its area: MICA_TASK_COST). */
#define LDR_UTCB_AREA_LOG2 MICA_PROGRAM_UTCB_LOG2
#define LDR_ARGS_MAX 32
#define LDR_SEGMENTS_MAX 8
#define LDR_FS_QUOTA (1ul << 20)

struct ldr_params {
	const char *name;		 /* of the ROM module */
	const struct rom_module *module; /* or this one (0: by name) */
	const char *const *argv;	 /* argv[0] ...; 0: the name alone */
	const char *const *envp;	 /* 0: none */
	struct mem_alloc *alloc;	 /* the memory quota's source */
	mica_word_t mem_quota;
	mica_cap_t factory; /* a server selector: the kernel quota's source */
	mica_word_t kern_quota;
	bool no_log; /* the program writes to the Vcon instead */
};

struct ldr_prog {
	struct mica_srv_obj o; /* first */
	struct mem_owned own;  /* on the starter's allocator: it goes with it */
	struct ldr *l;
	struct mem_alloc *starter, *sub;
	struct mem_rm *rm;
	struct logsrv_log *log;
	struct ramfs_session *fs; /* its file-system session (0: none) */
	struct mem_ds *stack;
	mica_cap_t kf, task, thread, irq; /* server selectors (0: none) */
	mica_word_t entry, sp;
	int state;	 /* MICA_PROGRAM_*, or -1 while prepared */
	bool placed;	 /* its main thread has scheduling parameters (ldr_place) */
	unsigned prio;	 /* ... that priority */
	bool sched_done; /* MICA_CAP_SCHEDULER given (or refused: ldr_no_sched) */
	int status;
	mica_word_t vector, addr, ip;
	int elf_error; /* enum elf_error of a refused image */
	char name[MICA_ROM_NAME_MAX + 1];
	unsigned nseg;
	struct { /* what each segment was attached from (ldr_page) */
		mica_word_t vaddr, size, offset;
		struct mem_ds *ds;
	} seg[LDR_SEGMENTS_MAX];
	struct mica_env env; /* written to the program at ldr_start */
};

/* Registers the loader's factory object (CREATE of MICA_PROTO_PROGRAM)
 * with m's server. rom, log: the ROM and log servers of the same loop.
 * sched: a server selector of a scheduler (WRITE right, ceiling at
 * least MICA_SCHED_DEFAULT_PRIO) through which programs' main threads
 * are placed (no thread runs without one) and their schedulers made. */
int ldr_init(struct ldr *l, struct mem *m, struct rom *rom, struct logsrv *log, mica_word_t kip,
	     mica_cap_t vcon, mica_cap_t sched);
void ldr_fini(struct ldr *l);

/* Builds a program, not yet running: MICA_OK and *out (its object,
 * charged MICA_OBJ_COST to p->alloc), or an error with nothing left
 * behind: NOT_FOUND (no such module), BAD_ARG (malformed ELF: *elf_error
 * says why; too many or too long arguments), NO_MEMORY (a quota). */
int ldr_prepare(struct ldr *l, const struct ldr_params *p, struct ldr_prog **out, int *elf_error);
/* Before ldr_start: gives the program the server's capability sel with
 * rights (a capability-rights mask) under name (found with
 * mica_env_cap), at the next named selector; or, with name 0, at the
 * fixed selector `at` (e.g. MICA_CAP_ICU). */
int ldr_give(struct ldr_prog *p, const char *name, mica_cap_t at, mica_cap_t sel, mica_word_t rights);
/* Before ldr_start: the main thread runs at prio (10 ms slices, CPU 0)
 * through the loader's scheduler (MICA_E_NO_RIGHTS above its ceiling).
 * Without it, ldr_start places the thread at MICA_SCHED_DEFAULT_PRIO. */
int ldr_place(struct ldr_prog *p, unsigned prio);
/* The same on CPU cpu. */
int ldr_place_on(struct ldr_prog *p, unsigned prio, unsigned cpu);
/* Before ldr_start: the program gets a scheduler of its own at
 * MICA_CAP_SCHEDULER, made from the loader's with the given ceiling (at
 * most the loader's) and charged to the program's kernel quota, so it
 * can run threads of its own at up to that priority. Without this (or
 * ldr_no_sched), ldr_start gives it one whose ceiling is its main
 * thread's priority: a program can run threads, never above itself. */
int ldr_give_sched(struct ldr_prog *p, unsigned ceiling);
/* The same, its threads confined to the CPU set cpus (bit c: CPU c). */
int ldr_give_sched_on(struct ldr_prog *p, unsigned ceiling, mica_word_t cpus);
/* Before ldr_start: no scheduler; the program runs its main thread only. */
int ldr_no_sched(struct ldr_prog *p);
int ldr_start(struct ldr_prog *p);
/* Ends p if it runs (or is prepared), reclaims everything and frees its
 * object (the starter's quota back exactly). */
void ldr_delete(struct ldr_prog *p);
/* A capability to p with rights (minted by the server). */
int ldr_cap(struct ldr_prog *p, unsigned rights, mica_cap_t *sel);
struct ldr_prog *ldr_prog_of(struct mica_srv_obj *o);

/* For tests: the server-space page behind the program's address va as
 * loaded (its segment's dataspace page), or 0. */
mica_word_t ldr_page(struct ldr_prog *p, mica_word_t va);
