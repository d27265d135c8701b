/* A SPIN model of Mica's IPC rendezvous, gate deletion, thread and task
 * destruction and recursive unmap on two CPUs with remote requests
 * (docs/assurance.md says what it checks and within which bounds).
 *
 * It follows kernel/ipc/ipc.c, ipc_steps.h, objects/gate.c, thread.c,
 * sched/cpu_lock.c, sched/remote.c and the rules of docs/architecture.md
 * ("Remote requests", "Locking order", "Object lifetime across CPUs"):
 * the per-CPU and per-gate locks of issue 20. A CPU takes its own lock
 * at every entry from user mode; an IPC step reads who its partner is,
 * takes the locks of the partners' CPUs (one above every lock held is
 * waited for, one below is only tried, and on failure every lock is let
 * go and all are taken in id order, cpu_lock_more), then the gate's
 * lock, then looks again; a capability is looked up without a lock (so
 * the object may go meanwhile, and is freed only after a grace period);
 * a CPU that spins for a lock or for a request it sent runs its own
 * queue of remote requests meanwhile; stopping a thread of another CPU
 * and a TLB shootdown are remote requests that the requester waits for
 * while it holds its locks; thread methods, a task's destruction and a
 * gate's release take every CPU's lock (the kernel's EX_REGS takes only
 * its target's and partner's: docs/assurance.md).
 *
 * Each step under a lock is one atomic block, except a queue append,
 * whose read of the tail and write of the new tail are two steps (a
 * list append is several stores): the locks make the rest so in the
 * kernel, and it keeps the state space small. The CPUs' processes are
 * the only actors; threads are data that a CPU runs. */

#define NCPU 2
#define NT 3 /* threads */
#define NONE 255

/* Threads: two clients in task 1, the server in task 0. */
#define CLIENT0 0 /* on CPU 0 */
#define SERVER 1  /* on CPU 1: every IPC between it and CLIENT0 crosses CPUs */
#define CLIENT1 2 /* on CPU 1 */

/* Thread states and what a blocked thread waits for (enum wait). */
#define RUN 0
#define BLOCKED 1
#define DEAD 2
#define W_NONE 0
#define W_SEND 1
#define W_RECV 2
#define W_REPLY 3

/* Bounds: system calls per thread, so that every run ends (make model
 * sets them; these are the defaults). */
#ifndef CLIENT_OPS
#define CLIENT_OPS 1
#endif
#ifndef SERVER_OPS
#define SERVER_OPS 2
#endif

byte st[NT], wt[NT];
bool armed[NT];	    /* a tmo is armed for the wait */
byte partner[NT];   /* W_REPLY: the server that owes the reply */
byte reply_to[NT];  /* the caller this thread owes a reply (its reply right) */
bool is_call[NT];   /* a queued sender's message is a call */
byte cpu_of[NT];
byte ops[NT];	    /* system calls the thread still makes */
bool freed_t[NT];   /* the thread object went back to the allocator */
byte cur[NCPU];	    /* the thread a CPU runs (NONE: idle) */
bool holds_ptr[NCPU]; /* in the kernel with an object pointer found without a lock */

/* The one gate, bound to SERVER: its sender and receiver FIFOs. */
byte sq[NT], rq[NT];
byte sn, rn;
bool g_deleted, g_freed;

/* Ghost counters for the properties. */
byte calls[NT], replies[NT], got[NT];

/* The CPUs' locks, the gate's lock and the mapping database's lock: the
 * holding CPU. */
byte clk[NCPU] = NONE;
byte glk = NONE, mlock = NONE;

/* Remote requests: each CPU's FIFO (kind, argument, requester), and per
 * requester whether its request ran (a requester waits for one at a
 * time, like remote_run) and, for a grace-period probe, whether the
 * target was at a quiescent point. */
#define R_EVICT 1 /* sched_evict: stop running the thread */
#define R_SHOOT 2 /* drop the TLB entry of a mapping node */
#define R_PROBE 3 /* the grace period's empty request */
chan req[NCPU] = [2] of { byte, byte, byte };
bool done[NCPU], quiet[NCPU];

/* Mappings: a derivation tree of four nodes (0: sigma0's page, 1 mapped
 * from 0, 2 and 3 from 1), which CPUs cache in their TLBs. */
