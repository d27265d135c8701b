/* Dataspaces (include/mica/dataspace.h): anonymous memory, zero-filled
 * on demand, pinned, physically contiguous or backed by 2 MiB pages.
 *
 * Each dataspace has a radix page table of pool pages, like x86's: a
 * table of height h has 512 entries each covering 512^h pages of 4 KiB;
 * an entry of height 0 is a page's address in the server's space, one
 * of height 1 may instead be a 2 MiB page (LARGE_BIT); 0 is a hole. The
 * root's height follows from the size (at most 3: 2^48 bytes), so a
 * lookup is at most 4 steps and sparse ranges are skipped a hole at a
 * time. Pages are private to their dataspace: COPY_IN copies bytes
 * (copy-on-write sharing is a later step). */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica_image.h>
#include <mica_obj.h>
#include <stddef.h>
#include <string.h>

#include "mem.h"

#define FAN_LOG2 9
#define FAN (1ul << FAN_LOG2)
#define LARGE_BIT 1ul
#define MAX_SIZE (1ul << 47) /* the whole user half */

struct mem_ds {
	struct mica_srv_obj o; /* first */
	struct mem_owned own;  /* on its allocator's list */
	struct mem *m;
	struct mem_alloc *owner; /* 0 once deleted */
	mica_word_t size, flags;
	mica_word_t root; /* table of height `height`, 0: none yet */
	unsigned height;
	mica_word_t run; /* CONTIG: the run's address (charged as a whole) */
	/* A fixed dataspace (mem_ds_create_fixed): its memory, already in the
	 * server's space, read-only, never backed, zeroed, freed or charged;
	 * 0 for every other dataspace. */
	mica_word_t fixed;
	unsigned refs; /* the allocator's (until deleted) and mem_ds_get's */
};

static const struct mica_srv_type ds_type;

struct mem_ds *mem_ds_of(struct mica_srv_obj *o)
{
	return o && o->type == &ds_type ? (struct mem_ds *)o : 0;
}

struct mica_srv_obj *mem_ds_obj(struct mem_ds *ds)
{
	return &ds->o;
}

mica_word_t mem_ds_size(const struct mem_ds *ds)
{
	return ds->size;
}

mica_word_t mem_ds_flags(const struct mem_ds *ds)
{
	return ds->flags;
}

void mem_ds_get(struct mem_ds *ds)
{
	ds->refs++;
}

void mem_ds_put(struct mem_ds *ds)
{
	/* The struct's quota went back when it was deleted. */
	if (--ds->refs == 0)
		mem_pool_put(ds->m->pool, (mica_word_t)ds, MEM_PAGE_LOG2);
}

/* The entry covering page pg at height `want` or above (a hole or a
 * 2 MiB page stops the walk higher up): *out, and its height in *h (it
 * covers 512^h pages). make: tables on the way are made (charged). */
static int slot(struct mem_ds *ds, mica_word_t pg, unsigned want, bool make, mica_word_t **out, unsigned *h)
{
	mica_word_t *e = &ds->root;
	unsigned lv = ds->height + 1;
	while (lv > want && !(*e & LARGE_BIT)) {
		if (!*e) {
			if (!make)
				break;
			mica_word_t t;
			int err = mem_charge(ds->owner, MEM_PAGE);
			if (err != MICA_OK)
				return err;
			if ((err = mem_pool_get(ds->m->pool, MEM_PAGE_LOG2, &t)) != MICA_OK) {
				mem_refund(ds->owner, MEM_PAGE);
				return err;
			}
			*e = t;
		}
		lv--;
		e = &((mica_word_t *)*e)[(pg >> (FAN_LOG2 * lv)) & (FAN - 1)];
	}
	*out = e;
	*h = lv;
	return MICA_OK;
}

static mica_word_t span_of(unsigned h)
{
	return MEM_PAGE << (FAN_LOG2 * h);
}

/* A page that goes: no task keeps a mapping of it, then it returns to
 * the pool (a CONTIG run returns as a whole, at delete). */
