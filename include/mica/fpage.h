/* Flexpages and the typed items that carry them (docs/abi.md section 5.6).
 *
 * A flexpage is a size-aligned power-of-two region of one of a task's
 * three spaces: memory (bytes), I/O ports or objects (capability
 * selectors). One word:
 *
 *   63                      12 11  10 9      4 3 2     0
 *  +--------------------------+------+--------+-+-------+
 *  |  base (see below)        | type | log2 s |0|rights |
 *  +--------------------------+------+--------+-+-------+
 *
 * Memory: the base is the address itself (bits 11..0 are the fields), so
 * it is page-aligned, and 12 <= s <= 47. I/O: base = word >> 12 is the
 * first port, s <= 16. Object: base = word >> 12 is the first selector,
 * s <= 24. In every space the base is a multiple of 2^s. The word 0 is the
 * nil flexpage: no region at all. */
#pragma once

#include <mica/types.h>

enum mica_fpage_type {
	MICA_FPAGE_MEM = 0,
	MICA_FPAGE_IO = 1,
	MICA_FPAGE_OBJ = 2,
};

/* Rights: memory read, write, execute. For I/O ports only R counts (the
 * port is usable). For objects the three bits are the capability's
 * rights (mica/caps.h). */
#define MICA_FPAGE_R (1ul << 0)
#define MICA_FPAGE_W (1ul << 1)
#define MICA_FPAGE_X (1ul << 2)
#define MICA_FPAGE_RW (MICA_FPAGE_R | MICA_FPAGE_W)
#define MICA_FPAGE_RX (MICA_FPAGE_R | MICA_FPAGE_X)
#define MICA_FPAGE_RWX (MICA_FPAGE_R | MICA_FPAGE_W | MICA_FPAGE_X)
#define MICA_FPAGE_RIGHTS 7ul

#define MICA_FPAGE_SIZE_SHIFT 4
#define MICA_FPAGE_TYPE_SHIFT 10
#define MICA_FPAGE_BASE_SHIFT 12

#define MICA_FPAGE_MEM_MIN 12 /* one page */
#define MICA_FPAGE_MEM_MAX 47 /* the whole user half */
#define MICA_FPAGE_IO_MAX 16
#define MICA_FPAGE_OBJ_MAX 24

#define MICA_FPAGE_NIL 0ul

static inline mica_word_t mica_fpage_mem(mica_word_t addr, unsigned log2, mica_word_t rights)
{
	return (addr & ~0xffful) | ((mica_word_t)(MICA_FPAGE_MEM) << MICA_FPAGE_TYPE_SHIFT) |
	       ((mica_word_t)(log2 & 0x3f) << MICA_FPAGE_SIZE_SHIFT) | (rights & MICA_FPAGE_RIGHTS);
}
static inline mica_word_t mica_fpage_io(mica_word_t port, unsigned log2)
{
	return (port << MICA_FPAGE_BASE_SHIFT) | ((mica_word_t)(MICA_FPAGE_IO) << MICA_FPAGE_TYPE_SHIFT) |
	       ((mica_word_t)(log2 & 0x3f) << MICA_FPAGE_SIZE_SHIFT) | MICA_FPAGE_R;
}
static inline mica_word_t mica_fpage_obj(mica_word_t sel, unsigned log2, mica_word_t rights)
{
	return (sel << MICA_FPAGE_BASE_SHIFT) | ((mica_word_t)(MICA_FPAGE_OBJ) << MICA_FPAGE_TYPE_SHIFT) |
	       ((mica_word_t)(log2 & 0x3f) << MICA_FPAGE_SIZE_SHIFT) | (rights & MICA_FPAGE_RIGHTS);
}
/* The whole user memory space: the usual receive window of a pager. */
#define MICA_FPAGE_ALL_MEM mica_fpage_mem(0, MICA_FPAGE_MEM_MAX, MICA_FPAGE_RWX)

static inline unsigned mica_fpage_type(mica_word_t f)
{
	return (f >> MICA_FPAGE_TYPE_SHIFT) & 3;
}
static inline unsigned mica_fpage_log2(mica_word_t f)
{
	return (f >> MICA_FPAGE_SIZE_SHIFT) & 0x3f;
}
static inline mica_word_t mica_fpage_rights(mica_word_t f)
{
	return f & MICA_FPAGE_RIGHTS;
}
/* The base in the fpage's own unit: an address, a port or a selector. */
static inline mica_word_t mica_fpage_base(mica_word_t f)
{
	return mica_fpage_type(f) == MICA_FPAGE_MEM ? f & ~0xffful : f >> MICA_FPAGE_BASE_SHIFT;
}

