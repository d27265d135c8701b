/* The X.2 personality's own state: the thread table that maps global
 * thread ids to Mica capabilities, the spaces, the selector layout every
 * X.2 space shares, and the thread-id server's protocol. */
#pragma once

#include <l4/types.h>
#include <mica/types.h>

#include <x2_mica.h>

/* Table sizes: compile-time, bounded by the selector layout below (the
 * pair gates grow with the square of the threads); docs/x2.md says why. */
#define X2_MAX_THREADS 64
#define X2_MAX_SPACES 16
#define X2_MAX_SAVED 8 /* reply rights a thread holds saved, for answering out of order */
#define X2_SYSTEM_BASE X2_IRQS
#define X2_USER_BASE 48
#define X2_SIGMA0_NO X2_USER_BASE
#define X2_ROOT_NO (X2_USER_BASE + 2)
#define X2_PAGE 4096ul

/* Selectors, the same in every X.2 space (X2_SEL + offset). */
#define X2_SEL 0x80000ul		       /* clear of the ranges the suite and the benchmark use */
#define X2_SEL_IDSRV (X2_SEL + 0)	       /* the id server's gate (labeled with the space) */
#define X2_SEL_IDSRV_TH (X2_SEL + 1)	       /* root: the id server's thread */
#define X2_SEL_TASK (X2_SEL + 2)	       /* this space's task */
#define X2_SEL_SIGMA0 (X2_SEL + 3)	       /* the creator's pager (X.2's sigma0) */
#define X2_SEL_SCHED (X2_SEL + 4)	       /* root: the scheduler */
#define X2_SEL_FACTORY (X2_SEL + 5)	       /* root: the factory */
#define X2_SEL_ICU (X2_SEL + 6)		       /* root: the ICU */
#define X2_SEL_IDSRV_ORIG (X2_SEL + 7)	       /* root: the server's gate, unlabeled */
#define X2_SEL_TH(i) (X2_SEL + 0x100 + (i))    /* thread objects */
#define X2_SEL_SPACE(s) (X2_SEL + 0x200 + (s)) /* root: task of space s */
#define X2_SEL_IRQ(n) (X2_SEL + 0x300 + (n))   /* IRQ objects */
#define X2_SEL_REPLY(i, k)                                                                                   \
	(X2_SEL + 0x400 + (unsigned long)(i)*X2_MAX_SAVED + (k)) /* thread i's saved replies */
#define X2_PAIRS ((unsigned long)X2_MAX_THREADS * X2_MAX_THREADS)
#define X2_PAIR(i, j) ((unsigned)(i)*X2_MAX_THREADS + (unsigned)(j)) /* sender i, receiver j */
#define X2_SEL_GATE(p) (X2_SEL + 0x1000 + (p))			     /* root: the pair's gate */
/* The sender's four: kind bit 0 a call, bit 1 propagated (X2_SEND_*). */
#define X2_SEND_CALL 1u
#define X2_SEND_PROP 2u
#define X2_SEL_SEND(p, kind)                                                                                 \
	(X2_SEL + 0x1000 + X2_PAIRS + 4ul * (p) + (unsigned long)(kind)) /* sender's task */
#define X2_SEL_RECV(p) (X2_SEL + 0x1000 + 5 * X2_PAIRS + (p))		 /* receiver's task */
#define X2_SEL_END (X2_SEL + 0x1000 + 6 * X2_PAIRS)
_Static_assert(X2_MAX_THREADS <= 0x100 && X2_MAX_SPACES <= 0x100 && X2_IRQS <= 0x100 &&
		       X2_MAX_THREADS * X2_MAX_SAVED <= 0xc00,
	       "the selector ranges of X2_SEL_* overlap");
_Static_assert((X2_MAX_THREADS & (X2_MAX_THREADS - 1)) == 0, "X2_MAX_THREADS is a power of two (hashing)");

/* Gate labels: the sender's global id, bit 63 if it is a call (the
 * receiver then holds a reply right); interrupts: the interrupt's id with
 * bit 62. Thread numbers stay below 2^40, so the bits are free. */