static void release_page(struct mem_ds *ds, mica_word_t va, unsigned log2)
{
	mica_word_t fp = mica_fpage_mem(va, log2, MICA_FPAGE_RWX);
	mica_task_unmap(MICA_CAP_TASK, 0, &fp, 1);
	if (ds->run)
		return;
	mem_pool_put(ds->m->pool, va, log2);
	mem_refund(ds->owner, 1ul << log2);
}

/* Everything under the root goes, deepest tables first. A walk with
 * an explicit path (the height is at most 3), no recursion. */
static void drop_all(struct mem_ds *ds)
{
	mica_word_t *tab[4];
	unsigned idx[4], h = ds->height;
	/* A LARGE dataspace of one 2 MiB block has no table: its root is
	 * the page. */
	if (ds->root & LARGE_BIT) {
		release_page(ds, ds->root & ~LARGE_BIT, MEM_LARGE_LOG2);
		ds->root = 0;
		return;
	}
	tab[h] = (mica_word_t *)ds->root;
	idx[h] = 0;
	for (;;) {
		if (idx[h] == FAN) {
			mem_pool_put(ds->m->pool, (mica_word_t)tab[h], MEM_PAGE_LOG2);
			mem_refund(ds->owner, MEM_PAGE);
			if (h == ds->height)
				break;
			h++;
			continue;
		}
		mica_word_t e = tab[h][idx[h]++];
		if (!e)
			continue;
		if (h == 0) {
			release_page(ds, e, MEM_PAGE_LOG2);
		} else if (e & LARGE_BIT) {
			release_page(ds, e & ~LARGE_BIT, MEM_LARGE_LOG2);
		} else {
			h--;
			tab[h] = (mica_word_t *)e;
			idx[h] = 0;
		}
	}
	ds->root = 0;
}

/* Whether page pg's whole 2 MiB block lies inside a LARGE dataspace. */
static bool large_block(const struct mem_ds *ds, mica_word_t pg)
{
	return (ds->flags & MICA_DS_LARGE) && (pg | (FAN - 1)) < ds->size / MEM_PAGE;
}

/* The page holding page pg, backed first if it is not. */
static int back(struct mem_ds *ds, mica_word_t pg, mica_word_t *va, unsigned *log2)
{
	mica_word_t *e;
	unsigned h;
	int err;
	if (large_block(ds, pg)) {
		if ((err = slot(ds, pg, 1, true, &e, &h)) != MICA_OK)
			return err;
		if (!*e) {
			mica_word_t p;
			if ((err = mem_charge(ds->owner, MEM_LARGE)) != MICA_OK)
				return err;
			if ((err = mem_pool_get(ds->m->pool, MEM_LARGE_LOG2, &p)) != MICA_OK) {
				mem_refund(ds->owner, MEM_LARGE);
				return err;
			}
			*e = p | LARGE_BIT;
		}
		if (*e & LARGE_BIT) {
			*va = *e & ~LARGE_BIT;
			*log2 = MEM_LARGE_LOG2;
			return MICA_OK;
		}
		/* A table: a CONTIG run not aligned there has 4 KiB pages. */
	}
	if ((err = slot(ds, pg, 0, true, &e, &h)) != MICA_OK)
		return err;
	if (!*e) {
		mica_word_t p;
		if ((err = mem_charge(ds->owner, MEM_PAGE)) != MICA_OK)
			return err;
		if ((err = mem_pool_get(ds->m->pool, MEM_PAGE_LOG2, &p)) != MICA_OK) {
			mem_refund(ds->owner, MEM_PAGE);
			return err;
		}
		*e = p;
	}
	*va = *e;
	*log2 = MEM_PAGE_LOG2;
	return MICA_OK;
}

int mem_ds_page(struct mem_ds *ds, mica_word_t offset, bool write, mica_word_t *addr, unsigned *log2)
{
	/* Anonymous pages are private and writable until copy-on-write. */
	if (!ds->owner)
		return MICA_E_INVALID_CAP;
	if (offset >= ds->size)
		return MICA_E_BAD_ARG;
	if (ds->fixed) {
		if (write)
			return MICA_E_NO_RIGHTS;
		*addr = ds->fixed + (offset & ~(MEM_PAGE - 1));
		*log2 = MEM_PAGE_LOG2;
		return MICA_OK;
	}
	return back(ds, offset / MEM_PAGE, addr, log2);
}