/* A typed item is two message words after the untyped ones:
 *
 *   word 0: hot spot (send base, in the fpage's unit, encoded like an
 *           fpage base) | kind in bits 3..0 (bits 11..4 are 0)
 *   word 1: the flexpage, in the sender's space
 *
 * The receiver takes memory items into the window in its BR0, I/O items
 * into the window in BR1 and object items into the window in BR2 (each a
 * flexpage of that type, or nil: nothing accepted). */
enum mica_item_kind {
	MICA_ITEM_MAP = 1,   /* the receiver gets a mapping derived from the sender's */
	MICA_ITEM_GRANT = 2, /* the mapping moves: the sender loses it */
	/* Received only (abi.md §5.6, local ids): the item named a capability
	 * to a gate served in the receiver's own task; word 1 is its label. */
	MICA_ITEM_LOCAL = 3,
};
#define MICA_ITEM_WORDS 2
#define MICA_ITEM_KIND_MASK 0xful
#define MICA_BR_MEM_WINDOW 0
#define MICA_BR_IO_WINDOW 1
#define MICA_BR_OBJ_WINDOW 2
#define MICA_BR_FLAGS 3		      /* receive flags: */
#define MICA_RCV_LOCAL_IDS (1ul << 0) /* object items naming our own gates arrive as their labels */

/* Word 0 of an item with the hot spot given in the fpage's own unit. */
static inline mica_word_t mica_item_mem(mica_word_t hot_addr, enum mica_item_kind kind)
{
	return (hot_addr & ~0xffful) | (mica_word_t)kind;
}
static inline mica_word_t mica_item_unit(mica_word_t hot, enum mica_item_kind kind)
{
	return (hot << MICA_FPAGE_BASE_SHIFT) | (mica_word_t)kind;
}

/* Protocol labels: the tag label of messages the kernel sends on a
 * thread's behalf (and of requests to sigma0), from the top of the 48-bit
 * label range so they never collide with method numbers. */
#define MICA_LABEL_PAGE_FAULT 0xfffffffffffeul /* -2 */
#define MICA_LABEL_EXCEPTION 0xfffffffffffdul  /* -3 */
#define MICA_LABEL_SIGMA0 0xfffffffffffaul     /* -6 */

/* Page-fault message: u = 3, sent as a call to the thread's pager.
 *   MR0 = fault address, MR1 = instruction pointer,
 *   MR2 = access: MICA_FPAGE_R / W / X that failed, | MICA_PF_PRESENT if
 *         the page was mapped but lacked the right.
 * The reply maps with memory items into a window of the whole user space
 * (MICA_FPAGE_ALL_MEM) and resumes the thread; an error reply makes the
 * fault an exception (to the exception handler). */
#define MICA_PF_WORDS 3
#define MICA_PF_PRESENT (1ul << 3)

/* Exception message: u = MICA_EXC_WORDS, sent as a call to the thread's
 * exception handler. The reply's first min(u, MICA_EXC_WORDS) words are
 * written back (the first three are ignored; RFLAGS only its arithmetic
 * flags); an error reply stops the thread. */
enum mica_exc_word {
	MICA_EXC_VECTOR, /* x86 exception vector */
	MICA_EXC_ERROR,	 /* the CPU's error code, 0 if none */
	MICA_EXC_ADDR,	 /* page faults (pager failed): the fault address */
	MICA_EXC_IP,
	MICA_EXC_SP,
	MICA_EXC_FLAGS,
	MICA_EXC_FS_BASE,
	MICA_EXC_RAX,
	MICA_EXC_RBX,
	MICA_EXC_RCX,
	MICA_EXC_RDX,
	MICA_EXC_RSI,
	MICA_EXC_RDI,
	MICA_EXC_RBP,
	MICA_EXC_R8,
	MICA_EXC_R9,
	MICA_EXC_R10,
	MICA_EXC_R11,
	MICA_EXC_R12,
	MICA_EXC_R13,
	MICA_EXC_R14,
	MICA_EXC_R15,
	MICA_EXC_WORDS
};