#define X2_LBL_CALL (1ul << 63)
#define X2_LBL_IRQ (1ul << 62)
/* The thread-id server's gate as the Mica pager of threads whose X.2
 * pager is sigma0 in a space that is not the root server's: label the
 * space + 1 with this bit. */
#define X2_LBL_FAULT (1ul << 61)
/* A propagated message (X.2's propagate bit): sent through the pair's
 * capabilities with this bit, MR0 (Mica's) the virtual sender's id
 * before the X.2 words. */
#define X2_LBL_PROP (1ul << 60)
/* The sender's space + 1 in label bits 59..54 of a pair's send
 * capabilities (global ids stay below 2^54: thread numbers below 2^40),
 * so that a closed receive from L4_anylocalthread is Mica's filtered open
 * wait (MICA_IPC_FILTER) for the receiver's space: exact, and messages
 * from other spaces stay queued. X2_LBL_GID strips every flag. */
#define X2_LBL_SPACE_SHIFT 54
#define X2_LBL_SPACE_MASK (0x3ful << X2_LBL_SPACE_SHIFT)
#define X2_LBL_SPACE(s) ((L4_Word_t)((s) + 1) << X2_LBL_SPACE_SHIFT)
#define X2_LBL_GID ((1ul << X2_LBL_SPACE_SHIFT) - 1)
_Static_assert(X2_MAX_SPACES < 0x3f, "space numbers fit label bits 59..54");

/* UTCB TCRs the personality keeps (mica_utcb.user[]). */
#define X2_TCR_MR0 0
#define X2_TCR_MYSELF 1
#define X2_TCR_REPLY 2 /* the caller this thread owes a reply (0: none) */
#define X2_TCR_ERROR 3
#define X2_TCR_INDEX 4		   /* the table index (low 32 bits) and X2_INDEX_SAVED */
#define X2_INDEX_SAVED (1ul << 32) /* the thread holds saved reply rights (x2_thread.nsaved) */

/* The table lives in pages of its own, written only by the root server's
 * space (the thread-id server and the root's threads) and mapped
 * read-only into every other X.2 space (x2_image.c): what a thread there
 * reads from it is what the server wrote, and nothing there can change
 * it. */
struct x2_thread {
	L4_Word_t gid; /* 0: free */
	L4_Word_t utcb;
	L4_Word_t pager, exc, handle;
	volatile L4_Word_t start_ip, start_sp;
	/* ExchangeRegisters gave the start registers, or the thread told the
	 * server that its pager's start message came (X2_OP_STARTED). */
	volatile int start_set;
	unsigned space;
	int active; /* bound and started (in the start trampoline or running) */
	/* A thread of a loaded space that has not started: its space's
	 * program has no start trampoline the server knows yet, so the
	 * start (ExchangeRegisters with ip and sp, or the pager's start
	 * message) goes to the server (X2_OP_START). */
	int load_wait;
};

/* What a thread keeps for itself, in its own space's copy of the image
 * (so not in the read-only table): the callers whose reply rights it saved
 * (X2_SEL_REPLY(i, k)); 0: free. Reset when a thread starts at index i. */
struct x2_local {
	L4_Word_t saved[X2_MAX_SAVED];
	unsigned nsaved;
	/* The VirtualSender/ActualSender TCR (<l4/ipc.h>). */
	L4_Word_t vsender;
};
extern struct x2_local x2_local[X2_MAX_THREADS];

struct x2_space {
	int used, configured;
	unsigned threads;
	L4_Word_t kip, utcb_area;
	/* A space for a program of its own (SpaceControl with
	 * X2_SPACE_OWN_PROGRAM, <x2_load.h>): no copy of the creator's image.
	 * Its first thread starts at the program's entry; the program then
	 * joins (X2_OP_JOIN), naming its start trampoline and start stacks
	 * for the space's later threads, and gets the table read-only at its
	 * own x2_sys. */
	int loaded, joined;
	unsigned first; /* the thread started at the entry: index + 1 */
	L4_Word_t entry, stacks, stack_size;
};

