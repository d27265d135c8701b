/* The RAM file server's objects and methods (include/mica/fs.h): the
 * file system, which makes sessions, and the sessions, through which
 * clients open, read, write and change the tree (tree.c). Every answer
 * of a session carries a status word first; nothing a client sends
 * (names, offsets, handles) is trusted before it is checked. */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/gate.h>
#include <string.h>

#include "ramfs.h"

static const struct mica_srv_type fs_type, ses_type;

#define WORDS(n) (((n) + sizeof(mica_word_t) - 1) / sizeof(mica_word_t))

/* The path of n bytes at word w of the request, NUL-terminated in buf:
 * 0, EINVAL (past the words sent, a NUL inside, empty) or ENAMETOOLONG. */
static int path_at(const struct mica_srv_req *r, unsigned w, mica_word_t n, char *buf)
{
	if (n > MICA_FS_PATH_MAX)
		return MICA_FS_ENAMETOOLONG;
	if (n == 0 || w + WORDS(n) > r->n)
		return MICA_FS_EINVAL;
	memcpy(buf, &r->in[w], n);
	buf[n] = 0;
	return strlen(buf) == n ? 0 : MICA_FS_EINVAL;
}

/* Appends n bytes to the answer, 8 per word. */
static void ret_bytes(struct mica_srv_req *r, const void *s, size_t n)
{
	for (size_t i = 0; i < n; i += sizeof(mica_word_t)) {
		mica_word_t w = 0;
		memcpy(&w, (const char *)s + i, n - i < sizeof(w) ? n - i : sizeof(w));
		mica_srv_ret(r, w);
	}
}

/* Every session handler's answer: the status word first. */
static int status(struct mica_srv_req *r, int st)
{
	r->out = 0;
	r->out_items = 0;
	mica_srv_ret(r, (mica_word_t)st);
	return MICA_OK;
}

/* The handle a request names (word 0), or 0 (stale, out of range). */
static struct ramfs_handle *handle(struct mica_srv_req *r)
{
	struct ramfs_session *s = (struct ramfs_session *)r->obj;
	mica_word_t h = r->in[0], i = h & 0xff;
	if (i >= RAMFS_HANDLES || (h >> 8) != s->h[i].gen || !s->h[i].node)
		return 0;
	return &s->h[i];
}

static void close_handle(struct ramfs *fs, struct ramfs_handle *h)
{
	struct ramfs_node *n = h->node;
	h->node = 0;
	h->gen = (h->gen + 1) & 0xffffff;
	if (!h->gen)
		h->gen = 1;
	n->opens--;
	ramfs_node_drop(fs, n);
}

static int open_(struct mica_srv_req *r)
{
	struct ramfs_session *s = (struct ramfs_session *)r->obj;
	struct ramfs *fs = s->fs;
	mica_word_t fl = r->in[0];
	char p[MICA_FS_PATH_MAX + 1];
	struct ramfs_walk w = { 0, 0, 0 };
	int e;
	if (fl & ~(mica_word_t)MICA_FS_O_FLAGS || !(fl & (MICA_FS_O_READ | MICA_FS_O_WRITE)))
		return status(r, MICA_FS_EINVAL);
	if ((fl & (MICA_FS_O_WRITE | MICA_FS_O_CREAT | MICA_FS_O_TRUNC)) && !(r->rights & MICA_FS_R_WRITE))
		return status(r, MICA_FS_EACCES);
	if ((e = path_at(r, 2, r->in[1], p)) || (e = ramfs_walk(fs, p, &w)))
		return status(r, e);
	unsigned slot = RAMFS_HANDLES;
	for (unsigned i = 0; i < RAMFS_HANDLES && slot == RAMFS_HANDLES; i++)
		if (!s->h[i].node)
			slot = i;
	if (slot == RAMFS_HANDLES)
		return status(r, MICA_FS_EMFILE);
	struct ramfs_node *n = w.node;
	if (n && (fl & MICA_FS_O_CREAT) && (fl & MICA_FS_O_EXCL))
		return status(r, MICA_FS_EEXIST);
	if (!n) {
		if (!(fl & MICA_FS_O_CREAT))
			return status(r, MICA_FS_ENOENT);
		if (fl & MICA_FS_O_DIRECTORY)
			return status(r, MICA_FS_EINVAL);
		if ((e = ramfs_node_new(fs, s, w.dir, w.leaf, MICA_FS_T_FILE, &n)))
			return status(r, e);
	}
	if (n->type == MICA_FS_T_DIR && (fl & (MICA_FS_O_WRITE | MICA_FS_O_TRUNC)))
		return status(r, MICA_FS_EISDIR);
	if (n->type != MICA_FS_T_DIR && (fl & MICA_FS_O_DIRECTORY))
		return status(r, MICA_FS_ENOTDIR);
	if ((fl & MICA_FS_O_TRUNC) && (e = ramfs_resize(fs, n, 0)))
		return status(r, e);
	struct ramfs_handle *h = &s->h[slot];
	h->node = n;
	h->mode = (unsigned)fl & (MICA_FS_O_READ | MICA_FS_O_WRITE);
	n->opens++;
	status(r, 0);
	mica_srv_ret(r, slot | (mica_word_t)h->gen << 8);
	mica_srv_ret(r, n->size);
	mica_srv_ret(r, n->type);
	return MICA_OK;
}

