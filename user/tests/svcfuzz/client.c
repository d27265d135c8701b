/* The protocol fuzzer's client: random and mutated messages to every
 * object it was given or made. A table of (target kind, opcode, words
 * generator, check of the answer) says what a plausible request of each
 * protocol looks like; a protocol joins as a target kind and its rows.
 * Objects it creates land in its own selectors (CL_OWNED + i); what was
 * there is ended first, as a well-behaved owner would, so at most
 * CL_OWNED_MAX of its objects live at a time. Programs it starts
 * through the loader (exit0; ldtest exiting, faulting, spinning) are
 * objects of its too: it asks their STATUS, NOTIFYs (an IRQ, a gate,
 * anything), deletes them, and sends fake EXITs and exception messages,
 * which its rights (READ, CONTROL: the starter's) must not allow; many
 * end by themselves while it holds them. At the end it closes its logs,
 * ends its programs that still run and leaves its memory objects and
 * ended programs for the root, which deletes the allocator they were
 * made with. A session of the RAM file server gets paths, handles,
 * offsets and counts near its limits; a file's dataspace it answers
 * with is the server's (kept like a ROM module's). Every few requests a
 * valid sequence (dataspaces of every kind: create, map, write, phys,
 * copy, clear, delete; a region map: create, attach, find, fault,
 * detach, delete; a program: start, NOTIFY, wait, STATUS, delete)
 * checks that the servers still do what their protocols say. */
#include <mica/dataspace.h>
#include <mica/env.h>
#include <mica/factory.h>
#include <mica/fs.h>
#include <mica/log.h>
#include <mica/ns.h>
#include <mica/program.h>
#include <mica/rm.h>
#include <mica/rom.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdbool.h>
#include <string.h>

#include "svcfuzz.h"

static unsigned long rng;
static struct target owned[CL_OWNED_MAX]; /* sel = CL_OWNED + i */
/* The two owned selectors the valid sequences use (and end what is
 * there first): the others keep their objects for longer. */
#define SEQ_SLOT (CL_OWNED_MAX - 2)

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A check of the client's failed: the first one is reported with the
 * request count (where a replay with the same seed gets to). */
static void failed(int line)
{
	if (!sf.check_failed) {
		sf.check_failed = line;
		sf.check_at = sf.sent;
	}
}

/* A word a parser should fear: small, at a limit, or anything. */
static mica_word_t nasty(void)
{
	/* Counts at the log's limits, the factory types, page edges. */
	static const mica_word_t small[] = { 0,	    1,	   2,	  7,	 8,	9,	15,	16,
					     17,    63,	   64,	  200,	 201,	495,	496,	497,
					     0x100, 0x101, 0x102, 0x103, 0xfff, 0x1000, 0x1001, 0x200000 };
	/* MICA_DS_COPY_MAX and one more, 2^47 (the largest size) and past
	 * it, words whose sum with almost anything overflows. */
	static const mica_word_t large[] = { 0x4000000,		 0x4000001,	    0x800000000000,
					     0x800000001000,	 0x7fffffff,	    0x8000000000000000,
					     0xfffffffffffff000, 0xffffffffffffffff };
	switch (rnd() % 4) {
	case 0:
		return small[rnd() % (sizeof(small) / sizeof(small[0]))];
	case 1:
		return large[rnd() % (sizeof(large) / sizeof(large[0]))];
	case 2:
		return rnd() % 512;
	default:
		return rnd();
	}
}

/* One request being built: words in mr[0..u), items after them. */
struct req {
	struct target *to;
	mica_word_t *mr;
	unsigned t;	 /* words of items after the words */
	mica_word_t in0; /* MR0 as sent (the answer's checks see the answer's MRs) */
};

/* ---- log (docs/protocols.md §8) ---- */

static unsigned gen_write(struct req *q)
{
	unsigned n = (unsigned)(rnd() % (MICA_LOG_WRITE_MAX + 1));
	q->mr[0] = n;
	char *bytes = (char *)&q->mr[1];
	for (unsigned i = 0; i < n; i++) {
		unsigned long r = rnd();
		/* Mostly letters, some newlines, a few bytes of any value. */
		bytes[i] = (char)(r % 8 ? 'a' + (r >> 8) % 26 : r % 32 ? '\n' : (r >> 8));
	}
	return 1 + (n + 7) / 8;
}

static unsigned gen_none(struct req *q)
{
	(void)q;
	return 0;
}

static unsigned gen_create_log(struct req *q)
{
	q->mr[0] = MICA_PROTO_LOG;
	q->mr[1] = rnd() % MICA_LOG_COLOURS;
	unsigned n = 1 + (unsigned)(rnd() % MICA_LOG_TAG_MAX);
	q->mr[2] = n;
	for (unsigned i = 0; i < n; i++)
		((char *)&q->mr[3])[i] = (char)('a' + rnd() % 26);
	return 3 + (n + 7) / 8;
}

/* ---- memory allocator (§2) ---- */

static mica_word_t ds_size(void)
{
	switch (rnd() % 8) {
	case 5: /* room for a 2 MiB page, or two: the quota is 4 MiB */
		return (1 + rnd() % 2) << 21;
	case 6:
		return nasty();
	case 7: /* up to twice the quota */
		return (rnd() % 2048) * 4096;
	default:
		return (1 + rnd() % 16) * 4096;
	}
}

static unsigned gen_create_ds(struct req *q)
{
	q->mr[0] = MICA_PROTO_DATASPACE;
	q->mr[1] = ds_size();
	/* PINNED, CONTIG and LARGE in every combination, a few unknown bits. */
	q->mr[2] = rnd() % 16 ? rnd() % 8 : nasty();
	return 3;
}

static unsigned gen_create_alloc(struct req *q)
{
	q->mr[0] = MICA_PROTO_ALLOCATOR;
	switch (rnd() % 4) {
	case 0:
		q->mr[1] = (1 + rnd() % 64) * 4096;
		break;
	case 1:
		q->mr[1] = rnd() % (1ul << 20);
		break;
	case 2:
		q->mr[1] = rnd() % 2 ? 0 : MICA_OBJ_COST;
		break;
	default:
		q->mr[1] = nasty();
	}
	return 2;
}

/* ---- dataspace (§3) ---- */

/* An offset inside the target (as far as the client knows its size),
 * at its end, or anywhere. */
static mica_word_t ds_offset(const struct req *q)
{
	mica_word_t size = q->to->size;
	switch (rnd() % 8) {
	case 0:
		return size;
	case 1:
		return size ? size - 1 : 0;
	case 2:
		return nasty();
	default:
		return size ? rnd() % size : rnd() % 0x10000;
	}
}

static unsigned gen_map(struct req *q)
{
	static const mica_word_t rights[] = { MICA_FPAGE_R, MICA_FPAGE_RW, MICA_FPAGE_RX, MICA_FPAGE_RWX };
	mica_word_t off = ds_offset(q);
	q->mr[0] = off;
	/* The hot spot: mostly agreeing with the offset modulo 2 MiB (a
	 * large page lands whole), else anywhere in the window, or junk. */
	switch (rnd() % 4) {
	case 0:
		q->mr[1] = nasty();
		break;
	case 1:
		q->mr[1] = rnd() % (1ul << CL_MEM_WINDOW_LOG2);
		break;
	default:
		q->mr[1] = CL_MEM_WINDOW + (off & ((1ul << 21) - 1)) + (rnd() % 2 << 21);
	}
	q->mr[2] = rnd() % 8 ? rights[rnd() % 4] : nasty();
	return 3;
}

/* A range: inside, whole pages, partial, or overflowing its end. */
static void ds_range(const struct req *q, mica_word_t *off, mica_word_t *size)
{
	mica_word_t ds = q->to->size ? q->to->size : 0x10000;
	switch (rnd() % 6) {
	case 0: /* whole pages */
		*off = (rnd() % (ds / 4096)) * 4096;
		*size = (1 + rnd() % 4) * 4096;
		break;
	case 1: /* the end overflows a word */
		*off = ds - 1;
		*size = ~0ul - rnd() % 4096;
		break;
	case 2:
		*off = nasty();
		*size = nasty();
		break;
	default:
		*off = rnd() % ds;
		*size = rnd() % (ds - *off + 4096);
	}
}

/* One of the capabilities a request could carry: the client's own
 * dataspaces (also deleted ones: empty selectors), the served objects
 * (another server's log, the root's allocator and dataspace) or the
 * kernel's console. */
static mica_cap_t some_cap(void)
{
	switch (rnd() % 4) {
	case 0:
		return sf.targets[rnd() % sf.ntargets].sel;
	case 1:
		return rnd() % 2 ? MICA_CAP_VCON : CL_SCRATCH;
	default:
		return CL_OWNED + (mica_cap_t)(rnd() % CL_OWNED_MAX);
	}
}

static unsigned gen_clear(struct req *q)
{
	ds_range(q, &q->mr[0], &q->mr[1]);
	return 2;
}

/* A dataspace the client holds a capability to (its own, or the
 * root's), or 0 if none. */
