/* Anonymous memory: each mmap and each growth of the break is a
 * dataspace from the program's allocator (MICA_CAP_MEM, its quota)
 * attached to its region map (MICA_CAP_RM), zero on first touch; munmap
 * detaches and deletes it, returning the memory to the quota. A file's
 * mapping attaches the file's own dataspace (vfs.c: /tmp's or a /rom
 * module's), so MAP_SHARED shares its pages with every other user of the
 * file; a writable MAP_PRIVATE one is a copy-on-write copy of it
 * (COPY_IN) charged to the program.
 * Partial (later steps of issue 21): anonymous mappings are always
 * read-write (mprotect succeeds without changing them), munmap takes
 * whole mappings only, MAP_FIXED does not replace a mapping, at most
 * POSIX_MAPS_MAX live mappings. One lock (mem_lock) serializes them; a
 * file's dataspace is taken under the files lock inside it. */
#include <errno.h>
#include <mica/env.h>
#include <mica/fpage.h>
#include <mica/rm.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <sys/mman.h>

#include "posix.h"

#define PAGE 4096ul
#define POSIX_MAPS_MAX 1024
/* Where searches for a free range start: well above any program image. */
#define POSIX_MMAP_BASE 0x100000000ul

struct map {
	mica_word_t start, size;
	mica_cap_t ds;
	int shared; /* a file's dataspace: munmap drops the capability only */
};
static struct map maps[POSIX_MAPS_MAX];
static unsigned nmaps;
/* Every entry takes it: the table and the break are shared by all
 * threads. */
static posix_mutex_t mem_lock;

extern char _end[]; /* NOLINT(bugprone-reserved-identifier): the linker's name for the end of bss */
static mica_word_t brk_cur, brk_top;

static long munmap_locked(long addr, long len);