static int close_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	if (!h)
		return status(r, MICA_FS_EBADF);
	close_handle(((struct ramfs_session *)r->obj)->fs, h);
	return status(r, 0);
}

static int read_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	mica_word_t off = r->in[1], len = r->in[2];
	mica_word_t buf[WORDS(MICA_FS_IO_MAX)];
	if (!h || !(h->mode & MICA_FS_O_READ))
		return status(r, MICA_FS_EBADF);
	if (h->node->type == MICA_FS_T_DIR)
		return status(r, MICA_FS_EISDIR);
	if (len > MICA_FS_IO_MAX)
		return status(r, MICA_FS_EINVAL);
	mica_word_t size = h->node->size;
	if (off >= size)
		len = 0;
	else if (len > size - off)
		len = size - off;
	int e = len ? ramfs_io(h->node, off, buf, len, false) : 0;
	if (e)
		return status(r, e);
	status(r, 0);
	mica_srv_ret(r, len);
	ret_bytes(r, buf, len);
	return MICA_OK;
}

static int write_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	mica_word_t off = r->in[1], len = r->in[2];
	if (!h || !(h->mode & MICA_FS_O_WRITE))
		return status(r, MICA_FS_EBADF);
	if (len > MICA_FS_IO_MAX || 3 + WORDS(len) > r->n)
		return status(r, MICA_FS_EINVAL);
	if (off > MICA_FS_FILE_MAX || len > MICA_FS_FILE_MAX - off)
		return status(r, MICA_FS_EFBIG);
	struct ramfs_node *n = h->node;
	struct ramfs *fs = ((struct ramfs_session *)r->obj)->fs;
	mica_word_t old = n->size;
	int e = 0;
	if (off + len > n->size)
		e = ramfs_resize(fs, n, off + len);
	if (!e && len && (e = ramfs_io(n, off, &r->in[3], len, true)) != 0 && n->size != old)
		ramfs_resize(fs, n, old); /* all or nothing: the size as it was */
	if (e)
		return status(r, e);
	status(r, 0);
	mica_srv_ret(r, len);
	return MICA_OK;
}

static int truncate_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	if (!h || !(h->mode & MICA_FS_O_WRITE))
		return status(r, MICA_FS_EBADF);
	if (h->node->type == MICA_FS_T_DIR)
		return status(r, MICA_FS_EISDIR);
	return status(r, ramfs_resize(((struct ramfs_session *)r->obj)->fs, h->node, r->in[1]));
}

static int stat_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	if (!h)
		return status(r, MICA_FS_EBADF);
	status(r, 0);
	mica_srv_ret(r, h->node->type);
	mica_srv_ret(r, h->node->size);
	mica_srv_ret(r, h->node->ino);
	mica_srv_ret(r, h->node->linked);
	return MICA_OK;
}