static const struct target *some_ds(void)
{
	const struct target *c[CL_OWNED_MAX + MAX_TARGETS];
	unsigned n = 0;
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		if (owned[i].kind == T_DS)
			c[n++] = &owned[i];
	for (unsigned i = 0; i < sf.ntargets; i++)
		if (sf.targets[i].kind == T_DS)
			c[n++] = &sf.targets[i];
	return n ? c[rnd() % n] : 0;
}

static unsigned gen_copy_in(struct req *q)
{
	const struct target *src = rnd() % 4 ? some_ds() : 0;
	if (src && q->to->size && src->size) {
		/* Both ranges inside, mostly: a copy that can succeed. */
		mica_word_t d = rnd() % q->to->size, s = rnd() % src->size, room = q->to->size - d;
		if (room > src->size - s)
			room = src->size - s;
		q->mr[0] = d;
		q->mr[1] = s;
		q->mr[2] = rnd() % 4 ? rnd() % (room < 0x3000 ? room + 1 : 0x3000) : room;
	} else {
		mica_word_t size;
		ds_range(q, &q->mr[0], &size);
		q->mr[1] = rnd() % 2 ? q->mr[0] : ds_offset(q);
		q->mr[2] = rnd() % 16 ? size % 0x6000 : size;
	}
	if (rnd() % 8) {
		q->mr[3] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[4] = mica_fpage_obj(src ? src->sel : some_cap(), 0,
					  rnd() % 8 ? MICA_RIGHTS_ALL : rnd() % 8);
		q->t = 2;
	}
	return 3;
}

static unsigned gen_phys(struct req *q)
{
	q->mr[0] = ds_offset(q);
	return 1;
}

/* ---- region map (§4) ---- */

/* An address in the victim task: mostly near the last region attached
 * (q->to->size of a region map: faults, FIND and DETACH hit it), or
 * page-aligned in the area the rows use (so attaches meet and overlap),
 * else anywhere. */
static mica_word_t rm_addr(const struct req *q)
{
	switch (rnd() % 8) {
	case 0:
		return nasty();
	case 1:
		return CL_RM_AREA + rnd() % CL_RM_AREA_SIZE;
	case 2:
	case 3:
	case 4:
		if (q->to->size)
			return q->to->size + rnd() % (8 * 4096ul);
		/* fall through */
	default:
		return CL_RM_AREA + (rnd() % (CL_RM_AREA_SIZE / 4096)) * 4096;
	}
}

static mica_word_t rm_size(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0; /* ATTACH: to the dataspace's end */
	case 1:
		return nasty();
	case 2:
		return (1 + rnd() % 2) << 21;
	default:
		return (1 + rnd() % 16) * 4096;
	}
}

static unsigned gen_create_ns(struct req *q)
{
	q->mr[0] = MICA_PROTO_NAMESPACE;
	return 1 + (unsigned)(rnd() % 2);
}

static unsigned gen_create_rm(struct req *q)
{
	q->mr[0] = MICA_PROTO_REGION_MAP;
	q->mr[1] = mica_item_unit(0, MICA_ITEM_MAP);
	switch (rnd() % 8) {
	case 0:
		q->mr[2] = mica_fpage_obj(CL_VICTIM_RO, 0, MICA_RIGHTS_ALL);
		break;
	case 1:
		q->mr[2] = mica_fpage_obj(some_cap(), 0, MICA_RIGHTS_ALL);
		break;
	default:
		q->mr[2] = mica_fpage_obj(CL_VICTIM, 0, MICA_RIGHTS_ALL);
	}
	q->t = rnd() % 16 ? 2 : 0;
	return 1;
}

/* Random attach flags: rights (R mostly), SEARCH, IN_AREA (the region
 * must lie in a reserved area), EAGER. */
static mica_word_t rm_flags(void)
{
	mica_word_t f = rnd() % 8 ? MICA_FPAGE_R : 0;
	f |= rnd() % 2 ? MICA_FPAGE_W : 0;
	f |= rnd() % 4 ? 0 : MICA_FPAGE_X;
	f |= rnd() % 3 ? 0 : MICA_RM_SEARCH;
	f |= rnd() % 8 ? 0 : MICA_RM_IN_AREA;
	return f | (rnd() % 8 ? 0 : MICA_RM_EAGER);
}

static unsigned gen_attach(struct req *q)
{
	const struct target *ds = rnd() % 8 ? some_ds() : 0;
	mica_word_t pages = ds && ds->size ? ds->size / 4096 : 0, off = pages ? rnd() % pages : 0;
	q->mr[0] = rm_addr(q) & ~0xffful;
	if (pages && rnd() % 2) {
		/* One that can succeed (as far as the client knows what is
		 * attached already): a part of the dataspace. */
		q->mr[1] = (1 + rnd() % (pages - off)) * 4096;
		q->mr[2] = off * 4096;
		q->mr[3] = MICA_FPAGE_R | (rnd() % 2 ? MICA_FPAGE_W : 0) | (rnd() % 2 ? MICA_RM_SEARCH : 0) |
			   (rnd() % 8 ? 0 : MICA_RM_EAGER);
	} else {
		q->mr[1] = rm_size();
		q->mr[2] = pages && rnd() % 2 ? off * 4096 : nasty();
		q->mr[3] = rnd() % 16 ? rm_flags() : nasty();
	}
	if (rnd() % 8) {
		q->mr[4] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[5] = mica_fpage_obj(ds ? ds->sel : some_cap(), 0, MICA_RIGHTS_ALL);
		q->t = 2;
	}
	return 4;
}

/* A region attached: later requests to the map aim near it. */
static void attached(struct req *q, mica_msgtag_t r)
{
	if (!mica_msgtag_is_error(r))
		q->to->size = q->mr[0];
}

static unsigned gen_rm_addr(struct req *q)
{
	q->mr[0] = rm_addr(q);
	return 1;
}

static unsigned gen_reserve(struct req *q)
{
	q->mr[0] = rm_addr(q);
	q->mr[1] = rm_size();
	q->mr[2] = rnd() % 2 ? 0 : rnd() % 8 ? MICA_RM_SEARCH : nasty();
	return 3;
}

/* A page fault as the kernel would send it: address, IP, access. */
static unsigned gen_fault(struct req *q)
{
	q->mr[0] = rm_addr(q);
	q->mr[1] = nasty();
	q->mr[2] = rnd() % 8 ? MICA_FPAGE_R << (rnd() % 3) : nasty();
	return MICA_PF_WORDS;
}

/* ---- ROM name space (§5) ---- */

/* A module's name: one the root added, a prefix of one, or junk, with
 * lengths at and past the limit, or past the words sent. */
static unsigned gen_rom_name(struct req *q)
{
	static const char *const names[] = { "alpha", "beta", "alph", "alphab", "", "exit0", "rom/ldtest" };
	char *bytes = (char *)&q->mr[1];
	unsigned n;
	if (rnd() % 4) {
		const char *name = names[rnd() % (sizeof(names) / sizeof(names[0]))];
		n = (unsigned)strlen(name);
		memcpy(bytes, name, n);
	} else {
		n = (unsigned)(rnd() % (MICA_ROM_NAME_MAX + 8));
		for (unsigned i = 0; i < n; i++)
			bytes[i] = (char)rnd();
	}
	q->mr[0] = rnd() % 16 ? n : nasty();
	return 1 + (n + 7) / 8;
}

static unsigned gen_rom_list(struct req *q)
{
	q->mr[0] = rnd() % 4 ? rnd() % 4 : nasty();
	return 1;
}

/* After a MAP (or a region map's answer to a fault) answered with a
 * page: it is where the send-base rule puts it and reads back what is
 * written to it (the page stays mapped until the client's next request:
 * nothing else talks to the server). MR0 of the request was the offset
 * (the fault address), which places the byte within the page. */
static void touch(struct req *q, mica_msgtag_t r)
{
	if (mica_msgtag_is_error(r) || mica_msgtag_t_items(r) != 2)
		return;
	mica_word_t hot = q->mr[0] & ~0xffful, fp = q->mr[1], off = q->in0;
	unsigned s = mica_fpage_log2(fp);
	mica_word_t page = CL_MEM_WINDOW + ((hot & ~((1ul << s) - 1)) & ((1ul << CL_MEM_WINDOW_LOG2) - 1));
	volatile unsigned char *b = (volatile unsigned char *)(page + (off & ((1ul << s) - 1)));
	unsigned char v = *b;
	if (mica_fpage_rights(fp) & MICA_FPAGE_W) {
		v = (unsigned char)(v + 1 + rnd() % 254);
		*b = v;
	}
	if (*b != v)
		failed(__LINE__);
	sf.maps_touched++;
}

/* ---- loader and program objects (§6) ---- */

/* What the valid program sequence and the well-formed CREATEs ask for
 * (ldtest and exit0 run in less). */
#define PROG_MEMQ (512ul << 10)
#define PROG_KQUOTA (200ul << 10)

/* A quota: the sequence's, 0, just too small (a program takes more than
 * its objects), up to the client's whole quota or past it, or junk. */
static mica_word_t prog_quota(mica_word_t ok)
{
	switch (rnd() % 16) {
	case 0:
		return 0;
	case 1:
		return rnd() % 2 ? MICA_OBJ_COST : (1 + rnd() % 32) * 4096;
	case 2:
		return (rnd() % 1024) * 4096;
	case 3:
		return nasty();
	default:
		return ok;
	}
}

