/* The kernel invariant checker of debug builds: walks every object and
 * checks that the kernel's structures agree with each other.
 *
 *   - Capabilities: each slot names a live object and sits in that
 *     object's slot list; a derived capability names its parent's object
 *     with no more rights than it. An object with no capability and no
 *     pin is on a CPU's destruction queue or batch.
 *   - Memory: each present user leaf has its mapping node (the UTCB area
 *     none), which records the same page, frame and at least the entry's
 *     rights; a derived node lies inside its parent's frame, with no more
 *     rights, and its parent belongs to a live task; every node in use is
 *     reached from a leaf or the I/O list.
 *   - I/O: each port node is open in its task's bitmap and each open port
 *     has a node.
 *   - Threads: ready queues and the ready bitmaps agree with the threads'
 *     states; blocked threads sit in the queue they say they wait in;
 *     reply rights pair up; timeouts are in their CPU's sorted list.
 *   - Memory accounting: every frame charged to a factory (the frame
 *     ledger, kmem.c) is used by exactly one structure of an object
 *     charged to that factory, nothing uses an uncharged or foreign
 *     frame, and each factory's count of used bytes is what its frames
 *     and its sub-factories' quotas add up to.
 *
 *   - CPUs: each online CPU's data is its own; a thread is on at most one
 *     CPU's queue and runs on at most one, an online one; every remote
 *     request posted to a CPU was run or is in its queue (posted =
 *     handled + queued).
 *   - Locks: the capability lock, the mapping database's, the frame
 *     allocator's, every factory's, every gate's, every remote queue's,
 *     every CPU's but the checker's own and the object list's are free.
 *
 * A violation panics with what broke. The checker runs with the kernel
 * otherwise idle (a system call, kdebug.c): every other online CPU is
 * parked at a quiescent point first (in user mode or idle when it took
 * the request, so it holds no lock and is in the middle of nothing), so
 * it may take its time. */
#include "debug/invariants.h"

#ifdef MICA_DEBUG

#include "arch/context.h"
#include "memory/cap.h"
#include "klib/config.h"
#include "objects/factory.h"
#include "memory/frame.h"
#include "objects/gate.h"
#include "objects/irq.h"
#include "ipc/reply_cap.h"
#include "memory/kmem.h"
#include "memory/mapdb.h"
#include "klib/panic.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/remote.h"
#include "sched/sched.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "debug/park.h"
#include "objects/vcpu.h"

#define IO_PORTS 65536u
#define MAX_FACTORIES 1024

static unsigned long checks;

#define INV(cond, ...)                                                                                       \
	do {                                                                                                 \
		checks++;                                                                                    \
		if (__builtin_expect(!(cond), 0))                                                            \
			panic("invariant violated: " __VA_ARGS__);                                           \
	} while (0)

static bool is_live(const struct kobj *o, enum mica_obj_type type)
{
	for (const struct kobj *k = kobj_all; k; k = k->all_next)
		if (k == o)
			return type == MICA_OBJ_NONE || k->type == type;
	return false;
}

/* ---- memory accounting ------------------------------------------------- */

/* Frames counted per factory, as the structures use them. */
static struct {
	const struct factory *f;
	uint64_t frames;
} used_by[MAX_FACTORIES];
static unsigned nfactories;

static uint64_t *counter_of(const struct factory *f)
{
	for (unsigned i = 0; i < nfactories; i++)
		if (used_by[i].f == f)
			return &used_by[i].frames;
	INV(nfactories < MAX_FACTORIES, "more than %u factories to check", MAX_FACTORIES);
	used_by[nfactories].f = f;
	used_by[nfactories].frames = 0;
	return &used_by[nfactories++].frames;
}

/* A structure uses the frame at pa, which must be charged to f. */
static void uses_frame(uint64_t pa, const struct factory *f, const char *what)
{
	INV(kmem_owner(pa) == f, "%s frame 0x%lx is charged to factory %p, not to %p", what, pa,
	    (void *)kmem_owner(pa), (void *)f);
	INV(kmem_mark_seen(pa), "frame 0x%lx is used twice (the second time as %s)", pa, what);
	++*counter_of(f);
}

