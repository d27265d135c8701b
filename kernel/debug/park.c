/* Parking the other CPUs for the invariant checker and the kernel
 * debugger: each is held in a remote request's interrupt until the
 * parker lets it go (park.h). */
#include "debug/park.h"

#ifdef MICA_DEBUG

#include "klib/config.h"
#include "klib/spinlock.h"
#include "objects/kobj.h"
#include "sched/percpu.h"
#include "sched/remote.h"

enum park_state { PARK_ASKED, PARK_HELD, PARK_DECLINED };

struct park {
	struct remote_request r;
	enum park_state state;
	uint64_t fp; /* PARK_HELD: its frame, for a backtrace */
};

static struct park parks[MAX_CPUS]; /* one parker at a time: the lock below */
static struct spinlock parker;
static unsigned parker_cpu, parked_n;
static bool parked_release;
static void (*release_hook)(void);
static bool waits_to_park[MAX_CPUS]; /* spinning for the parker lock: holds nothing */

static void park_here(struct remote_request *r)
{
	struct park *p = r->arg;
	/* Run from a wait in the middle of a kernel operation, this CPU may
	 * hold locks: it declines, and is asked again once it is through. */
	struct percpu *cpu = this_cpu();
	if (!cpu->remote.interrupted && !kobj_cpu_waits(cpu->id) && !cpu->holds_none &&
	    !__atomic_load_n(&waits_to_park[cpu->id], __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&p->state, PARK_DECLINED, __ATOMIC_RELEASE);
		return;
	}
	p->fp = (uint64_t)__builtin_frame_address(0);
	__atomic_store_n(&p->state, PARK_HELD, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&parked_release, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	p->fp = 0;
	void (*hook)(void) = __atomic_load_n(&release_hook, __ATOMIC_ACQUIRE);
	if (hook)
		hook();
}

/* One attempt: true if all are held, false if one declined (all are
 * let go again then). */
static bool try_park(unsigned self, unsigned n)
{
	__atomic_store_n(&release_hook, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&parked_release, false, __ATOMIC_RELEASE);
	bool all = true;
	for (unsigned c = 0; c < n; c++) {
		if (c == self)
			continue;
		struct park *p = &parks[c];
		p->state = PARK_ASKED;
		p->r = (struct remote_request){ .fn = park_here, .arg = p };
		remote_post(percpu_by_id[c], &p->r);
		enum park_state st;
		while ((st = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE)) == PARK_ASKED) {
			remote_serve();		/* it may be waiting for this CPU */
			__builtin_ia32_pause(); /* and QEMU's TCG switches CPUs here */
		}
		all &= st == PARK_HELD;
		if (!all) {
			n = c + 1;
			break;
		}
	}
	if (!all) {
		__atomic_store_n(&parked_release, true, __ATOMIC_RELEASE);
		for (unsigned c = 0; c < n; c++)
			if (c != self)
				remote_wait(&parks[c].r);
	}
	return all;
}

void park_others(void)
{
	/* The second of two parkers waits, serving requests: the first
	 * parks it there (it holds nothing). */
	unsigned self = this_cpu()->id, n = cpus_online;
	__atomic_store_n(&waits_to_park[self], true, __ATOMIC_RELEASE);
	spin_lock_serving(&parker);
	__atomic_store_n(&waits_to_park[self], false, __ATOMIC_RELEASE);
	while (!try_park(self, n)) {
		remote_serve();
		__builtin_ia32_pause();
	}
	parker_cpu = self;
	parked_n = n;
}

void unpark_others(void (*on_release)(void))
{
	__atomic_store_n(&release_hook, on_release, __ATOMIC_RELEASE);
	__atomic_store_n(&parked_release, true, __ATOMIC_RELEASE);
	for (unsigned c = 0; c < parked_n; c++)
		if (c != parker_cpu)
			remote_wait(&parks[c].r);
	parked_n = 0;
	spin_unlock(&parker);
}

uint64_t park_frame(unsigned cpu)
{
	if (cpu >= parked_n || cpu == parker_cpu || parks[cpu].state != PARK_HELD)
		return 0;
	return parks[cpu].fp;
}

#endif