/* A command: real programs (exit0; ldtest exiting, faulting, spinning),
 * modules that are no programs (pages), no such module, empty names and
 * strings of junk; the byte count right, past the words or 0. */
static unsigned gen_create_prog(struct req *q)
{
	static const struct {
		const char *s;
		unsigned n;
	} cmds[] = {
#define CMD(lit) { lit, sizeof(lit) - 1 }
		CMD("exit0"),
		CMD("rom/exit0"),
		CMD("ldtest\0status\0"
		    "7"),
		CMD("ldtest\0null"),
		CMD("ldtest\0rodata"),
		CMD("ldtest\0spin"),
		CMD("ldtest\0spin\0\0A=1"),
		CMD("exit0\0a\0b\0\0X=y\0"),
		CMD("alpha"),
		CMD("beta\0x"),
		CMD("nosuch"),
		CMD("\0exit0"),
		CMD("\0\0\0"),
		CMD("exit0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
#undef CMD
	};
	q->mr[0] = rnd() % 32 ? (rnd() % 2 ? MICA_PROTO_PROGRAM : MICA_PROTO_PROGRAM_HELD) : nasty();
	q->mr[1] = prog_quota(PROG_MEMQ);
	q->mr[2] = prog_quota(PROG_KQUOTA);
	char *bytes = (char *)&q->mr[4];
	unsigned n;
	if (rnd() % 8) {
		/* The first eight are programs: mostly one of them. */
		unsigned i = (unsigned)(rnd() % (rnd() % 2 ? 8 : sizeof(cmds) / sizeof(cmds[0])));
		n = cmds[i].n;
		memcpy(bytes, cmds[i].s, n);
	} else {
		/* Junk, NULs and letters, up to every word there is. */
		n = (unsigned)(rnd() % ((MICA_MSG_WORDS_MAX - 8) * 8ul));
		for (unsigned i = 0; i < n; i++)
			bytes[i] = (char)(rnd() % 4 ? 'a' + rnd() % 4 : rnd() % 2 ? 0 : rnd());
	}
	unsigned u = 4 + (n + 7) / 8;
	if (n % 8)
		memset(bytes + n, (int)(rnd() % 2 ? 0 : 'z'), 8 - n % 8); /* the pad: NULs or more bytes */
	switch (rnd() % 16) {
	case 0:
		q->mr[3] = 0;
		break;
	case 1:
		q->mr[3] = (u - 4) * 8 + 1 + rnd() % 16; /* past the words sent */
		break;
	case 2:
		q->mr[3] = nasty();
		break;
	default:
		q->mr[3] = n;
	}
	/* The allocator (the client's, else one with too few rights, or no
	 * allocator at all) and the kernel factory (the client's, else
	 * READ only, or no factory); either may be missing, or both. */
	mica_cap_t alloc = sf.targets[sf.own_alloc].sel, kf = CL_KF;
	if (rnd() % 16 == 0)
		alloc = rnd() % 2 ? sf.targets[sf.own_alloc + 1 + rnd() % 2].sel : some_cap();
	if (rnd() % 16 == 0) {
		static const mica_cap_t kfs[] = { CL_KF_RO, CL_VICTIM, MICA_CAP_VCON, CL_IRQ, CL_THREAD };
		kf = rnd() % 2 ? kfs[rnd() % 5] : some_cap();
	}
	unsigned items = rnd() % 16 ? 2 : (unsigned)(rnd() % 2);
	if (rnd() % 16 == 0) { /* swapped */
		mica_cap_t x = alloc;
		alloc = kf;
		kf = x;
	}
	for (unsigned i = 0; i < items; i++) {
		q->mr[u + 2 * i] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[u + 2 * i + 1] =
			mica_fpage_obj(i ? kf : alloc, 0, rnd() % 16 ? MICA_RIGHTS_ALL : rnd() % 8);
	}
	q->t = 2 * items;
	return u;
}

/* NOTIFY: the IRQ the rows share, mostly; else a gate to the client's
 * thread (triggering it would be a call the server waits on until the
 * client answers, which it never does), any capability, or none. */
static unsigned gen_notify(struct req *q)
{
	if (rnd() % 8) {
		q->mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[1] = mica_fpage_obj(rnd() % 3   ? CL_IRQ
					  : rnd() % 2 ? CL_GATE
						      : some_cap(),
					  0, MICA_RIGHTS_ALL);
		q->t = 2;
	}
	return 0;
}

/* The parent protocol's methods only the program itself may use (they
 * need WRITE; the starter holds READ and CONTROL): a fake EXIT ... */
static unsigned gen_exit(struct req *q)
{
	q->mr[0] = nasty();
	return 1;
}

/* ... and a fake exception message, as the kernel would send it. */
static unsigned gen_exception(struct req *q)
{
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		q->mr[i] = nasty();
	q->mr[MICA_EXC_VECTOR] = rnd() % 32;
	return MICA_EXC_WORDS;
}

/* STATUS: a state of the three, an end's words only once it ended; a
 * fake EXIT or exception is refused and leaves it as it was. */
static void status_after(struct req *q, mica_msgtag_t r)
{
	(void)q;
	mica_word_t *mr = mica_mr();
	if (mica_msgtag_is_error(r))
		return;
	if (mr[0] > MICA_PROGRAM_FAULTED ||
	    (mr[0] == MICA_PROGRAM_RUNNING && (mr[1] || mr[2] || mr[3] || mr[4])) ||
	    (mr[0] == MICA_PROGRAM_FAULTED && mr[1] != MICA_EXIT_EXCEPTION + mr[2]))
		failed(__LINE__);
}

static void refused(struct req *q, mica_msgtag_t r)
{
	(void)q;
	if (!mica_msgtag_is_error(r))
		failed(__LINE__);
}

/* ---- a held program's set-up (MICA_PROTO_PROGRAM_HELD) ---- */

/* A name (mostly short and plain, sometimes too long, empty or junk)
 * at word w, its length in *len (mostly the true one): the words. */
static unsigned put_name(struct req *q, unsigned w, mica_word_t *len, unsigned max)
{
	static const char *const names[] = { "a", "chan", "ns", "x/y", "rom", "irq5", "io" };
	char *bytes = (char *)&q->mr[w];
	unsigned n;
	if (rnd() % 4) {
		const char *p = names[rnd() % (sizeof(names) / sizeof(names[0]))];
		n = (unsigned)strlen(p);
		memcpy(bytes, p, n);
	} else {
		n = (unsigned)(rnd() % (max + 10));
		if (w + (n + 7) / 8 > MICA_MSG_WORDS_MAX)
			n = (MICA_MSG_WORDS_MAX - w) * 8;
		for (unsigned i = 0; i < n; i++)
			bytes[i] = (char)(rnd() % 8   ? (char)('a' + rnd() % 3)
					  : rnd() % 2 ? '/'
						      : (char)rnd());
	}
	*len = rnd() % 16 ? n : nasty();
	return (n + 7) / 8;
}

/* GIVE: a fixed selector (the ICU's, the loader's, another) or a name,
 * and mostly one capability of any kind (never a grant). */
static unsigned gen_give(struct req *q)
{
	static const mica_word_t at[] = { 0, 0, 0, 6, 9, 8, 1, 0x40 };
	q->mr[0] = rnd() % 8 ? at[rnd() % 8] : nasty();
	unsigned u = 2 + put_name(q, 2, &q->mr[1], 15);
	if (rnd() % 8 && u + 2 <= MICA_MSG_WORDS_MAX + 1) {
		q->mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[u + 1] = mica_fpage_obj(rnd() % 4 ? some_cap() : CL_IRQ, 0,
					      rnd() % 8 ? MICA_RIGHTS_ALL : rnd() % 8);
		q->t = 2;
	}
	return u;
}

/* SCHED: priorities up to the loader's ceiling and past it, CPUs (one
 * is online, or four), ceilings, a CPU set or none. */
static unsigned gen_sched(struct req *q)
{
	static const mica_word_t ceilings[] = {
		MICA_PROGRAM_SCHED_DEFAULT, MICA_PROGRAM_SCHED_NONE, 50, 110, 255, 256
	};
	q->mr[0] = rnd() % 4 ? rnd() % 120 : nasty();
	q->mr[1] = rnd() % 4 ? rnd() % 4 : nasty();
	q->mr[2] = rnd() % 4 ? ceilings[rnd() % 6] : nasty();
	if (rnd() % 2)
		return 3;
	q->mr[3] = rnd() % 4 ? rnd() % 16 : nasty();
	return 4;
}

/* LOG: a colour or the Vcon, a tag (printable, with spaces, too long). */
static unsigned gen_prog_log(struct req *q)
{
	q->mr[0] = rnd() % 8 ? rnd() % 8 : rnd() % 2 ? MICA_PROGRAM_LOG_VCON : nasty();
	return 2 + put_name(q, 2, &q->mr[1], 16);
}

/* ---- name spaces (docs/protocols.md §10) ---- */

static unsigned gen_ns_path(struct req *q)
{
	return 1 + put_name(q, 1, &q->mr[0], MICA_NS_PATH_MAX);
}

static unsigned gen_ns_register(struct req *q)
{
	unsigned u = 1 + put_name(q, 1, &q->mr[0], MICA_NS_NAME_MAX);
	if (rnd() % 8 && u + 2 <= MICA_MSG_WORDS_MAX + 1) {
		q->mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
		q->mr[u + 1] = mica_fpage_obj(some_cap(), 0, rnd() % 8 ? MICA_RIGHTS_ALL : rnd() % 8);
		q->t = 2;
	}
	return u;
}

static unsigned gen_ns_list(struct req *q)
{
	q->mr[0] = rnd() % 4 ? rnd() % 8 : nasty();
	return 1;
}

/* MICA_OBJ_REDUCE (every server type): a mask of the three rights. */
static unsigned gen_reduce(struct req *q)
{
	q->mr[0] = rnd() % 4 ? rnd() % 8 : nasty();
	return 1;
}

/* ---- the file server's session ---- */

/* A path of the few the rows share (so that they meet), or bytes: put
 * at word w, its length (mostly the true one) in *len; the words taken. */
static unsigned put_fs_path(struct req *q, unsigned w, mica_word_t *len)
{
	static const char *const paths[] = { "/a", "/d", "/d/x", "d/../a", "/a/x", "/", ".", "/d/./y", "/b" };
	char *bytes = (char *)&q->mr[w];
	unsigned n;
	if (rnd() % 4) {
		const char *p = paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
		n = (unsigned)strlen(p);
		memcpy(bytes, p, n);
	} else {
		n = (unsigned)(rnd() % (MICA_FS_PATH_MAX + 16));
		if (w + (n + 7) / 8 > MICA_MSG_WORDS_MAX)
			n = (MICA_MSG_WORDS_MAX - w) * 8;
		for (unsigned i = 0; i < n; i++) {
			static const char alphabet[] = "abc/";
			unsigned long r = rnd();
			if (r % 8)
				bytes[i] = alphabet[r / 8 % 4];
			else
				bytes[i] = (char)(unsigned char)(r >> 8);
		}
	}
	*len = rnd() % 16 ? n : nasty();
	return (n + 7) / 8;
}

/* A handle: mostly one of the first few slots with a small generation. */
static mica_word_t fs_handle(void)
{
	return rnd() % 8 ? (rnd() % 4) | (1 + rnd() % 3) << 8 : nasty();
}

static unsigned gen_fs_open(struct req *q)
{
	q->mr[0] = rnd() % 8 ? rnd() % 64 : nasty();
	return 2 + put_fs_path(q, 2, &q->mr[1]);
}

static unsigned gen_fs_path(struct req *q)
{
	return 1 + put_fs_path(q, 1, &q->mr[0]);
}

static unsigned gen_fs_rename(struct req *q)
{
	unsigned a = put_fs_path(q, 2, &q->mr[0]);
	if (2 + a >= MICA_MSG_WORDS_MAX)
		return 2 + a;
	return 2 + a + put_fs_path(q, 2 + a, &q->mr[1]);
}

static unsigned gen_fs_handle(struct req *q)
{
	q->mr[0] = fs_handle();
	return 1;
}

/* READ, WRITE, TRUNCATE and READDIR: a handle, an offset (or size or
 * cookie) near the start, the end or past it, a count. */
static unsigned gen_fs_io(struct req *q)
{
	q->mr[0] = fs_handle();
	q->mr[1] = rnd() % 2 ? rnd() % 9000 : nasty();
	q->mr[2] = rnd() % 2 ? rnd() % (MICA_FS_IO_MAX + 2) : nasty();
	unsigned n = q->mr[2] <= MICA_FS_IO_MAX ? (unsigned)(q->mr[2] + 7) / 8 : 0;
	for (unsigned i = 0; i < n; i++)
		q->mr[3 + i] = rnd();
	return 3 + n;
}

/* A session's answer: a status word of the protocol's. */
static void fs_status(struct req *q, mica_msgtag_t r)
{
	(void)q;
	static const mica_word_t known[] = { 0,
					     MICA_FS_ENOENT,
					     MICA_FS_EBADF,
					     MICA_FS_EACCES,
					     MICA_FS_EBUSY,
					     MICA_FS_EEXIST,
					     MICA_FS_ENOTDIR,
					     MICA_FS_EISDIR,
					     MICA_FS_EINVAL,
					     MICA_FS_EMFILE,
					     MICA_FS_EFBIG,
					     MICA_FS_ENOSPC,
					     MICA_FS_ENAMETOOLONG,
					     MICA_FS_ENOTEMPTY };
	if (mica_msgtag_is_error(r))
		return;
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (mica_mr()[0] == known[i])
			return;
	failed(__LINE__);
}

struct method {
	enum target_kind kind;
	mica_word_t op;
	unsigned (*gen)(struct req *q);
	/* If not 0: looks at the answer (in the MRs) of a request made as
	 * the row says (the words perhaps mutated). */
	void (*after)(struct req *q, mica_msgtag_t answer);
};

/* A row twice weighs twice (the methods with the most words to get
 * wrong). */
static const struct method methods[] = {
	{ T_LOG, MICA_LOG_WRITE, gen_write, 0 },
	{ T_LOG, MICA_LOG_FLUSH, gen_none, 0 },
	{ T_LOG, MICA_LOG_CLOSE, gen_none, 0 },
	{ T_LOG_FACTORY, MICA_FACTORY_CREATE, gen_create_log, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_ds, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_alloc, 0 },
	{ T_ALLOC, MICA_FACTORY_INFO, gen_none, 0 },
	{ T_ALLOC, MICA_OBJ_DELETE, gen_none, 0 },
	{ T_DS, MICA_DS_INFO, gen_none, 0 },
	{ T_DS, MICA_DS_MAP, gen_map, touch },
	{ T_DS, MICA_DS_MAP, gen_map, touch },
	{ T_DS, MICA_DS_CLEAR, gen_clear, 0 },
	{ T_DS, MICA_DS_COPY_IN, gen_copy_in, 0 },
	{ T_DS, MICA_DS_COPY_IN, gen_copy_in, 0 },
	{ T_DS, MICA_DS_PHYS, gen_phys, 0 },
	{ T_DS, MICA_OBJ_DELETE, gen_none, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_rm, 0 },
	{ T_RM, MICA_RM_ATTACH, gen_attach, attached },
	{ T_RM, MICA_RM_ATTACH, gen_attach, attached },
	{ T_RM, MICA_RM_DETACH, gen_rm_addr, 0 },
	{ T_RM, MICA_RM_RESERVE, gen_reserve, 0 },
	{ T_RM, MICA_RM_FIND, gen_rm_addr, 0 },
	{ T_RM, MICA_LABEL_PAGE_FAULT, gen_fault, touch },
	{ T_RM, MICA_OBJ_DELETE, gen_none, 0 },
	{ T_ROM, MICA_ROM_QUERY, gen_rom_name, 0 },
	{ T_ROM, MICA_ROM_ARGS, gen_rom_name, 0 },
	{ T_ROM, MICA_ROM_LIST, gen_rom_list, 0 },
	{ T_LOADER, MICA_FACTORY_CREATE, gen_create_prog, 0 },
	{ T_LOADER, MICA_FACTORY_CREATE, gen_create_prog, 0 },
	{ T_PROG, MICA_PROGRAM_STATUS, gen_none, status_after },
	{ T_PROG, MICA_PROGRAM_NOTIFY, gen_notify, 0 },
	{ T_PROG, MICA_OBJ_DELETE, gen_none, 0 },
	{ T_PROG, MICA_PARENT_EXIT, gen_exit, refused },
	{ T_PROG, MICA_LABEL_EXCEPTION, gen_exception, refused },
	{ T_PROG, MICA_PROGRAM_GIVE, gen_give, 0 },
	{ T_PROG, MICA_PROGRAM_GIVE, gen_give, 0 },
	{ T_PROG, MICA_PROGRAM_SCHED, gen_sched, 0 },
	{ T_PROG, MICA_PROGRAM_TASK, gen_none, 0 },
	{ T_PROG, MICA_PROGRAM_LOG, gen_prog_log, 0 },
	{ T_PROG, MICA_PROGRAM_START, gen_none, 0 },
	{ T_ALLOC, MICA_FACTORY_CREATE, gen_create_ns, 0 },
	{ T_NS, MICA_NS_LOOKUP, gen_ns_path, 0 },
	{ T_NS, MICA_NS_LOOKUP, gen_ns_path, 0 },
	{ T_NS, MICA_NS_REGISTER, gen_ns_register, 0 },
	{ T_NS, MICA_NS_REGISTER, gen_ns_register, 0 },
	{ T_NS, MICA_NS_UNLINK, gen_ns_path, 0 },
	{ T_NS, MICA_NS_LIST, gen_ns_list, 0 },
	{ T_NS, MICA_OBJ_DELETE, gen_none, 0 },
	{ T_ROM, MICA_NS_LOOKUP, gen_ns_path, 0 },
	{ T_ROM, MICA_NS_LIST, gen_ns_list, 0 },
	{ T_ALLOC, MICA_OBJ_REDUCE, gen_reduce, 0 },
	{ T_DS, MICA_OBJ_REDUCE, gen_reduce, 0 },
	{ T_NS, MICA_OBJ_REDUCE, gen_reduce, 0 },
	{ T_PROG, MICA_OBJ_REDUCE, gen_reduce, 0 },
	{ T_LOG, MICA_OBJ_REDUCE, gen_reduce, 0 },
	{ T_FS, MICA_FS_OPEN, gen_fs_open, fs_status },
	{ T_FS, MICA_FS_OPEN, gen_fs_open, fs_status },
	{ T_FS, MICA_FS_CLOSE, gen_fs_handle, fs_status },
	{ T_FS, MICA_FS_READ, gen_fs_io, fs_status },
	{ T_FS, MICA_FS_WRITE, gen_fs_io, fs_status },
	{ T_FS, MICA_FS_WRITE, gen_fs_io, fs_status },
	{ T_FS, MICA_FS_TRUNCATE, gen_fs_io, fs_status },
	{ T_FS, MICA_FS_STAT, gen_fs_handle, fs_status },
	{ T_FS, MICA_FS_READDIR, gen_fs_io, fs_status },
	{ T_FS, MICA_FS_MKDIR, gen_fs_path, fs_status },
	{ T_FS, MICA_FS_RMDIR, gen_fs_path, fs_status },
	{ T_FS, MICA_FS_UNLINK, gen_fs_path, fs_status },
	{ T_FS, MICA_FS_RENAME, gen_fs_rename, fs_status },
	{ T_FS, MICA_FS_DATASPACE, gen_fs_handle, fs_status },
	{ T_FS, MICA_FS_INFO, gen_none, fs_status },
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* What a CREATE of type `type` answered with an object makes. */
static enum target_kind kind_of(mica_word_t type)
{
	switch (type) {
	case MICA_PROTO_LOG:
		return T_LOG;
	case MICA_PROTO_DATASPACE:
		return T_DS;
	case MICA_PROTO_ALLOCATOR:
		return T_ALLOC;
	case MICA_PROTO_REGION_MAP:
		return T_RM;
	case MICA_PROTO_PROGRAM:
	case MICA_PROTO_PROGRAM_HELD:
		return T_PROG;
	case MICA_PROTO_NAMESPACE:
		return T_NS;
	default:
		return T_NONE;
	}
}

/* Ends what the client owns at owned[i], if anything: a log is closed,
 * a memory object deleted (an allocator with all it made). Either
 * revokes every capability to it, this one too, so the selector is
 * empty after (the client holds no capability to its own task to delete
 * with). An object already gone (closed by a request of the fuzzing, or
 * with its allocator) answers INVALID_CAP. */
static void drop(unsigned i)
{
	if (owned[i].foreign)
		return;
	if (owned[i].kind == T_LOG)
		mica_log_close(owned[i].sel);
	else if (owned[i].kind != T_NONE)
		mica_call(owned[i].sel, MICA_OBJ_DELETE, 0);
	owned[i].kind = T_NONE;
}

/* An opcode no object has: an empty selector answers INVALID_CAP (the
 * kernel, before any server sees it), a live object UNKNOWN_OP. */
static int probe(mica_cap_t sel)
{
	return mica_error(mica_call(sel, 0x77, 0));
}

static bool empty(mica_cap_t sel)
{
	return probe(sel) == MICA_E_INVALID_CAP;
}

static void mix(mica_msgtag_t r)
{
	sf.digest = (sf.digest ^ (mica_word_t)mica_error(r) ^ (mica_msgtag_is_error(r) ? 0 : mica_mr()[0])) *
		    0x100000001b3ul;
}

/* One call of the client's: counted and mixed into the digest. */
static mica_msgtag_t send(mica_cap_t to, mica_word_t op, unsigned u, unsigned t, mica_cap_t win)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	*br = mica_fpage_obj(win, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t r = mica_ipc(to, mica_msgtag(op, u, t, 0), MICA_IPC_CALL, 0, 0, 0);
	*br = MICA_FPAGE_NIL;
	sf.sent++;
	if (!mica_msgtag_is_error(r))
		sf.answered_ok++;
	mix(r);
	return r;
}

/* The bytes in use of the client's allocator (returned) and kernel
 * factory (*kern); ~0 for one that does not answer. */
static mica_word_t used_now(mica_word_t *kern)
{
	mica_word_t limit;
	if (mica_factory_info(CL_KF, &limit, kern) != MICA_OK)
		*kern = ~0ul;
	if (mica_error(mica_call(sf.targets[sf.own_alloc].sel, MICA_FACTORY_INFO, 0)) != MICA_OK)
		return ~0ul;
	return mica_mr()[1];
}

/* One request: a method of the table, mutated or not, or noise. */
static void one(void)
{
	mica_word_t *mr = mica_mr();
	struct target *to;
	if (rnd() % 2 == 0) {
		/* An owned object, mostly a live one; sometimes an empty
		 * selector (its object deleted, its capability revoked). */
		to = &owned[rnd() % CL_OWNED_MAX];
		for (unsigned tries = 0; to->kind == T_NONE && tries < 4 && rnd() % 8; tries++)
			to = &owned[rnd() % CL_OWNED_MAX];
	} else {
		to = &sf.targets[rnd() % sf.ntargets];
	}
	/* Mostly a method of the target's kind, else any. */
	const struct method *m = &methods[rnd() % NMETHODS];
	for (unsigned tries = 0; m->kind != to->kind && tries < 16 && rnd() % 4; tries++)
		m = &methods[rnd() % NMETHODS];
	struct req q = { to, mr, 0, 0 };
	mica_word_t op = m->op;
	unsigned u = m->kind == to->kind || rnd() % 2 ? m->gen(&q) : 0;
	unsigned t = q.t;
	switch (rnd() % 4) {
	case 0: /* as generated */
	case 1:
		break;
	case 2: /* a word mutated (an item's flexpage too), or another count of words */
		/* Never an item's first word, and no items after other words:
		 * a GRANT would move a capability of the client's to the
		 * server for good, and the client could not tell what it
		 * still holds (the kernel's GRANT is the hostile-user
		 * fuzzer's). */
		if (rnd() % 2) {
			unsigned i = (unsigned)(rnd() % (u + 1));
			mr[t && i == u ? u + 1 : i] = nasty();
		} else {
			u = (unsigned)(rnd() % (MICA_MSG_WORDS_MAX + 1));
			t = 0;
		}
		break;
	default: /* noise */
		op = rnd() % 2 ? rnd() % 8 : rnd() % 16 ? rnd() : MICA_OBJ_DELETE;
		u = (unsigned)(rnd() % (MICA_MSG_WORDS_MAX + 1));
		for (unsigned i = 0; i < u; i++)
			mr[i] = nasty();
		t = 0;
	}
	if (u + t > MICA_MSG_WORDS_MAX + 1)
		t = 0;
	if (rnd() % 16 == 0 && u + 2 <= MICA_MSG_WORDS_MAX + 1) {
		/* A wrong item: a capability nobody asked for, or memory (a
		 * page of the client's own; the server accepts none). */
		if (rnd() % 4) {
			mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
			mr[u + 1] = mica_fpage_obj(some_cap(), 0, MICA_RIGHTS_ALL);
		} else {
			mr[u] = mica_item_mem(0, MICA_ITEM_MAP);
			mr[u + 1] = mica_fpage_mem((mica_word_t)&rng & ~0xffful, 12, MICA_FPAGE_R);
		}
		t = 2;
	}
	/* A CREATE to a factory answers with a capability: it lands in an
	 * owned selector, whose object is ended first, so nothing is lost
	 * without being ended. Opcode 1 is another method for the other
	 * kinds (INFO, WRITE, ATTACH): their answers must carry no
	 * capability, and CL_SCRATCH stays empty. */
	/* So do a name space's LOOKUP (whatever was registered, or the
	 * ROM's module), a REDUCE (the object again) and a held program's
	 * TASK (its task, WRITE only: revoked when the program goes). */
	bool looks_up = op == MICA_NS_LOOKUP && (to->kind == T_NS || to->kind == T_ROM);
	bool reduces = op == MICA_OBJ_REDUCE && to->kind != T_NONE;
	bool task = op == MICA_PROGRAM_TASK && to->kind == T_PROG;
	bool creates = (op == MICA_FACTORY_CREATE && (to->kind == T_ALLOC || to->kind == T_LOG_FACTORY ||
						      to->kind == T_ROM || to->kind == T_LOADER)) ||
		       (op == MICA_FS_DATASPACE && to->kind == T_FS) || looks_up || reduces || task;
	unsigned w = (unsigned)(rnd() % CL_OWNED_MAX);
	if (owned[w].kind != T_NONE) /* an empty one, rather, so objects live longer */
		w = (unsigned)(rnd() % CL_OWNED_MAX);
	q.in0 = mr[0];
	mica_word_t size = mr[1];
	if (creates) {
		mica_word_t saved[MICA_MSG_WORDS_MAX + 1];
		memcpy(saved, mr, sizeof(saved));
		drop(w);
		memcpy(mr, saved, sizeof(saved));
	}
	/* A loader CREATE that fails leaves nothing behind: the client's
	 * allocator and kernel factory use no more than before (less if a
	 * program ended meanwhile). */
	bool start = creates && to->kind == T_LOADER;
	mica_word_t mem0 = 0, kern0 = 0;
	if (start) {
		mica_word_t saved[MICA_MSG_WORDS_MAX + 1];
		memcpy(saved, mr, sizeof(saved));
		mem0 = used_now(&kern0);
		memcpy(mr, saved, sizeof(saved));
	}
	mica_msgtag_t r = send(to->sel, op, u, t, creates ? owned[w].sel : CL_SCRATCH);
	if (start && mica_msgtag_is_error(r)) {
		mica_word_t kern1, mem1 = used_now(&kern1);
		if (mem1 > mem0 || kern1 > kern0)
			failed(__LINE__);
	}
	if (!mica_msgtag_is_error(r)) {
		sf.held_ok += to->kind == T_PROG && op >= MICA_PROGRAM_GIVE && op <= MICA_PROGRAM_START;
		sf.ns_ok += to->kind == T_NS && op >= MICA_NS_LOOKUP && op <= MICA_NS_LIST;
		sf.reduced_ok += op == MICA_OBJ_REDUCE;
	}
	bool items = !mica_msgtag_is_error(r) && mica_msgtag_t_items(r);
	/* An owned object gone (deleted, or with its allocator): its
	 * selector is empty. A live one may answer INVALID_CAP too (a
	 * region map's fault in a region whose dataspace is gone). */
	if (to >= owned && to < owned + CL_OWNED_MAX && mica_error(r) == MICA_E_INVALID_CAP && empty(to->sel))
		to->kind = T_NONE, to->foreign = false;
	if (creates && items && (looks_up || reduces || task)) {
		/* Not the client's to delete: a reduced capability may lack
		 * CONTROL, a looked-up one is the registrant's, a task the
		 * loader's. The first two stay until the client's task goes
		 * (or their object does); a task goes with its program,
		 * before the client's end checks that every slot it does
		 * not track is empty. */
		owned[w].kind = reduces ? to->kind : task ? T_NONE : to->kind == T_ROM ? T_DS : T_NS;
		owned[w].size = reduces ? to->size : to->kind == T_ROM ? 4096 : 0;
		owned[w].foreign = !task;
	} else if (creates && items && to->kind == T_ROM) {
		/* QUERY: a module's dataspace, of its size in pages. */
		owned[w].kind = T_DS;
		owned[w].size = (mr[0] + 4095) & ~4095ul;
		owned[w].foreign = true;
	} else if (creates && items && to->kind == T_FS) {
		/* DATASPACE: a file's, the file server's to delete. */
		owned[w].kind = T_DS;
		owned[w].size = MICA_FS_FILE_MAX;
		owned[w].foreign = true;
	} else if (creates && items) {
		owned[w].kind = kind_of(q.in0);
		sf.started += owned[w].kind == T_PROG;
		if (owned[w].kind == T_PROG && rnd() % 2) {
			/* A NOTIFY at once, before a program that ends by itself
			 * has: its end triggers what was sent. */
			struct req n = { &owned[w], mr, 0, 0 };
			u = gen_notify(&n);
			send(owned[w].sel, MICA_PROGRAM_NOTIFY, u, n.t, CL_SCRATCH);
		}
		owned[w].size = owned[w].kind == T_DS ? size : 0; /* a region map's: none attached */
		owned[w].foreign = false;
	} else if (items && mica_fpage_type(mr[mica_msgtag_u(r) + 1]) == MICA_FPAGE_OBJ) {
		sf.client_failed = 1;
	}
	if (m->after && op == m->op && m->kind == to->kind)
		m->after(&q, r);
}

/* A valid sequence through the client's allocator (the first target
 * of kind T_ALLOC with CREATE): a dataspace written through a mapping,
 * copied to another, read back from there, cleared, then both deleted.
 * Running out of quota or objects is no failure (the fuzzing may hold
 * them); a wrong answer of any other kind is. */
static void sequence(void)
{
	const struct target *a = &sf.targets[sf.own_alloc];
	unsigned i1 = SEQ_SLOT, i2 = SEQ_SLOT + 1;
	static const mica_word_t kinds[] = { 0, MICA_DS_PINNED, MICA_DS_CONTIG, MICA_DS_LARGE };
	mica_word_t pages = 1 + rnd() % 4, size = pages * 4096, off = rnd() % size;
	/* The first of any kind, a large one of a 2 MiB page or of 4 KiB
	 * ones; the second plain, of the size that is copied. */
	mica_word_t flags1 = kinds[rnd() % 4],
		    size1 = flags1 == MICA_DS_LARGE && rnd() % 2 ? 1ul << 21 : size;
	mica_word_t *mr = mica_mr();
	drop(i1);
	drop(i2);
	unsigned ok = 0;
	for (unsigned k = 0; k < 2; k++) {
		unsigned i = k ? i2 : i1;
		mr[0] = MICA_PROTO_DATASPACE;
		mr[1] = k ? size : size1;
		mr[2] = k ? 0 : flags1;
		mica_msgtag_t r = send(a->sel, MICA_FACTORY_CREATE, 3, 0, owned[i].sel);
		if (mica_error(r) == MICA_E_NO_MEMORY)
			return;
		if (mica_error(r) != MICA_OK || mica_msgtag_t_items(r) != 2) {
			failed(__LINE__);
			return;
		}
		owned[i].kind = T_DS;
		owned[i].size = k ? size : size1;
		owned[i].foreign = false;
	}
	/* Write through a mapping of the first. */
	volatile unsigned char *b = (volatile unsigned char *)(CL_MEM_WINDOW + off);
	unsigned char v = (unsigned char)(1 + rnd() % 255);
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_RW;
	mica_msgtag_t r = send(owned[i1].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	if (mica_error(r) != MICA_OK || *b != 0) {
		failed(__LINE__);
		return;
	}
	*b = v;
	/* Pinned memory tells where it is: a contiguous run to its end. */
	mr[0] = off;
	r = send(owned[i1].sel, MICA_DS_PHYS, 1, 0, CL_SCRATCH);
	if (flags1 & (MICA_DS_PINNED | MICA_DS_CONTIG))
		ok += mica_error(r) == MICA_OK && mr[1] >= 4096 - off % 4096 &&
		      (!(flags1 & MICA_DS_CONTIG) || mr[1] == size1 - off);
	else
		ok += mica_error(r) == MICA_E_BAD_ARG;
	/* The first's bytes copied to the second, and read there. */
	mr[0] = 0;
	mr[1] = 0;
	mr[2] = size;
	mr[3] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[4] = mica_fpage_obj(owned[i1].sel, 0, MICA_RIGHTS_ALL);
	r = send(owned[i2].sel, MICA_DS_COPY_IN, 3, 2, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	ok += mica_error(r) == MICA_OK;
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_R;
	r = send(owned[i2].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	ok += mica_error(r) == MICA_OK && *b == v;
	/* Cleared, the first reads zero again (its page is new). */
	mr[0] = off & ~0xffful;
	mr[1] = 4096;
	ok += mica_error(send(owned[i1].sel, MICA_DS_CLEAR, 2, 0, CL_SCRATCH)) == MICA_OK;
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_R;
	r = send(owned[i1].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	ok += mica_error(r) == MICA_OK && *b == 0;
	ok += mica_error(send(owned[i1].sel, MICA_OBJ_DELETE, 0, 0, CL_SCRATCH)) == MICA_OK;
	ok += mica_error(send(owned[i1].sel, MICA_DS_INFO, 0, 0, CL_SCRATCH)) == MICA_E_INVALID_CAP;
	owned[i1].kind = T_NONE;
	if (ok != 7)
		failed(__LINE__ * 100 + ok);
	sf.sequences++;
}

/* A valid sequence of the region map: a dataspace written through a
 * mapping, attached (SEARCH) in a map of the victim task, found, a
 * page fault in it answered with the page holding what was written,
 * detached, the map deleted. */
static void sequence_rm(void)
{
	const struct target *a = &sf.targets[sf.own_alloc];
	unsigned i1 = SEQ_SLOT, i2 = SEQ_SLOT + 1;
	mica_word_t size = (1 + rnd() % 4) * 4096, off = rnd() % size, *mr = mica_mr();
	volatile unsigned char *b = (volatile unsigned char *)(CL_MEM_WINDOW + off);
	unsigned char v = (unsigned char)(1 + rnd() % 255);
	drop(i1);
	drop(i2);
	mr[0] = MICA_PROTO_DATASPACE;
	mr[1] = size;
	mr[2] = 0;
	mica_msgtag_t r = send(a->sel, MICA_FACTORY_CREATE, 3, 0, owned[i1].sel);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	if (mica_error(r) != MICA_OK) {
		failed(__LINE__ * 100 + mica_error(r));
		return;
	}
	owned[i1].kind = T_DS;
	owned[i1].size = size;
	owned[i1].foreign = false;
	mr[0] = off;
	mr[1] = CL_MEM_WINDOW + (off & ~0xffful);
	mr[2] = MICA_FPAGE_RW;
	if ((r = send(owned[i1].sel, MICA_DS_MAP, 3, 0, CL_SCRATCH)), mica_error(r) == MICA_E_NO_MEMORY)
		return;
	if (mica_error(r) != MICA_OK) {
		failed(__LINE__ * 100 + mica_error(r));
		return;
	}
	*b = v;
	mr[0] = MICA_PROTO_REGION_MAP;
	mr[1] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[2] = mica_fpage_obj(CL_VICTIM, 0, MICA_RIGHTS_ALL);
	if ((r = send(a->sel, MICA_FACTORY_CREATE, 1, 2, owned[i2].sel)), mica_error(r) == MICA_E_NO_MEMORY)
		return;
	if (mica_error(r) != MICA_OK) {
		failed(__LINE__ * 100 + mica_error(r));
		return;
	}
	owned[i2].kind = T_RM;
	owned[i2].size = 0;
	owned[i2].foreign = false;
	unsigned ok = 0;
	mr[0] = CL_RM_AREA;
	mr[1] = 0;
	mr[2] = 0;
	mr[3] = MICA_FPAGE_RW | MICA_RM_SEARCH;
	mr[4] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[5] = mica_fpage_obj(owned[i1].sel, 0, MICA_RIGHTS_ALL);
	if ((r = send(owned[i2].sel, MICA_RM_ATTACH, 4, 2, CL_SCRATCH)), mica_error(r) == MICA_E_NO_MEMORY)
		return;
	mica_word_t at = mr[0];
	ok += mica_error(r) == MICA_OK && at >= CL_RM_AREA && !(at & 0xfff);
	mr[0] = at + off;
	r = send(owned[i2].sel, MICA_RM_FIND, 1, 0, CL_SCRATCH);
	ok += mica_error(r) == MICA_OK && mr[0] == at && mr[1] == size && mr[2] == 0 &&
	      (mr[3] & MICA_FPAGE_RWX) == MICA_FPAGE_RW;
	/* The fault's page lands at the fault address's place in the window. */
	mr[0] = at + off;
	mr[1] = 0;
	mr[2] = MICA_FPAGE_R;
	r = send(owned[i2].sel, MICA_LABEL_PAGE_FAULT, MICA_PF_WORDS, 0, CL_SCRATCH);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	volatile unsigned char *f =
		(volatile unsigned char *)(CL_MEM_WINDOW + ((at + off) & ((1ul << CL_MEM_WINDOW_LOG2) - 1)));
	ok += mica_error(r) == MICA_OK && mica_msgtag_t_items(r) == 2 && *f == v;
	mr[0] = at;
	r = send(owned[i2].sel, MICA_RM_DETACH, 1, 0, CL_SCRATCH);
	ok += mica_error(r) == MICA_OK && mr[0] == at && mr[1] == size;
	mr[0] = at;
	ok += mica_error(send(owned[i2].sel, MICA_RM_FIND, 1, 0, CL_SCRATCH)) == MICA_E_BAD_ARG;
	ok += mica_error(send(owned[i2].sel, MICA_OBJ_DELETE, 0, 0, CL_SCRATCH)) == MICA_OK;
	ok += mica_error(send(owned[i2].sel, MICA_RM_FIND, 1, 0, CL_SCRATCH)) == MICA_E_INVALID_CAP;
	owned[i2].kind = T_NONE;
	if (ok != 7)
		failed(__LINE__ * 100 + ok);
	sf.sequences++;
}

/* The sequence IRQ's firings not yet taken (an earlier program's). */
static void drain(void)
{
	mica_word_t label;
	for (unsigned i = 0; i < 4; i++)
		if (mica_msgtag_is_error(mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ZERO, &label)))
			return;
}

/* A held program's set-up (docs/protocols.md §6) as a starter does it:
 * a named capability and one at a fixed selector, its log, its
 * scheduling (a CPU set), its task (WRITE only, into owned[i + 1]),
 * START; then every set-up method is EXISTS. Whether all answered so. */
static unsigned step(int line, bool good)
{
	if (!good)
		failed(line);
	return good;
}

static bool held_setup(unsigned i)
{
	mica_word_t *mr = mica_mr();
	mica_cap_t prog = owned[i].sel;
	unsigned ok = 0;
	mr[0] = 0;
	mr[1] = 4;
	mr[2] = 0;
	memcpy(&mr[2], "chan", 4);
	mr[3] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[4] = mica_fpage_obj(sf.targets[sf.own_alloc].sel, 0, MICA_RIGHTS_ALL);
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_GIVE, 3, 2, CL_SCRATCH)) == MICA_OK);
	mr[0] = MICA_CAP_LOADER;
	mr[1] = 0;
	mr[2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[3] = mica_fpage_obj(sf.targets[sf.loader].sel, 0, MICA_RIGHTS_ALL);
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_GIVE, 2, 2, CL_SCRATCH)) == MICA_OK);
	mr[0] = 3;
	mr[1] = 3;
	mr[2] = 0;
	memcpy(&mr[2], "seq", 3);
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_LOG, 3, 0, CL_SCRATCH)) == MICA_OK);
	mr[0] = MICA_SCHED_DEFAULT_PRIO;
	mr[1] = 0;
	mr[2] = MICA_PROGRAM_SCHED_DEFAULT;
	mr[3] = 1; /* CPU 0 only */
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_SCHED, 4, 0, CL_SCRATCH)) == MICA_OK);
	mica_msgtag_t r = send(prog, MICA_PROGRAM_TASK, 0, 0, owned[i + 1].sel);
	/* A task (the client holds none of its own to ask the type with):
	 * WRITE only, so a query of its capabilities (READ) is refused. */
	mica_word_t type = 0, rights = 0;
	ok += step(__LINE__, mica_error(r) == MICA_OK && mica_msgtag_t_items(r) == 2 &&
				     !empty(owned[i + 1].sel) &&
				     mica_cap_info(owned[i + 1].sel, 1, &type, &rights) == MICA_E_NO_RIGHTS);
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_START, 0, 0, CL_SCRATCH)) == MICA_OK);
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_START, 0, 0, CL_SCRATCH)) == MICA_E_EXISTS);
	mr[0] = 0;
	mr[1] = 0;
	ok += step(__LINE__, mica_error(send(prog, MICA_PROGRAM_SCHED, 3, 0, CL_SCRATCH)) == MICA_E_EXISTS);
	if (ok != 8)
		failed(__LINE__ * 100 + ok);
	return ok == 8;
}