static void check_accounting(void)
{
	/* Charged frames nothing uses are leaks. */
	uint64_t pa = 0;
	struct factory *owner;
	for (; kmem_next_charged(&pa, &owner); pa += FRAME_SIZE) {
		INV(kmem_was_seen(pa), "frame 0x%lx is charged to factory %p but used by nothing", pa,
		    (void *)owner);
		INV(is_live(&owner->hdr, MICA_OBJ_FACTORY), "frame 0x%lx is charged to a dead factory %p", pa,
		    (void *)owner);
	}
	for (struct kobj *o = kobj_all; o; o = o->all_next) {
		if (o->type != MICA_OBJ_FACTORY)
			continue;
		const struct factory *f = (const struct factory *)o;
		uint64_t expect = *counter_of(f) * FRAME_SIZE;
		for (struct kobj *c = kobj_all; c; c = c->all_next)
			if (c->type == MICA_OBJ_FACTORY && c->quota == f)
				expect += ((const struct factory *)c)->limit;
		INV(!f->lock.locked, "factory %p's lock is held at a quiescent point", (void *)f);
		INV(f->used <= f->limit, "factory %p uses %lu of %lu bytes", (void *)f, f->used, f->limit);
		INV(f->used == expect, "factory %p counts %lu bytes used, its frames and sub-quotas make %lu",
		    (void *)f, f->used, expect);
	}
}

/* ---- capabilities --------------------------------------------------------- */

static bool in_slot_list(const struct kobj *o, const struct cap_slot *s)
{
	for (const struct cap_slot *c = o->caps; c; c = c->next)
		if (c == s)
			return true;
	return false;
}

static unsigned long slots_found;

static void check_slot(const struct task *t, mica_cap_t sel, const struct cap_slot *s)
{
	struct kobj *o = cap_obj(s);
	slots_found++;
	INV(is_live(o, MICA_OBJ_NONE), "task %u selector 0x%lx names a dead object %p", t->id, sel,
	    (void *)o);
	INV(in_slot_list(o, s), "task %u selector 0x%lx is missing from its object's slot list", t->id, sel);
	const struct cap_slot *p = cap_of(s->tree.parent);
	if (p) {
		INV(p->obj_rights && cap_obj(p) == o,
		    "task %u selector 0x%lx derives from a slot of another object", t->id, sel);
		INV((cap_rights(s) & ~cap_rights(p)) == 0,
		    "task %u selector 0x%lx has rights 0x%x beyond its parent's 0x%x", t->id, sel,
		    cap_rights(s), cap_rights(p));
	}
	for (const struct dtree *c = s->tree.child; c; c = c->next)
		INV(c->parent == &s->tree && (!c->next || c->next->prev == c),
		    "task %u selector 0x%lx: its derivation list is broken", t->id, sel);
}

static void check_capspace(const struct task *t)
{
	const struct factory *f = t->hdr.quota;
	uses_frame(virt_to_phys(t->caps.top), f, "capability table");
	for (unsigned i = 0; i < (1u << CAPSPACE_TOP_BITS); i++) {
		const struct capspace_mid *mid = t->caps.top->mid[i];
		if (!mid)
			continue;
		uses_frame(virt_to_phys(mid), f, "capability table");
		for (unsigned j = 0; j < (1u << CAPSPACE_MID_BITS); j++)
			if (mid->leaf[j])
				uses_frame(virt_to_phys(mid->leaf[j]), f, "capability table");
	}
	mica_cap_t sel = 0;
	const struct cap_slot *s;
	while ((s = capspace_next(&t->caps, &sel, MICA_CAP_SELECTORS))) {
		check_slot(t, sel, s);
		sel++;
	}
}

