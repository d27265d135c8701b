/* Storms (debug builds): the capability, mapping, quota and frame
 * allocator paths run from every online CPU at once, each CPU in its
 * remote-request interrupt, so that the locks (docs/architecture.md,
 * "Locking order") are contended for real whatever CPUs threads may be
 * placed on. The invariant checker runs after (the caller asks). */
#include "debug/storm.h"

#ifdef MICA_DEBUG

#include <mica/kdebug.h>

#include "arch/vm.h"
#include "klib/config.h"
#include "memory/cap.h"
#include "memory/kmem.h"
#include "memory/mapdb.h"
#include "objects/factory.h"
#include "objects/kobj.h"
#include "objects/task.h"
#include "sched/percpu.h"
#include "sched/remote.h"

#define PAGE 4096ul
#define SHARED 64 /* the selector or page all CPUs contend for, after the CPUs' own */

struct storm {
	const struct storm_args *a;
	unsigned arrived, expected;
	uint64_t ops, failures, contended;
	unsigned cpus;
};

static void count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/* A copy of the source in this CPU's slot, a copy of that copy, the
 * middle one deleted (its child moves up), a lockless lookup as IPC
 * does, then the rest deleted; and a race for the one shared slot. */
static void caps_once(struct storm *s, unsigned cpu)
{
	const struct storm_args *a = s->a;
	struct task *t = a->task;
	mica_cap_t mine = a->base + cpu, grand = a->base + 2ul * SHARED + cpu, shared = a->base + SHARED;
	struct cap_slot *src, *dst, *g;
	uint64_t fail = 0, won = 0;
	cap_lock();
	src = cap_lookup(t, a->sel);
	if (src && cap_free_slot(t, mine, &dst) == MICA_OK) {
		cap_derive(dst, src, cap_rights(src), src->label);
		if (cap_free_slot(t, grand, &g) == MICA_OK)
			cap_derive(g, dst, cap_rights(dst), dst->label);
		else
			fail++;
		cap_delete(dst);
	} else {
		fail++;
	}
	cap_unlock();
	struct cap_slot *l = cap_lookup(t, grand);
	if (!l || !src || cap_obj(l) != cap_obj(src))
		fail++;
	cap_lock();
	if ((l = cap_lookup(t, grand)))
		cap_delete(l);
	if ((src = cap_lookup(t, a->sel)) && cap_free_slot(t, shared, &dst) == MICA_OK) {
		cap_derive(dst, src, cap_rights(src), src->label);
		won++;
	}
	cap_unlock();
	cap_lock();
	if ((l = cap_lookup(t, shared)))
		cap_delete(l);
	cap_unlock();
	count(&s->failures, fail);
	count(&s->contended, won);
	count(&s->ops, 6);
}

/* This CPU's page mapped (the general path and the fast path's in
 * turn), the shared page mapped over by everyone, write access taken
 * from the whole tree now and then, this CPU's page unmapped. */
static void map_once(struct storm *s, unsigned cpu, uint64_t i)
{
	const struct storm_args *a = s->a;
	uint64_t mine = a->base + cpu * PAGE, shared = a->base + SHARED * PAGE;
	uint64_t fail = 0;
	if (i & 1) {
		if (!mapdb_map_page(a->task, a->sel, a->dst, mine, VM_READ | VM_WRITE) &&
		    mapdb_map(a->task, a->sel, a->dst, mine, VM_PAGE_LOG2, VM_READ | VM_WRITE, false) !=
			    MICA_OK)
			fail++;
	} else if (mapdb_map(a->task, a->sel, a->dst, mine, VM_PAGE_LOG2, VM_READ | VM_WRITE, false) !=
		   MICA_OK) {
		fail++;
	}
	if (mapdb_map(a->task, a->sel, a->dst, shared, VM_PAGE_LOG2, VM_READ, false) != MICA_OK)
		fail++;
	if (i % 16 == 15)
		mapdb_unmap(a->task, a->sel, VM_PAGE_LOG2, VM_WRITE, false);
	mapdb_unmap(a->dst, mine, VM_PAGE_LOG2, VM_READ | VM_WRITE | VM_EXEC, true);
	count(&s->failures, fail);
	count(&s->contended, 1);
	count(&s->ops, 3 + (i % 16 == 15));
}

