/* L4_Ipc on Mica: an X.2 thread id becomes the selector of the gate of
 * the (sender, receiver) pair, made on first use by the thread-id server;
 * X.2 timeouts and error codes are translated; the call/reply pairing
 * uses Mica's one-shot reply right (docs/x2.md). */
#include <mica/fpage.h>
#include <mica/kip.h>
#include <mica_clock.h>
#include <mica_obj.h>
#include <mica_sys.h>

#include <l4/ipc.h>

#include "x2_priv.h"

/* An X.2 time as a Mica timeout word (phase 0 send, 1 receive); a time
 * point becomes an absolute deadline in the UTCB's TCR. */
static uint32_t timeout_of(L4_Word_t x, unsigned phase, struct mica_utcb *u)
{
	L4_Time_t t = { .raw = (L4_Word16_t)x };
	if (t.raw == 0)
		return MICA_TIMEOUT_NEVER;
	if (t.raw == L4_ZeroTime.raw)
		return MICA_TIMEOUT_ZERO;
	if (L4_IsTimePeriod(t))
		return MICA_TIMEOUT_REL((uint32_t)t.period.m * 1000u, t.period.e);
	/* A point: the next time the clock's bits e+9..e read m (bit e+10
	 * is c); the clock in microseconds. */
	const struct mica_kip *kip = (const struct mica_kip *)x2_sys.s[0].kip;
	uint64_t now = mica_clock_ns(kip) / 1000, e = t.point.e, span = 1ul << (e + 11);
	uint64_t at = (now & ~(span - 1)) | ((uint64_t)t.point.c << (e + 10)) | ((uint64_t)t.point.m << e);
	if (at < now)
		at += span;
	u->timeout_abs[phase] = at * 1000;
	return MICA_TIMEOUT_ABS;
}

static L4_Word_t x2_error_of(enum mica_error e)
{
	switch (e) {
	case MICA_E_TIMEOUT:
		return L4_ErrTimeout;
	case MICA_E_CANCELED:
		return L4_ErrCanceled;
	case MICA_E_ABORTED:
		return L4_ErrAborted;
	case MICA_E_OVERFLOW:
	case MICA_E_BAD_ARG:
	case MICA_E_BAD_TAG:
		return L4_ErrMsgOverflow;
	default:
		return L4_ErrNonExist;
	}
}

/* X.2 items (100C map, 101C grant; r=4 x=1) as Mica's and back. */
static void items_to_mica(mica_word_t *w, unsigned t)
{
	for (unsigned k = 0; k + 1 < t; k += 2) {
		L4_Word_t kind = (w[k] >> 1) & 7;
		w[k] = (w[k] & ~0xffful) | (kind == 4 ? MICA_ITEM_MAP : kind == 5 ? MICA_ITEM_GRANT : 0xf);
		w[k + 1] = x2_fpage_to_mica(w[k + 1]);
	}
}
static void items_from_mica(mica_word_t *w, unsigned t)
{
	for (unsigned k = 0; k + 1 < t; k += 2) {
		mica_word_t kind = w[k] & MICA_ITEM_KIND_MASK;
		w[k] = (w[k] & ~0xffful) | (kind == MICA_ITEM_GRANT ? __L4_ITEM_GRANT : __L4_ITEM_MAP);
		w[k + 1] = x2_fpage_from_mica(w[k + 1]);
	}
}

/* Asks the server for the pair's gate; the message in MR0..MR1 is kept. */
static int make_pair(L4_Word_t from, L4_Word_t to)
{
	mica_word_t *mr = mica_mr(), save0 = mr[0], save1 = mr[1];
	mr[0] = from;
	mr[1] = to;
	L4_Word_t e = x2_server_call(X2_OP_PAIR, 2);
	mr[0] = save0;
	mr[1] = save1;
	return e == 0;
}

static L4_MsgTag_t fail(struct mica_utcb *u, L4_Word_t err, unsigned phase)
{
	L4_MsgTag_t r = { .raw = 0 };
	r.X.flags = __L4_TAG_E;
	u->user[X2_TCR_ERROR] = (err << 1) | phase;
	u->user[X2_TCR_MR0] = r.raw;
	return r;
}