static void check_objects_slots(void)
{
	unsigned long total = 0;
	for (struct kobj *o = kobj_all; o; o = o->all_next) {
		uint32_t n = 0;
		for (const struct cap_slot *c = o->caps; c; c = c->next, n++) {
			INV(c->obj_rights && cap_obj(c) == o, "a slot in object %p's list names %p",
			    (void *)o, (void *)cap_obj(c));
			INV(!c->next || c->next->prev == c, "object %p's slot list is broken", (void *)o);
		}
		INV(n == o->ncaps, "object %p (type %u) counts %u capabilities, its list has %u", (void *)o,
		    o->type, o->ncaps, n);
		/* Another CPU, parked in a grace period or a wait for a lock,
		 * may not have destroyed what it queued yet. */
		INV(o->permanent || o->ncaps || o->pins || o->queued,
		    "object %p (type %u) is unused but alive", (void *)o, o->type);
		INV(!o->queued || kobj_on_reap_list(o),
		    "object %p is marked queued for destruction but on no CPU's list", (void *)o);
		total += n;
	}
	INV(total == slots_found, "objects list %lu capabilities, the capability spaces hold %lu", total,
	    slots_found);
}

/* ---- memory ------------------------------------------------------------ */

struct space_walk {
	const struct task *t;
	unsigned nodes; /* leaves with a node */
};

static void walk_table(void *ctx, uint64_t pa, unsigned frames)
{
	const struct space_walk *w = ctx;
	for (unsigned i = 0; i < frames; i++)
		uses_frame(pa + i * FRAME_SIZE, vm_quota_factory(w->t->vm.quota), "page table");
}

static void check_node_links(const struct mapnode *n, const char *what)
{
	const struct dtree *d = &n->tree;
	INV(d->prev ? d->prev->next == d : !d->parent || d->parent->child == d,
	    "%s node of task %u at 0x%lx: sibling links broken", what, n->space->id, n->va);
	INV(!d->next || d->next->prev == d, "%s node of task %u at 0x%lx: sibling links broken", what,
	    n->space->id, n->va);
	for (const struct dtree *c = d->child; c; c = c->next)
		INV(c->parent == d, "%s node of task %u at 0x%lx: a child names another parent", what,
		    n->space->id, n->va);
}

static void walk_leaf(void *ctx, uint64_t va, uint64_t pa, unsigned prot, unsigned log2, struct mapnode *n)
{
	struct space_walk *w = ctx;
	const struct task *t = w->t;
	if (task_in_utcb_area(t, va, 1ul << log2)) {
		INV(!n, "task %u: the UTCB page at 0x%lx has a mapping node", t->id, va);
		uses_frame(pa, t->hdr.quota, "UTCB");
		return;
	}
	INV(n, "task %u: the page at 0x%lx (frame 0x%lx) has no mapping node", t->id, va, pa);
	w->nodes++;
	INV(n->space == t && n->va == va && n->log2 == log2 && n->pa == pa,
	    "task %u: the node of 0x%lx records task %u, 0x%lx, 2^%u bytes, frame 0x%lx; the entry 0x%lx",
	    t->id, va, n->space ? n->space->id : 0, n->va, n->log2, n->pa, pa);
	INV((prot & ~n->rights) == 0, "task %u: the entry at 0x%lx has rights 0x%x beyond its node's 0x%x",
	    t->id, va, prot, n->rights);
	check_node_links(n, "memory");
	const struct mapnode *p = mapnode_of(n->tree.parent);
	if (!p) {
		/* A root: sigma0's memory, the kernel's boot mappings. Kernel
		 * frames among them (sigma0's image) count for their factory. */
		struct factory *owner = kmem_owner_or_0(pa);
		if (owner)
			uses_frame(pa, owner, "boot image");
		return;
	}
	INV(is_live(&p->space->hdr, MICA_OBJ_TASK), "task %u: 0x%lx derives from a node of a dead task",
	    t->id, va);
	INV((n->rights & ~p->rights) == 0, "task %u: 0x%lx has rights 0x%x beyond its parent's 0x%x", t->id,
	    va, n->rights, p->rights);
	INV(pa >= p->pa && pa - p->pa + (1ul << log2) <= (1ul << p->log2),
	    "task %u: 0x%lx (frame 0x%lx, 2^%u) lies outside its parent's frame 0x%lx, 2^%u", t->id, va, pa,
	    log2, p->pa, p->log2);
}

static void node_page(void *ctx, uint64_t pa)
{
	const struct task *t = ctx;
	uses_frame(pa, t->hdr.quota, "mapping-node");
}

