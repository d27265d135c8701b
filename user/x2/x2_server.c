/* The X.2 personality's thread-id server: the one thread that creates and
 * deletes what stands behind X.2 thread ids (Mica threads, tasks, the gate
 * of each pair of threads that talk, interrupts), so every change to the
 * table is serialized. Library calls reach it through the gate at
 * X2_SEL_IDSRV, whose label names the caller's space. */
#include <boot_env.h>
#include <mica/fpage.h>
#include <mica/env.h>
#include <mica/irq.h>
#include <mica/kip.h>
#include <mica/sigma0.h>
#include <mica_image.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <string.h>

#include <l4/ipc.h>
#include <l4/schedule.h>
#include <l4/thread.h>

#include <x2_load.h>

#include "x2_priv.h"

struct x2_sys x2_sys;

static _Alignas(16) unsigned char server_stack[8192];
/* Start stacks of the threads ThreadControl activates, until they get
 * their own (the X.2 start protocol). */
static _Alignas(16) unsigned char boot_stacks[X2_MAX_THREADS][2048];
static mica_word_t server_utcb;

#define RIGHTS_ALL 7ul

/* Whether this task holds something at sel. */
static int have(mica_cap_t sel)
{
	mica_word_t type = 0, rights;
	return mica_cap_info(MICA_CAP_TASK, sel, &type, &rights) == MICA_OK && type != 0;
}

static mica_cap_t space_task(unsigned s)
{
	return X2_SEL_SPACE(s);
}

/* ---- pairs -------------------------------------------------------------- */
/* The label of sender a's capability of kind k (X2_SEND_*): its id, its
 * space (X2_LBL_SPACE) and the kind's bits. */
static L4_Word_t send_label(const struct x2_thread *a, unsigned k)
{
	return a->gid | X2_LBL_SPACE(a->space) | (k & X2_SEND_CALL ? X2_LBL_CALL : 0) |
	       (k & X2_SEND_PROP ? X2_LBL_PROP : 0);
}

static L4_Word_t pair_make(unsigned i, unsigned j)
{
	unsigned p = X2_PAIR(i, j);
	struct x2_thread *a = &x2_sys.t[i], *b = &x2_sys.t[j];
	if (x2_sys.pair[p])
		return 0;
	if (!x2_sys.s[a->space].configured || !x2_sys.s[b->space].configured)
		return L4_ErrNonExist;
	if (mica_create_gate(X2_SEL_FACTORY, X2_SEL_GATE(p), X2_SEL_TH(j), 0) != MICA_OK)
		return L4_ErrNonExist;
	mica_cap_t ta = space_task(a->space), tb = space_task(b->space);
	int bad = 0;
	for (unsigned k = 0; k < 4; k++)
		bad = bad || mica_cap_copy(ta, X2_SEL_GATE(p), X2_SEL_SEND(p, k),
					   MICA_GATE_R_SEND | MICA_GATE_R_MAP, send_label(a, k));
	if (bad || mica_cap_copy(tb, X2_SEL_GATE(p), X2_SEL_RECV(p), MICA_GATE_R_RECV, 0)) {
		for (unsigned k = 0; k < 4; k++)
			mica_cap_delete(ta, X2_SEL_SEND(p, k));
		mica_cap_delete(MICA_CAP_TASK, X2_SEL_GATE(p));
		return L4_ErrNonExist;
	}
	x2_sys.pair[p] = 1;
	return 0;
}

static void pair_drop(unsigned i, unsigned j)
{
	unsigned p = X2_PAIR(i, j);
	if (!x2_sys.pair[p])
		return;
	mica_cap_t ta = space_task(x2_sys.t[i].space), tb = space_task(x2_sys.t[j].space);
	for (unsigned k = 0; k < 4; k++)
		mica_cap_delete(ta, X2_SEL_SEND(p, k));
	mica_cap_delete(tb, X2_SEL_RECV(p));
	/* The last capability: the gate goes, and whoever waits on it is
	 * released (aborted). */
	mica_cap_delete(MICA_CAP_TASK, X2_SEL_GATE(p));
	x2_sys.pair[p] = 0;
}

static L4_Word_t op_pair(unsigned space, L4_Word_t from, L4_Word_t to)
{
	int i = x2_find(from), j = x2_find(to);
	if (i < 0 || j < 0 || !x2_sys.t[j].active || !x2_sys.t[i].active)
		return L4_ErrNonExist;
	if (x2_sys.t[i].space != space && x2_sys.t[j].space != space)
		return L4_ErrNonExist;
	return pair_make((unsigned)i, (unsigned)j);
}

/* ---- threads ------------------------------------------------------------ */
static int slot_for(L4_Word_t gid)
{
	unsigned h = (unsigned)(gid >> 14) % X2_MAX_THREADS;
	for (unsigned k = 0; k < X2_MAX_THREADS; k++) {
		unsigned i = (h + k) % X2_MAX_THREADS;
		if (!x2_sys.t[i].gid)
			return (int)i;
	}
	return -1;
}

/* Who pages a thread in Mica: its pager's pair gate (a call, so the
 * pager holds the reply right), or the creator's own pager for X.2's
 * sigma0. 0 if the pager is no thread we know. */
