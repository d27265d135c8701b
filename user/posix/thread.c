/* Threads: musl's __clone (user/posix/musl/__clone.c calls
 * __mica_clone here), the end of one thread (exit) as opposed to the
 * program's (exit_group, proc.c), gettid and set_tid_address.
 *
 * A POSIX thread is a Mica thread in the program's own task, made with
 * the program's kernel factory, bound to a free UTCB slot of the
 * program's UTCB area (MICA_PROGRAM_UTCB_LOG2: slot 0 is the main
 * thread's), paged by the region map, and placed through the program's
 * scheduler at its creator's priority on the next CPU in turn among
 * those the scheduler may use (INFO's CPU count: CPU 0 alone until the
 * kernel places threads elsewhere). Each thread has an IRQ object
 * attached to it, which the futex service (futex.c) fires to wake it.
 *
 * Its thread pointer (the FS base) is set the one way Mica has, an
 * exception reply (docs/abi.md §10): the child starts at a ud2, with
 * a gate of the creator's as its exception handler; the creator takes
 * that exception, makes the parent the child's exception handler, and
 * replies with the FS base, and the entry as the instruction pointer.
 *
 * The end of a thread: it moves to a small stack of its slot's (musl
 * frees the thread's own stack as soon as the clear-tid word changes),
 * clears the word set_tid_address or CLONE_CHILD_CLEARTID named and
 * futex-wakes it (musl's pthread_join and thread-list lock rely on it),
 * marks its slot ended and halts; the next clone deletes its thread
 * object and reuses the slot. The last thread's exit ends the program.
 * getcpu answers the thread's CPU (MICA_THREAD_INFO), sched_getaffinity
 * the CPUs the scheduler may use (so sysconf counts them).
 *
 * Partial (issue 21): no fork (clone without CLONE_VM), no signals to a
 * thread, at most 16 threads less the TLS helper's slot (tls.c). */
#include <errno.h>
#include <mica/env.h>
#include <mica/fpage.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica/utcb.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <sched.h>

#include "posix.h"

#define SLOTS ((1u << MICA_PROGRAM_UTCB_LOG2) / MICA_UTCB_SIZE)
#define EXIT_STACK 4096
#define UD_VECTOR 6
/* The label of each thread's futex IRQ: what its open wait receives. */
#define FUTEX_LABEL 0x66757478ul /* "futx" */

enum slot_state { SLOT_FREE, SLOT_RUN, SLOT_ENDED, SLOT_HELPER };

struct posix_thread {
	enum slot_state state; /* table_lock */
	int tid;
	mica_cap_t thread; /* its capability, and its futex IRQ (kept with the slot) */
	mica_cap_t irq;
	volatile int *clear_tid;
	void *unmap; /* a detached thread's stack, unmapped at its end */
	size_t unmap_size;
	mica_word_t fs; /* its thread pointer (FS base) */
	int (*fn)(void *);
	void *arg;
};

static struct posix_thread threads[SLOTS] = {
	[0] = { .state = SLOT_RUN, .tid = POSIX_MAIN_TID, .thread = MICA_CAP_THREAD },
};
static char exit_stacks[SLOTS][EXIT_STACK] __attribute__((aligned(16)));
static posix_spin_t table_lock;
static int live = 1, next_tid = POSIX_MAIN_TID + 1;
/* Serializes clones: they share the gate the children's first exception
 * comes through. */
static posix_mutex_t clone_lock;
static mica_cap_t first_gate;
static unsigned next_cpu = 1, cpus;

/* The child's first instruction: its exception sets the thread pointer. */
__asm__(".pushsection .text\n"
	".globl posix_thread_first\n"
	".type posix_thread_first,@function\n"
	"posix_thread_first:\n\tud2\n"
	".popsection");
extern char posix_thread_first[];

static unsigned slot_of_self(void)
{
	mica_word_t off = (mica_word_t)mica_utcb() - MICA_BOOT_UTCB_ADDR;
	return off < (1ul << MICA_PROGRAM_UTCB_LOG2) ? (unsigned)(off / MICA_UTCB_SIZE) : 0;
}

mica_cap_t posix_self_cap(void)
{
	return threads[slot_of_self()].thread;
}

mica_cap_t posix_thread_irq(void)
{
	struct posix_thread *t = &threads[slot_of_self()];
	if (!t->irq) { /* the main thread's, on its first sleep */
		mica_cap_t irq = posix_cap_alloc();
		if (mica_create_irq(MICA_CAP_FACTORY, irq) != MICA_OK ||
		    mica_irq_attach(irq, t->thread, FUTEX_LABEL) != MICA_OK) {
			mica_cap_delete(MICA_CAP_TASK, irq);
			posix_cap_free(irq);
			return 0;
		}
		t->irq = irq;
	}
	return t->irq;
}

int posix_thread_slot_reserve(void)
{
	int slot = -1;
	posix_spin_lock(&table_lock);
	for (unsigned i = 1; i < SLOTS && slot < 0; i++)
		if (threads[i].state == SLOT_FREE) {
			threads[i].state = SLOT_HELPER;
			slot = (int)i;
		}
	posix_spin_unlock(&table_lock);
	return slot;
}