static void check_memory(const struct task *t)
{
	/* A CPU that has the space loaded is one a shootdown reaches. */
	for (unsigned c = 0; c < cpus_online; c++)
		INV(!vm_space_loaded(&t->vm, percpu_by_id[c]) || (t->vm.cpus & (1ul << c)),
		    "task %u's address space is loaded on CPU %u, which its shootdowns miss", t->id, c);
	struct space_walk w = { t, 0 };
	struct vm_visitor v = { walk_table, walk_leaf, &w };
	INV(t->vm.quota == factory_vm_quota(t->hdr.quota),
	    "task %u's page tables are charged to another factory", t->id);
	vm_visit(&t->vm, &v);
	unsigned io = 0;
	for (const struct mapnode *n = t->io_nodes; n; n = n->io_next, io++) {
		INV(n->space == t && n->va < IO_PORTS, "task %u: I/O node of port 0x%lx is not its own",
		    t->id, n->va);
		check_node_links(n, "I/O");
		const struct mapnode *p = mapnode_of(n->tree.parent);
		INV(!p || (p->va == n->va && is_live(&p->space->hdr, MICA_OBJ_TASK)),
		    "task %u: port 0x%lx derives from another port or a dead task", t->id, n->va);
		INV(t->vm.io_bitmap && !(t->vm.io_bitmap[n->va >> 3] & (1u << (n->va & 7))),
		    "task %u holds port 0x%lx but its I/O bitmap denies it", t->id, n->va);
	}
	if (t->vm.io_bitmap) {
		uses_frame(virt_to_phys(t->vm.io_bitmap), t->hdr.quota, "I/O bitmap");
		uses_frame(virt_to_phys(t->vm.io_bitmap) + FRAME_SIZE, t->hdr.quota, "I/O bitmap");
		unsigned open = 0;
		for (unsigned port = 0; port < IO_PORTS; port++)
			open += !(t->vm.io_bitmap[port >> 3] & (1u << (port & 7)));
		INV(open == io, "task %u's I/O bitmap opens %u ports, it holds %u", t->id, open, io);
	}
	unsigned in_use = mapdb_nodes_in_use(t, node_page, (void *)t);
	INV(in_use == w.nodes + io, "task %u has %u mapping nodes in use, %u pages and %u ports reach them",
	    t->id, in_use, w.nodes, io);
}

/* ---- threads, gates, IRQs, the scheduler ---------------------------------- */

static bool in_queue(const struct thread *head, const struct thread *t)
{
	for (; head; head = head->q_next)
		if (head == t)
			return true;
	return false;
}

static bool in_timeouts(const struct sched_cpu *s, const struct thread *t)
{
	for (const struct thread *x = s->timeouts; x; x = x->to_next)
		if (x == t)
			return true;
	return false;
}

