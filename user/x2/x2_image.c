/* Each X.2 space's own copy of the program's writable image: SpaceControl
 * maps the program's code (read, execute) and read-only data into a new
 * space shared, the thread table read-only, and everything else writable
 * (data, bss, the stacks in them) as a copy of its own, taken when the
 * space is created. So the thread-id server's stack and state, and the
 * table, are out of reach of every space but the root server's. */
#include <mica/dataspace.h>
#include <mica/fpage.h>
#include <mica/rm.h>
#include <mica/sigma0.h>
#include <mica_env.h>
#include <mica_image.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <string.h>

#include "x2_priv.h"

extern char __image_start[], __text_end[], __rodata_end[], __data_end[], __bss_start[], __image_end[];

/* Where the copies sit in the root server's space: a 4 GiB slot per
 * space (clear of what programs use), each laid out as the image is, so
 * copy and original share their alignment and map in large pieces. */
#define COPY_AREA 0x7e0000000000ul
#define COPY_SLOT_LOG2 32
#define SIGMA0_PIECE_LOG2 16		     /* the largest piece asked of sigma0 at once */
#define X2_SEL_COPY(s) (X2_SEL + 0x10 + (s)) /* the copy's dataspace (allocator memory) */
_Static_assert(X2_MAX_SPACES <= 0x10, "X2_SEL_COPY overlaps the next selectors");

struct copy {
	mica_word_t at; /* where __rodata_end's copy is in this space; 0: none */
	int kept;	/* sigma0's RAM: kept for the next space of the slot */
};
/* Outlives x2_teardown: sigma0's RAM is never given back, so it is
 * reused by the next space in the slot. */
static struct copy copies[X2_MAX_SPACES];
static struct {
	mica_word_t a, size;
} shared[X2_SHARED];
static mica_cap_t mem_alloc, mem_rm;

static mica_word_t wr_start(void)
{
	return (mica_word_t)__rodata_end;
}

void x2_image_setup(mica_cap_t mem, mica_cap_t rm)
{
	mem_alloc = mem;
	mem_rm = rm;
	memset(shared, 0, sizeof(shared));
}

int x2_share(void *addr, mica_word_t size)
{
	mica_word_t a = (mica_word_t)addr;
	int in_data = a >= (mica_word_t)__rodata_end && a + size <= (mica_word_t)__data_end;
	int in_bss = a >= (mica_word_t)__bss_start && a + size <= (mica_word_t)__image_end;
	if (!size || ((a | size) & (X2_PAGE - 1)) || !(in_data || in_bss))
		return MICA_E_BAD_ARG;
	for (unsigned k = 0; k < X2_SHARED; k++)
		if (!shared[k].size) {
			shared[k].a = a;
			shared[k].size = size;
			return MICA_OK;
		}
	return MICA_E_BAD_ARG;
}

/* Memory for slot s's copy, mapped writable in this space. */
static int copy_get(unsigned s)
{
	struct copy *c = &copies[s];
	if (c->at)
		return MICA_OK; /* kept from an earlier space */
	mica_word_t base = COPY_AREA + ((mica_word_t)s << COPY_SLOT_LOG2);
	mica_word_t at = base + (wr_start() - (mica_word_t)__image_start);
	mica_word_t size = (mica_word_t)__image_end - wr_start();
	if (mem_alloc) {
		mica_word_t a = at;
		int e = mica_alloc_ds(mem_alloc, size, MICA_DS_PINNED, X2_SEL_COPY(s));
		if (e == MICA_OK)
			e = mica_rm_attach(mem_rm, &a, size, 0, MICA_FPAGE_RW | MICA_RM_EAGER,
					   X2_SEL_COPY(s));
		if (e != MICA_OK || a != at) {
			if (e == MICA_OK)
				mica_rm_detach(mem_rm, a, 0, 0);
			mica_obj_delete(X2_SEL_COPY(s));
			mica_cap_delete(MICA_CAP_TASK, X2_SEL_COPY(s));
			return e != MICA_OK ? e : MICA_E_NO_MEMORY;
		}
		c->at = at;
		return MICA_OK;
	}
	/* sigma0's RAM through the program's pager, in aligned pieces. Only
	 * the writable parts: not the gap between data and bss. */
	mica_word_t parts[2][2] = { { wr_start(), (mica_word_t)__data_end },
				    { (mica_word_t)__bss_start, (mica_word_t)__image_end } };
	for (unsigned p = 0; p < 2; p++) {
		mica_word_t a = at + (parts[p][0] - wr_start()), end = at + (parts[p][1] - wr_start());
		while (a < end) {
			unsigned l = mica_fit_log2(a, a, end - a);
			if (l > SIGMA0_PIECE_LOG2)
				l = SIGMA0_PIECE_LOG2;
			int e = mica_sigma0_ram(X2_SEL_SIGMA0, a, l, MICA_FPAGE_RW, 0);
			if (e != MICA_OK)
				return e; /* what came so far stays mapped, for the next try */
			a += 1ul << l;
		}
	}
	c->at = at;
	c->kept = 1;
	return MICA_OK;
}