/* A valid sequence of the loader: exit0, or ldtest exiting with a
 * status or faulting at address 0x10, started through the client's
 * allocator and kernel factory; NOTIFY with the IRQ attached to the
 * client; its end awaited (the IRQ, then STATUS, a bounded number of
 * times); STATUS as expected; a NOTIFY after the end fires at once; a
 * fake EXIT refused; the object deleted, its capability empty. */
static void sequence_prog(void)
{
	const struct target *a = &sf.targets[sf.own_alloc];
	unsigned i = SEQ_SLOT;
	mica_word_t *mr = mica_mr();
	unsigned pick = (unsigned)(rnd() % 3), n;
	mica_word_t status = rnd() % 256;
	char *cmd = (char *)&mr[4];
	drop(i);
	drop(i + 1);
	drain();
	memset(cmd, 0, 32);
	if (pick == 0) {
		memcpy(cmd, "exit0", n = 5);
		status = 0;
	} else if (pick == 1) {
		memcpy(cmd, "ldtest\0status", 14); /* with its NUL */
		n = 14;
		n += (unsigned)(status >= 100) + (unsigned)(status >= 10) + 1;
		for (unsigned k = n, v = (unsigned)status; k-- > 14; v /= 10)
			cmd[k] = (char)('0' + v % 10);
	} else {
		memcpy(cmd, "ldtest\0null", n = 11);
		status = MICA_EXIT_EXCEPTION + 14;
	}
	unsigned u = 4 + (n + 7) / 8;
	bool held = rnd() % 2;
	mr[0] = held ? MICA_PROTO_PROGRAM_HELD : MICA_PROTO_PROGRAM;
	mr[1] = PROG_MEMQ;
	mr[2] = PROG_KQUOTA;
	mr[3] = n;
	mr[u] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[u + 1] = mica_fpage_obj(a->sel, 0, MICA_RIGHTS_ALL);
	mr[u + 2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[u + 3] = mica_fpage_obj(CL_KF, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t r = send(sf.targets[sf.loader].sel, MICA_FACTORY_CREATE, u, 4, owned[i].sel);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return; /* the fuzzing's programs and objects hold the quotas */
	if (mica_error(r) != MICA_OK || mica_msgtag_t_items(r) != 2) {
		failed(__LINE__ * 100 + mica_error(r));
		return;
	}
	owned[i].kind = T_PROG;
	owned[i].foreign = false;
	sf.started++;
	if (held && !held_setup(i)) /* failed() said why */
		return;
	unsigned ok = 0;
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_obj(CL_IRQ_SEQ, 0, MICA_RIGHTS_ALL);
	ok += mica_error(send(owned[i].sel, MICA_PROGRAM_NOTIFY, 0, 2, CL_SCRATCH)) == MICA_OK;
	/* Its end: ldtest and exit0 take a few of the client's time slices. */
	for (unsigned k = 0; k < 200; k++) {
		mica_word_t label;
		mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_REL(10000, 10), &label);
		r = send(owned[i].sel, MICA_PROGRAM_STATUS, 0, 0, CL_SCRATCH);
		if (mica_msgtag_is_error(r) || mr[0] != MICA_PROGRAM_RUNNING)
			break;
	}
	ok += mica_error(r) == MICA_OK && mr[0] == (pick == 2 ? MICA_PROGRAM_FAULTED : MICA_PROGRAM_EXITED) &&
	      mr[1] == status && (pick != 2 || (mr[2] == 14 && mr[3] == 0x10));
	drain();
	mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[1] = mica_fpage_obj(CL_IRQ_SEQ, 0, MICA_RIGHTS_ALL);
	ok += mica_error(send(owned[i].sel, MICA_PROGRAM_NOTIFY, 0, 2, CL_SCRATCH)) == MICA_OK;
	mica_word_t label = 0;
	ok += !mica_msgtag_is_error(mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ZERO, &label)) &&
	      label == CL_IRQ_LABEL;
	mr[0] = 3;
	ok += mica_error(send(owned[i].sel, MICA_PARENT_EXIT, 1, 0, CL_SCRATCH)) == MICA_E_NO_RIGHTS;
	ok += mica_error(send(owned[i].sel, MICA_OBJ_DELETE, 0, 0, CL_SCRATCH)) == MICA_OK;
	ok += mica_error(send(owned[i].sel, MICA_PROGRAM_STATUS, 0, 0, CL_SCRATCH)) == MICA_E_INVALID_CAP;
	owned[i].kind = T_NONE;
	/* The task TASK answered with (held) went with the program. */
	ok += !held || empty(owned[i + 1].sel);
	if (ok != 8)
		failed(__LINE__ * 100 + ok);
	sf.progs_ended++;
	sf.sequences++;
}