mica_word_t posix_thread_utcb(int slot)
{
	return MICA_BOOT_UTCB_ADDR + (mica_word_t)slot * MICA_UTCB_SIZE;
}

mica_word_t posix_thread_fs(mica_word_t set)
{
	struct posix_thread *t = &threads[slot_of_self()];
	if (set)
		t->fs = set;
	return t->fs;
}

/* The CPUs the program's scheduler may place threads on (INFO), once. */
static unsigned placeable(void)
{
	mica_word_t info[5];
	if (!cpus)
		cpus = mica_sched_info(MICA_CAP_SCHEDULER, info) == MICA_OK && info[2] ? (unsigned)info[2]
										       : 1;
	return cpus;
}

long posix_getcpu(long cpu, long node)
{
	mica_word_t info[5];
	if (mica_thread_info(posix_self_cap(), info) != MICA_OK)
		return -EINVAL;
	if (cpu)
		*(unsigned *)cpu = (unsigned)info[2];
	if (node)
		*(unsigned *)node = 0;
	return 0;
}

/* Every thread may run on each CPU the scheduler places on (there is no
 * affinity): sysconf(_SC_NPROCESSORS_ONLN) counts them here. */
long posix_sched_getaffinity(long pid, long size, long mask)
{
	(void)pid;
	unsigned n = placeable();
	if (size < 8 || (size & 7))
		return -EINVAL;
	unsigned char *m = (unsigned char *)mask;
	long used = size < 128 ? size : 128;
	for (long i = 0; i < used; i++)
		m[i] = 0;
	for (unsigned c = 0; c < n && c / 8 < (unsigned long)used; c++)
		m[c / 8] |= (unsigned char)(1u << (c % 8));
	return used;
}

long posix_gettid(void)
{
	return threads[slot_of_self()].tid;
}

long posix_set_tid_address(long addr)
{
	struct posix_thread *t = &threads[slot_of_self()];
	t->clear_tid = (volatile int *)addr;
	return t->tid;
}

/* Ended threads that have halted: their objects go, their slots are
 * free again (clone_lock held). */
static void reap(void)
{
	for (unsigned i = 1; i < SLOTS; i++) {
		struct posix_thread *t = &threads[i];
		mica_word_t info[5];
		if (t->state != SLOT_ENDED || mica_thread_info(t->thread, info) != MICA_OK || !info[4])
			continue;
		mica_cap_delete(MICA_CAP_TASK, t->thread);
		posix_cap_free(t->thread);
		posix_spin_lock(&table_lock);
		t->state = SLOT_FREE;
		posix_spin_unlock(&table_lock);
	}
}

static int new_slot(void)
{
	int slot = -1;
	posix_spin_lock(&table_lock);
	for (unsigned i = 1; i < SLOTS && slot < 0; i++)
		if (threads[i].state == SLOT_FREE) {
			threads[i].state = SLOT_RUN;
			slot = (int)i;
		}
	posix_spin_unlock(&table_lock);
	return slot;
}

static void thread_entry(void) __attribute__((noreturn));
static void thread_entry(void)
{
	struct posix_thread *t = &threads[slot_of_self()];
	posix_thread_exit(t->fn(t->arg));
}

/* The child's first exception (clone_lock held): its thread pointer and
 * entry are set by the reply; its exception handler is its parent's
 * from then on. 0 or -errno. */
static long first_exception(struct posix_thread *t, mica_word_t tls)
{
	mica_word_t label, regs[MICA_EXC_WORDS];
	mica_msgtag_t tag = mica_wait(first_gate, MICA_TIMEOUT_NEVER, &label);
	mica_word_t *mr = mica_mr();
	if (mica_msgtag_is_error(tag) || mica_msgtag_label(tag) != MICA_LABEL_EXCEPTION ||
	    mr[MICA_EXC_VECTOR] != UD_VECTOR || mr[MICA_EXC_IP] != (mica_word_t)posix_thread_first)
		return -EAGAIN;
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		regs[i] = mr[i];
	if (mica_thread_control(t->thread, MICA_THREAD_CTL_EXC, 0, 0, 0, MICA_CAP_PARENT) != MICA_OK)
		return -EAGAIN;
	regs[MICA_EXC_FS_BASE] = tls;
	regs[MICA_EXC_IP] = (mica_word_t)thread_entry;
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		mr[i] = regs[i];
	mica_reply(mica_msgtag(0, MICA_EXC_WORDS, 0, 0));
	return 0;
}

/* The thread of slot t (clone_lock held), started at ud2 on stack sp:
 * 0 or -errno. */