static int readdir_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	if (!h)
		return status(r, MICA_FS_EBADF);
	if (h->node->type != MICA_FS_T_DIR)
		return status(r, MICA_FS_ENOTDIR);
	struct ramfs_node *c = h->node->first;
	while (c && c->seq <= r->in[1])
		c = c->next;
	status(r, 0);
	if (!c) {
		mica_srv_ret(r, 0);
		return MICA_OK;
	}
	size_t n = strlen(c->name);
	mica_srv_ret(r, c->seq);
	mica_srv_ret(r, c->type);
	mica_srv_ret(r, c->ino);
	mica_srv_ret(r, n);
	ret_bytes(r, c->name, n);
	return MICA_OK;
}

/* The walk of the path at word w (length in word lw) for a change of
 * the tree: 0, or the status (EINVAL if it names no leaf: the root, "."
 * or ".."). */
static int leaf_walk(struct mica_srv_req *r, unsigned lw, unsigned w, char *buf, struct ramfs_walk *wk)
{
	int e;
	if ((e = path_at(r, w, r->in[lw], buf)) ||
	    (e = ramfs_walk(((struct ramfs_session *)r->obj)->fs, buf, wk)))
		return e;
	return wk->leaf ? 0 : MICA_FS_EINVAL;
}

static int mkdir_(struct mica_srv_req *r)
{
	struct ramfs_session *s = (struct ramfs_session *)r->obj;
	char p[MICA_FS_PATH_MAX + 1];
	struct ramfs_walk w = { 0, 0, 0 };
	struct ramfs_node *n;
	int e = leaf_walk(r, 0, 1, p, &w);
	if (e == MICA_FS_EINVAL && w.node && !w.leaf)
		return status(r, MICA_FS_EEXIST); /* the root, "." */
	if (e)
		return status(r, e);
	if (w.node)
		return status(r, MICA_FS_EEXIST);
	return status(r, ramfs_node_new(s->fs, s, w.dir, w.leaf, MICA_FS_T_DIR, &n));
}

static int remove_(struct mica_srv_req *r, unsigned type)
{
	char p[MICA_FS_PATH_MAX + 1];
	struct ramfs_walk w = { 0, 0, 0 };
	int e = leaf_walk(r, 0, 1, p, &w);
	if (e == MICA_FS_EINVAL && w.node == ((struct ramfs_session *)r->obj)->fs->root)
		return status(r, type == MICA_FS_T_DIR ? MICA_FS_EBUSY : MICA_FS_EISDIR);
	if (e)
		return status(r, e);
	if (!w.node)
		return status(r, MICA_FS_ENOENT);
	if (type == MICA_FS_T_DIR && w.node->type != MICA_FS_T_DIR)
		return status(r, MICA_FS_ENOTDIR);
	if (type == MICA_FS_T_FILE && w.node->type == MICA_FS_T_DIR)
		return status(r, MICA_FS_EISDIR);
	if (w.node->first)
		return status(r, MICA_FS_ENOTEMPTY);
	ramfs_unlink(((struct ramfs_session *)r->obj)->fs, w.node);
	return status(r, 0);
}

static int rmdir_(struct mica_srv_req *r)
{
	return remove_(r, MICA_FS_T_DIR);
}

static int unlink_(struct mica_srv_req *r)
{
	return remove_(r, MICA_FS_T_FILE);
}