static void quota_once(struct storm *s, uint64_t i)
{
	uint64_t pa[4];
	unsigned n = 1 + i % 4, got = 0;
	while (got < n && quota_alloc_frame(s->a->factory, &pa[got]))
		got++;
	for (unsigned k = 0; k < got; k++)
		quota_free_frame(s->a->factory, pa[k]);
	count(&s->ops, 2ul * got);
}

static void frames_once(struct storm *s, uint64_t i)
{
	uint64_t pa[4];
	unsigned n = 1 + i % 4, got = 0;
	while (got < n && kmem_alloc_contig(1 + (i + got) % 2, &pa[got]))
		got++;
	for (unsigned k = 0; k < got; k++) {
		kmem_free_frame(pa[k]);
		if ((i + k) % 2)
			kmem_free_frame(pa[k] + PAGE);
	}
	count(&s->failures, got < n);
	count(&s->ops, 2ul * got);
}

static void storm_here(struct remote_request *r)
{
	struct storm *s = r->arg;
	struct percpu *cpu = this_cpu();
	/* Run from a wait inside a kernel operation, this CPU may hold a
	 * lock the storm takes: it sits this one out. */
	bool joins = r->out || cpu->remote.interrupted || kobj_cpu_waits(cpu->id);
	__atomic_fetch_add(&s->arrived, 1, __ATOMIC_ACQ_REL);
	if (!joins)
		return;
	__atomic_fetch_add(&s->cpus, 1, __ATOMIC_RELAXED);
	/* Everyone starts together, or there is little to contend for. */
	while (__atomic_load_n(&s->arrived, __ATOMIC_ACQUIRE) < s->expected) {
		remote_serve();
		__builtin_ia32_pause();
	}
	for (uint64_t i = 0; i < s->a->iterations; i++) {
		switch (s->a->kind) {
		case MICA_KDEBUG_STORM_CAPS:
			caps_once(s, cpu->id);
			break;
		case MICA_KDEBUG_STORM_MAP:
			map_once(s, cpu->id, i);
			break;
		case MICA_KDEBUG_STORM_QUOTA:
			quota_once(s, i);
			break;
		default:
			frames_once(s, i);
			break;
		}
	}
}

static uint64_t gauge(const struct storm_args *a)
{
	switch (a->kind) {
	case MICA_KDEBUG_STORM_CAPS: {
		struct cap_slot *src = cap_lookup(a->task, a->sel);
		return src ? __atomic_load_n(&cap_obj(src)->ncaps, __ATOMIC_RELAXED) : 0;
	}
	case MICA_KDEBUG_STORM_QUOTA:
		return a->factory->used;
	case MICA_KDEBUG_STORM_FRAMES:
		return kmem_free_bytes();
	default:
		return 0;
	}
}

void storm_run(const struct storm_args *a, struct storm_result *res)
{
	static struct remote_request req[MAX_CPUS];
	static struct spinlock one; /* one storm at a time: req is shared */
	struct storm s = { .a = a };
	spin_lock_serving(&one);
	unsigned self = this_cpu()->id, n = cpus_online;
	s.expected = n;
	res->before = gauge(a);
	for (unsigned c = 0; c < n; c++)
		if (c != self) {
			req[c] = (struct remote_request){ .fn = storm_here, .arg = &s };
			remote_post(percpu_by_id[c], &req[c]);
		}
	/* This CPU joins directly (out = 1 marks it: it holds nothing). */
	struct remote_request mine = { .fn = storm_here, .arg = &s, .out = 1 };
	storm_here(&mine);
	for (unsigned c = 0; c < n; c++)
		if (c != self)
			remote_wait(&req[c]);
	if (a->kind == MICA_KDEBUG_STORM_MAP)
		mapdb_unmap(a->dst, a->base + SHARED * PAGE, VM_PAGE_LOG2, VM_READ | VM_WRITE | VM_EXEC,
			    true);
	res->after = gauge(a);
	spin_unlock(&one);
	res->cpus = s.cpus;
	res->ops = s.ops;
	res->failures = s.failures;
	res->contended = s.contended;
}

#endif