/* The server address of the byte at offset if its page is backed, else 0. */
static mica_word_t find(struct mem_ds *ds, mica_word_t offset)
{
	if (ds->fixed)
		return ds->fixed + offset;
	mica_word_t *e;
	unsigned h;
	slot(ds, offset / MEM_PAGE, 0, false, &e, &h);
	return *e ? (*e & ~LARGE_BIT) + (offset & (span_of(h) - 1)) : 0;
}

/* A CONTIG dataspace: one run, entered page by page (2 MiB entries
 * where a LARGE one's run is aligned). */
static int fill_run(struct mem_ds *ds)
{
	mica_word_t n = ds->size / MEM_PAGE, va;
	int err = mem_charge(ds->owner, ds->size);
	if (err != MICA_OK)
		return err;
	if ((err = mem_pool_get_run(ds->m->pool, n, &va)) != MICA_OK) {
		mem_refund(ds->owner, ds->size);
		return err;
	}
	ds->run = va;
	for (mica_word_t pg = 0; pg < n;) {
		mica_word_t p = va + pg * MEM_PAGE, *e;
		unsigned h;
		bool large = large_block(ds, pg) && !(pg % FAN) && !(p % MEM_LARGE);
		if ((err = slot(ds, pg, large ? 1 : 0, true, &e, &h)) != MICA_OK)
			return err;
		*e = large ? p | LARGE_BIT : p;
		pg += large ? FAN : 1;
	}
	return MICA_OK;
}

static void destroy_owned(struct mem_owned *w)
{
	mem_ds_delete((struct mem_ds *)((char *)w - offsetof(struct mem_ds, own)));
}

void mem_ds_delete(struct mem_ds *ds)
{
	struct mem_alloc *a = ds->owner;
	if (ds->fixed) {
		/* Not ours to free: only every task's mapping of it goes. */
		for (mica_word_t off = 0; off < ds->size;) {
			unsigned l = mica_fit_log2(ds->fixed + off, ds->fixed + off, ds->size - off);
			mica_word_t fp = mica_fpage_mem(ds->fixed + off, l, MICA_FPAGE_RWX);
			mica_task_unmap(MICA_CAP_TASK, 0, &fp, 1);
			off += 1ul << l;
		}
		ds->fixed = 0;
	}
	if (ds->root)
		drop_all(ds);
	if (ds->run) {
		mem_pool_put_run(ds->m->pool, ds->run, ds->size / MEM_PAGE);
		mem_refund(a, ds->size);
		ds->run = 0;
	}
	mem_disown(&ds->own);
	mica_srv_remove(ds->m->srv, &ds->o);
	ds->owner = 0;
	mem_refund(a, MICA_OBJ_COST);
	mem_ds_put(ds);
}

int mem_ds_create(struct mem_alloc *a, mica_word_t size, mica_word_t flags, struct mem_ds **out)
{
	if (!size || size % MEM_PAGE || size > MAX_SIZE || (flags & ~MICA_DS_FLAGS))
		return MICA_E_BAD_ARG;
	if (flags & MICA_DS_CONTIG)
		flags |= MICA_DS_PINNED;
	void *page;
	int err = mem_obj_new(a, &page);
	if (err != MICA_OK)
		return err;
	struct mem_ds *ds = page;
	if ((err = mica_srv_add(a->m->srv, &ds->o, &ds_type)) != MICA_OK) {
		mem_obj_free(a, page);
		return err;
	}
	ds->m = a->m;
	ds->owner = a;
	ds->size = size;
	ds->flags = flags;
	ds->refs = 1;
	while (size / MEM_PAGE > FAN << (FAN_LOG2 * ds->height))
		ds->height++;
	mem_own(a, &ds->own, destroy_owned);
	if (flags & MICA_DS_CONTIG) {
		err = fill_run(ds);
	} else if (flags & MICA_DS_PINNED) {
		mica_word_t va;
		unsigned log2;
		for (mica_word_t off = 0; off < size; off += 1ul << log2)
			if ((err = back(ds, off / MEM_PAGE, &va, &log2)) != MICA_OK)
				break;
	}
	if (err != MICA_OK) {
		mem_ds_delete(ds); /* all of it back, quota exactly */
		return err;
	}
	*out = ds;
	return MICA_OK;
}