static mica_cap_t pager_sel(unsigned i, L4_Word_t pager)
{
	if (pager == L4_GlobalId(X2_SIGMA0_NO, 1).raw)
		return X2_SEL_SIGMA0;
	int j = x2_find(pager);
	if (j < 0 || pair_make(i, (unsigned)j) != 0)
		return 0;
	return X2_SEL_SEND(X2_PAIR(i, (unsigned)j), 1);
}

static int trampoline(unsigned i);

static L4_Word_t activate(unsigned i)
{
	struct x2_thread *t = &x2_sys.t[i];
	struct x2_space *s = &x2_sys.s[t->space];
	mica_cap_t task = space_task(t->space);
	t->active = 1; /* pairs with it may be made from now on */
	mica_cap_t pg = pager_sel(i, t->pager);
	if (!pg) {
		t->active = 0;
		return L4_ErrInvalidThread;
	}
	mica_word_t area = L4_Address(__L4_Fpage(s->utcb_area));
	mica_word_t size = 1ul << L4_SizeLog2(__L4_Fpage(s->utcb_area));
	if (t->utcb < area || t->utcb >= area + size || (t->utcb & (MICA_UTCB_SIZE - 1))) {
		t->active = 0;
		return L4_ErrUtcbArea;
	}
	if (mica_thread_control(X2_SEL_TH(i), MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER, task, t->utcb, pg,
				0) ||
	    (t->space != 0 && mica_cap_copy(task, X2_SEL_TH(i), X2_SEL_TH(i), RIGHTS_ALL, 0)) ||
	    mica_sched_run_thread(X2_SEL_SCHED, X2_SEL_TH(i), x2_sys.prio, MICA_SCHED_DEFAULT_SLICE_NS, 0)) {
		t->active = 0;
		return L4_ErrNoMem;
	}
	if (s->loaded && !s->joined) {
		/* No trampoline of its program known yet: the start goes
		 * through the server (load_start). */
		t->load_wait = 1;
		return 0;
	}
	if (trampoline(i)) {
		t->active = 0;
		return L4_ErrNoMem;
	}
	return 0;
}

/* Starts thread i in its space's start trampoline: this program's, or a
 * loaded program's (the one it named when it joined). */
static int trampoline(unsigned i)
{
	struct x2_space *s = &x2_sys.s[x2_sys.t[i].space];
	if (s->loaded)
		return mica_thread_start(X2_SEL_TH(i), s->entry, s->stacks + (i + 1) * s->stack_size - 8, i);
	return mica_thread_start(X2_SEL_TH(i), (mica_word_t)x2_thread_entry,
				 (mica_word_t)&boot_stacks[i][sizeof(boot_stacks[i])] - 8, i);
}

/* The start of a thread of a loaded space that waits for it (load_wait):
 * the space's first runs its program's entry at once (with the KIP's
 * address as the first argument, as a boot task starts); any other takes
 * ip and sp in the trampoline once the program has joined. */
static L4_Word_t load_start(unsigned i, L4_Word_t ip, L4_Word_t sp)
{
	struct x2_thread *t = &x2_sys.t[i];
	struct x2_space *s = &x2_sys.s[t->space];
	if (!t->load_wait)
		return L4_ErrInvalidThread;
	if (!s->first) {
		if (mica_thread_start(X2_SEL_TH(i), ip, sp, s->kip) != MICA_OK)
			return L4_ErrNoMem;
		s->first = i + 1;
		t->load_wait = 0;
		t->start_set = 1;
		return 0;
	}
	t->start_ip = ip;
	t->start_sp = sp;
	t->start_set = 1;
	return 0;
}

static L4_Word_t op_start(unsigned space, L4_Word_t dest, L4_Word_t ip, L4_Word_t sp)
{
	int i = x2_find(dest);
	if (i < 0)
		return L4_ErrInvalidThread;
	/* X.2: the thread's pager starts it (or the root server). */
	int p = x2_find(x2_sys.t[i].pager);
	if (space != 0 && (p < 0 || x2_sys.t[p].space != space))
		return L4_ErrNoPrivilege;
	return load_start((unsigned)i, ip, sp);
}

/* A loaded program's first thread joins: the server maps the table
 * read-only over the program's own x2_sys (whole pages of its bss, which
 * nothing there has touched yet) and starts the space's waiting threads
 * in the program's trampoline. What the program names only ever affects
 * its own space. */