#define NN 4
byte parent[NN];
bool mapped[NN];
byte tlb[NCPU]; /* bit n: the CPU holds a translation of node n */

/* Admin actions, made by a root thread on CPU 0: each at most once, and
 * at most ADMIN_OPS of them in one run (every pair, in either order, at
 * any point of the IPC). */
#ifndef ADMIN_OPS
#define ADMIN_OPS 2
#endif
bool did_gate_delete, did_kill, did_task_kill, did_unmap, did_cancel;
byte admin = ADMIN_OPS;

/* ---- remote requests ---- */
inline serve_one(me, at_quiescent)
{
	atomic {
		req[me]?kind, arg, from;
		if
		:: kind == R_EVICT -> if
			:: cur[me] == arg -> cur[me] = NONE
			:: else -> skip
			fi
		:: kind == R_SHOOT -> tlb[me] = tlb[me] & ~(1 << arg)
		:: kind == R_PROBE -> quiet[from] = at_quiescent
		fi;
		done[from] = true;
		kind = 0; arg = 0; from = 0
	}
}

/* remote_run: post, then spin until it ran, running our own queue. */
inline remote_run(me, target, kind_, arg_)
{
	done[me] = false;
	req[target]!kind_, arg_, me;
	do
	:: done[me] -> break
	:: nempty(req[me]) -> serve_one(me, false)
	od
}

/* A serving spin lock: the spinner runs its own requests meanwhile (not
 * a quiescent point when it holds a pointer it found before). */
inline lock(l, me)
{
	do
	:: atomic { l == NONE -> l = me; break }
#ifndef MUTANT_NO_SERVE_IN_SPIN
#ifdef MUTANT_LOCK_WAIT_QUIESCENT
	:: nempty(req[me]) -> serve_one(me, true)
#else
	:: nempty(req[me]) -> serve_one(me, !holds_ptr[me])
#endif
#endif
	od
}
inline unlock(l)
{
	l = NONE
}

/* cpu_lock_more for the other CPU's lock (two CPUs: "other" is the only
 * one): above ours it is waited for; below, it is only tried, and if
 * that fails this CPU lets its own go (the system call is rewound) and
 * takes both in id order. */
inline lock_more(me)
{
	if
	:: me < other -> lock(clk[other], me)
	:: me > other ->
#ifdef MUTANT_CPU_LOCK_ORDER
		lock(clk[other], me)
#else
		if
		:: atomic { clk[other] == NONE -> clk[other] = me }
		:: atomic { clk[other] != NONE -> clk[me] = NONE };
			lock(clk[other], me);
			lock(clk[me], me)
		fi
#endif
	fi
}

/* cpu_lock_all, from an entry: this CPU's lock, then the other's. */
inline lock_all(me)
{
	lock(clk[me], me);
	lock_more(me)
}
inline unlock_all(me)
{
	clk[other] = NONE;
	clk[me] = NONE
}
/* Lets go what an IPC step holds: the gate's, the other CPU's, its own. */
inline unlock_step(me)
{
	if
	:: glk == me -> glk = NONE
	:: else -> skip
	fi;
	if
	:: clk[other] == me -> clk[other] = NONE
	:: else -> skip
	fi;
	clk[me] = NONE
}

#ifdef MUTANT_NO_GATE_LOCK
#define gate_lock(me) skip
#else
#define gate_lock(me) lock(glk, me)
#endif

/* ---- IPC, under the locks of the CPUs of every thread it touches and
 * the gate's ---- */
inline deliver(to)
{
	assert(st[to] != DEAD && !freed_t[to]); /* never to a destroyed thread */
	got[to]++
}

/* Takes t out of the gate's sender (SQ) or receiver (RQ) FIFO. */
#define SQ 0
#define RQ 1
inline dequeue(which, t)
{
	i = 0;
	do
	:: which == SQ && i < sn && sq[i] != t -> i++
	:: which == RQ && i < rn && rq[i] != t -> i++
	:: else -> break
	od;
	assert(which == SQ && i < sn || which == RQ && i < rn); /* a queued wait is in its queue */
	do
	:: which == SQ && i + 1 < sn -> sq[i] = sq[i + 1]; i++
	:: which == RQ && i + 1 < rn -> rq[i] = rq[i + 1]; i++
	:: else -> break
	od;
	if
	:: which == SQ -> sn--; sq[sn] = NONE
	:: else -> rn--; rq[rn] = NONE
	fi;
	i = 0
}

