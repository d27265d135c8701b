/* The protocol fuzzer (make fuzz-services ITER=N SEED=S): a root task
 * that serves the user-level protocols in one thread and an unprivileged
 * client task that sends them random and mutated messages. Shared
 * between the two (the client task shares this program's image). */
#pragma once

#include <mica_sys.h>
#include <stdbool.h>

/* Selectors in the client task: the targets (CL_TARGET + i), the objects
 * it creates and keeps (CL_OWNED + i), the window of answers it drops. */
enum { CL_TARGET = 0x20, CL_OWNED = 0x40, CL_SCRATCH = 0x60 };
/* Capabilities to a task of the root's with nothing in it, for the
 * client's region maps to map into and unmap from (its own space would
 * lose its code to a region attached over it): all rights, and READ
 * only (too few for a region map). */
enum { CL_VICTIM = 0x61, CL_VICTIM_RO = 0x62 };
/* The client's kernel factory (the kernel quota of the programs it
 * starts and of its IRQs), also READ only (too few rights for CREATE);
 * its own thread (to attach an IRQ to); the IRQ the fuzzing rows give
 * programs in NOTIFY (attached to nothing), the one the valid program
 * sequence waits on (attached to the client's thread) and a gate to the
 * client's thread (a NOTIFY that must be refused: a trigger is a call). */
enum { CL_KF = 0x63, CL_KF_RO = 0x64, CL_THREAD = 0x65, CL_IRQ = 0x66, CL_IRQ_SEQ = 0x67, CL_GATE = 0x68 };
#define CL_IRQ_LABEL 0x5e9
/* Where the region-map rows mostly attach, in the victim's space. */
#define CL_RM_AREA 0x10000000ul
#define CL_RM_AREA_SIZE (64ul << 20)
#define CL_OWNED_MAX 16

/* The client's receive window for memory (MICA_DS_MAP answers), in its
 * own address space: 4 MiB, so a 2 MiB page lands whole. */
#define CL_MEM_WINDOW 0x500000000000ul
#define CL_MEM_WINDOW_LOG2 22

/* What an object is, for the rows of client.c's table that fit it.
 * T_NONE: an owned selector that never received an object. */
enum target_kind {
	T_NONE,
	T_LOG,
	T_LOG_FACTORY,
	T_ALLOC,
	T_DS,
	T_RM,
	T_ROM,
	T_LOADER,
	T_PROG,
	T_FS,
	T_NS,
	T_KINDS
};

struct target {
	enum target_kind kind;
	mica_cap_t sel; /* in the client task */
	/* T_DS: its size (a generator's offsets aim inside); T_RM: the
	 * address of the last region attached (0: none). */
	mica_word_t size;
	/* An owned selector holding another's object (a ROM module's
	 * dataspace): not the client's to delete, nor gone with its
	 * allocator; the next answer landing there replaces it. */
	bool foreign;
};

#define MAX_TARGETS 24

struct svcfuzz_shared {
	unsigned long iterations, seed;
	struct target targets[MAX_TARGETS];
	unsigned ntargets;
	unsigned own_alloc; /* the target that is the client's allocator, READ and WRITE */
	unsigned loader;    /* the target that is the loader, WRITE */
	volatile unsigned long sent, answered_ok, done;
	volatile unsigned long maps_touched; /* pages the client read (and wrote) after a MAP */
	volatile unsigned long digest;	     /* of every answer: equal for a replay */
	volatile unsigned long sequences;    /* valid sequences that ran to their end */
	volatile unsigned long left;	     /* memory objects of the client's alive at its end */
	volatile unsigned long started;	     /* programs the client's CREATEs started */
	volatile unsigned long progs_ended;  /* programs the valid sequence saw end as it expected */
	/* Answered without error: a held program's set-up (GIVE, SCHED,
	 * TASK, LOG, START), a name space's methods, REDUCEs. */
	volatile unsigned long held_ok, ns_ok, reduced_ok;
	volatile int client_failed; /* a selector of the client's holds what it should not */
	/* A valid request answered wrongly: the client.c line of the check
	 * (times 100 plus the steps that went right, for a sequence), and
	 * the requests sent by then. */
	volatile int check_failed;
	volatile unsigned long check_at;
};
extern struct svcfuzz_shared sf;

/* The client thread's body (runs in the client task). */
void svcfuzz_client(long unused);