static void op_join(unsigned space, const mica_word_t *a, mica_word_t *res)
{
	struct x2_space *s = &x2_sys.s[space];
	mica_word_t at = a[0], stacks = a[3], size = a[4];
	res[0] = L4_ErrInvalidParam;
	if (space == 0 || !s->loaded || s->joined || !s->first || a[5] != X2_JOIN_VERSION ||
	    a[1] != sizeof(x2_sys) || (at & (X2_PAGE - 1)) || size < 512 || size > 65536 || (stacks & 15) ||
	    (size & 15))
		return;
	if (mica_map_range(space_task(space), MICA_CAP_TASK, (mica_word_t)&x2_sys, at, sizeof(x2_sys),
			   MICA_FPAGE_R) != MICA_OK) {
		res[0] = L4_ErrNoMem;
		return;
	}
	s->entry = a[2];
	s->stacks = stacks;
	s->stack_size = size;
	s->joined = 1;
	for (unsigned j = 0; j < X2_MAX_THREADS; j++) {
		struct x2_thread *t = &x2_sys.t[j];
		if (t->gid && t->space == space && t->load_wait) {
			t->load_wait = 0;
			if (trampoline(j) != MICA_OK)
				t->active = 0;
		}
	}
	unsigned i = s->first - 1;
	res[0] = 0;
	res[1] = x2_sys.t[i].gid;
	res[2] = i;
}

static void thread_delete(unsigned i)
{
	struct x2_thread *t = &x2_sys.t[i];
	for (unsigned k = 0; k < X2_MAX_THREADS; k++) {
		pair_drop(i, k);
		pair_drop(k, i);
	}
	for (unsigned n = 0; n < X2_IRQS; n++)
		if (x2_sys.irq_handler[n] == t->gid) {
			mica_irq_detach(X2_SEL_IRQ(n));
			x2_sys.irq_handler[n] = 0;
		}
	/* Callers whose rights it saved are released (aborted), as X.2
	 * releases the partners of a deleted thread. */
	for (unsigned k = 0; k < X2_MAX_SAVED; k++)
		mica_cap_delete(space_task(t->space), X2_SEL_REPLY(i, k));
	if (t->space != 0)
		mica_cap_delete(space_task(t->space), X2_SEL_TH(i));
	mica_cap_delete(MICA_CAP_TASK, X2_SEL_TH(i));
	struct x2_space *s = &x2_sys.s[t->space];
	if (--s->threads == 0 && t->space != 0) {
		if (s->configured)
			mica_task_destroy(space_task(t->space));
		mica_cap_delete(MICA_CAP_TASK, space_task(t->space));
		x2_image_release(t->space);
		memset(s, 0, sizeof(*s));
	}
	memset(t, 0, sizeof(*t));
}

static L4_Word_t op_thread_control(L4_Word_t dest, L4_Word_t space, L4_Word_t sched, L4_Word_t pager,
				   L4_Word_t utcb)
{
	(void)sched;
	int i = x2_find(dest);
	if (space == 0) { /* delete */
		if (i < 0 || i == 0)
			return L4_ErrInvalidThread;
		thread_delete((unsigned)i);
		return 0;
	}
	if (i < 0) { /* create */
		if ((dest & 0x3f) == 0 || (dest >> 14) < X2_USER_BASE + 3 || (dest >> 14) >= (1ul << 40))
			return L4_ErrInvalidThread;
		unsigned sp;
		if (space == dest) {
			for (sp = 1; sp < X2_MAX_SPACES && x2_sys.s[sp].used; sp++)
				;
			if (sp == X2_MAX_SPACES)
				return L4_ErrNoMem;
		} else {
			int k = x2_find(space);
			if (k < 0)
				return L4_ErrInvalidSpace;
			sp = x2_sys.t[k].space;
		}
		i = slot_for(dest);
		if (i < 0)
			return L4_ErrNoMem;
		if (mica_create_thread(X2_SEL_FACTORY, X2_SEL_TH(i)) != MICA_OK)
			return L4_ErrNoMem;
		struct x2_thread *t = &x2_sys.t[i];
		memset(t, 0, sizeof(*t));
		t->gid = dest;
		t->space = sp;
		x2_sys.s[sp].used = 1;
		x2_sys.s[sp].threads++;
	} else if (space != dest && x2_find(space) >= 0 &&
		   x2_sys.t[x2_find(space)].space != x2_sys.t[i].space) {
		return L4_ErrInvalidSpace; /* threads never move between spaces */
	}
	struct x2_thread *t = &x2_sys.t[i];
	if (utcb != ~0ul && !t->active)
		t->utcb = utcb;
	if (pager && !t->active) {
		t->pager = pager;
		if (!x2_sys.s[t->space].configured)
			return 0; /* activated by the first ThreadControl after SpaceControl */
		return activate((unsigned)i);
	}
	if (pager && t->active) {
		mica_cap_t pg = pager_sel((unsigned)i, pager);
		if (!pg || mica_thread_control(X2_SEL_TH(i), MICA_THREAD_CTL_PAGER, 0, 0, pg, 0))
			return L4_ErrInvalidThread;
		t->pager = pager;
	}
	return 0;
}