static mica_word_t page_up(mica_word_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

/* A new dataspace of size bytes attached at *addr (exactly, or searched
 * from it): 0 or -errno. */
static long map_new(mica_word_t *addr, mica_word_t size, mica_word_t rm_flags)
{
	if (nmaps == POSIX_MAPS_MAX)
		return -ENOMEM;
	mica_cap_t ds = posix_cap_alloc();
	if (mica_alloc_ds(MICA_CAP_MEM, size, 0, ds) != MICA_OK) {
		posix_cap_free(ds);
		return -ENOMEM;
	}
	int e = mica_rm_attach(MICA_CAP_RM, addr, size, 0, rm_flags, ds);
	if (e != MICA_OK) {
		mica_obj_delete(ds);
		mica_cap_delete(MICA_CAP_TASK, ds);
		posix_cap_free(ds);
		return e == MICA_E_EXISTS ? -EEXIST : -ENOMEM;
	}
	maps[nmaps++] = (struct map){ *addr, size, ds, 0 };
	return 0;
}

/* A file's pages [off, off + size) at *addr. */
static long map_file(mica_word_t *addr, mica_word_t size, mica_word_t rights, mica_word_t rm_flags, long prot,
		     long flags, long fd, mica_word_t off)
{
	mica_cap_t ds;
	if (nmaps == POSIX_MAPS_MAX)
		return -ENOMEM;
	int priv = (flags & MAP_PRIVATE) && (prot & PROT_WRITE);
	posix_files_lock();
	long e = posix_file_ds(fd, priv ? PROT_READ : prot, &ds);
	posix_files_unlock();
	if (e)
		return e;
	if (priv) {
		/* A copy of its own, sharing the pages until either writes. */
		mica_word_t have, fl;
		mica_word_t at = *addr;
		if (mica_ds_info(ds, &have, &fl) != MICA_OK || off >= have)
			e = -EINVAL;
		else if (!(e = map_new(&at, size, rm_flags | rights)) &&
			 mica_ds_copy_in(maps[nmaps - 1].ds, 0, ds, off,
					 have - off < size ? have - off : size) != MICA_OK) {
			munmap_locked((long)at, (long)size);
			e = -ENOMEM;
		}
		mica_cap_delete(MICA_CAP_TASK, ds);
		posix_cap_free(ds);
		if (!e)
			*addr = at;
		return e;
	}
	/* A file's region has the rights asked, no more: a read-only
	 * dataspace cannot be attached writable. */
	rights = MICA_FPAGE_R | ((prot & PROT_WRITE) ? MICA_FPAGE_W : (prot & PROT_EXEC) ? MICA_FPAGE_X : 0);
	int r = mica_rm_attach(MICA_CAP_RM, addr, size, off, rm_flags | rights, ds);
	if (r != MICA_OK) {
		mica_cap_delete(MICA_CAP_TASK, ds);
		posix_cap_free(ds);
		return r == MICA_E_EXISTS ? -EEXIST : r == MICA_E_BAD_ARG ? -ENXIO : -ENOMEM;
	}
	maps[nmaps++] = (struct map){ *addr, size, ds, 1 };
	return 0;
}

static long brk_locked(long addr)
{
	if (!brk_cur)
		brk_cur = brk_top = page_up((mica_word_t)_end);
	mica_word_t want = (mica_word_t)addr;
	if (want > brk_top) {
		/* The next piece right after the last: the break stays one
		 * contiguous range or does not move. */
		mica_word_t at = brk_top, size = page_up(want) - brk_top;
		if (map_new(&at, size, MICA_FPAGE_R | MICA_FPAGE_W) != 0)
			return (long)brk_cur;
		brk_top += size;
	}
	if (want >= page_up((mica_word_t)_end) && want <= brk_top)
		brk_cur = want; /* shrinking keeps the pages for the next growth */
	return (long)brk_cur;
}

static long mmap_locked(long addr, long len, long prot, long flags, long fd, long off)
{
	if (len <= 0 || (addr & (PAGE - 1)) || (!(flags & MAP_ANONYMOUS) && (off < 0 || (off & (PAGE - 1)))))
		return -EINVAL;
	mica_word_t size = page_up((mica_word_t)len);
	/* R is every region's; X only without W (the region map refuses a
	 * writable and executable mapping); PROT_NONE reservations are
	 * read-write too (see the file's comment). */
	mica_word_t rights =
		MICA_FPAGE_R | ((prot & PROT_EXEC) && !(prot & PROT_WRITE) ? MICA_FPAGE_X : MICA_FPAGE_W);
	mica_word_t at = addr ? (mica_word_t)addr : POSIX_MMAP_BASE;
	if (!(flags & MAP_ANONYMOUS)) {
		long e = map_file(&at, size, rights, (flags & MAP_FIXED) ? 0 : MICA_RM_SEARCH, prot, flags,
				  fd, (mica_word_t)off);
		return e ? e : (long)at;
	}
	long e = map_new(&at, size, rights | ((flags & MAP_FIXED) ? 0 : MICA_RM_SEARCH));
	return e ? e : (long)at;
}

static long munmap_locked(long addr, long len)
{
	if (len <= 0 || (addr & (PAGE - 1)))
		return -EINVAL;
	mica_word_t size = page_up((mica_word_t)len);
	for (unsigned i = 0; i < nmaps; i++) {
		if (maps[i].start != (mica_word_t)addr || maps[i].size != size)
			continue;
		if (mica_rm_detach(MICA_CAP_RM, maps[i].start, 0, 0) != MICA_OK)
			return -EINVAL;
		if (!maps[i].shared)
			mica_obj_delete(maps[i].ds);
		mica_cap_delete(MICA_CAP_TASK, maps[i].ds);
		posix_cap_free(maps[i].ds);
		maps[i] = maps[--nmaps];
		return 0;
	}
	return -EINVAL; /* partial: only whole mappings go */
}

/* The anonymous memory (mmap and the break) the program holds, in bytes:
 * what the libc test program checks malloc gives back. */
unsigned long posix_mem_held(void)
{
	unsigned long n = 0;
	posix_mutex_lock(&mem_lock);
	for (unsigned i = 0; i < nmaps; i++)
		n += maps[i].shared ? 0 : maps[i].size;
	posix_mutex_unlock(&mem_lock);
	return n;
}

long posix_mprotect(long addr, long len, long prot)
{
	(void)prot;
	if (addr & (PAGE - 1) || len < 0)
		return -EINVAL;
	return 0; /* partial: every mapping stays read-write */
}

long posix_brk(long addr)
{
	posix_mutex_lock(&mem_lock);
	long r = brk_locked(addr);
	posix_mutex_unlock(&mem_lock);
	return r;
}

long posix_mmap(long addr, long len, long prot, long flags, long fd, long off)
{
	posix_mutex_lock(&mem_lock);
	long r = mmap_locked(addr, len, prot, flags, fd, off);
	posix_mutex_unlock(&mem_lock);
	return r;
}

long posix_munmap(long addr, long len)
{
	posix_mutex_lock(&mem_lock);
	long r = munmap_locked(addr, len);
	posix_mutex_unlock(&mem_lock);
	return r;
}
