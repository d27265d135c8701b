/* The protocol fuzzer (make fuzz-services ITER=N SEED=S): a root task
 * that serves the user-level protocols in one thread and an unprivileged
 * client task that sends them random and mutated messages. Shared
 * between the two (the client task shares this program's image). */
#pragma once

#include <mica_sys.h>

/* Targets, at these selectors in the client task (CL_TARGET + i). */
enum { CL_TARGET = 0x20, CL_OWNED = 0x40, CL_SCRATCH = 0x60 };
#define CL_OWNED_MAX 8 /* objects the client creates and keeps, CL_OWNED + i */

/* What a target is, for the table of methods that fits it. */
enum target_kind { T_LOG, T_LOG_FACTORY, T_KINDS };

struct target {
	enum target_kind kind;
	mica_cap_t sel; /* in the client task */
};

#define MAX_TARGETS 8

struct svcfuzz_shared {
	unsigned long iterations, seed;
	struct target targets[MAX_TARGETS];
	unsigned ntargets;
	volatile unsigned long sent, answered_ok, done;
	volatile int client_failed; /* the client's own clean-up failed */
};
extern struct svcfuzz_shared sf;

/* The client thread's body (runs in the client task). */
void svcfuzz_client(long unused);
