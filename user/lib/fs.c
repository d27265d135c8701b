/* The client calls of mica_fs.h: one request each (pread/pwrite loop). */
#include <mica/factory.h>
#include <mica_fs.h>
#include <mica_obj.h>
#include <string.h>

#define WORDS(n) (((n) + sizeof(mica_word_t) - 1) / sizeof(mica_word_t))

/* Calls s with u words (a capability lands at dst if not 0): the status. */
static int call(mica_cap_t s, mica_word_t op, unsigned u, mica_cap_t dst)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	if (dst)
		*br = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t t = mica_call(s, op, u);
	*br = saved;
	if (mica_error(t))
		return -(int)mica_error(t);
	return (int)mica_mr()[0];
}

/* Puts a path at word w: the words it took (0 if too long). */
static unsigned put_path(unsigned w, const char *p)
{
	size_t n = strlen(p);
	if (n > MICA_FS_PATH_MAX)
		n = MICA_FS_PATH_MAX + 1; /* the server says ENAMETOOLONG */
	mica_word_t *mr = mica_mr();
	size_t k = n > MICA_FS_PATH_MAX ? 0 : n;
	if (k)
		mr[w + WORDS(k) - 1] = 0;
	memcpy(&mr[w], p, k);
	return (unsigned)WORDS(k);
}

int mica_fs_session(mica_cap_t fs, mica_word_t quota, mica_cap_t dst)
{
	mica_mr()[0] = quota;
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t t = mica_call(fs, MICA_FS_SESSION, 1);
	*br = saved;
	return -(int)mica_error(t);
}

int mica_fs_open(mica_cap_t s, const char *path, unsigned flags, mica_word_t *h, mica_word_t *size)
{
	mica_word_t *mr = mica_mr();
	mr[0] = flags;
	mr[1] = strlen(path);
	int e = call(s, MICA_FS_OPEN, 2 + put_path(2, path), 0);
	if (!e) {
		*h = mr[1];
		if (size)
			*size = mr[2];
	}
	return e;
}

int mica_fs_close(mica_cap_t s, mica_word_t h)
{
	mica_mr()[0] = h;
	return call(s, MICA_FS_CLOSE, 1, 0);
}

int mica_fs_read(mica_cap_t s, mica_word_t h, mica_word_t off, void *buf, size_t len, size_t *got)
{
	mica_word_t *mr = mica_mr();
	mr[0] = h;
	mr[1] = off;
	mr[2] = len;
	int e = call(s, MICA_FS_READ, 3, 0);
	*got = 0;
	if (!e && mr[1] <= len) {
		*got = mr[1];
		memcpy(buf, &mr[2], *got);
	}
	return e;
}

int mica_fs_write(mica_cap_t s, mica_word_t h, mica_word_t off, const void *buf, size_t len, size_t *got)
{
	mica_word_t *mr = mica_mr();
	if (len > MICA_FS_IO_MAX)
		len = MICA_FS_IO_MAX;
	mr[0] = h;
	mr[1] = off;
	mr[2] = len;
	memcpy(&mr[3], buf, len);
	int e = call(s, MICA_FS_WRITE, 3 + (unsigned)WORDS(len), 0);
	*got = e ? 0 : mr[1];
	return e;
}

int mica_fs_pread(mica_cap_t s, mica_word_t h, mica_word_t off, void *buf, size_t len, size_t *got)
{
	char *b = buf;
	*got = 0;
	while (len) {
		size_t k = len < MICA_FS_IO_MAX ? len : MICA_FS_IO_MAX, n;
		int e = mica_fs_read(s, h, off, b, k, &n);
		if (e)
			return e;
		*got += n;
		if (n < k)
			break;
		b += n;
		off += n;
		len -= n;
	}
	return 0;
}

int mica_fs_pwrite(mica_cap_t s, mica_word_t h, mica_word_t off, const void *buf, size_t len)
{
	const char *b = buf;
	while (len) {
		size_t n;
		int e = mica_fs_write(s, h, off, b, len, &n);
		if (e)
			return e;
		b += n;
		off += n;
		len -= n;
	}
	return 0;
}

int mica_fs_truncate(mica_cap_t s, mica_word_t h, mica_word_t size)
{
	mica_mr()[0] = h;
	mica_mr()[1] = size;
	return call(s, MICA_FS_TRUNCATE, 2, 0);
}

int mica_fs_stat(mica_cap_t s, mica_word_t h, struct mica_fs_stat *st)
{
	mica_word_t *mr = mica_mr();
	mr[0] = h;
	int e = call(s, MICA_FS_STAT, 1, 0);
	if (!e) {
		st->type = mr[1];
		st->size = mr[2];
		st->ino = mr[3];
		st->nlink = mr[4];
	}
	return e;
}

int mica_fs_readdir(mica_cap_t s, mica_word_t h, mica_word_t cookie, mica_word_t *next, char *name,
		    mica_word_t *type, mica_word_t *ino)
{
	mica_word_t *mr = mica_mr();
	mr[0] = h;
	mr[1] = cookie;
	int e = call(s, MICA_FS_READDIR, 2, 0);
	if (e)
		return e;
	*next = mr[1];
	if (mr[1]) {
		size_t n = mr[4] > MICA_FS_NAME_MAX ? MICA_FS_NAME_MAX : mr[4];
		*type = mr[2];
		*ino = mr[3];
		memcpy(name, &mr[5], n);
		name[n] = 0;
	}
	return 0;
}

static int by_path(mica_cap_t s, mica_word_t op, const char *p)
{
	mica_mr()[0] = strlen(p);
	return call(s, op, 1 + put_path(1, p), 0);
}

int mica_fs_mkdir(mica_cap_t s, const char *path)
{
	return by_path(s, MICA_FS_MKDIR, path);
}

int mica_fs_rmdir(mica_cap_t s, const char *path)
{
	return by_path(s, MICA_FS_RMDIR, path);
}

int mica_fs_unlink(mica_cap_t s, const char *path)
{
	return by_path(s, MICA_FS_UNLINK, path);
}

int mica_fs_rename(mica_cap_t s, const char *from, const char *to)
{
	mica_word_t *mr = mica_mr();
	size_t a = strlen(from), b = strlen(to);
	if (a > MICA_FS_PATH_MAX || b > MICA_FS_PATH_MAX)
		return MICA_FS_ENAMETOOLONG;
	mr[0] = a;
	mr[1] = b;
	unsigned w = 2 + put_path(2, from);
	w += put_path(w, to);
	return call(s, MICA_FS_RENAME, w, 0);
}

int mica_fs_dataspace(mica_cap_t s, mica_word_t h, mica_cap_t dst, mica_word_t *size)
{
	mica_mr()[0] = h;
	int e = call(s, MICA_FS_DATASPACE, 1, dst);
	if (!e && size)
		*size = mica_mr()[1];
	return e;
}

int mica_fs_info(mica_cap_t s, mica_word_t *quota, mica_word_t *charged)
{
	int e = call(s, MICA_FS_INFO, 0, 0);
	if (!e) {
		*quota = mica_mr()[1];
		*charged = mica_mr()[2];
	}
	return e;
}
