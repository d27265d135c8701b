/* Dataspaces (include/mica/dataspace.h): anonymous memory, zero-filled
 * on demand, pinned, physically contiguous or backed by 2 MiB pages.
 *
 * Each dataspace has a radix page table of pool pages, like x86's: a
 * table of height h has 512 entries each covering 512^h pages of 4 KiB;
 * an entry of height 0 is a page's address in the server's space, one
 * of height 1 may instead be a 2 MiB page (LARGE_BIT); 0 is a hole. The
 * root's height follows from the size (at most 3: 2^48 bytes), so a
 * lookup is at most 4 steps and sparse ranges are skipped a hole at a
 * time.
 *
 * Copy-on-write: COPY_IN of a whole 4 KiB page (aligned on both sides,
 * neither dataspace PINNED, the source's page a 4 KiB one) shares the
 * frame instead of copying it. Both entries then carry COW_BIT; a pool
 * frame is reference-counted by the pool (mem_pool_share), a fixed
 * dataspace's frame (a boot module) needs no count, it is never freed.
 * Charging: every dataspace pays for its own view of a pool frame (a
 * shared page is charged to each holder and refunded to each as it lets
 * go, so quotas return exactly whatever the order), nothing for a view
 * of a module's frame until it writes. A shared page is handed out
 * read-only; the first write (a write fault, MAP with W, CLEAR or
 * COPY_IN of part of it) breaks the sharing: a fresh page with the bytes
 * (none if this dataspace is the frame's last holder: it keeps it). Every
 * mapping of the old frame derived from the server's page goes then if
 * this dataspace ever handed it out (SEEN_BIT), in every task, since
 * the server's page is one for all its holders: the other holders' tasks
 * refault and get it again. */
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
#define COW_BIT 2ul  /* a 4 KiB entry: the frame is shared, read-only */
#define SEEN_BIT 4ul /* with COW_BIT: handed out for mapping since shared */
#define FRAME(e) ((e) & ~(MEM_PAGE - 1))
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

/* Whether the shared frame fa is a pool page (else a fixed dataspace's,
 * never freed or charged). */
static bool pooled(const struct mem_ds *ds, mica_word_t fa)
{
	return mem_pool_holds(ds->m->pool, fa);
}

/* Every task's mapping of the server's 4 KiB page fa goes. */
static void unmap_frame(mica_word_t fa)
{
	mica_word_t fp = mica_fpage_mem(fa, MEM_PAGE_LOG2, MICA_FPAGE_RWX);
	mica_task_unmap(MICA_CAP_TASK, 0, &fp, 1);
}

/* A 4 KiB entry goes: a private page as release_page; a shared one is
 * unmapped only if this dataspace handed it out, and one holder (with
 * its charge) lets go. */
static void release_entry(struct mem_ds *ds, mica_word_t e)
{
	if (!(e & COW_BIT)) {
		release_page(ds, e, MEM_PAGE_LOG2);
		return;
	}
	mica_word_t fa = FRAME(e);
	if (e & SEEN_BIT)
		unmap_frame(fa);
	if (pooled(ds, fa)) {
		mem_pool_put(ds->m->pool, fa, MEM_PAGE_LOG2);
		mem_refund(ds->owner, MEM_PAGE);
	}
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
			release_entry(ds, e);
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

/* A shared entry *e: for a read its frame (MEM_DS_SHARED: read-only);
 * for a write the sharing is broken first. On an error nothing changed. */
static int cow_page(struct mem_ds *ds, mica_word_t *e, bool write, mica_word_t *va)
{
	mica_word_t fa = FRAME(*e), p;
	bool pool = pooled(ds, fa);
	int err;
	if (!write) {
		*e |= SEEN_BIT;
		*va = fa;
		return MEM_DS_SHARED;
	}
	if (pool && !mem_pool_shared(ds->m->pool, fa)) {
		/* The last holder: the frame is ours again (our read-only
		 * mappings of it go, to be refaulted writable). */
		if (*e & SEEN_BIT)
			unmap_frame(fa);
		*e = fa;
		*va = fa;
		return MICA_OK;
	}
	/* A pool frame's view is charged already; a module's is not. */
	if (!pool && (err = mem_charge(ds->owner, MEM_PAGE)) != MICA_OK)
		return err;
	if ((err = mem_pool_get(ds->m->pool, MEM_PAGE_LOG2, &p)) != MICA_OK) {
		if (!pool)
			mem_refund(ds->owner, MEM_PAGE);
		return err;
	}
	memcpy((void *)p, (const void *)fa, MEM_PAGE);
	if (*e & SEEN_BIT)
		unmap_frame(fa);
	if (pool)
		mem_pool_put(ds->m->pool, fa, MEM_PAGE_LOG2);
	*e = p;
	*va = p;
	return MICA_OK;
}

/* The page holding page pg, backed first if it is not. */
static int back(struct mem_ds *ds, mica_word_t pg, bool write, mica_word_t *va, unsigned *log2)
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
	*log2 = MEM_PAGE_LOG2;
	if (*e & COW_BIT) /* the only cost copy-on-write adds to a fresh page */
		return cow_page(ds, e, write, va);
	*va = *e;
	return MICA_OK;
}