/* A message through a pair's propagating capability: Mica's MR0 names the
 * virtual sender, which the receiver checks itself (the table is the
 * server's, the actual sender's id and space are the kernel-given label):
 * it must be a thread of the actual sender's space (X.2's rule; Mica has
 * no redirectors). The word is taken out of the message; the result is
 * the sender `from` reports. */
static L4_Word_t unpropagate(struct mica_utcb *u, L4_MsgTag_t *r, L4_Word_t actual, mica_word_t label)
{
	L4_Word_t vs = u->mr[0];
	unsigned n = (unsigned)r->X.u + (unsigned)r->X.t;
	for (unsigned k = 0; k + 1 < n; k++)
		u->mr[k] = u->mr[k + 1];
	r->X.u--;
	int v = x2_find(vs);
	if (v < 0 || X2_LBL_SPACE(x2_sys.t[v].space) != (label & X2_LBL_SPACE_MASK))
		return actual;
	r->X.flags |= __L4_TAG_P;
	x2_local[u->user[X2_TCR_INDEX] & 0xffffffffu].vsender = actual;
	return vs;
}

/* The X.2 view of a received Mica message. */
static L4_MsgTag_t received(struct mica_utcb *u, mica_msgtag_t mt, mica_word_t label, L4_ThreadId_t *from)
{
	L4_MsgTag_t r = { .raw = mt.raw & ~(mica_word_t)0xf000 };
	L4_Word_t who = label & X2_LBL_GID;
	if ((label & X2_LBL_PROP) && mica_msgtag_u(mt) >= 1)
		who = unpropagate(u, &r, who, label);
	if (label & X2_LBL_IRQ) {
		r.raw = 0;
		r.X.label = L4_INTERRUPT_LABEL;
	} else if (mica_msgtag_label(mt) == MICA_LABEL_PAGE_FAULT && mica_msgtag_u(mt) == 3) {
		/* X.2: label -2 | rwx, MR1 address, MR2 ip. */
		r.raw = 2;
		r.X.label = L4_PAGEFAULT_LABEL | x2_swap_rwx(u->mr[2] & 7);
	} else if (mica_msgtag_label(mt) == MICA_LABEL_EXCEPTION) {
		r.X.label = L4_EXCEPTION_LABEL;
	}
	if (mica_msgtag_t_items(mt))
		items_from_mica(u->mr + mica_msgtag_u(mt), mica_msgtag_t_items(mt));
	/* A call leaves this thread owing a reply; anything else (a send, a
	 * reply to its own call) leaves what it owes as it was: its own calls
	 * do not touch Mica's reply right either. */
	if (label & X2_LBL_CALL)
		u->user[X2_TCR_REPLY] = who;
	u->user[X2_TCR_MR0] = r.raw;
	u->user[X2_TCR_ERROR] = 0;
	if (from)
		from->raw = who;
	return r;
}

static L4_MsgTag_t __attribute__((noinline))
slow_ipc(struct mica_utcb *u, L4_ThreadId_t to, L4_ThreadId_t from_spec, L4_Word_t timeouts,
	 L4_ThreadId_t *from);

/* A result the fast paths below leave to the general code: an error, typed
 * items, or a kernel protocol message. */
static L4_MsgTag_t __attribute__((noinline))
finish(mica_msgtag_t mt, mica_word_t label, L4_ThreadId_t *from, L4_ThreadId_t to)
{
	struct mica_utcb *u = mica_utcb();
	if (mica_error(mt) != MICA_OK)
		return fail(u, x2_error_of(mica_error(mt)),
			    (mt.raw & MICA_TAG_RECV_PHASE) || !to.raw ? 1 : 0);
	L4_MsgTag_t r = received(u, mt, label, from);
	if (to.raw && from) /* a call's reply */
		*from = to;
	return r;
}

/* The two forms a client and a server spend their time in, with untyped
 * words only and no timeouts: L4_Call and L4_ReplyWait, in one system
 * call each and little else (x2_ipc_call_0w in docs/benchmarks.md). Every
 * other case leaves by a tail call, so this part needs no stack frame
 * beyond the frame pointer. */
