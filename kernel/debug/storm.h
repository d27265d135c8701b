/* Storms (debug builds): the locked kernel paths driven from every
 * online CPU at once, for the smp_storm_ cases (kdebug STORM). */
#pragma once

#include <stdint.h>

struct task;
struct kobj;
struct factory;

/* What a storm works on; which fields a kind uses: mica/kdebug.h. */
struct storm_args {
	unsigned kind; /* MICA_KDEBUG_STORM_* */
	uint64_t iterations;
	struct task *task; /* the caller's */
	struct task *dst;  /* MAP: the destination */
	uint64_t sel;	   /* CAPS: the source capability; MAP: the source page */
	uint64_t base;	   /* CAPS: the first selector; MAP: the first destination page */
	struct factory *factory;
};

struct storm_result {
	unsigned cpus;	    /* CPUs that took part */
	uint64_t ops;	    /* operations done, all CPUs */
	uint64_t failures;  /* operations that failed but should not have */
	uint64_t before;    /* CAPS: the object's capabilities; QUOTA: bytes used; FRAMES: free bytes */
	uint64_t after;	    /* the same, afterwards */
	uint64_t contended; /* CAPS: fills of the shared slot won; MAP: maps onto the shared page */
};

#ifdef MICA_DEBUG
/* Runs the storm on every online CPU (this one too) and waits for all. */
void storm_run(const struct storm_args *a, struct storm_result *r);
#endif
