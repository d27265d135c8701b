/* The RAM file system's tree (ramfs.h): nodes, path walks, links, file
 * bytes in dataspaces and what each costs its payer's quota. */
#include <string.h>

#include "ramfs.h"

#define PAGE_UP(x) (((x) + MEM_PAGE - 1) & ~(mica_word_t)(MEM_PAGE - 1))

/* The child of dir named name, or 0. */
static struct ramfs_node *child(struct ramfs_node *dir, const char *name)
{
	for (struct ramfs_node *c = dir->first; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return 0;
}

int ramfs_walk(struct ramfs *fs, char *path, struct ramfs_walk *w)
{
	struct ramfs_node *cur = fs->root;
	char *p = path;
	w->dir = 0;
	w->node = fs->root;
	w->leaf = 0;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		char *name = p;
		while (*p && *p != '/')
			p++;
		bool last = true;
		if (*p) {
			*p++ = 0;
			for (char *q = p; *q; q++)
				if (*q != '/') {
					last = false;
					break;
				}
		}
		if (strlen(name) > MICA_FS_NAME_MAX)
			return MICA_FS_ENAMETOOLONG;
		if (cur->type != MICA_FS_T_DIR)
			return MICA_FS_ENOTDIR;
		struct ramfs_node *next;
		if (!strcmp(name, "."))
			next = cur;
		else if (!strcmp(name, ".."))
			next = cur->parent ? cur->parent : cur;
		else if (last) {
			w->dir = cur;
			w->leaf = name;
			w->node = child(cur, name);
			return 0;
		} else if (!(next = child(cur, name)))
			return MICA_FS_ENOENT;
		if (last) {
			w->node = next;
			return 0;
		}
		cur = next;
	}
}

/* Moves n's charge to `want` bytes: 0 or ENOSPC (nothing changed). */
static int pay(struct ramfs *fs, struct ramfs_node *n, mica_word_t want)
{
	struct ramfs_session *s = n->owner;
	if (want > n->charged) {
		mica_word_t more = want - n->charged;
		if (s ? more > s->quota - s->charged : more > fs->quota - fs->reserved)
			return MICA_FS_ENOSPC;
	}
	if (s)
		s->charged = s->charged - n->charged + want;
	else
		fs->reserved = fs->reserved - n->charged + want;
	n->charged = want;
	return 0;
}

int ramfs_node_new(struct ramfs *fs, struct ramfs_session *s, struct ramfs_node *dir, const char *name,
		   unsigned type, struct ramfs_node **out)
{
	struct ramfs_node *n = 0;
	for (unsigned i = 0; i < RAMFS_NODES && !n; i++)
		if (!fs->node[i].used)
			n = &fs->node[i];
	if (!n || (s && s->nodes >= RAMFS_SESSION_NODES))
		return MICA_FS_ENOSPC;
	memset(n, 0, sizeof(*n));
	n->owner = s;
	if (pay(fs, n, MICA_FS_NODE_COST))
		return MICA_FS_ENOSPC;
	n->used = 1;
	if (s)
		s->nodes++;
	n->type = (unsigned char)type;
	n->ino = ++fs->next_ino;
	if (dir)
		ramfs_link(fs, n, dir, name);
	*out = n;
	return 0;
}

void ramfs_link(struct ramfs *fs, struct ramfs_node *n, struct ramfs_node *dir, const char *name)
{
	memcpy(n->name, name, strlen(name) + 1);
	n->parent = dir;
	n->seq = ++fs->next_seq;
	n->next = 0;
	n->prev = dir->last;
	if (dir->last)
		dir->last->next = n;
	else
		dir->first = n;
	dir->last = n;
	n->linked = true;
}

void ramfs_node_drop(struct ramfs *fs, struct ramfs_node *n)
{
	if (n->linked || n->opens)
		return;
	if (n->ds)
		mem_ds_delete(n->ds);
	pay(fs, n, 0);
	if (n->owner)
		n->owner->nodes--;
	n->used = 0;
}

void ramfs_unlink(struct ramfs *fs, struct ramfs_node *n)
{
	struct ramfs_node *d = n->parent;
	if (n->prev)
		n->prev->next = n->next;
	else
		d->first = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		d->last = n->prev;
	n->parent = n->next = n->prev = 0;
	n->linked = false;
	ramfs_node_drop(fs, n);
}

int ramfs_ds(struct ramfs *fs, struct ramfs_node *n)
{
	if (n->ds)
		return 0;
	return mem_ds_create(fs->alloc, MICA_FS_FILE_MAX, 0, &n->ds) == MICA_OK ? 0 : MICA_FS_ENOSPC;
}

int ramfs_resize(struct ramfs *fs, struct ramfs_node *n, mica_word_t size)
{
	if (size > MICA_FS_FILE_MAX)
		return MICA_FS_EFBIG;
	int e;
	if (size == n->size)
		return 0;
	if ((e = pay(fs, n, MICA_FS_NODE_COST + PAGE_UP(size))) != 0)
		return e;
	if (!n->ds && size > n->size && (e = ramfs_ds(fs, n)) != 0) {
		pay(fs, n, MICA_FS_NODE_COST + PAGE_UP(n->size));
		return e;
	}
	/* Past the end reads as zero: a shrink returns the pages, a growth
	 * clears what a writable mapping may have left there. */
	mica_word_t lo = size < n->size ? size : n->size;
	if (n->ds && mem_ds_clear(n->ds, lo, MICA_FS_FILE_MAX - lo) != MICA_OK && size > n->size) {
		pay(fs, n, MICA_FS_NODE_COST + PAGE_UP(n->size));
		return MICA_FS_ENOSPC;
	}
	n->size = size;
	return 0;
}

int ramfs_io(struct ramfs_node *n, mica_word_t off, void *buf, mica_word_t len, bool write)
{
	char *b = buf;
	while (len) {
		mica_word_t va;
		unsigned log2;
		int e = mem_ds_page(n->ds, off, write, &va, &log2);
		if (e != MICA_OK && e != MEM_DS_SHARED)
			return MICA_FS_ENOSPC;
		mica_word_t in = off & ((1ul << log2) - 1), k = (1ul << log2) - in;
		if (k > len)
			k = len;
		if (write)
			memcpy((char *)va + in, b, k);
		else
			memcpy(b, (const char *)va + in, k);
		b += k;
		off += k;
		len -= k;
	}
	return 0;
}