static void check_thread(const struct thread *t)
{
	INV(t->cpu < cpus_placeable, "thread %u on CPU %u, but threads may be placed on %u of %u online",
	    t->id, t->cpu, cpus_placeable, cpus_online);
	INV(arch_regs_consistent(&t->regs), "thread %u's saved registers are not a user frame", t->id);
	if (t->cpu >= cpus_online || !percpu_by_id[t->cpu])
		return;
	struct percpu *cpu = percpu_by_id[t->cpu];
	/* A queue may still hold a thread halted meanwhile (sched.h). */
	if (t->on_rq)
		INV(t->state == THREAD_READY && t->task, "thread %u is queued to run in state %d", t->id,
		    t->state);
	else if (t->state == THREAD_READY && !t->halted && t->task)
		INV(cpu->current == t, "thread %u is ready but neither queued nor running", t->id);
	/* The queues' fast joins leave a joining thread's links as they are
	 * (sched.h, sched_link). */
	if (!t->on_rq)
		INV(!t->rq_next && !t->rq_prev, "thread %u is not queued but has queue links", t->id);
	if (t->task) {
		INV(is_live(&t->task->hdr, MICA_OBJ_TASK), "thread %u is bound to a dead task", t->id);
		bool found = false;
		for (const struct thread *x = t->task->threads; x; x = x->task_next)
			found |= x == t;
		INV(found, "thread %u is missing from its task's thread list", t->id);
		INV(t->utcb, "bound thread %u has no UTCB", t->id);
	}
	/* Nothing runs unscheduled: only a placed thread ever got started. */
	INV(t->scheduled || (t->state != THREAD_READY && t->state != THREAD_BLOCKED),
	    "thread %u in state %d was never placed by a scheduler", t->id, t->state);
	switch (t->state) {
	case THREAD_BLOCKED:
		INV(t->wait != WAIT_NONE, "blocked thread %u waits for nothing", t->id);
		break;
	case THREAD_DEAD:
	case THREAD_INACTIVE:
		INV(!t->on_rq && t->wait == WAIT_NONE, "thread %u in state %d is queued or waiting", t->id,
		    t->state);
		break;
	default:
		break;
	}
	if (t->state == THREAD_BLOCKED && (t->wait == WAIT_SEND || t->wait == WAIT_RECV_GATE)) {
		const struct gate *g = t->wait_gate;
		INV(g && is_live(&g->hdr, MICA_OBJ_GATE), "thread %u waits on a dead gate", t->id);
		INV(in_queue(t->wait == WAIT_SEND ? g->send_head : g->recv_head, t),
		    "thread %u is missing from the queue of the gate it waits on", t->id);
	}
	if (t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_IRQ)
		INV(t->wait_irq && t->wait_irq->target == t, "thread %u waits on an IRQ not attached to it",
		    t->id);
	if (t->state == THREAD_BLOCKED && t->wait == WAIT_REPLY)
		INV((t->reply_partner && t->reply_partner->reply_to == t && !t->reply_cap) ||
			    (!t->reply_partner && t->reply_cap && t->reply_cap->caller == t),
		    "thread %u waits for a reply nobody owes it", t->id);
	if (t->reply_to)
		INV(t->reply_to->state == THREAD_BLOCKED && t->reply_to->wait == WAIT_REPLY &&
			    t->reply_to->reply_partner == t,
		    "thread %u owes a reply to thread %u, which does not wait for it", t->id,
		    t->reply_to->id);
	if (t->deadline)
		INV(in_timeouts(&cpu->sched, t), "thread %u has a deadline but is not in its CPU's timeouts",
		    t->id);
	for (const struct gate *g = t->bound_gates; g; g = g->bound_next)
		INV(g->bound == t, "a gate in thread %u's bound list is bound elsewhere", t->id);
	for (const struct irq *q = t->irqs; q; q = q->att_next)
		INV(q->target == t, "an IRQ in thread %u's list is attached elsewhere", t->id);
}

static void check_gate(const struct gate *g)
{
	INV(!g->lock_owner, "gate %p's lock is held at a quiescent point", (const void *)g);
	const struct thread *prev = 0;
	for (const struct thread *t = g->send_head; t; prev = t, t = t->q_next)
		INV(t->q_prev == prev && t->state == THREAD_BLOCKED && t->wait == WAIT_SEND &&
			    t->wait_gate == g,
		    "gate %p's sender queue holds thread %u, which is not sending to it", (void *)g, t->id);
	INV(g->send_tail == prev, "gate %p's sender queue tail is wrong", (void *)g);
	prev = 0;
	for (const struct thread *t = g->recv_head; t; prev = t, t = t->q_next)
		INV(t->q_prev == prev && t->state == THREAD_BLOCKED && t->wait == WAIT_RECV_GATE &&
			    t->wait_gate == g,
		    "gate %p's receiver queue holds thread %u, which is not waiting on it", (void *)g, t->id);
	INV(g->recv_tail == prev, "gate %p's receiver queue tail is wrong", (void *)g);
	if (g->bound) {
		INV(is_live(&g->bound->hdr, MICA_OBJ_THREAD) &&
			    (g->bound->task || g->bound->state != THREAD_DEAD),
		    "gate %p is bound to a killed thread", (void *)g);
		bool found = false;
		for (const struct gate *x = g->bound->bound_gates; x; x = x->bound_next)
			found |= x == g;
		INV(found, "gate %p is missing from its thread's bound list", (void *)g);
	}
}