/* A valid sequence of the name-space protocol through a name space of
 * the client's own allocator: REGISTER, LIST, LOOKUP (the capability
 * lands and names the registered object), EXISTS for the name again,
 * UNLINK, NOT_FOUND, DELETE; and a REDUCE of it to READ, whose REGISTER
 * is NO_RIGHTS. */
static void sequence_ns(void)
{
	mica_word_t *mr = mica_mr();
	unsigned i = SEQ_SLOT;
	drop(i);
	drop(i + 1);
	unsigned ok = 0;
	mr[0] = MICA_PROTO_NAMESPACE;
	mica_msgtag_t r = send(sf.targets[sf.own_alloc].sel, MICA_FACTORY_CREATE, 1, 0, owned[i].sel);
	if (mica_error(r) == MICA_E_NO_MEMORY)
		return;
	if (mica_error(r) != MICA_OK) {
		failed(__LINE__ * 100 + mica_error(r));
		return;
	}
	owned[i].kind = T_NS;
	owned[i].foreign = false;
	mica_cap_t ns = owned[i].sel, obj = sf.targets[sf.own_alloc].sel;
	mr[0] = 5;
	memcpy(&mr[1], "alloc\0\0\0", 8);
	mr[2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[3] = mica_fpage_obj(obj, 0, MICA_RIGHTS_ALL);
	ok += mica_error(send(ns, MICA_NS_REGISTER, 2, 2, CL_SCRATCH)) == MICA_OK;
	mr[0] = 0;
	ok += mica_error(send(ns, MICA_NS_LIST, 1, 0, CL_SCRATCH)) == MICA_OK && mr[0] == 1 && mr[1] == 5;
	mr[0] = 5;
	memcpy(&mr[1], "alloc\0\0\0", 8);
	r = send(ns, MICA_NS_LOOKUP, 2, 0, owned[i + 1].sel);
	ok += mica_error(r) == MICA_OK && mr[0] == 5 && mica_msgtag_t_items(r) == 2;
	/* the same allocator: its INFO answers as the original's */
	mica_word_t limit = mica_error(send(obj, MICA_FACTORY_INFO, 0, 0, CL_SCRATCH)) == MICA_OK ? mr[0] : 0;
	ok += mica_error(send(owned[i + 1].sel, MICA_FACTORY_INFO, 0, 0, CL_SCRATCH)) == MICA_OK &&
	      mr[0] == limit && limit;
	owned[i + 1].kind = T_ALLOC;
	owned[i + 1].foreign = true;
	mr[0] = 5;
	memcpy(&mr[1], "alloc\0\0\0", 8);
	mr[2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[3] = mica_fpage_obj(obj, 0, MICA_RIGHTS_ALL);
	ok += mica_error(send(ns, MICA_NS_REGISTER, 2, 2, CL_SCRATCH)) == MICA_E_EXISTS;
	mr[0] = MICA_NS_R_READ;
	r = send(ns, MICA_OBJ_REDUCE, 1, 0, owned[i + 1].sel);
	ok += mica_error(r) == MICA_OK && mica_msgtag_t_items(r) == 2;
	owned[i + 1].kind = T_NS;
	mr[0] = 1;
	memcpy(&mr[1], "b\0\0\0\0\0\0\0", 8);
	mr[2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[3] = mica_fpage_obj(obj, 0, MICA_RIGHTS_ALL);
	ok += mica_error(send(owned[i + 1].sel, MICA_NS_REGISTER, 2, 2, CL_SCRATCH)) == MICA_E_NO_RIGHTS;
	mr[0] = 5;
	memcpy(&mr[1], "alloc\0\0\0", 8);
	ok += mica_error(send(ns, MICA_NS_UNLINK, 2, 0, CL_SCRATCH)) == MICA_OK;
	mr[0] = 5;
	memcpy(&mr[1], "alloc\0\0\0", 8);
	ok += mica_error(send(ns, MICA_NS_LOOKUP, 2, 0, CL_SCRATCH)) == MICA_E_NOT_FOUND;
	ok += mica_error(send(ns, MICA_OBJ_DELETE, 0, 0, CL_SCRATCH)) == MICA_OK;
	/* the reduced capability went with it */
	ok += empty(owned[i + 1].sel);
	owned[i].kind = owned[i + 1].kind = T_NONE;
	owned[i + 1].foreign = false;
	if (ok != 11)
		failed(__LINE__ * 100 + ok);
	sf.sequences++;
}

void svcfuzz_client(long unused)
{
	(void)unused;
	rng = sf.seed * 0x9e3779b97f4a7c15ul + 1;
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		owned[i].sel = CL_OWNED + i;
	mica_utcb()->br[MICA_BR_MEM_WINDOW] =
		mica_fpage_mem(CL_MEM_WINDOW, CL_MEM_WINDOW_LOG2, MICA_FPAGE_RWX);
	/* The IRQs and the gate (of the client's kernel factory, gone with its task). */
	if (mica_create_irq(CL_KF, CL_IRQ) != MICA_OK || mica_create_irq(CL_KF, CL_IRQ_SEQ) != MICA_OK ||
	    mica_irq_attach(CL_IRQ_SEQ, CL_THREAD, CL_IRQ_LABEL) != MICA_OK ||
	    mica_create_gate(CL_KF, CL_GATE, CL_THREAD, CL_IRQ_LABEL) != MICA_OK)
		failed(__LINE__);
	for (unsigned long i = 0; i < sf.iterations; i++) {
		unsigned long r = rnd();
		if (r % 32 == 0)
			r / 32 % 4 == 0	  ? sequence()
			: r / 32 % 4 == 1 ? sequence_rm()
			: r / 32 % 4 == 2 ? sequence_prog()
					  : sequence_ns();
		else
			one();
	}
	/* Logs are the client's to close; its memory objects are left to
	 * go with the allocator they were made with (the root deletes it
	 * and counts what goes). Every other selector must be empty: no
	 * answer left a capability the client does not know of. */
	for (unsigned i = 0; i < CL_OWNED_MAX; i++) {
		if (owned[i].foreign && owned[i].kind != T_NONE)
			continue; /* a module's dataspace: the ROM's */
		/* A program that ended is one object, left to go with the
		 * allocator it was charged to (as its memory objects are);
		 * one that runs has a few more, and is ended here. */
		bool runs = owned[i].kind == T_PROG &&
			    (mica_error(mica_call(owned[i].sel, MICA_PROGRAM_STATUS, 0)) != MICA_OK ||
			     mica_mr()[0] == MICA_PROGRAM_RUNNING);
		if (owned[i].kind == T_LOG || runs)
			drop(i);
		else if (owned[i].kind != T_NONE && probe(owned[i].sel) == MICA_E_UNKNOWN_OP)
			sf.left++;
		else
			owned[i].kind = T_NONE;
	}
	for (unsigned i = 0; i < CL_OWNED_MAX; i++)
		if (owned[i].kind == T_NONE && !empty(owned[i].sel))
			sf.client_failed = 1;
	if (!empty(CL_SCRATCH))
		sf.client_failed = 1;
	sf.done = 1;
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}