static L4_Word_t op_space_control(L4_Word_t space, L4_Word_t control, L4_Word_t kip, L4_Word_t utcb)
{
	int i = x2_find(space);
	if (i < 0)
		return L4_ErrInvalidSpace;
	unsigned s = x2_sys.t[i].space;
	struct x2_space *sp = &x2_sys.s[s];
	if (sp->configured)
		return 0;
	L4_Fpage_t u = { .raw = utcb }, k = { .raw = kip };
	unsigned ul = (unsigned)L4_SizeLog2(u);
	if (ul < 12 || ul > 20 || (L4_Address(u) & ((1ul << ul) - 1)))
		return L4_ErrUtcbArea;
	if (L4_SizeLog2(k) < 13 || (L4_Address(k) & ((1ul << L4_SizeLog2(k)) - 1)))
		return L4_ErrKipArea;
	mica_cap_t task = space_task(s);
	if (mica_create_task(X2_SEL_FACTORY, task, L4_Address(u), ul) != MICA_OK)
		return L4_ErrNoMem;
	mica_word_t mykip = x2_sys.s[0].kip;
	if (mica_task_map(task, MICA_CAP_TASK, mica_fpage_mem(mykip, 13, MICA_FPAGE_R), L4_Address(k),
			  MICA_ITEM_MAP) ||
	    /* The creator's program, as pork's spaces had it from sigma0's
	     * one-to-one mappings (X.2 threads there run its functions), but
	     * its writable part a copy of the space's own (x2_image.c);
	     * nothing for a program of its own, which its pager maps. */
	    (!(control & X2_SPACE_OWN_PROGRAM) && x2_image_give(s, task)) ||
	    mica_cap_copy(task, X2_SEL_IDSRV_ORIG, X2_SEL_IDSRV, MICA_GATE_R_SEND, s + 1) ||
	    mica_cap_copy(task, task, X2_SEL_TASK, RIGHTS_ALL, 0) ||
	    /* Not the creator's pager, which would page the creator's own
	     * memory into the space on a fault there: X.2's sigma0 is the
	     * server, which answers a fault with an exception. */
	    mica_cap_copy(task, X2_SEL_IDSRV_ORIG, X2_SEL_SIGMA0, MICA_GATE_R_SEND, (s + 1) | X2_LBL_FAULT) ||
	    /* The creator's console and log, so printf works the same. */
	    (have(MICA_CAP_VCON) && mica_cap_copy(task, MICA_CAP_VCON, MICA_CAP_VCON, RIGHTS_ALL, 0)) ||
	    (have(MICA_CAP_LOG) && mica_cap_copy(task, MICA_CAP_LOG, MICA_CAP_LOG, RIGHTS_ALL, 0))) {
		mica_task_destroy(task);
		mica_cap_delete(MICA_CAP_TASK, task);
		x2_image_release(s);
		return L4_ErrNoMem;
	}
	sp->kip = L4_Address(k);
	sp->utcb_area = utcb;
	sp->loaded = (control & X2_SPACE_OWN_PROGRAM) != 0;
	sp->configured = 1;
	/* Threads that got their pager before the space existed start now. */
	for (unsigned j = 0; j < X2_MAX_THREADS; j++)
		if (x2_sys.t[j].gid && x2_sys.t[j].space == s && x2_sys.t[j].pager && !x2_sys.t[j].active)
			activate(j);
	return 0;
}

/* ---- exchange registers, schedule ----------------------------------------- */
static void op_exregs(unsigned space, const mica_word_t *mr, mica_word_t *res)
{
	L4_Word_t dest = mr[0], control = mr[1];
	int i = x2_find(dest);
	if (i < 0 || (space != 0 && x2_sys.t[i].space != space) || !x2_sys.t[i].active) {
		res[0] = L4_ErrInvalidThread;
		return;
	}
	struct x2_thread *t = &x2_sys.t[i];
	if (t->load_wait) {
		/* Not started, in a loaded space: only the start itself. */
		memset(res, 0, 8 * sizeof(*res));
		res[0] = (control & L4_ExReg_sp_ip) == L4_ExReg_sp_ip ? load_start((unsigned)i, mr[3], mr[2])
								      : L4_ErrInvalidParam;
		res[1] = 1; /* halted */
		res[7] = t->gid;
		return;
	}
	struct mica_exregs in = { mr[3], mr[2], mr[4], 0, 0 }, out;
	mica_word_t f = 0;
	L4_Word_t old_pager = t->pager, old_handle = t->handle;
	if (control & L4_ExReg_UserDefinedHandle)
		t->handle = mr[5];
	if (control & L4_ExReg_pager) {
		mica_cap_t pg = pager_sel((unsigned)i, mr[6]);
		if (pg && mica_thread_control(X2_SEL_TH(i), MICA_THREAD_CTL_PAGER, 0, 0, pg, 0) == MICA_OK)
			t->pager = mr[6];
	}
	if (!t->start_set && (control & L4_ExReg_sp_ip) == L4_ExReg_sp_ip) {
		/* Still in the start trampoline: it takes these when woken. */
		t->start_ip = mr[3];
		t->start_sp = mr[2];
		t->start_set = 1;
		f |= MICA_EXREGS_CANCEL | MICA_EXREGS_RESUME;
	} else {
		if (control & L4_ExReg_sp)
			f |= MICA_EXREGS_SET_SP;
		if (control & L4_ExReg_ip)
			f |= MICA_EXREGS_SET_IP;
		if (control & L4_ExReg_flags)
			f |= MICA_EXREGS_SET_FLAGS;
		if (control & L4_ExReg_AbortIPC)
			f |= MICA_EXREGS_CANCEL;
		if (control & 1)
			f |= (control & L4_ExReg_Halt_Flag) ? MICA_EXREGS_HALT : MICA_EXREGS_RESUME;
	}
	/* The state before anything changes: halted, sending, receiving. */
	mica_word_t info[5] = { 0 };
	mica_thread_info(X2_SEL_TH(i), info);
	int e = mica_thread_ex_regs(X2_SEL_TH(i), f, &in, &out);
	if (e != MICA_OK) {
		res[0] = L4_ErrInvalidParam;
		return;
	}
	L4_Word_t oc = 0;
	if (info[4])
		oc |= 1;
	if (info[0] == 2)
		oc |= L4_ExReg_AbortSendIPC;
	if (info[0] == 3)
		oc |= L4_ExReg_AbortRecvIPC;
	res[0] = 0;
	res[1] = oc;
	res[2] = out.sp;
	res[3] = out.ip;
	res[4] = out.flags;
	res[5] = old_handle;
	res[6] = old_pager;
	res[7] = t->gid;
}

