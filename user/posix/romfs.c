/* /rom: the boot modules of the ROM name space (MICA_CAP_ROM,
 * include/mica/rom.h), read-only. Opening a module maps its dataspace
 * read-only into the program (its region map): reads are copies from
 * there, mmap shares its pages. Writing is EROFS (vfs.c). */
#include <errno.h>
#include <fcntl.h>
#include <mica/env.h>
#include <mica/fpage.h>
#include <mica/rm.h>
#include <mica/rom.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "posix.h"

#define PAGE 4096ul
#define ROM_MAP_BASE 0x100000000ul /* where the search for room starts */

long posix_rom_open(const char *name, int flags, struct posix_file *f)
{
	size_t n = strlen(name);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))
		return n && n <= MICA_ROM_NAME_MAX ? -EROFS : -ENOENT;
	if (!n || n > MICA_ROM_NAME_MAX)
		return -ENOENT;
	mica_cap_t ds = posix_cap_alloc();
	mica_word_t *mr = mica_mr();
	mr[0] = n;
	memset(&mr[1], 0, 8 * ((n + 7) / 8));
	memcpy(&mr[1], name, n);
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_obj(ds, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t t = mica_call(MICA_CAP_ROM, MICA_ROM_QUERY, 1 + (unsigned)((n + 7) / 8));
	*br = saved;
	if (mica_error(t)) {
		posix_cap_free(ds);
		return -ENOENT;
	}
	f->size = mr[0];
	f->ds = ds;
	f->map = ROM_MAP_BASE;
	if (mica_rm_attach(MICA_CAP_RM, &f->map, (f->size + PAGE - 1) & ~(PAGE - 1), 0,
			   MICA_FPAGE_R | MICA_RM_SEARCH, ds) != MICA_OK) {
		mica_cap_delete(MICA_CAP_TASK, ds);
		posix_cap_free(ds);
		return -ENOMEM;
	}
	return 0;
}

long posix_rom_read(struct posix_file *f, char *buf, mica_word_t n)
{
	if (f->off >= f->size)
		return 0;
	if (n > f->size - f->off)
		n = f->size - f->off;
	memcpy(buf, (const char *)(f->map + f->off), n);
	f->off += n;
	return (long)n;
}

long posix_rom_close(struct posix_file *f)
{
	mica_rm_detach(MICA_CAP_RM, f->map, 0, 0);
	mica_cap_delete(MICA_CAP_TASK, f->ds);
	posix_cap_free(f->ds);
	return 0;
}

long posix_rom_fstat(struct posix_file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = f->map; /* unique while open */
	st->st_nlink = 1;
	st->st_mode = S_IFREG | 0555;
	st->st_size = (off_t)f->size;
	st->st_blksize = PAGE;
	st->st_blocks = (blkcnt_t)((f->size + PAGE - 1) / PAGE * 8);
	return 0;
}

long posix_rom_getdents(struct posix_file *f, char *buf, mica_word_t n)
{
	mica_word_t done = 0, *mr = mica_mr();
	for (;;) {
		mr[0] = f->off;
		mica_msgtag_t t = mica_call(MICA_CAP_ROM, MICA_ROM_LIST, 1);
		if (mica_error(t))
			return (long)done; /* past the last */
		char name[MICA_ROM_NAME_MAX + 1];
		mica_word_t len = mr[2] > MICA_ROM_NAME_MAX ? MICA_ROM_NAME_MAX : mr[2];
		memcpy(name, &mr[3], len);
		mica_word_t k = posix_dirent(buf + done, n - done, f->off + 1, f->off + 1, DT_REG, name, len);
		if (!k)
			return done ? (long)done : -EINVAL;
		done += k;
		f->off++;
	}
}
