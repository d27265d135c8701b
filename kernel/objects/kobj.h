/* What every kernel object shares: its type, the capabilities that name
 * it, the factory its memory is charged to, and its destruction.
 *
 * An object lives while capabilities name it or the kernel pins it (a
 * factory is pinned by every object charged to it). When both counts reach
 * zero it is queued for destruction on its CPU's queue; kobj_reap()
 * destroys queued objects one after another, so deleting a chain of
 * objects never recurses, and only once no other CPU can still hold a
 * pointer to them (a grace period: every other online CPU has passed a
 * quiescent point since; docs/architecture.md, "Object lifetime across
 * CPUs"). Capability lookups therefore take no lock. */
#pragma once

#include <mica/caps.h>
#include <stdbool.h>
#include <stdint.h>

struct cap_slot;
struct factory;

struct kobj {
	uint8_t type;	/* enum mica_obj_type */
	bool permanent; /* a boot-time singleton: never destroyed */
	bool queued;	/* on a destruction queue (atomic) */
	uint32_t ncaps; /* capability slots naming it (changed under the capability lock, atomically) */
	uint32_t pins;	/* kernel references that keep it alive (atomic) */
	struct cap_slot *caps; /* those slots, a doubly-linked list */
	struct factory *quota; /* charged for its memory; 0 for permanent objects */
	uint64_t phys;	       /* its frame */
	struct kobj *reap_next;
#ifdef MICA_DEBUG
	struct kobj *all_next, *all_prev; /* every live object, for the invariant checker */
#endif
} __attribute__((aligned(16)));

#ifdef MICA_DEBUG
extern struct kobj *kobj_all; /* the list of every live object (debug builds) */
#endif

/* Allocates a zeroed object frame charged to f, and initializes the
 * header. Returns 0 when the quota or kernel memory is exhausted. */
void *kobj_alloc(struct factory *f, enum mica_obj_type type);

void kobj_init_permanent(struct kobj *o, enum mica_obj_type type);

void kobj_pin(struct kobj *o);
void kobj_unpin(struct kobj *o);

/* Called when ncaps or pins may have reached zero. */
void kobj_check_unused(struct kobj *o);

/* Deletes every capability that names o (the object is then destroyed,
 * unless pinned). */
void kobj_revoke_all(struct kobj *o);

/* Destroys the objects queued on this CPU, after a grace period. Run at
 * the end of every kernel entry, with no lock held and no pointer to an
 * object kept beyond it. */
void kobj_reap(void);

/* Objects queued on any CPU and not yet destroyed. */
extern unsigned long kobj_reap_queued;

/* Whether kobj_reap may have anything to do (the system-call exit asks:
 * one load; a CPU with nothing of its own queued finds so at once). */
static inline bool kobj_reap_pending(void)
{
	return __atomic_load_n(&kobj_reap_queued, __ATOMIC_RELAXED) != 0;
}

/* CPU `cpu` is at a quiescent point: it holds no pointer to an object
 * it found before (it is in user mode or idle, interrupts on). */
void kobj_quiescent(unsigned cpu);

/* CPU `cpu` waits with no object in hand (for its own CPU lock at an
 * entry, or for a grace period): quiescent for as long as it waits.
 * Inline: the CPU lock's contended path takes them. */
extern unsigned kobj_waiting[];
static inline void kobj_wait_begin(unsigned cpu)
{
	__atomic_fetch_add(&kobj_waiting[cpu], 1, __ATOMIC_SEQ_CST);
}
static inline void kobj_wait_end(unsigned cpu)
{
	/* A locked operation: nothing this CPU reads next passes it. */
	__atomic_fetch_sub(&kobj_waiting[cpu], 1, __ATOMIC_SEQ_CST);
}
static inline bool kobj_cpu_waits(unsigned cpu)
{
	return __atomic_load_n(&kobj_waiting[cpu], __ATOMIC_SEQ_CST) != 0;
}

#ifdef MICA_DEBUG
/* For the invariant checker: whether the object list's lock is free. */
bool kobj_all_unlocked(void);
/* For the invariant checker: whether o is on a CPU's destruction queue
 * or in the batch it destroys (a parked CPU may be in a grace period, or
 * wait for a lock before it reaps). */
bool kobj_on_reap_list(const struct kobj *o);
#endif