static void op_schedule(const mica_word_t *mr, mica_word_t *res)
{
	int i = x2_find(mr[0]);
	if (i < 0 || !x2_sys.t[i].active) {
		res[0] = L4_ErrInvalidThread;
		return;
	}
	mica_word_t stats[3];
	if (mica_thread_stats(X2_SEL_TH(i), stats) != MICA_OK) {
		res[0] = L4_ErrInvalidThread;
		return;
	}
	unsigned prio = (unsigned)stats[1];
	mica_word_t slice = stats[2];
	L4_Word_t old_tc = (L4_Word_t)L4_TimePeriod(slice / 1000).raw << 16;
	if (mr[2] != ~0ul && (uint32_t)mr[2] != 0xffffffffu)
		prio = (unsigned)mr[2];
	L4_Word_t ts = (mr[1] >> 16) & 0xffff;
	if (mr[1] != ~0ul && ts != 0xffff) {
		L4_Time_t t = { .raw = (L4_Word16_t)ts };
		if (t.raw == 0 || L4_IsTimePoint(t)) {
			res[0] = L4_ErrInvalidParam;
			return;
		}
		slice = ((mica_word_t)t.period.m << t.period.e) * 1000;
	}
	/* The thread stays on its CPU unless processor control names one,
	 * which must be one the scheduler places threads on. */
	mica_word_t info[5] = { 0 };
	mica_thread_info(X2_SEL_TH(i), info);
	unsigned cpu = (unsigned)info[2];
	L4_Word_t pc = mr[3];
	if (pc != ~0ul && (pc & 0xffff) != 0xffff) {
		mica_word_t si[5];
		if (mica_sched_info(X2_SEL_SCHED, si) != MICA_OK || (pc & 0xffff) >= 64 ||
		    !((mica_mr()[5] >> (pc & 0xffff)) & 1)) { /* MR5: its CPU set */
			res[0] = L4_ErrInvalidParam;
			return;
		}
		cpu = (unsigned)(pc & 0xffff);
	}
	if (prio > x2_sys.prio ||
	    mica_sched_run_thread(X2_SEL_SCHED, X2_SEL_TH(i), prio, slice, cpu) != MICA_OK) {
		res[0] = L4_ErrInvalidParam;
		return;
	}
	mica_thread_info(X2_SEL_TH(i), info);
	static const unsigned char state[] = { L4_SCHEDRESULT_INACTIVE, L4_SCHEDRESULT_RUNNING,
					       L4_SCHEDRESULT_SENDING, L4_SCHEDRESULT_RECEIVING,
					       L4_SCHEDRESULT_DEAD };
	res[0] = 0;
	res[1] = info[0] < 5 ? state[info[0]] : L4_SCHEDRESULT_ERROR;
	res[2] = old_tc;
}

/* ---- interrupts ---------------------------------------------------------- */
static L4_Word_t op_associate(L4_Word_t irq, L4_Word_t handler)
{
	L4_Word_t n = irq >> 14;
	int h = x2_find(handler);
	if ((irq & 0x3fff) != 1 || n >= X2_IRQS || h < 0 || !x2_sys.t[h].active)
		return L4_ErrInvalidThread;
	if (x2_sys.irq_handler[n])
		return L4_ErrInvalidThread; /* X.2: deassociate first */
	mica_cap_t sel = X2_SEL_IRQ(n);
	unsigned s = x2_sys.t[h].space;
	mica_word_t gsi;
	int e = mica_create_irq(X2_SEL_FACTORY, sel);
	if (e == MICA_OK && n < X2_VIRQ_FIRST)
		e = have(X2_SEL_ICU) ? mica_icu_bind(X2_SEL_ICU, sel, n, MICA_ICU_ISA, &gsi)
				     : MICA_E_NO_RIGHTS;
	if (e == MICA_OK)
		e = mica_irq_attach(sel, X2_SEL_TH(h), irq | X2_LBL_IRQ);
	if (e == MICA_OK && s != 0)
		e = mica_cap_copy(space_task(s), sel, sel, RIGHTS_ALL, 0);
	if (e == MICA_OK && n < X2_VIRQ_FIRST)
		e = mica_irq_unmask(sel); /* a new line is masked until the first unmask */
	if (e != MICA_OK) {
		if (s != 0)
			mica_cap_delete(space_task(s), sel);
		mica_cap_delete(MICA_CAP_TASK, sel);
		return e == MICA_E_NO_RIGHTS ? L4_ErrNoPrivilege : L4_ErrInvalidParam;
	}
	x2_sys.irq_handler[n] = handler;
	x2_sys.irq_hw[n] = n < X2_VIRQ_FIRST;
	return 0;
}