static long make_thread(int slot, mica_word_t sp)
{
	struct posix_thread *t = &threads[slot];
	mica_word_t st[3];
	if (!first_gate) {
		mica_cap_t g = posix_cap_alloc();
		if (mica_create_gate(MICA_CAP_FACTORY, g, 0, 0) != MICA_OK) {
			posix_cap_free(g);
			return -EAGAIN;
		}
		first_gate = g;
	}
	if (!t->irq) {
		mica_cap_t irq = posix_cap_alloc();
		if (mica_create_irq(MICA_CAP_FACTORY, irq) != MICA_OK) {
			posix_cap_free(irq);
			return -EAGAIN;
		}
		t->irq = irq;
	}
	t->thread = posix_cap_alloc();
	if (mica_create_thread(MICA_CAP_FACTORY, t->thread) != MICA_OK) {
		posix_cap_free(t->thread);
		return -EAGAIN;
	}
	unsigned cpu = next_cpu++ % placeable();
	if (mica_thread_control(t->thread, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC,
				MICA_CAP_TASK, posix_thread_utcb(slot), MICA_CAP_RM, first_gate) != MICA_OK ||
	    mica_irq_attach(t->irq, t->thread, FUTEX_LABEL) != MICA_OK ||
	    mica_thread_stats(posix_self_cap(), st) != MICA_OK ||
	    mica_sched_run_thread(MICA_CAP_SCHEDULER, t->thread, (unsigned)st[1], MICA_SCHED_DEFAULT_SLICE_NS,
				  cpu) != MICA_OK ||
	    mica_thread_start(t->thread, (mica_word_t)posix_thread_first, sp, 0) != MICA_OK) {
		mica_cap_delete(MICA_CAP_TASK, t->thread);
		posix_cap_free(t->thread);
		return -EAGAIN;
	}
	return 0;
}

/* NOLINTNEXTLINE(bugprone-reserved-identifier): the C library's name space */
int __mica_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls, int *ctid)
{
	if (!(flags & CLONE_VM) || !(flags & CLONE_THREAD))
		return -ENOSYS; /* a new process: there is no fork */
	if (!fn || !stack)
		return -EINVAL;
	posix_mutex_lock(&clone_lock);
	reap();
	int slot = new_slot();
	if (slot < 0) {
		posix_mutex_unlock(&clone_lock);
		return -EAGAIN;
	}
	struct posix_thread *t = &threads[slot];
	posix_spin_lock(&table_lock);
	t->tid = next_tid++;
	posix_spin_unlock(&table_lock);
	t->fn = fn;
	t->arg = arg;
	t->clear_tid = flags & CLONE_CHILD_CLEARTID ? ctid : 0;
	if (flags & CLONE_PARENT_SETTID)
		*ptid = t->tid;
	if (flags & CLONE_CHILD_SETTID)
		*ctid = t->tid;
	t->fs = flags & CLONE_SETTLS ? (mica_word_t)tls : posix_thread_fs(0);
	mica_word_t sp = ((mica_word_t)stack & ~15ul) - 8; /* as if called */
	long e = make_thread(slot, sp);
	if (e == 0 && (e = first_exception(t, t->fs)) != 0) {
		mica_cap_delete(MICA_CAP_TASK, t->thread);
		posix_cap_free(t->thread);
	}
	posix_spin_lock(&table_lock);
	if (e == 0)
		live++;
	else
		t->state = SLOT_FREE;
	posix_spin_unlock(&table_lock);
	posix_mutex_unlock(&clone_lock);
	return e ? (int)e : t->tid;
}

/* On the slot's exit stack: the thread's own stack may be freed as soon
 * as the clear-tid word changes. */
void posix_thread_final(struct posix_thread *t) __attribute__((noreturn, used));
void posix_thread_final(struct posix_thread *t)
{
	if (t->unmap)
		posix_munmap((long)t->unmap, (long)t->unmap_size);
	if (t->clear_tid) {
		__atomic_store_n(t->clear_tid, 0, __ATOMIC_RELEASE);
		posix_futex_wake(t->clear_tid, 1);
	}
	posix_spin_lock(&table_lock);
	t->state = SLOT_ENDED;
	posix_spin_unlock(&table_lock);
	for (;;)
		mica_thread_halt_other(t->thread);
}

static void end_thread(long status, void *unmap, size_t unmap_size) __attribute__((noreturn));
static void end_thread(long status, void *unmap, size_t unmap_size)
{
	unsigned slot = slot_of_self();
	posix_spin_lock(&table_lock);
	int last = live == 1;
	if (!last)
		live--;
	posix_spin_unlock(&table_lock);
	if (last)
		posix_exit(status);
	threads[slot].unmap = unmap;
	threads[slot].unmap_size = unmap_size;
	char *top = exit_stacks[slot] + EXIT_STACK;
	__asm__ volatile("mov %0, %%rsp\n\tcall posix_thread_final" ::"r"(top), "D"(&threads[slot])
			 : "memory");
	__builtin_unreachable();
}

void posix_thread_exit(long status)
{
	end_thread(status, 0, 0);
}

/* NOLINTNEXTLINE(bugprone-reserved-identifier): the C library's name space */
void __mica_unmapself(void *base, size_t size)
{
	end_thread(0, base, size);
}