static int rename_(struct mica_srv_req *r)
{
	struct ramfs *fs = ((struct ramfs_session *)r->obj)->fs;
	char a[MICA_FS_PATH_MAX + 1], b[MICA_FS_PATH_MAX + 1];
	struct ramfs_walk from = { 0, 0, 0 }, to = { 0, 0, 0 };
	int e;
	if (r->in[0] > MICA_FS_PATH_MAX)
		return status(r, MICA_FS_ENAMETOOLONG);
	if ((e = leaf_walk(r, 0, 2, a, &from)) ||
	    (e = leaf_walk(r, 1, 2 + (unsigned)WORDS(r->in[0]), b, &to)))
		return status(r, e);
	struct ramfs_node *n = from.node, *old = to.node;
	if (!n)
		return status(r, MICA_FS_ENOENT);
	if (n == old)
		return status(r, 0);
	/* A directory may not move below itself. */
	for (struct ramfs_node *d = to.dir; d; d = d->parent)
		if (d == n)
			return status(r, MICA_FS_EINVAL);
	if (old) {
		if (n->type == MICA_FS_T_DIR && old->type != MICA_FS_T_DIR)
			return status(r, MICA_FS_ENOTDIR);
		if (n->type != MICA_FS_T_DIR && old->type == MICA_FS_T_DIR)
			return status(r, MICA_FS_EISDIR);
		if (old->first)
			return status(r, MICA_FS_ENOTEMPTY);
	}
	char name[MICA_FS_NAME_MAX + 1];
	memcpy(name, to.leaf, strlen(to.leaf) + 1);
	n->opens++; /* not freed while out of the tree */
	ramfs_unlink(fs, n);
	if (old)
		ramfs_unlink(fs, old);
	ramfs_link(fs, n, to.dir, name);
	n->opens--;
	return status(r, 0);
}