static L4_Word_t op_deassociate(L4_Word_t irq)
{
	L4_Word_t n = irq >> 14;
	if ((irq & 0x3fff) != 1 || n >= X2_IRQS || !x2_sys.irq_handler[n])
		return L4_ErrInvalidThread;
	int h = x2_find(x2_sys.irq_handler[n]);
	if (h >= 0 && x2_sys.t[h].space != 0)
		mica_cap_delete(space_task(x2_sys.t[h].space), X2_SEL_IRQ(n));
	/* Deleting the IRQ unbinds its line and drops a pending firing. */
	mica_cap_delete(MICA_CAP_TASK, X2_SEL_IRQ(n));
	x2_sys.irq_handler[n] = 0;
	return 0;
}

static L4_Word_t op_set_exc(unsigned space, L4_Word_t thread, L4_Word_t handler)
{
	int i = x2_find(thread), j = x2_find(handler);
	if (i < 0 || (space != 0 && x2_sys.t[i].space != space) || !x2_sys.t[i].active)
		return L4_ErrInvalidThread;
	mica_cap_t sel = 0;
	if (handler) {
		if (j < 0 || pair_make((unsigned)i, (unsigned)j) != 0)
			return L4_ErrInvalidThread;
		sel = X2_SEL_SEND(X2_PAIR((unsigned)i, (unsigned)j), 1);
	}
	if (mica_thread_control(X2_SEL_TH(i), MICA_THREAD_CTL_EXC, 0, 0, 0, sel) != MICA_OK)
		return L4_ErrInvalidParam;
	x2_sys.t[i].exc = handler;
	return 0;
}

static L4_Word_t op_started(unsigned space, L4_Word_t thread)
{
	int i = x2_find(thread);
	if (i < 0 || x2_sys.t[i].space != space)
		return L4_ErrInvalidThread;
	x2_sys.t[i].start_set = 1;
	return 0;
}

/* X.2's sigma0 for a space that is not the root server's (its Mica
 * pager and sigma0 capability are the server's gate): a page fault there
 * is an access it may not make (its image is all mapped), and an error
 * reply makes it an exception; a memory request (MEM, MEM_ANY) is asked of
 * sigma0 for the root server, as the first-come rule would have it, and
 * the memory granted on. The space never holds the creator's pager, which
 * would page the creator's own memory into it. */
#define X2_S0_SCRATCH 0x7d0000000000ul /* where the memory passes through */
#define X2_S0_MAX_LOG2 22
static mica_msgtag_t sigma0_for_space(mica_msgtag_t tag)
{
	mica_word_t *mr = mica_mr(), req = mr[0], f = mr[1], given;
	if (mica_msgtag_label(tag) != MICA_LABEL_SIGMA0 || mica_msgtag_u(tag) < MICA_SIGMA0_REQUEST_WORDS ||
	    mica_msgtag_t_items(tag))
		return mica_msgtag(MICA_E_NO_RIGHTS, 0, 0, MICA_TAG_ERROR);
	unsigned l = mica_fpage_log2(f);
	if ((req != MICA_SIGMA0_MEM && req != MICA_SIGMA0_MEM_ANY) || mica_fpage_type(f) != MICA_FPAGE_MEM ||
	    l < 12 || l > X2_S0_MAX_LOG2)
		return mica_msgtag(MICA_E_BAD_ARG, 0, 0, MICA_TAG_ERROR);
	int e = mica_sigma0_request(X2_SEL_SIGMA0, req, f, mica_fpage_mem(X2_S0_SCRATCH, l, MICA_FPAGE_RWX),
				    &given);
	if (e != MICA_OK)
		return mica_msgtag((mica_word_t)e, 0, 0, MICA_TAG_ERROR);
	/* sigma0's answer, with the hot spot at the physical base as in its own. */
	mr = mica_mr();
	mr[0] = given;
	mr[1] = mica_item_mem(mica_fpage_base(given), MICA_ITEM_GRANT);
	mr[2] = mica_fpage_mem(X2_S0_SCRATCH, l, mica_fpage_rights(given));
	return mica_msgtag(0, 1, 2, 0);
}

/* ---- the loop ---------------------------------------------------------------- */
static int privileged(unsigned space)
{
	return space == 0;
}