int mem_ds_create_fixed(struct mem_alloc *a, mica_word_t addr, mica_word_t size, struct mem_ds **out)
{
	if (!size || size % MEM_PAGE || size > MAX_SIZE || addr % MEM_PAGE || !addr || addr + size < addr)
		return MICA_E_BAD_ARG;
	void *page;
	int err = mem_obj_new(a, &page);
	if (err != MICA_OK)
		return err;
	struct mem_ds *ds = page;
	if ((err = mica_srv_add(a->m->srv, &ds->o, &ds_type)) != MICA_OK) {
		mem_obj_free(a, page);
		return err;
	}
	ds->m = a->m;
	ds->owner = a;
	ds->size = size;
	ds->flags = 0;
	ds->fixed = addr;
	ds->refs = 1;
	mem_own(a, &ds->own, destroy_owned);
	*out = ds;
	return MICA_OK;
}

bool mem_ds_is_fixed(const struct mem_ds *ds)
{
	return ds->fixed != 0;
}

/* An overflow-safe check that [off, off + size) lies in ds. */
static bool in_range(const struct mem_ds *ds, mica_word_t off, mica_word_t size)
{
	return off <= ds->size && size <= ds->size - off;
}

static int info(struct mica_srv_req *r)
{
	struct mem_ds *ds = (struct mem_ds *)r->obj;
	mica_srv_ret(r, ds->size);
	mica_srv_ret(r, ds->flags);
	return MICA_OK;
}

static int map(struct mica_srv_req *r)
{
	struct mem_ds *ds = (struct mem_ds *)r->obj;
	mica_word_t off = r->in[0], hot = r->in[1], rights = r->in[2], va;
	unsigned log2;
	if (off >= ds->size || !(rights & MICA_FPAGE_R) || (rights & ~MICA_FPAGE_RWX))
		return MICA_E_BAD_ARG;
	if ((rights & MICA_FPAGE_W) && !(r->rights & MICA_DS_R_WRITE))
		return MICA_E_NO_RIGHTS;
	int err = mem_ds_page(ds, off, rights & MICA_FPAGE_W, &va, &log2);
	if (err != MICA_OK)
		return err;
	/* A 2 MiB page lands whole only where the hot spot agrees with the
	 * offset; otherwise the 4 KiB of it holding the offset. */
	if (log2 == MEM_LARGE_LOG2 && ((off ^ hot) & (MEM_LARGE - 1))) {
		va += off & (MEM_LARGE - 1) & ~(MEM_PAGE - 1);
		log2 = MEM_PAGE_LOG2;
	}
	mica_srv_ret_mem(r, mica_fpage_mem(va, log2, rights), hot);
	return MICA_OK;
}

/* Whole pages go back to the pool and the quota (a pinned dataspace's
 * are zeroed in place), parts of pages are zeroed. Holes are skipped a
 * whole table's span at a time. */
static int clear(struct mica_srv_req *r)
{
	struct mem_ds *ds = (struct mem_ds *)r->obj;
	mica_word_t pos = r->in[0], end = r->in[0] + r->in[1];
	if (ds->fixed)
		return MICA_E_NO_RIGHTS; /* read-only memory */
	if (!in_range(ds, r->in[0], r->in[1]))
		return MICA_E_BAD_ARG;
	while (pos < end) {
		mica_word_t *e;
		unsigned h;
		slot(ds, pos / MEM_PAGE, 0, false, &e, &h);
		mica_word_t span = span_of(h), base = pos & ~(span - 1);
		mica_word_t next = end - base < span ? end : base + span;
		if (*e) {
			mica_word_t va = *e & ~LARGE_BIT;
			if (pos == base && next == base + span && !(ds->flags & MICA_DS_PINNED)) {
				release_page(ds, va, h ? MEM_LARGE_LOG2 : MEM_PAGE_LOG2);
				*e = 0;
			} else {
				memset((void *)(va + (pos - base)), 0, next - pos);
			}
		}
		pos = next;
	}
	return MICA_OK;
}