int mem_ds_page(struct mem_ds *ds, mica_word_t offset, bool write, mica_word_t *addr, unsigned *log2)
{
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
	return back(ds, offset / MEM_PAGE, write, addr, log2);
}

/* The server address of the byte at offset if its page is backed, else 0. */
static mica_word_t find(struct mem_ds *ds, mica_word_t offset)
{
	if (ds->fixed)
		return ds->fixed + offset;
	mica_word_t *e;
	unsigned h;
	slot(ds, offset / MEM_PAGE, 0, false, &e, &h);
	return *e ? FRAME(*e) + (offset & (span_of(h) - 1)) : 0;
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

/* A new, empty dataspace object of a's (charged, registered, owned):
 * MICA_OK and *out, or the error with nothing left behind. */
static int ds_new(struct mem_alloc *a, mica_word_t size, mica_word_t flags, struct mem_ds **out)
{
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
	mem_own(a, &ds->own, destroy_owned);
	*out = ds;
	return MICA_OK;
}

int mem_ds_create(struct mem_alloc *a, mica_word_t size, mica_word_t flags, struct mem_ds **out)
{
	if (!size || size % MEM_PAGE || size > MAX_SIZE || (flags & ~MICA_DS_FLAGS))
		return MICA_E_BAD_ARG;
	if (flags & MICA_DS_CONTIG)
		flags |= MICA_DS_PINNED;
	struct mem_ds *ds;
	int err = ds_new(a, size, flags, &ds);
	if (err != MICA_OK)
		return err;
	while (size / MEM_PAGE > FAN << (FAN_LOG2 * ds->height))
		ds->height++;
	if (flags & MICA_DS_CONTIG) {
		err = fill_run(ds);
	} else if (flags & MICA_DS_PINNED) {
		mica_word_t va;
		unsigned log2;
		for (mica_word_t off = 0; off < size; off += 1ul << log2)
			if ((err = back(ds, off / MEM_PAGE, true, &va, &log2)) != MICA_OK)
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
	struct mem_ds *ds;
	int err = ds_new(a, size, 0, &ds);
	if (err != MICA_OK)
		return err;
	ds->fixed = addr;
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
	bool rw = (r->rights & MICA_DS_R_WRITE) && !ds->fixed;
	mica_srv_ret(r, ds->size);
	mica_srv_ret(r, ds->flags | (rw ? MICA_DS_RW : 0));
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
	/* Without W a shared page is mapped as asked, read-only (SHARED);
	 * with W, mem_ds_page broke the sharing. */
	int err = mem_ds_page(ds, off, rights & MICA_FPAGE_W, &va, &log2);
	if (err != MICA_OK && err != MEM_DS_SHARED)
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

/* [pos, end) of ds reads as zero again: whole pages go back to the
 * pool and the quota (a pinned dataspace's are zeroed in place; a shared
 * one is let go), parts of pages are zeroed (a shared page's sharing is
 * broken first, which may fail: NO_MEMORY, the part before it done).
 * Holes are skipped a whole table's span at a time. */
static int zero_range(struct mem_ds *ds, mica_word_t pos, mica_word_t end)
{
	while (pos < end) {
		mica_word_t *e;
		unsigned h;
		slot(ds, pos / MEM_PAGE, 0, false, &e, &h);
		mica_word_t span = span_of(h), base = pos & ~(span - 1);
		mica_word_t next = end - base < span ? end : base + span;
		if (*e) {
			mica_word_t va = FRAME(*e);
			if (pos == base && next == base + span && !(ds->flags & MICA_DS_PINNED)) {
				if (h)
					release_page(ds, va, MEM_LARGE_LOG2);
				else
					release_entry(ds, *e);
				*e = 0;
			} else {
				int err;
				if ((*e & COW_BIT) && (err = cow_page(ds, e, true, &va)) != MICA_OK)
					return err;
				memset((void *)(va + (pos - base)), 0, next - pos);
			}
		}
		pos = next;
	}
	return MICA_OK;
}

int mem_ds_clear(struct mem_ds *ds, mica_word_t off, mica_word_t size)
{
	if (ds->fixed)
		return MICA_E_NO_RIGHTS;
	if (!in_range(ds, off, size))
		return MICA_E_BAD_ARG;
	return zero_range(ds, off, off + size);
}

static int clear(struct mica_srv_req *r)
{
	struct mem_ds *ds = (struct mem_ds *)r->obj;
	if (ds->fixed)
		return MICA_E_NO_RIGHTS; /* read-only memory */
	if (!in_range(ds, r->in[0], r->in[1]))
		return MICA_E_BAD_ARG;
	return zero_range(ds, r->in[0], r->in[0] + r->in[1]);
}

#define NOT_SHARED 1

/* dst's 4 KiB page at d becomes a view of src's at s (both aligned),
 * copy-on-write: MICA_OK; NOT_SHARED where they cannot share (a PINNED
 * side, a 2 MiB page or a hole in src, a 2 MiB block of dst, the pool
 * out of counts): the caller copies; or NO_MEMORY (dst's quota or
 * tables) with nothing changed but tables made. */
static int share(struct mem_ds *dst, mica_word_t d, struct mem_ds *src, mica_word_t s)
{
	mica_word_t *se = 0, *de, fa;
	unsigned h;
	int err;
	if (((dst->flags | src->flags) & MICA_DS_PINNED) || large_block(dst, d / MEM_PAGE))
		return NOT_SHARED;
	if (src->fixed) {
		fa = src->fixed + s;
	} else {
		slot(src, s / MEM_PAGE, 0, false, &se, &h);
		if (h || !*se)
			return NOT_SHARED;
		fa = FRAME(*se);
	}
	if ((err = slot(dst, d / MEM_PAGE, 0, true, &de, &h)) != MICA_OK)
		return err;
	if (h)
		return NOT_SHARED;
	if (*de && FRAME(*de) == fa)
		return MICA_OK; /* shared already */
	if (pooled(dst, fa)) {
		if ((err = mem_charge(dst->owner, MEM_PAGE)) != MICA_OK)
			return err;
		if (mem_pool_share(dst->m->pool, fa) != MICA_OK) {
			mem_refund(dst->owner, MEM_PAGE);
			return NOT_SHARED;
		}
	}
	if (se && !(*se & COW_BIT)) {
		/* The source's writable mappings become read-only: its next
		 * write faults and breaks the sharing. */
		mica_word_t fp = mica_fpage_mem(fa, MEM_PAGE_LOG2, MICA_FPAGE_W);
		mica_task_unmap(MICA_CAP_TASK, 0, &fp, 1);
		*se |= COW_BIT | SEEN_BIT;
	}
	if (*de)
		release_entry(dst, *de);
	*de = fa | COW_BIT;
	return MICA_OK;
}

int mem_ds_copy(struct mem_ds *dst, mica_word_t doff, struct mem_ds *src, mica_word_t soff, mica_word_t size)
{
	if (!dst->owner || !src->owner)
		return MICA_E_INVALID_CAP;
	if (dst->fixed)
		return MICA_E_NO_RIGHTS; /* read-only memory */
	if (size > MICA_DS_COPY_MAX || !in_range(dst, doff, size) || !in_range(src, soff, size) ||
	    (src == dst && doff < soff + size && soff < doff + size))
		return MICA_E_BAD_ARG;
	for (mica_word_t done = 0; done < size;) {
		mica_word_t s = soff + done, d = doff + done, n = size - done;
		int err;
		if (n > MEM_PAGE - s % MEM_PAGE)
			n = MEM_PAGE - s % MEM_PAGE;
		if (n > MEM_PAGE - d % MEM_PAGE)
			n = MEM_PAGE - d % MEM_PAGE;
		done += n;
		if (n == MEM_PAGE && (err = share(dst, d, src, s)) != NOT_SHARED) {
			if (err != MICA_OK)
				return err;
			continue;
		}
		mica_word_t sva = find(src, s), dva;
		unsigned log2;
		if (!sva) {
			err = zero_range(dst, d, d + n);
		} else if ((err = mem_ds_page(dst, d, true, &dva, &log2)) == MICA_OK) {
			memcpy((void *)(dva + (d & ((1ul << log2) - 1))), (const void *)sva, n);
		}
		if (err != MICA_OK)
			return err;
	}
	return MICA_OK;
}

static int copy_in(struct mica_srv_req *r)
{
	struct mem_ds *src = mem_ds_of(r->local);
	if (!src || r->rcv)
		return MICA_E_BAD_ARG;
	if (((struct mem_ds *)r->obj)->fixed)
		return MICA_E_NO_RIGHTS;
	if (!(r->local_rights & MICA_DS_R_READ))
		return MICA_E_NO_RIGHTS;
	return mem_ds_copy((struct mem_ds *)r->obj, r->in[0], src, r->in[1], r->in[2]);
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