static void server(void)
{
	mica_word_t label;
	mica_msgtag_t tag = mica_wait(0, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		mica_word_t *mr = mica_mr();
		unsigned u = 1;
		if (mica_error(tag) == MICA_OK && (label & X2_LBL_FAULT)) {
			tag = mica_reply_wait(sigma0_for_space(tag), 0, &label);
			continue;
		}
		if (mica_error(tag) != MICA_OK || label == 0 || label > X2_MAX_SPACES) {
			tag = mica_wait(0, MICA_TIMEOUT_NEVER, &label);
			continue;
		}
		unsigned space = (unsigned)label - 1, n = mica_msgtag_u(tag);
		/* The operations invoke kernel objects, which use the MRs:
		 * the arguments are copied out first. */
		mica_word_t arg[8] = { 0 };
		for (unsigned k = 0; k < n && k < 8; k++)
			arg[k] = mr[k];
		mica_word_t out[8] = { 0 };
		switch (mica_msgtag_label(tag)) {
		case X2_OP_PAIR:
			out[0] = op_pair(space, arg[0], arg[1]);
			break;
		case X2_OP_THREAD_CONTROL:
			out[0] = privileged(space) ? op_thread_control(arg[0], arg[1], arg[2], arg[3], arg[4])
						   : L4_ErrNoPrivilege;
			break;
		case X2_OP_SPACE_CONTROL:
			out[0] = privileged(space) ? op_space_control(arg[0], arg[1], arg[2], arg[3])
						   : L4_ErrNoPrivilege;
			break;
		case X2_OP_EXREGS:
			op_exregs(space, arg, out);
			u = 8;
			break;
		case X2_OP_SCHEDULE:
			if (privileged(space))
				op_schedule(arg, out);
			else
				out[0] = L4_ErrNoPrivilege;
			u = 3;
			break;
		case X2_OP_ASSOCIATE:
			out[0] = privileged(space) ? op_associate(arg[0], arg[1]) : L4_ErrNoPrivilege;
			break;
		case X2_OP_DEASSOCIATE:
			out[0] = privileged(space) ? op_deassociate(arg[0]) : L4_ErrNoPrivilege;
			break;
		case X2_OP_SET_EXC:
			out[0] = op_set_exc(space, arg[0], arg[1]);
			break;
		case X2_OP_STARTED:
			out[0] = op_started(space, arg[0]);
			break;
		case X2_OP_START:
			out[0] = op_start(space, arg[0], arg[1], arg[2]);
			break;
		case X2_OP_JOIN:
			op_join(space, arg, out);
			u = 3;
			break;
		default:
			out[0] = L4_ErrInvalidParam;
		}
		mr = mica_mr();
		for (unsigned k = 0; k < u; k++)
			mr[k] = out[k];
		tag = mica_reply_wait(mica_msgtag(0, u, 0, 0), 0, &label);
	}
}

int x2_join(void)
{
	mica_word_t type = 0, rights;
	/* Only a space SpaceControl made holds its task at X2_SEL_TASK. */
	if (mica_cap_info(X2_SEL_TASK, X2_SEL_IDSRV, &type, &rights) != MICA_OK || type == 0)
		return MICA_E_INVALID_CAP;
	mica_word_t *mr = mica_mr();
	mr[0] = (mica_word_t)&x2_sys;
	mr[1] = sizeof(x2_sys);
	mr[2] = (mica_word_t)x2_thread_entry;
	mr[3] = (mica_word_t)boot_stacks;
	mr[4] = sizeof(boot_stacks[0]);
	mr[5] = X2_JOIN_VERSION;
	if (x2_server_call(X2_OP_JOIN, 6) != 0)
		return MICA_E_BAD_ARG;
	L4_Word_t gid = mr[1], idx = mr[2];
	struct mica_utcb *u = mica_utcb();
	u->user[X2_TCR_MR0] = 0;
	u->user[X2_TCR_MYSELF] = gid;
	u->user[X2_TCR_REPLY] = 0;
	u->user[X2_TCR_ERROR] = 0;
	u->user[X2_TCR_INDEX] = idx;
	memset(&x2_local[idx], 0, sizeof(x2_local[idx]));
	u->br[0] = u->br[1] = u->br[2] = 0;
	return MICA_OK;
}

L4_Word_t x2_server_call(enum x2_op op, unsigned n)
{
	mica_msgtag_t tag = mica_call(X2_SEL_IDSRV, op, n);
	if (mica_error(tag) != MICA_OK)
		return L4_ErrNonExist;
	return mica_mr()[0];
}

/* ---- setup and teardown ------------------------------------------------------ */
void *x2_server_stack(mica_word_t *size)
{
	*size = sizeof(server_stack);
	return server_stack;
}