/* Copies bytes; the source's holes read as zero and are not backed. A
 * failure part-way (NO_MEMORY) leaves the part before it copied. */
static int copy_in(struct mica_srv_req *r)
{
	struct mem_ds *dst = (struct mem_ds *)r->obj, *src = mem_ds_of(r->local);
	mica_word_t doff = r->in[0], soff = r->in[1], size = r->in[2];
	if (!src || r->rcv)
		return MICA_E_BAD_ARG;
	if (dst->fixed)
		return MICA_E_NO_RIGHTS; /* read-only memory */
	if (!(r->local_rights & MICA_DS_R_READ))
		return MICA_E_NO_RIGHTS;
	if (size > MICA_DS_COPY_MAX || !in_range(dst, doff, size) || !in_range(src, soff, size) ||
	    (src == dst && doff < soff + size && soff < doff + size))
		return MICA_E_BAD_ARG;
	for (mica_word_t done = 0; done < size;) {
		mica_word_t s = soff + done, d = doff + done, n = size - done;
		if (n > MEM_PAGE - s % MEM_PAGE)
			n = MEM_PAGE - s % MEM_PAGE;
		if (n > MEM_PAGE - d % MEM_PAGE)
			n = MEM_PAGE - d % MEM_PAGE;
		mica_word_t sva = find(src, s), dva;
		unsigned log2;
		if (!sva) {
			if ((dva = find(dst, d)))
				memset((void *)dva, 0, n);
		} else {
			int err = mem_ds_page(dst, d, true, &dva, &log2);
			if (err != MICA_OK)
				return err;
			memcpy((void *)(dva + (d & ((1ul << log2) - 1))), (const void *)sva, n);
		}
		done += n;
	}
	return MICA_OK;
}

/* The physical address at offset and how far it runs contiguously. */
static int phys(struct mica_srv_req *r)
{
	struct mem_ds *ds = (struct mem_ds *)r->obj;
	mica_word_t off = r->in[0];
	if (!(ds->flags & MICA_DS_PINNED) || off >= ds->size)
		return MICA_E_BAD_ARG;
	mica_word_t pa = mem_pool_phys(ds->m->pool, find(ds, off)), end;
	if (ds->run) {
		end = ds->size;
	} else {
		/* Page by page while the next one follows physically. */
		end = (off | (MEM_PAGE - 1)) + 1;
		while (end < ds->size && mem_pool_phys(ds->m->pool, find(ds, end)) == pa + (end - off))
			end += MEM_PAGE;
	}
	mica_srv_ret(r, pa);
	mica_srv_ret(r, end - off);
	return MICA_OK;
}

static int delete (struct mica_srv_req *r)
{
	mem_ds_delete((struct mem_ds *)r->obj);
	return MICA_OK;
}

static const struct mica_srv_method ds_methods[] = {
	{ MICA_DS_INFO, 0, MICA_DS_R_READ, info },    { MICA_DS_MAP, 3, MICA_DS_R_READ, map },
	{ MICA_DS_CLEAR, 2, MICA_DS_R_WRITE, clear }, { MICA_DS_COPY_IN, 3, MICA_DS_R_WRITE, copy_in },
	{ MICA_DS_PHYS, 1, MICA_DS_R_CONTROL, phys }, { MICA_OBJ_DELETE, 0, MICA_DS_R_CONTROL, delete },
};

static const struct mica_srv_type ds_type = { "dataspace", ds_methods,
					      sizeof(ds_methods) / sizeof(ds_methods[0]), 0 };