/* Without a frame pointer: the tail calls and the system call need none,
 * and it is most of the cost this path adds. */
__attribute__((optimize("omit-frame-pointer"))) L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t from_spec,
								   L4_Word_t timeouts, L4_ThreadId_t *from)
{
	struct mica_utcb *u = mica_utcb();
	mica_word_t tagw = u->user[X2_TCR_MR0], label;
	mica_msgtag_t mt;
	/* u is kept across the system calls below: a thread's UTCB does not
	 * move while it is in a system call of its own. */
	if ((tagw & 0xffc0) != 0 || (timeouts & 0xffff) != 0)
		return slow_ipc(u, to, from_spec, timeouts, from);
	if (to.raw == u->user[X2_TCR_REPLY] && to.raw && from_spec.raw == ~0ul) {
		mt = mica_ipc(0, (mica_msgtag_t){ tagw }, MICA_IPC_REPLY_WAIT, 0, 0, &label);
		/* Anything but a call of untyped words with a user label (not
		 * an interrupt, nor propagated). The reply right is used up
		 * either way; the TCR is cleared here rather than before the
		 * call, where the success path would store it twice. */
		if ((mt.raw & 0xffc0) || (label >> 60) != (X2_LBL_CALL >> 60) ||
		    mt.raw >= (MICA_LABEL_SIGMA0 << MICA_TAG_LABEL_SHIFT)) {
			u->user[X2_TCR_REPLY] = 0;
			return finish(mt, label, from, L4_nilthread);
		}
		label &= X2_LBL_GID; /* the flags and the sender's space */
		u->user[X2_TCR_REPLY] = label;
		if (from)
			from->raw = label;
	} else if (to.raw == from_spec.raw && timeouts == 0 && to.raw != u->user[X2_TCR_REPLY]) {
		/* The thread's first slot; collisions take the general path. */
		unsigned j = (unsigned)(to.raw >> 14) % X2_MAX_THREADS;
		mica_word_t mi = u->user[X2_TCR_INDEX];
		if (x2_sys.t[j].gid != to.raw)
			return slow_ipc(u, to, from_spec, timeouts, from);
		if (from) /* before the call: fewer values live across it */
			*from = to;
		/* X2_SEL_SEND(X2_PAIR(mi, j), X2_SEND_CALL) with the constant
		 * folded: a shift and one lea (x2_ipc_call_0w). A thread
		 * holding saved replies may be answering one, which the general
		 * path sorts out: X2_INDEX_SAVED in mi puts the selector out of
		 * range, so the kernel refuses it (INVALID_CAP, nothing sent)
		 * and the call goes there below, without a test of its own. */
		mica_cap_t sel = X2_SEL_SEND(0, X2_SEND_CALL) + (mi << 8) + 4ul * j;
		_Static_assert(X2_SEL_SEND(X2_PAIR(1, 1), X2_SEND_CALL) ==
				       X2_SEL_SEND(0, X2_SEND_CALL) + (1ul << 8) + 4,
			       "the call fast path's selector");
		_Static_assert((X2_INDEX_SAVED << 8) >= MICA_CAP_SELECTORS &&
				       X2_SEL_END <= MICA_CAP_SELECTORS,
			       "X2_INDEX_SAVED makes the call's selector invalid");
		mt = mica_ipc(sel, (mica_msgtag_t){ tagw }, MICA_IPC_CALL, 0, 0, 0);
		if (mt.raw & 0xffc0) {
			/* No pair yet, or saved replies: nothing was sent. */
			if (mica_error(mt) == MICA_E_INVALID_CAP)
				return slow_ipc(mica_utcb(), to, to, 0, from);
			return finish(mt, 0, from, to);
		}
	} else {
		return slow_ipc(u, to, from_spec, timeouts, from);
	}
	u->user[X2_TCR_MR0] = mt.raw;
	u->user[X2_TCR_ERROR] = 0;
	L4_MsgTag_t r = { .raw = mt.raw };
	return r;
}