static void check_irq(const struct irq *q)
{
	const struct thread *t = q->target;
	if (!t)
		return; /* a firing may wait for an attachment */
	/* A thread stopped by an exception keeps its IRQs (it may be
	 * restarted); a killed one (unbound) has none. */
	INV(is_live(&t->hdr, MICA_OBJ_THREAD) && (t->task || t->state != THREAD_DEAD),
	    "IRQ %p is attached to a killed thread", (void *)q);
	bool listed = false;
	for (const struct irq *x = t->irq_head; x; x = x->pend_next)
		listed |= x == q;
	INV(listed == q->pending, "IRQ %p is %spending but %sin thread %u's pending list", (void *)q,
	    q->pending ? "" : "not ", listed ? "" : "not ", t->id);
}

static void check_scheduler(const struct percpu *cpu, unsigned long queued_threads)
{
	const struct sched_cpu *s = &cpu->sched;
	unsigned long queued = 0;
	for (unsigned p = 0; p < SCHED_PRIOS; p++) {
		const struct thread *prev = 0;
		for (const struct thread *t = s->head[p]; t; prev = t, t = t->rq_next, queued++)
			INV(t->on_rq && t->rq_prev == prev && t->prio == p && t->cpu == cpu->id,
			    "CPU %u's queue %u holds thread %u (priority %u, CPU %u, queued %d)", cpu->id, p,
			    t->id, t->prio, t->cpu, t->on_rq);
		INV(s->tail[p] == prev, "CPU %u's queue %u has a wrong tail", cpu->id, p);
		INV(!!(s->ready_map[p / 64] & (1ul << (p % 64))) == !!s->head[p],
		    "CPU %u's ready bitmap disagrees with queue %u", cpu->id, p);
	}
	for (unsigned i = 0; i < SCHED_PRIOS / 64; i++)
		INV(!!(s->ready_words & (1u << i)) == !!s->ready_map[i],
		    "CPU %u's ready summary disagrees at word %u", cpu->id, i);
	INV(queued == queued_threads, "CPU %u's queues hold %lu threads, %lu say they are queued there",
	    cpu->id, queued, queued_threads);
	uint64_t last = 0;
	for (const struct thread *t = s->timeouts; t; t = t->to_next) {
		INV(t->deadline && t->deadline >= last && (!t->to_next || t->to_next->to_prev == t),
		    "CPU %u's timeout list is not sorted or linked at thread %u", cpu->id, t->id);
		last = t->deadline;
	}
}

/* Each online CPU: its per-CPU data found under its id, online, with its
 * kernel stack (the idle loop's: an idle CPU runs no thread object). A
 * CPU threads may not be placed on yet (cpus_placeable) must be idle
 * with nothing queued and no timeout. No data for ids beyond. */
static void check_cpus(void)
{
	INV(cpus_placeable >= 1 && cpus_placeable <= cpus_online && cpus_online <= cpu_count &&
		    cpus_online <= MAX_CPUS,
	    "CPU counts: %u placeable, %u online, %u found", cpus_placeable, cpus_online, cpu_count);
	for (unsigned c = 0; c < MAX_CPUS; c++) {
		const struct percpu *cpu = percpu_by_id[c];
		if (c >= cpus_online) {
			INV(!cpu, "CPU %u has per-CPU data but is not online", c);
			continue;
		}
		INV(cpu && cpu->self == cpu && cpu->id == c && cpu->online,
		    "online CPU %u has no valid per-CPU data", c);
		if (!cpu)
			continue;
		INV(cpu->kstack_top == (uint64_t)(cpu->arch.kstack + ARCH_KSTACK_SIZE),
		    "CPU %u's kernel stack is not its own", c);
		const struct remote_queue *q = &percpu_by_id[c]->remote;
		/* The others are parked: every request posted to a CPU was
		 * run there (a parked CPU runs its parking one) or waits in
		 * its queue. A CPU parked while it waits for a request of its
		 * own (a grace period) may have queued it behind a parking
		 * request, or on the checker's CPU; it runs once the CPU
		 * goes on (the IPI is pending). */
		INV(!q->lock.locked, "CPU %u's remote queue lock is held at a quiescent point", c);
		uint64_t waiting = 0;
		for (const struct remote_request *r = q->head; r && waiting <= q->posted; r = r->next)
			waiting++;
		INV(q->posted == q->handled + waiting,
		    "CPU %u was posted %lu remote requests, ran %lu and has %lu queued", c, q->posted,
		    q->handled, waiting);
		/* The checker's CPU holds its own lock (a system call), and no
		 * other; a parked CPU holds none. */
		if (cpu == this_cpu())
			INV(!cpu->locks_held &&
				    (cpus_online < 2 || !sched_started || cpu->lock_owner == c + 1),
			    "the checking CPU %u holds other CPUs' locks (%lx) or not its own (owner %u)", c,
			    cpu->locks_held, cpu->lock_owner);
		else
			INV(!cpu->lock_owner && !cpu->locks_held,
			    "CPU %u's lock is held (by %u) at a quiescent point", c, cpu->lock_owner);
		const struct thread *cur = cpu->current;
		if (cur) {
			INV(cur->cpu == c, "CPU %u runs thread %u, which says it is on CPU %u", c, cur->id,
			    cur->cpu);
			for (unsigned d = 0; d < c; d++)
				INV(percpu_by_id[d]->current != cur, "thread %u runs on CPUs %u and %u",
				    cur->id, d, c);
		}
		if (c >= cpus_placeable)
			INV(!cpu->current && !cpu->sched.ready_words && !cpu->sched.timeouts &&
				    !cpu->sched.ran,
			    "CPU %u, which threads may not be placed on, is not idle", c);
	}
}