/* sched_ready: x runs again. A thread of the other CPU, if that CPU
 * idles with nothing in hand, becomes its current thread at once (the
 * hand-off of issue 27: not queued, the next pick there finds it);
 * whatever takes x off that CPU meanwhile (an eviction) clears it. The
 * waker holds that CPU's lock. */
inline wake(x)
{
	st[x] = RUN;
#ifndef NO_HANDOFF
	if
	:: cpu_of[x] != me && cur[cpu_of[x]] == NONE ->
		assert(clk[cpu_of[x]] == me); /* under its CPU's lock */
		cur[cpu_of[x]] = x
	:: else -> skip
	fi
#endif
}

/* ipc_abort: a blocked thread leaves its wait with an error. */
inline abort(t)
{
	if
	:: wt[t] == W_SEND -> dequeue(SQ, t)
	:: wt[t] == W_RECV -> dequeue(RQ, t)
	:: wt[t] == W_REPLY -> p = partner[t]; assert(reply_to[p] == t); reply_to[p] = NONE; partner[t] = NONE; p = 0
	:: wt[t] == W_NONE -> skip
	fi;
	if
	:: wt[t] != W_NONE && st[t] != DEAD -> wake(t)
	:: else -> skip
	fi;
	wt[t] = W_NONE;
	armed[t] = false
}

/* ipc_give_reply_right: the server owes the caller a reply; a reply
 * right it held before is dropped (that caller fails). */
inline give_reply_right(server, caller)
{
	if
	:: reply_to[server] != NONE -> y = reply_to[server]; abort(y)
	:: else -> skip
	fi;
	reply_to[server] = caller;
	partner[caller] = server;
	wt[caller] = W_REPLY;
	st[caller] = BLOCKED;
	calls[caller]++
}

inline send(t, call, tmo)
{
	if
	:: rn > 0 ->
		r = rq[0];
		dequeue(RQ, r);
		deliver(r);
		wake(r); wt[r] = W_NONE; armed[r] = false;
		if
		:: call -> give_reply_right(r, t); armed[t] = tmo
		:: else -> skip
		fi;
		r = 0
	:: rn == 0 && !tmo -> skip /* tmo zero: fails at once */
	:: rn == 0 && tmo ->
		enq = 1; pos = sn; /* the tail is read; finish_enqueue writes it */
		wt[t] = W_SEND; st[t] = BLOCKED; is_call[t] = call; armed[t] = true
	fi
}

inline receive(t, tmo)
{
	if
	:: sn > 0 ->
		s = sq[0];
		dequeue(SQ, s);
		deliver(t);
		wt[s] = W_NONE; armed[s] = false;
		if
		:: is_call[s] -> give_reply_right(t, s)
		:: else -> wake(s)
		fi;
		s = 0
	:: sn == 0 && !tmo -> skip
	:: sn == 0 && tmo ->
		enq = 2; pos = rn;
		wt[t] = W_RECV; st[t] = BLOCKED; armed[t] = true
	fi
}

/* The second step of a queue append, still under the gate's lock; then
 * no thread that waits on the gate is missing from its queue (else its
 * message is lost: nothing would ever take it). */
inline finish_enqueue(t)
{
	if
	:: enq == 1 -> sq[pos] = t; sn = pos + 1
	:: enq == 2 -> rq[pos] = t; rn = pos + 1
	:: else -> skip
	fi;
	enq = 0; pos = 0;
	i = 0;
	do
	:: i < NT ->
		j = 0;
		do
		:: j < sn && sq[j] != i -> j++
		:: else -> break
		od;
		assert(wt[i] != W_SEND || j < sn); /* no sender is lost */
		j = 0;
		do
		:: j < rn && rq[j] != i -> j++
		:: else -> break
		od;
		assert(wt[i] != W_RECV || j < rn); /* no receiver is lost */
		i++
	:: else -> break
	od;
	i = 0; j = 0
}

