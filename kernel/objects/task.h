/* A task: a protection domain with an address space, a capability space
 * and a UTCB area (kernel memory mapped into it, where its threads' UTCBs
 * live). It holds no threads; threads are bound to it. */
#pragma once

#include <mica/caps.h>
#include <mica/fpage.h>
#include <mica/msgtag.h>
#include <mica/task.h>

#include "arch/vm.h"
#include "memory/capspace.h"
#include "objects/invoke.h"
#include "objects/kobj.h"
#include "memory/mapdb.h"

#define TASK_NAME_MAX 32

struct thread;
struct fpage;

struct task {
	struct kobj hdr;
	struct vm_space vm;
	struct capspace caps;
	uint64_t utcb_base, utcb_size; /* the UTCB area */
	struct thread *threads;	       /* bound threads, via thread->task_next */
	struct mapnode_pool nodes;     /* its mapping-database nodes */
	bool phys_space;	       /* sigma0: its memory space is physical memory itself */
	bool io_root;		       /* holds every I/O port as a root of the I/O database */
	struct mapnode *io_nodes;      /* its ports, via io_next */
	struct vcpu *vcpu_users;       /* vCPUs in user mode in it (objects/vcpu.h) */
	bool is_vm;		       /* a VM: its space is guest-physical (objects/vm.h) */
	unsigned id;
	char name[TASK_NAME_MAX];
};

/* A task charged to f with a UTCB area of 2^utcb_log2 bytes at utcb_base
 * (already validated). 0 if out of quota or memory. */
struct task *task_create(struct factory *f, uint64_t utcb_base, unsigned utcb_log2);
void task_set_name(struct task *t, const char *name);

/* Whether [addr, addr+size) overlaps the UTCB area. */
bool task_in_utcb_area(const struct task *t, uint64_t addr, uint64_t size);

/* The kernel's view of the UTCB at a (checked) address in the area. */
void *task_utcb_kva(const struct task *t, uint64_t addr);

/* Destruction: threads stopped and unbound, spaces emptied. */
void task_release(struct task *t);

/* Revokes f (memory, I/O ports or capabilities) from t's own mappings
 * and what was mapped from them, or (flush) those too; for memory, the
 * VM_ACCESSED and VM_DIRTY bits the revoked mappings had. */
unsigned task_unmap(struct task *t, const struct fpage *f, bool flush);

/* The task's methods, by label (task_invoke.c). */
extern const struct invoke_method task_methods[INVOKE_LABELS];

/* MICA_TASK_MAP's entry in task_methods, for the map fast path too. */
#define TASK_MAP_RIGHTS MICA_TASK_R_WRITE
#define TASK_MAP_WORDS 3

static inline bool task_map_call(mica_msgtag_t tag, unsigned rights)
{
	return mica_msgtag_label(tag) == MICA_TASK_MAP && (rights & TASK_MAP_RIGHTS) == TASK_MAP_RIGHTS &&
	       mica_msgtag_u(tag) >= TASK_MAP_WORDS;
}

/* MICA_TASK_UNMAP's entry in task_methods, for the unmap fast path too. */
#define TASK_UNMAP_RIGHTS MICA_TASK_R_WRITE
#define TASK_UNMAP_WORDS 1

static inline bool task_unmap_call(mica_msgtag_t tag, unsigned rights)
{
	return mica_msgtag_label(tag) == MICA_TASK_UNMAP &&
	       (rights & TASK_UNMAP_RIGHTS) == TASK_UNMAP_RIGHTS && mica_msgtag_u(tag) >= TASK_UNMAP_WORDS;
}

/* An unmapped flexpage fp as UNMAP answers it: with the status (VM_*)
 * task_unmap returned as its rights bits. */
static inline mica_word_t task_unmap_result(mica_word_t fp, unsigned status)
{
	return (fp & ~MICA_FPAGE_RIGHTS) | ((status & VM_ACCESSED) ? MICA_UNMAP_ACCESSED : 0) |
	       ((status & VM_DIRTY) ? MICA_UNMAP_DIRTY : 0);
}

/* The rights a map (or a grant) needs on the task it takes from. */
static inline unsigned task_map_source_rights(bool grant)
{
	return MICA_TASK_R_READ | (grant ? MICA_TASK_R_WRITE : 0);
}