static void check_locks(void)
{
	INV(cap_unlocked(), "the capability lock is held at a quiescent point");
	INV(mapdb_unlocked(), "the mapping database's lock is held at a quiescent point");
	INV(kmem_unlocked(), "the frame allocator's lock is held at a quiescent point");
	INV(kobj_all_unlocked(), "the object list's lock is held at a quiescent point");
}

static void check_all(struct invariants_report *r);

void invariants_check(struct invariants_report *r)
{
	park_others();
	check_all(r);
	unpark_others(0);
}

static void check_all(struct invariants_report *r)
{
	checks = 0;
	slots_found = 0;
	nfactories = 0;
	kmem_seen_clear();
	unsigned long objects = 0, queued[MAX_CPUS] = { 0 };
	for (struct kobj *o = kobj_all; o; o = o->all_next) {
		objects++;
		INV(o->type > MICA_OBJ_NONE && o->type < MICA_OBJ_TYPES, "object %p has type %u", (void *)o,
		    o->type);
		INV(!o->all_next || o->all_next->all_prev == o, "the object list is broken at %p", (void *)o);
		if (!o->permanent) {
			INV(o->quota && is_live(&o->quota->hdr, MICA_OBJ_FACTORY),
			    "object %p (type %u) is charged to a dead factory", (void *)o, o->type);
			uses_frame(o->phys, o->quota, "object");
		}
		switch (o->type) {
		case MICA_OBJ_TASK:
			check_capspace((const struct task *)o);
			check_memory((const struct task *)o);
			break;
		case MICA_OBJ_THREAD: {
			const struct thread *t = (const struct thread *)o;
			check_thread(t);
			if (t->vcpu)
				uses_frame(virt_to_phys(t->vcpu), o->quota, "vCPU");
			if (t->vcpu && t->vcpu->vmcb)
				uses_frame(t->vcpu->vmcb_phys, o->quota, "VMCB");
			if (t->on_rq && t->cpu < MAX_CPUS)
				queued[t->cpu]++;
			break;
		}
		case MICA_OBJ_GATE:
			check_gate((const struct gate *)o);
			break;
		case MICA_OBJ_IRQ:
			check_irq((const struct irq *)o);
			break;
		case MICA_OBJ_REPLY: {
			const struct reply_cap *rc = (const struct reply_cap *)o;
			if (rc->caller)
				INV(rc->caller->state == THREAD_BLOCKED && rc->caller->wait == WAIT_REPLY &&
					    rc->caller->reply_cap == rc,
				    "a reply object holds the right of thread %u, which does not wait for it",
				    rc->caller->id);
			break;
		}
		default:
			break;
		}
	}
	check_objects_slots();
	check_locks();
	check_cpus();
	for (unsigned c = 0; c < cpus_online; c++)
		if (percpu_by_id[c])
			check_scheduler(percpu_by_id[c], queued[c]);
	check_accounting();
	r->objects = objects;
	r->checks = checks;
}

#endif