/* reply_phase: the reply right is used once, then gone. */
inline reply(t)
{
	if
	:: reply_to[t] != NONE ->
		c = reply_to[t];
		assert(wt[c] == W_REPLY && partner[c] == t && st[c] == BLOCKED);
#ifndef MUTANT_REPLY_RIGHT_KEPT
		reply_to[t] = NONE;
#endif
		partner[c] = NONE; wt[c] = W_NONE; armed[c] = false;
		deliver(c);
		replies[c]++;
		assert(replies[c] <= calls[c]); /* at most one reply per call */
		wake(c);
		c = 0
	:: else -> skip
	fi
}

/* ---- destruction ---- */
/* thread_kill under every CPU's lock: its waits and the reply it is owed
 * or owes end, the gates it serves lose their senders, and a thread of
 * another CPU is evicted there (a request we wait for, holding the lock). */
inline kill(me, x)
{
	abort(x);
	if
	:: reply_to[x] != NONE -> y = reply_to[x]; abort(y)
	:: else -> skip
	fi;
	if
	:: x == SERVER -> do /* gate_server_gone */
		:: sn > 0 -> y = sq[0]; abort(y)
		:: else -> break
		od
	:: else -> skip
	fi;
	st[x] = DEAD;
	if
	:: cpu_of[x] != me -> remote_run(me, cpu_of[x], R_EVICT, x)
	:: else -> if
		:: cur[me] == x -> cur[me] = NONE
		:: else -> skip
		fi
	fi;
	/* Released now, not later: nobody waits on or for x. */
	assert(wt[x] == W_NONE && reply_to[x] == NONE);
	i = 0;
	do
	:: i < NT -> assert(partner[i] != x); i++
	:: else -> i = 0; break
	od
}

/* The reaper's grace period: every other CPU passes a quiescent point. */
inline grace_period(me)
{
	other = 1 - me;
	quiet[me] = false;
	do
	:: !quiet[me] -> remote_run(me, other, R_PROBE, 0)
	:: quiet[me] -> break
	od
}

inline free_thread(x)
{
	i = 0;
	do
	:: i < NT -> assert(sq[i] != x && rq[i] != x && partner[i] != x && reply_to[i] != x); i++
	:: else -> i = 0; break
	od;
	assert(cur[0] != x && cur[1] != x);
	freed_t[x] = true
}

/* Recursive unmap of node n's subtree (mapdb_unmap), holding the mapping
 * database's lock while the other CPU drops its translations. */
inline unmap(me, n)
{
	lock(mlock, me);
	j = 0;
	do
	:: j < NN ->
		/* below(j, n): j is n or lies under it (depth <= 2 here) */
		if
		:: j == n || parent[j] == n || (parent[j] != NONE && parent[parent[j]] == n) ->
			mapped[j] = false;
			tlb[me] = tlb[me] & ~(1 << j);
#ifndef MUTANT_NO_SHOOTDOWN
			remote_run(me, 1 - me, R_SHOOT, j)
#else
			skip
#endif
		:: else -> skip
		fi;
		j++
	:: else -> break
	od;
	unlock(mlock);
	/* After it: nothing of the subtree is mapped or cached anywhere,
	 * and the rest of the tree is as it was. */
	j = 0;
	do
	:: j < NN ->
		if
		:: j == n || parent[j] == n || (parent[j] != NONE && parent[parent[j]] == n) ->
			assert(!mapped[j] && (tlb[0] & (1 << j)) == 0 && (tlb[1] & (1 << j)) == 0)
		:: else -> assert(mapped[j])
		fi;
		j++
	:: else -> j = 0; break
	od
}

#define runnable(x) (st[x] == RUN && cpu_of[x] == me && ops[x] > 0)
#define expiring(x) (armed[x] && cpu_of[x] == me)
/* x is a thread of the other CPU: reaching it needs that CPU's lock. */
#define remote(x) (x != NONE && cpu_of[x] != me)
/* An IPC step of t needs the other CPU's lock: a client's call or send
 * reaches the receiver (and the caller whose reply right the receiver
 * loses); the server reaches the caller it replies to or whose right it
 * drops, and the sender it takes. */
