/* What every kernel object shares: its type, the capabilities that name
 * it, the factory its memory is charged to, and its destruction.
 *
 * An object lives while capabilities name it or the kernel pins it (a
 * factory is pinned by every object charged to it). When both counts reach
 * zero it is queued for destruction; kobj_reap() destroys queued objects
 * one after another, so deleting a chain of objects never recurses. */
#pragma once

#include <mica/caps.h>
#include <stdbool.h>
#include <stdint.h>

struct cap_slot;
struct factory;

struct kobj {
	uint8_t type;	       /* enum mica_obj_type */
	bool permanent;	       /* a boot-time singleton: never destroyed */
	bool queued;	       /* on the destruction queue */
	uint32_t ncaps;	       /* capability slots naming it */
	uint32_t pins;	       /* kernel references that keep it alive */
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

/* Destroys the queued objects. Run at the end of every kernel entry. */
void kobj_reap(void);

/* Whether kobj_reap has anything to do (the system-call exit asks). */
extern struct kobj *kobj_reap_head;
static inline bool kobj_reap_pending(void)
{
	return kobj_reap_head != 0;
}