struct x2_sys {
	_Alignas(X2_PAGE) int ready; /* whole pages: see struct x2_thread */
	unsigned prio;
	struct x2_thread t[X2_MAX_THREADS];
	struct x2_space s[X2_MAX_SPACES];
	unsigned char pair[X2_MAX_THREADS * X2_MAX_THREADS];
	L4_Word_t irq_handler[X2_IRQS]; /* gid; 0: not associated */
	unsigned char irq_hw[X2_IRQS];
};

/* Read-only in every X.2 space but the root server's (x2_image.c). */
extern struct x2_sys x2_sys;

/* The table index of a global id, or -1. */
static inline int x2_find(L4_Word_t gid)
{
	if ((gid & 0x3f) == 0)
		return -1;
	unsigned h = (unsigned)(gid >> 14) % X2_MAX_THREADS;
	for (unsigned k = 0; k < X2_MAX_THREADS; k++) {
		unsigned i = (h + k) % X2_MAX_THREADS;
		if (x2_sys.t[i].gid == gid)
			return (int)i;
	}
	return -1;
}

/* ---- the thread-id server: its operations (the gate label is the
 * caller's space + 1; MR0.. the arguments; the answer MR0 = 0 or an X.2
 * error code, MR1.. results). */
enum x2_op {
	X2_OP_PAIR = 1,	      /* sender gid, receiver gid */
	X2_OP_THREAD_CONTROL, /* dest, space, scheduler, pager, utcb */
	X2_OP_SPACE_CONTROL,  /* space, control, kip area, utcb area */
	X2_OP_EXREGS,	      /* dest, control, sp, ip, flags, handle, pager → 6 old values, id */
	X2_OP_SCHEDULE,	      /* dest, time control, prio, processor control → state, old time control */
	X2_OP_ASSOCIATE,      /* irq, handler */
	X2_OP_DEASSOCIATE,    /* irq */
	X2_OP_SET_EXC,	      /* thread, handler */
	X2_OP_STARTED,	      /* thread: its pager's start message came */
	X2_OP_START,	      /* thread, ip, sp: start a thread of a loaded space (load_wait) */
	X2_OP_JOIN, /* table address, size, trampoline, stacks, stack size, version → gid, index */
};

/* The start of an X.2 program loaded into a space of its own
 * (x2_start.c): joins the root server's personality; MICA_OK, or the
 * error when this is no such space (then it is a root server). */
int x2_join(void);
/* What a joining program and the server must agree on (the table's
 * layout): changes whenever struct x2_sys does. */
#define X2_JOIN_VERSION 1

/* Calls the server with n words in MR0..; the X.2 error (0 = success). */
L4_Word_t x2_server_call(enum x2_op op, unsigned n);
/* The start trampoline of threads ThreadControl activates (arg: index). */
void x2_thread_entry(L4_Word_t idx);
/* Where an X.2 thread's function returns to: it halts for good. */
void x2_thread_returned(void);

/* SpaceControl's part: gives the new space `task` (space s) its own copy
 * of the program's writable image, the table read-only and the ranges
 * x2_share named shared; x2_image_release returns the copy's memory. */
void x2_image_setup(mica_cap_t mem, mica_cap_t rm);
int x2_image_give(unsigned s, mica_cap_t task);
void x2_image_release(unsigned s);

/* X.2 fpage rights are r 4, w 2, x 1; Mica's R 1, W 2, X 4. */
static inline L4_Word_t x2_swap_rwx(L4_Word_t r)
{
	return ((r & 4) >> 2) | (r & 2) | ((r & 1) << 2);
}
/* An X.2 memory fpage as a Mica one (and back: the same swap). */
static inline mica_word_t x2_fpage_to_mica(L4_Word_t f)
{
	if ((f >> 4 & 0x3f) == 1 && (f & ~0x3fful) == 0) /* the complete space */
		return (47ul << 4) | x2_swap_rwx(f & 7);
	return (f & ~0xffful) | (f & 0x3f0) | x2_swap_rwx(f & 7);
}
static inline L4_Word_t x2_fpage_from_mica(mica_word_t f)
{
	return (f & ~0xffful) | (f & 0x3f0) | x2_swap_rwx(f & 7);
}