#define ipc_needs_other(t) \
	(t != SERVER && rn > 0 && (remote(rq[0]) || remote(reply_to[rq[0]])) || \
	 t == SERVER && (remote(reply_to[t]) || sn > 0 && remote(sq[0])))
/* A timeout's abort reaches the server that owes the reply. */
#define tmo_needs_other(t) (wt[t] == W_REPLY && remote(partner[t]))

proctype cpu(byte me)
{
	byte kind, arg, from; /* serve_one's */
	byte t, i, j, r, s, c, y, p, other, enq, pos;
	bool call, tmo;

	other = 1 - me;
end_idle:
	do
	/* The remote-request interrupt, in user mode or idle: quiescent. */
	:: nempty(req[me]) -> serve_one(me, true)

	/* A thread of ours runs on to its next system call (chosen under
	 * this CPU's lock: not while another CPU reaches into its threads). */
	:: atomic {
		cur[me] == NONE && clk[me] == NONE && (runnable(CLIENT0) || runnable(SERVER) || runnable(CLIENT1)) ->
		if
		:: runnable(CLIENT0) -> cur[me] = CLIENT0
		:: runnable(SERVER) -> cur[me] = SERVER
		:: runnable(CLIENT1) -> cur[me] = CLIENT1
		fi
	   }
	/* A thread handed to this CPU (wake) that makes no more system
	 * calls runs on in user mode: the CPU's pick is free again. */
	:: atomic { cur[me] != NONE && ops[cur[me]] == 0 && clk[me] == NONE -> cur[me] = NONE }
	:: cur[me] != NONE && ops[cur[me]] > 0 ->
		t = cur[me];
		/* Its user code touches its memory: the TLB caches it. */
		atomic {
			if
			:: mapped[2] && t != SERVER -> tlb[me] = tlb[me] | 4
			:: mapped[1] && t == SERVER -> tlb[me] = tlb[me] | 2
			:: true -> skip
			fi
		}
		if
		:: call = true
		:: call = false
		fi;
		if
		:: tmo = true
		:: tmo = false
		fi;
		/* Entry: this CPU's own lock, waited for with nothing in hand
		 * (a quiescent point). */
		lock(clk[me], me);
		/* The gate's capability is looked up without a lock. */
		atomic {
			if
			:: cur[me] != t -> clk[me] = NONE; goto next /* evicted while we waited */
			:: cur[me] == t && g_deleted -> ops[t]--; cur[me] = NONE; clk[me] = NONE; goto next /* an invalid capability: an error; it ends */
			:: else -> holds_ptr[me] = true
			fi
		}
again:
		/* Who the partners are, read without the gate's lock; then
		 * their CPUs' locks. */
		if
		:: ipc_needs_other(t) && clk[other] != me -> lock_more(me)
		:: else -> skip
		fi;
		atomic {
			if
			:: cur[me] != t -> /* evicted while this CPU let its lock go: abandoned, made again later */
				holds_ptr[me] = false; unlock_step(me); goto next
			:: else -> skip
			fi
		}
		gate_lock(me);
		atomic {
			assert(!g_freed); /* what the lookup found is still there */
			if
			:: g_deleted -> ops[t]--; cur[me] = NONE /* looked up again under the locks */
			:: !g_deleted && ipc_needs_other(t) && clk[other] != me -> /* look again: another partner */
				if
				:: glk == me -> glk = NONE
				:: else -> skip
				fi;
				goto again
			:: else ->
				ops[t]--;
				if
				:: t != SERVER -> send(t, call, tmo)
				:: t == SERVER && call -> reply(t); receive(t, tmo) /* reply and wait */
				:: t == SERVER && !call -> receive(t, tmo)
				fi
			fi
		}
		atomic {
			finish_enqueue(t);
			if
			:: st[t] != RUN || ops[t] == 0 -> cur[me] = NONE /* blocked, or done */
			:: else -> skip
			fi;
			holds_ptr[me] = false;
			unlock_step(me)
		}
next:
		skip

	/* A thread's own CPU sees its tmo expire (an interrupt: nothing in
	 * hand). */
	:: atomic { clk[me] == NONE && (expiring(CLIENT0) || expiring(SERVER) || expiring(CLIENT1)) ->
		if
		:: expiring(CLIENT0) -> t = CLIENT0
		:: expiring(SERVER) -> t = SERVER
		:: expiring(CLIENT1) -> t = CLIENT1
		fi;
		clk[me] = me
	   }
tagain:
		if
		:: tmo_needs_other(t) && clk[other] != me -> lock_more(me)
		:: else -> skip
		fi;
		gate_lock(me);
		atomic {
			if
			:: tmo_needs_other(t) && clk[other] != me ->
				if
				:: glk == me -> glk = NONE
				:: else -> skip
				fi;
				goto tagain
			:: else ->
				if
				:: wt[t] != W_NONE && st[t] == BLOCKED -> abort(t)
				:: else -> armed[t] = false
				fi;
				unlock_step(me)
			fi
		}

	/* Admin (a root thread of CPU 0): delete the gate. Its release
	 * holds every CPU's lock, so the queues hold still. */
	:: atomic { me == 0 && admin > 0 && !did_gate_delete -> did_gate_delete = true; admin-- };
		lock_all(me);
		atomic {
			g_deleted = true;
			do /* gate_release: senders, then receivers, leave */
			:: sn > 0 -> y = sq[0]; abort(y)
#ifndef MUTANT_GATE_KEEPS_RECEIVERS
			:: sn == 0 && rn > 0 -> y = rq[0]; abort(y)
			:: sn == 0 && rn == 0 -> break
#else
			:: sn == 0 -> break
#endif
			od;
			i = 0;
			do
			:: i < NT -> assert(wt[i] != W_SEND && wt[i] != W_RECV); i++
			:: else -> i = 0; break
			od;
			unlock_all(me)
		}
		grace_period(me);
		/* No queue points to it, and no CPU still uses what it found. */
		assert(sn == 0 && rn == 0 && !holds_ptr[1 - me]);
		g_freed = true

	/* Admin: cancel a blocked thread's IPC (thread_ex_regs). */
	:: atomic { me == 0 && admin > 0 && !did_cancel -> did_cancel = true; admin-- };
		lock_all(me);
		atomic {
			if
			:: st[CLIENT0] == BLOCKED -> abort(CLIENT0)
			:: st[SERVER] == BLOCKED -> abort(SERVER)
			:: st[CLIENT1] == BLOCKED -> abort(CLIENT1)
			:: else -> skip
			fi;
			unlock_all(me)
		}

	/* Admin: delete the server thread (on the other CPU). */
	:: atomic { me == 0 && admin > 0 && !did_kill -> did_kill = true; admin-- };
		lock_all(me);
		kill(me, SERVER);
		unlock_all(me);
		grace_period(me);
		free_thread(SERVER)

	/* Admin: destroy task 1, both its threads (one on each CPU). */
	:: atomic { me == 0 && admin > 0 && !did_task_kill -> did_task_kill = true; admin-- };
		lock_all(me);
		kill(me, CLIENT0);
		kill(me, CLIENT1);
		unlock_all(me);
		grace_period(me);
		free_thread(CLIENT0);
		free_thread(CLIENT1)

	/* Admin: unmap node 1 and what was mapped from it, from an entry
	 * (this CPU's lock), holding the mapping database's lock. */
	:: atomic { me == 0 && admin > 0 && !did_unmap -> did_unmap = true; admin-- };
		lock(clk[me], me);
		unmap(me, 1);
		clk[me] = NONE
	od
}

init
{
	byte k;
	atomic {
		for (k : 0 .. NT - 1) {
			st[k] = RUN; wt[k] = W_NONE; partner[k] = NONE; reply_to[k] = NONE;
			sq[k] = NONE; rq[k] = NONE
		}
		cpu_of[CLIENT0] = 0; cpu_of[SERVER] = 1; cpu_of[CLIENT1] = 1;
		ops[CLIENT0] = CLIENT_OPS; ops[SERVER] = SERVER_OPS; ops[CLIENT1] = CLIENT_OPS;
		cur[0] = NONE; cur[1] = NONE;
		parent[0] = NONE; parent[1] = 0; parent[2] = 1; parent[3] = 1;
		for (k : 0 .. NN - 1) {
			mapped[k] = true
		}
		run cpu(0);
		run cpu(1)
	}
}
