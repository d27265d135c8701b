/* The RAM file server (protocol: include/mica/fs.h, docs/protocols.md
 * §9) for the server that serves it: a tree of nodes in fixed tables,
 * each file's bytes in a dataspace of the memory service (mem/mem.h)
 * made from the file system's own sub-allocator, so that the file system
 * as a whole can never take more than its quota from its parent. Sessions
 * are the clients: each has a byte quota (reserved from the file
 * system's) and its own handle table. */
#pragma once

#include <mem/mem.h>
#include <mica/fs.h>

#define RAMFS_NODES 256	  /* nodes (files and directories) at once, the root included */
#define RAMFS_SESSIONS 16 /* sessions at once */
#define RAMFS_HANDLES 32  /* open handles per session */
/* Nodes one session may have made at once: no client fills the table
 * for the others on its own. */
#define RAMFS_SESSION_NODES 64

struct ramfs_session;

struct ramfs_node {
	unsigned char used, type; /* MICA_FS_T_* */
	char name[MICA_FS_NAME_MAX + 1];
	struct ramfs_node *parent;	 /* 0: the root, or unlinked */
	struct ramfs_node *first, *last; /* children (directories), in creation order */
	struct ramfs_node *next, *prev;	 /* siblings */
	mica_word_t seq;		 /* creation order within its directory (READDIR's cookie) */
	mica_word_t ino, size;
	struct mem_ds *ds;	     /* a file's bytes (0 until it first has some) */
	struct ramfs_session *owner; /* who pays for it (0: the file system itself) */
	mica_word_t charged;	     /* bytes charged for it */
	unsigned opens;		     /* handles naming it */
	bool linked;		     /* in the tree (false: unlinked, alive while open) */
};

struct ramfs_handle {
	struct ramfs_node *node; /* 0: free */
	uint32_t gen;
	unsigned mode; /* MICA_FS_O_READ / WRITE */
};

struct ramfs_session {
	struct mica_srv_obj o; /* first: handlers cast back */
	struct ramfs *fs;
	bool used;
	mica_word_t quota, charged;
	unsigned nodes; /* that it pays for (RAMFS_SESSION_NODES at most) */
	struct ramfs_handle h[RAMFS_HANDLES];
};

struct ramfs {
	struct mica_srv_obj o; /* first */
	struct mem *m;
	struct mem_alloc *alloc; /* every dataspace of the file system's */
	mica_word_t quota;	 /* bytes sessions may reserve in all */
	mica_word_t reserved;	 /* sessions' quotas and the bytes of files no session pays for */
	mica_word_t next_ino, next_seq;
	struct ramfs_node *root;
	struct ramfs_node node[RAMFS_NODES];
	struct ramfs_session ses[RAMFS_SESSIONS];
};

/* Registers the file system fs (an empty root directory) with m's
 * server: `quota` bytes for sessions to share, its memory a sub-allocator
 * of `from` with that quota plus room for page tables. MICA_OK or the
 * error of mem_alloc_create / mica_srv_add (nothing left behind). */
int ramfs_init(struct ramfs *fs, struct mem *m, struct mem_alloc *from, mica_word_t quota);

/* Ends every session and frees every node and the sub-allocator: the
 * memory returns to `from`. */
void ramfs_fini(struct ramfs *fs);

/* A new session of quota bytes (what SESSION does for a client): MICA_OK
 * and *out, BAD_ARG (quota 0 or above what is left), NO_MEMORY (every
 * session taken). */
int ramfs_session_new(struct ramfs *fs, mica_word_t quota, struct ramfs_session **out);
/* Ends s (what OBJ_DELETE does): its handles close, its quota returns. */
void ramfs_session_end(struct ramfs_session *s);

/* ---- the tree (tree.c), for the methods (ramfs.c) ---- */
/* Where a path leads: the directory holding its last component and that
 * component (leaf, 0 if the path names the root or ends in "." or "..":
 * then node is what it names); node: the leaf's node if it exists.
 * Returns 0 or a MICA_FS_E* code (ENOENT, ENOTDIR for the components
 * before the last, ENAMETOOLONG). path is NUL-terminated, modified. */
struct ramfs_walk {
	struct ramfs_node *dir, *node;
	const char *leaf;
};
int ramfs_walk(struct ramfs *fs, char *path, struct ramfs_walk *w);
/* A new node named name in dir, paid for by s (0: the file system):
 * 0 and *out or ENOSPC. */
int ramfs_node_new(struct ramfs *fs, struct ramfs_session *s, struct ramfs_node *dir, const char *name,
		   unsigned type, struct ramfs_node **out);
/* Takes n out of its directory; frees it if no handle names it. */
void ramfs_unlink(struct ramfs *fs, struct ramfs_node *n);
/* Puts the unlinked n into dir under name (a new sequence number). */
void ramfs_link(struct ramfs *fs, struct ramfs_node *n, struct ramfs_node *dir, const char *name);
/* Frees n if it is unlinked and no handle names it. */
void ramfs_node_drop(struct ramfs *fs, struct ramfs_node *n);
/* The file's size becomes size (zeros past the old end, pages past the
 * new one returned): 0, EFBIG, ENOSPC. */
int ramfs_resize(struct ramfs *fs, struct ramfs_node *n, mica_word_t size);
/* Copies between the file's bytes and buf (n within its size, or, for a
 * write, within MICA_FS_FILE_MAX with the size already grown): 0 or
 * ENOSPC. */
int ramfs_io(struct ramfs_node *n, mica_word_t off, void *buf, mica_word_t len, bool write);
/* The file's dataspace, made on first use: 0 or ENOSPC. */
int ramfs_ds(struct ramfs *fs, struct ramfs_node *n);