enum kind { COPY, TABLE, SHARED };

static enum kind kind_of(mica_word_t a)
{
	mica_word_t t = (mica_word_t)&x2_sys;
	if (a >= t && a < t + sizeof(x2_sys))
		return TABLE;
	for (unsigned k = 0; k < X2_SHARED; k++)
		if (shared[k].size && a >= shared[k].a && a < shared[k].a + shared[k].size)
			return SHARED;
	return COPY;
}

/* Maps [from, to) of the image into task: runs of pages of one kind. */
static int give_range(mica_cap_t task, mica_word_t from, mica_word_t to, mica_word_t copy_at)
{
	while (from < to) {
		enum kind k = kind_of(from);
		mica_word_t end = from + X2_PAGE;
		while (end < to && kind_of(end) == k)
			end += X2_PAGE;
		int e;
		if (k == COPY)
			e = mica_map_range(task, MICA_CAP_TASK, copy_at + (from - wr_start()), from,
					   end - from, MICA_FPAGE_RW);
		else
			e = mica_map_range(task, MICA_CAP_TASK, from, from, end - from,
					   k == TABLE ? MICA_FPAGE_R : MICA_FPAGE_RW);
		if (e != MICA_OK)
			return e;
		from = end;
	}
	return MICA_OK;
}

int x2_image_give(unsigned s, mica_cap_t task)
{
	int e = copy_get(s);
	if (e != MICA_OK)
		return e;
	mica_word_t at = copies[s].at;
	/* Every page present here first (a boot task is paged lazily). */
	mica_touch_image();
	memcpy((void *)at, __rodata_end, (mica_word_t)__data_end - (mica_word_t)__rodata_end);
	memcpy((void *)(at + ((mica_word_t)__bss_start - wr_start())), __bss_start,
	       (mica_word_t)__image_end - (mica_word_t)__bss_start);
	mica_word_t img = (mica_word_t)__image_start;
	if ((e = mica_map_range(task, MICA_CAP_TASK, img, img, (mica_word_t)__text_end - img,
				MICA_FPAGE_RX)) ||
	    (e = mica_map_range(task, MICA_CAP_TASK, (mica_word_t)__text_end, (mica_word_t)__text_end,
				wr_start() - (mica_word_t)__text_end, MICA_FPAGE_R)) ||
	    (e = give_range(task, wr_start(), (mica_word_t)__data_end, at)) ||
	    (e = give_range(task, (mica_word_t)__bss_start, (mica_word_t)__image_end, at)))
		return e;
	/* The environment table the loader gave the program (read-only
	 * there too), which the runtime reads, e.g. for printf's log. */
	const struct mica_env *env = mica_env();
	if (env) {
		mica_word_t a = (mica_word_t)env & ~(X2_PAGE - 1);
		mica_word_t end = ((mica_word_t)(env + 1) + X2_PAGE - 1) & ~(X2_PAGE - 1);
		e = mica_map_range(task, MICA_CAP_TASK, a, a, end - a, MICA_FPAGE_R);
	}
	return e;
}

void x2_image_release(unsigned s)
{
	struct copy *c = &copies[s];
	if (!c->at || c->kept)
		return;
	/* Detaching unmaps it here, and with it the space's mappings. */
	mica_rm_detach(mem_rm, c->at, 0, 0);
	mica_obj_delete(X2_SEL_COPY(s));
	mica_cap_delete(MICA_CAP_TASK, X2_SEL_COPY(s));
	c->at = 0;
}