int x2_setup(const struct x2_config *c)
{
	memset(&x2_sys, 0, sizeof(x2_sys));
	x2_image_setup(c->mem, c->rm);
	x2_sys.prio = c->prio;
	server_utcb = c->server_utcb;
	int e;
	if ((e = mica_cap_copy(MICA_CAP_TASK, c->factory, X2_SEL_FACTORY, RIGHTS_ALL, 0)) ||
	    (e = mica_cap_copy(MICA_CAP_TASK, c->scheduler, X2_SEL_SCHED, RIGHTS_ALL, 0)) ||
	    (c->icu && (e = mica_cap_copy(MICA_CAP_TASK, c->icu, X2_SEL_ICU, RIGHTS_ALL, 0))) ||
	    (e = mica_cap_copy(MICA_CAP_TASK, MICA_CAP_TASK, X2_SEL_TASK, RIGHTS_ALL, 0)) ||
	    (e = mica_cap_copy(MICA_CAP_TASK, MICA_CAP_TASK, X2_SEL_SPACE(0), RIGHTS_ALL, 0)) ||
	    (e = mica_cap_copy(MICA_CAP_TASK, MICA_CAP_PAGER, X2_SEL_SIGMA0, RIGHTS_ALL, 0)) ||
	    (e = mica_cap_copy(MICA_CAP_TASK, MICA_CAP_THREAD, X2_SEL_TH(X2_ROOT_NO % X2_MAX_THREADS),
			       RIGHTS_ALL, 0)))
		goto fail;
	/* The server's thread and its gate, labeled per space. */
	if ((e = mica_create_thread(X2_SEL_FACTORY, X2_SEL_IDSRV_TH)) ||
	    /* Paged as this program is (its image may not be present yet). */
	    (e = mica_thread_control(X2_SEL_IDSRV_TH, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER,
				     MICA_CAP_TASK, server_utcb, X2_SEL_SIGMA0, 0)) ||
	    (e = mica_create_gate(X2_SEL_FACTORY, X2_SEL_IDSRV_ORIG, X2_SEL_IDSRV_TH, 0)) ||
	    (e = mica_cap_copy(MICA_CAP_TASK, X2_SEL_IDSRV_ORIG, X2_SEL_IDSRV, MICA_GATE_R_SEND, 1)))
		goto fail;
	if ((e = mica_sched_run_thread(X2_SEL_SCHED, X2_SEL_IDSRV_TH, c->prio, MICA_SCHED_DEFAULT_SLICE_NS,
				       0)) ||
	    (e = mica_thread_start(X2_SEL_IDSRV_TH, (mica_word_t)server, (mica_word_t)&server_stack[8192 - 8],
				   0)))
		goto fail;
	/* The calling thread is the root thread; its space is space 0. */
	unsigned r = X2_ROOT_NO % X2_MAX_THREADS;
	struct x2_thread *t = &x2_sys.t[r];
	struct mica_utcb *u = mica_utcb();
	t->gid = L4_GlobalId(X2_ROOT_NO, 1).raw;
	t->utcb = u->self;
	t->pager = L4_GlobalId(X2_SIGMA0_NO, 1).raw;
	t->active = 1;
	t->start_set = 1;
	x2_sys.s[0].used = x2_sys.s[0].configured = 1;
	x2_sys.s[0].threads = 1;
	x2_sys.s[0].kip = (L4_Word_t)boot_kip;
	x2_sys.s[0].utcb_area = L4_FpageLog2(u->self & ~((1ul << c->utcb_log2) - 1), (int)c->utcb_log2).raw;
	u->user[X2_TCR_MR0] = 0;
	u->user[X2_TCR_MYSELF] = t->gid;
	u->user[X2_TCR_REPLY] = 0;
	u->user[X2_TCR_ERROR] = 0;
	u->user[X2_TCR_INDEX] = r;
	memset(&x2_local[r], 0, sizeof(x2_local[r]));
	x2_sys.ready = 1;
	return MICA_OK;
fail:
	x2_teardown();
	return e;
}

void x2_teardown(void)
{
	for (unsigned i = 0; i < X2_MAX_THREADS; i++)
		if (x2_sys.t[i].gid && i != X2_ROOT_NO % X2_MAX_THREADS)
			thread_delete(i);
	for (unsigned n = 0; n < X2_IRQS; n++)
		mica_cap_delete(MICA_CAP_TASK, X2_SEL_IRQ(n));
	for (unsigned s = 1; s < X2_MAX_SPACES; s++) {
		if (have(X2_SEL_SPACE(s))) {
			mica_task_destroy(X2_SEL_SPACE(s));
			mica_cap_delete(MICA_CAP_TASK, X2_SEL_SPACE(s));
		}
		x2_image_release(s);
	}
	/* The root's own pairs and saved replies, then the fixed selectors
	 * (the pair ranges are too many to sweep). */
	unsigned r = X2_ROOT_NO % X2_MAX_THREADS;
	for (unsigned j = 0; j < X2_MAX_THREADS; j++)
		pair_drop(r, j);
	for (unsigned k = 0; k < X2_MAX_SAVED; k++)
		mica_cap_delete(MICA_CAP_TASK, X2_SEL_REPLY(r, k));
	for (mica_cap_t s = X2_SEL; s < X2_SEL_REPLY(0, 0); s++)
		mica_cap_delete(MICA_CAP_TASK, s);
	struct mica_utcb *u = mica_utcb();
	for (unsigned k = 0; k < 5; k++)
		u->user[k] = 0;
	memset(&x2_sys, 0, sizeof(x2_sys));
}

int x2_irq_trigger(unsigned irq)
{
	return irq < X2_IRQS ? mica_irq_trigger(X2_SEL_IRQ(irq)) : MICA_E_BAD_ARG;
}

mica_cap_t x2_thread_cap(mica_word_t gid)
{
	int i = x2_find(gid);
	return i < 0 ? 0 : X2_SEL_TH(i);
}