struct x2_local x2_local[X2_MAX_THREADS];

void L4_Set_VirtualSender(L4_ThreadId_t t)
{
	x2_local[mica_utcb()->user[X2_TCR_INDEX] & 0xffffffffu].vsender = t.raw;
}

L4_ThreadId_t L4_VirtualSender(void)
{
	L4_ThreadId_t t = { .raw = x2_local[mica_utcb()->user[X2_TCR_INDEX] & 0xffffffffu].vsender };
	return t;
}

L4_ThreadId_t L4_ActualSender(void)
{
	return L4_VirtualSender();
}

/* Whether thread mi may send on behalf of its VirtualSender: a thread
 * of its own space (X.2's rule without redirectors). Else the propagate
 * bit is dropped, as X.2 does. */
static int may_propagate(unsigned mi)
{
	int v = x2_find(x2_local[mi].vsender);
	return v >= 0 && x2_sys.t[v].space == x2_sys.t[mi].space;
}

/* The slot of thread mi's saved reply right for caller gid, or -1. */
static int saved_find(unsigned mi, L4_Word_t gid)
{
	struct x2_local *t = &x2_local[mi];
	for (unsigned k = 0; k < X2_MAX_SAVED; k++)
		if (t->saved[k] == gid)
			return (int)k;
	return -1;
}

static void saved_set(unsigned mi, unsigned k, L4_Word_t gid)
{
	struct x2_local *t = &x2_local[mi];
	t->nsaved += (gid != 0) - (t->saved[k] != 0);
	t->saved[k] = gid;
	/* The flag the call fast path tests (this thread's own TCR). */
	mica_utcb()->user[X2_TCR_INDEX] = mi | (t->nsaved ? X2_INDEX_SAVED : 0);
}

/* Answers caller `to` through the reply right saved for it (Mica's reply
 * capability, docs/abi.md 5.7): the capability is used up. */
static mica_msgtag_t reply_saved(unsigned mi, unsigned k, mica_msgtag_t st)
{
	mica_msgtag_t mt = mica_ipc(X2_SEL_REPLY(mi, k), st, MICA_IPC_SEND, 0, 0, 0);
	enum mica_error e = mica_error(mt);
	/* Only items that did not fit leave the capability (and the caller
	 * waiting); anything else has emptied the slot. */
	if (e != MICA_E_OVERFLOW && e != MICA_E_BAD_TAG && e != MICA_E_BAD_ARG)
		saved_set(mi, k, 0);
	return mt;
}

/* A receive; a thread that owes a reply saves that right first into a
 * free slot, so the receive does not abort its caller (the caller is
 * answered later through the slot, in any order). */
static mica_msgtag_t receive(struct mica_utcb *u, unsigned mi, mica_cap_t src, uint32_t rto,
			     mica_word_t *label, int local)
{
	/* From L4_anylocalthread: only this space's senders (X2_LBL_SPACE),
	 * with no interrupt: Mica's filtered open wait. */
	mica_word_t filter = 0;
	if (local) {
		u->br[MICA_BR_FILTER_MASK] = X2_LBL_SPACE_MASK;
		u->br[MICA_BR_FILTER_VALUE] = X2_LBL_SPACE(x2_sys.t[mi].space);
		filter = MICA_IPC_FILTER;
	}
	L4_Word_t owed = u->user[X2_TCR_REPLY];
	int k = owed ? saved_find(mi, owed) : -1;
	if (owed && k >= 0) {
		/* A stale right of an earlier call of the same caller (it
		 * stopped waiting): its slot is reused. */
		mica_cap_delete(X2_SEL_TASK, X2_SEL_REPLY(mi, (unsigned)k));
		saved_set(mi, (unsigned)k, 0);
	} else if (owed) {
		k = saved_find(mi, 0);
	}
	if (k >= 0) {
		mica_msgtag_t mt = mica_ipc(X2_SEL_REPLY(mi, (unsigned)k), mica_msgtag(0, 0, 0, 0),
					    MICA_IPC_SAVE_WAIT | filter, src, MICA_TIMEOUTS(0, rto), label);
		if (mica_error(mt) == MICA_OK || (mt.raw & MICA_TAG_RECV_PHASE)) {
			saved_set(mi, (unsigned)k, owed);
			u->user[X2_TCR_REPLY] = 0;
			return mt;
		}
		/* The save failed (out of quota): the receive goes on as Mica's
		 * plain one, which releases the caller owed (aborted). */
	}
	/* Every slot in use: the same. */
	return mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_WAIT | filter, src, MICA_TIMEOUTS(0, rto),
			label);
}