static int dataspace_(struct mica_srv_req *r)
{
	struct ramfs_handle *h = handle(r);
	struct ramfs *fs = ((struct ramfs_session *)r->obj)->fs;
	mica_cap_t c;
	int e;
	if (!h)
		return status(r, MICA_FS_EBADF);
	if (h->node->type == MICA_FS_T_DIR)
		return status(r, MICA_FS_EISDIR);
	if ((e = ramfs_ds(fs, h->node)))
		return status(r, e);
	unsigned rights = MICA_DS_R_READ | (h->mode & MICA_FS_O_WRITE ? MICA_DS_R_WRITE : 0);
	if (mica_srv_cap(r->srv, mem_ds_obj(h->node->ds), rights, &c) != MICA_OK)
		return status(r, MICA_FS_ENOSPC);
	status(r, 0);
	mica_srv_ret(r, h->node->size);
	mica_srv_ret_cap(r, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

static int info_(struct mica_srv_req *r)
{
	struct ramfs_session *s = (struct ramfs_session *)r->obj;
	status(r, 0);
	mica_srv_ret(r, s->quota);
	mica_srv_ret(r, s->charged);
	return MICA_OK;
}

static int end_(struct mica_srv_req *r)
{
	ramfs_session_end((struct ramfs_session *)r->obj);
	return MICA_OK;
}

static const struct mica_srv_method ses_methods[] = {
	{ MICA_FS_OPEN, 2, MICA_FS_R_READ, open_ },
	{ MICA_FS_CLOSE, 1, MICA_FS_R_READ, close_ },
	{ MICA_FS_READ, 3, MICA_FS_R_READ, read_ },
	{ MICA_FS_WRITE, 3, MICA_FS_R_WRITE, write_ },
	{ MICA_FS_TRUNCATE, 2, MICA_FS_R_WRITE, truncate_ },
	{ MICA_FS_STAT, 1, MICA_FS_R_READ, stat_ },
	{ MICA_FS_READDIR, 2, MICA_FS_R_READ, readdir_ },
	{ MICA_FS_MKDIR, 1, MICA_FS_R_WRITE, mkdir_ },
	{ MICA_FS_RMDIR, 1, MICA_FS_R_WRITE, rmdir_ },
	{ MICA_FS_UNLINK, 1, MICA_FS_R_WRITE, unlink_ },
	{ MICA_FS_RENAME, 2, MICA_FS_R_WRITE, rename_ },
	{ MICA_FS_DATASPACE, 1, MICA_FS_R_READ, dataspace_ },
	{ MICA_FS_INFO, 0, MICA_FS_R_READ, info_ },
	{ MICA_OBJ_DELETE, 0, MICA_FS_R_CONTROL, end_ },
};

static const struct mica_srv_type ses_type = { "fs-session", ses_methods,
					       sizeof(ses_methods) / sizeof(ses_methods[0]), 0 };

int ramfs_session_new(struct ramfs *fs, mica_word_t quota, struct ramfs_session **out)
{
	if (!quota || quota > fs->quota - fs->reserved)
		return MICA_E_BAD_ARG;
	for (unsigned i = 0; i < RAMFS_SESSIONS; i++) {
		struct ramfs_session *s = &fs->ses[i];
		if (s->used)
			continue;
		memset(s, 0, sizeof(*s));
		for (unsigned k = 0; k < RAMFS_HANDLES; k++)
			s->h[k].gen = 1;
		if (mica_srv_add(fs->m->srv, &s->o, &ses_type) != MICA_OK)
			return MICA_E_NO_MEMORY;
		s->fs = fs;
		s->used = true;
		s->quota = quota;
		fs->reserved += quota;
		*out = s;
		return MICA_OK;
	}
	return MICA_E_NO_MEMORY;
}

void ramfs_session_end(struct ramfs_session *s)
{
	struct ramfs *fs = s->fs;
	for (unsigned i = 0; i < RAMFS_HANDLES; i++)
		if (s->h[i].node)
			close_handle(fs, &s->h[i]);
	/* Its files stay; the file system pays for them from now on. */
	fs->reserved -= s->quota;
	for (unsigned i = 0; i < RAMFS_NODES; i++)
		if (fs->node[i].used && fs->node[i].owner == s) {
			fs->node[i].owner = 0;
			fs->reserved += fs->node[i].charged;
			s->nodes--;
		}
	s->used = false;
	mica_srv_remove(fs->m->srv, &s->o);
}

static int session_(struct mica_srv_req *r)
{
	struct ramfs_session *s;
	mica_cap_t c;
	int e = ramfs_session_new((struct ramfs *)r->obj, r->in[0], &s);
	if (e != MICA_OK)
		return e;
	if ((e = mica_srv_cap(r->srv, &s->o, MICA_SRV_RIGHTS, &c)) != MICA_OK) {
		ramfs_session_end(s);
		return e;
	}
	mica_srv_ret_cap(r, c, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

static const struct mica_srv_method fs_methods[] = {
	{ MICA_FS_SESSION, 1, MICA_FS_R_CONTROL, session_ },
};

static const struct mica_srv_type fs_type = { "fs", fs_methods, sizeof(fs_methods) / sizeof(fs_methods[0]),
					      0 };

int ramfs_init(struct ramfs *fs, struct mem *m, struct mem_alloc *from, mica_word_t quota)
{
	memset(fs, 0, sizeof(*fs));
	fs->m = m;
	fs->quota = quota;
	/* The memory behind the bytes sessions are charged: a node's cost
	 * covers its dataspace object, but each file's page tables come on
	 * top (up to three pages for a small file, a page per 2 MiB of a large one): room for that, so that
	 * quotas, not this, are what clients run into. */
	int e = mem_alloc_create(from, quota + quota / 2 + 16 * MEM_PAGE, &fs->alloc);
	if (e != MICA_OK)
		return e;
	if ((e = mica_srv_add(m->srv, &fs->o, &fs_type)) != MICA_OK) {
		mem_alloc_delete(fs->alloc);
		return e;
	}
	ramfs_node_new(fs, 0, 0, "", MICA_FS_T_DIR, &fs->root);
	fs->root->charged = 0;	 /* the file system's own: no session's quota */
	fs->root->linked = true; /* never freed by a close */
	fs->reserved = 0;
	return MICA_OK;
}

void ramfs_fini(struct ramfs *fs)
{
	for (unsigned i = 0; i < RAMFS_SESSIONS; i++)
		if (fs->ses[i].used)
			ramfs_session_end(&fs->ses[i]);
	/* The sub-allocator's deletion takes every dataspace with it. */
	memset(fs->node, 0, sizeof(fs->node));
	mem_alloc_delete(fs->alloc);
	mica_srv_remove(fs->m->srv, &fs->o);
}