/* Whether `to` is a thread of a loaded space waiting for its start. */
static int start_waits(L4_ThreadId_t to)
{
	int j = x2_find(to.raw);
	return j >= 0 && x2_sys.t[j].load_wait;
}

static L4_Word_t start_loaded(struct mica_utcb *u, L4_ThreadId_t to)
{
	L4_Word_t ip = u->mr[0], sp = u->mr[1];
	u->mr[0] = to.raw;
	u->mr[1] = ip;
	u->mr[2] = sp;
	return x2_server_call(X2_OP_START, 3);
}

/* Everything else: items, timeouts, interrupts, first contact. */
static L4_MsgTag_t slow_ipc(struct mica_utcb *u, L4_ThreadId_t to, L4_ThreadId_t from_spec,
			    L4_Word_t timeouts, L4_ThreadId_t *from)
{
	L4_MsgTag_t tag = { .raw = u->user[X2_TCR_MR0] };
	L4_Word_t me = u->user[X2_TCR_MYSELF];
	unsigned mi = (unsigned)u->user[X2_TCR_INDEX];
	int recv = from_spec.raw != 0;
	mica_word_t label = 0;
	mica_msgtag_t mt;

	if (to.raw) {
		/* Only label, u and t go to Mica; flags are the kernel's. */
		mica_msgtag_t st = { tag.raw & ~(mica_word_t)0xf000 };
		if (tag.X.u + tag.X.t > __L4_MR_MAX)
			return fail(u, L4_ErrMsgOverflow, 0);
		if (tag.X.t)
			items_to_mica(u->mr + tag.X.u, (unsigned)tag.X.t);
		if (to.raw == u->user[X2_TCR_REPLY]) {
			/* The caller waits for this: Mica's reply right. */
			u->user[X2_TCR_REPLY] = 0;
			if (recv && from_spec.raw == ~0ul) {
				mt = mica_ipc(0, st, MICA_IPC_REPLY_WAIT, 0,
					      MICA_TIMEOUTS(0, timeout_of(timeouts & 0xffff, 1, u)), &label);
				if (mica_error(mt) != MICA_OK)
					return fail(u, x2_error_of(mica_error(mt)), 1);
				return received(u, mt, label, from);
			}
			mt = mica_ipc(0, st, MICA_IPC_REPLY, 0, 0, 0);
			if (mica_error(mt) != MICA_OK)
				return fail(u, x2_error_of(mica_error(mt)), 0);
		} else if (x2_local[mi].nsaved && saved_find(mi, to.raw) >= 0) {
			/* A caller answered out of order. */
			mt = reply_saved(mi, (unsigned)saved_find(mi, to.raw), st);
			if (mica_error(mt) != MICA_OK)
				return fail(u, x2_error_of(mica_error(mt)), 0);
		} else if (L4_ThreadNo(to) < X2_SYSTEM_BASE && L4_Version(to) == 1) {
			/* To an interrupt thread: the reply that unmasks. */
			if (L4_ThreadNo(to) >= X2_IRQS || x2_sys.irq_handler[L4_ThreadNo(to)] != me)
				return fail(u, L4_ErrNonExist, 0);
			if (x2_sys.irq_hw[L4_ThreadNo(to)] &&
			    mica_irq_unmask(X2_SEL_IRQ(L4_ThreadNo(to))) != MICA_OK)
				return fail(u, L4_ErrNonExist, 0);
		} else if (tag.X.u == 2 && tag.X.t == 0 && !(recv && from_spec.raw == to.raw) &&
			   start_waits(to)) {
			/* The start message (MR1 ip, MR2 sp) to a thread of a
			 * loaded space that no trampoline of its program waits
			 * in yet: the server starts it. */
			if (start_loaded(u, to) != 0)
				return fail(mica_utcb(), L4_ErrNonExist, 0);
		} else {
			int j = x2_find(to.raw);
			if (j < 0)
				return fail(u, L4_ErrNonExist, 0);
			unsigned p = X2_PAIR(mi, (unsigned)j);
			int call = recv && from_spec.raw == to.raw;
			unsigned kind = call ? X2_SEND_CALL : 0;
			if ((tag.X.flags & __L4_TAG_P) && may_propagate(mi)) {
				/* The virtual sender's id goes first (unpropagate). */
				if (tag.X.u + tag.X.t + 1 > __L4_MR_MAX)
					return fail(u, L4_ErrMsgOverflow, 0);
				for (unsigned k = (unsigned)(tag.X.u + tag.X.t); k > 0; k--)
					u->mr[k] = u->mr[k - 1];
				u->mr[0] = x2_local[mi].vsender;
				st = mica_msgtag(tag.X.label, (unsigned)tag.X.u + 1, (unsigned)tag.X.t, 0);
				kind |= X2_SEND_PROP;
			}
			uint32_t sto = timeout_of(timeouts >> 16, 0, u);
			mica_word_t to_word = call ? MICA_TIMEOUTS(sto, timeout_of(timeouts & 0xffff, 1, u))
						   : MICA_TIMEOUTS(sto, 0);
			for (int tries = 0;; tries++) {
				mt = mica_ipc(X2_SEL_SEND(p, kind), st, call ? MICA_IPC_CALL : MICA_IPC_SEND,
					      0, to_word, &label);
				if (mica_error(mt) != MICA_E_INVALID_CAP || tries)
					break;
				if (!make_pair(me, to.raw))
					return fail(u, L4_ErrNonExist, 0);
			}
			if (mica_error(mt) != MICA_OK)
				return fail(u, x2_error_of(mica_error(mt)),
					    (mt.raw & MICA_TAG_RECV_PHASE) ? 1 : 0);
			if (call) {
				L4_MsgTag_t r = received(u, mt, 0, 0);
				if (from)
					*from = to;
				return r;
			}
		}
		if (!recv) {
			u->user[X2_TCR_MR0] = 0;
			u->user[X2_TCR_ERROR] = 0;
			return L4_Niltag;
		}
	}
	if (!recv) {
		u->user[X2_TCR_ERROR] = 0;
		return L4_Niltag;
	}

	/* The receive phase. */
	uint32_t rto = timeout_of(timeouts & 0xffff, 1, u);
	mica_cap_t src = 0;
	int j = -1, irq = 0;
	if (L4_ThreadNo(from_spec) < X2_SYSTEM_BASE && L4_Version(from_spec) == 1) {
		/* From one interrupt: a closed wait on its Mica IRQ, which
		 * takes that interrupt only. */
		L4_Word_t n = L4_ThreadNo(from_spec);
		if (n >= X2_IRQS || x2_sys.irq_handler[n] != me)
			return fail(u, L4_ErrNonExist, 1);
		src = X2_SEL_IRQ(n);
		irq = 1;
	} else if (from_spec.raw != ~0ul && from_spec.raw != L4_anylocalthread.raw) {
		j = x2_find(from_spec.raw);
		if (j < 0)
			return fail(u, L4_ErrNonExist, 1);
		src = X2_SEL_RECV(X2_PAIR((unsigned)j, mi));
	}
	for (int tries = 0;; tries++) {
		mt = receive(u, mi, src, rto, &label, from_spec.raw == L4_anylocalthread.raw);
		if (mica_error(mt) != MICA_E_INVALID_CAP || !src || irq || tries)
			break;
		if (!make_pair(from_spec.raw, me))
			return fail(u, L4_ErrNonExist, 1);
	}
	if (mica_error(mt) != MICA_OK)
		return fail(u, x2_error_of(mica_error(mt)), 1);
	return received(u, mt, label, from);
}
