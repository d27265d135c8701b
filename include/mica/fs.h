/* The RAM file system protocol (docs/protocols.md §9): a hierarchical
 * in-memory file system served by the system server
 * (user/services/ramfs). Two object types:
 *
 * - the file system (MICA_FS_R_CONTROL to make sessions), whose SESSION
 *   method makes a session: one client's view, with a byte quota and
 *   its own table of open handles;
 * - a session (READ: lookups, reads; WRITE: changes), through which
 *   every other method goes. Paths are absolute within the file system
 *   ("/a/b", "a/b" alike; "." and ".." are resolved, ".." of the root is
 *   the root) and sent as bytes packed 8 per word, little-endian, after
 *   a length word (as the ROM's names).
 *
 * Every session method answers MICA_OK at the transport level with MR0 =
 * 0 or one of the MICA_FS_E* codes below (the Linux errno values, so the
 * POSIX back end passes them on unchanged); transport errors (rights,
 * short requests, unknown methods) are the framework's as for any object.
 * A file's contents live in a dataspace of the memory service, of
 * MICA_FS_FILE_MAX bytes, backed as written: a client may map it
 * (DATASPACE) and shares the pages with every other opener. */
#pragma once

#include <mica/types.h>

/* Rights. */
#define MICA_FS_R_READ 1u
#define MICA_FS_R_WRITE 2u
#define MICA_FS_R_CONTROL 4u

#define MICA_FS_NAME_MAX 63  /* bytes of one path component */
#define MICA_FS_PATH_MAX 255 /* bytes of a path */
#define MICA_FS_FILE_MAX (16ul << 20)
/* Bytes one READ or WRITE moves (the rest of a message's 63 words). */
#define MICA_FS_IO_MAX 480
/* What a node costs its creator's quota besides its data pages (a file's
 * dataspace object: MICA_OBJ_COST). */
#define MICA_FS_NODE_COST 4096ul

/* Status codes (MR0 of every session answer). */
#define MICA_FS_ENOENT 2
#define MICA_FS_EBADF 9
#define MICA_FS_EACCES 13
#define MICA_FS_EBUSY 16
#define MICA_FS_EEXIST 17
#define MICA_FS_ENOTDIR 20
#define MICA_FS_EISDIR 21
#define MICA_FS_EINVAL 22
#define MICA_FS_EMFILE 24
#define MICA_FS_EFBIG 27
#define MICA_FS_ENOSPC 28
#define MICA_FS_ENAMETOOLONG 36
#define MICA_FS_ENOTEMPTY 39

/* OPEN flags (MR0). */
#define MICA_FS_O_READ 1u
#define MICA_FS_O_WRITE 2u
#define MICA_FS_O_CREAT 4u
#define MICA_FS_O_EXCL 8u
#define MICA_FS_O_TRUNC 16u
#define MICA_FS_O_DIRECTORY 32u /* fail with ENOTDIR unless a directory */
#define MICA_FS_O_FLAGS 63u

/* Node types (STAT, READDIR). */
#define MICA_FS_T_FILE 1
#define MICA_FS_T_DIR 2

enum {
	/* Of the file system. MR0 = quota in bytes -> one object item: a new
	 * session (READ, WRITE, CONTROL). BAD_ARG for a quota of 0 or above
	 * what is left of the file system's; NO_MEMORY if every session is
	 * taken. Right: CONTROL. */
	MICA_FS_SESSION = 1,

	/* The rest are a session's. Handles are session-local numbers that
	 * name an open node; a closed handle's number names nothing
	 * (EBADF) until reused with another generation. */

	/* MR0 = MICA_FS_O_* flags, MR1 = path length n, MR2.. = the path ->
	 * MR1 = handle, MR2 = size, MR3 = type. A directory opens only for
	 * reading (EISDIR with WRITE). CREAT makes a missing file (its quota
	 * charged MICA_FS_NODE_COST; ENOSPC past 64 nodes of a session's or
	 * a full node table), EXCL with CREAT fails with EEXIST if
	 * it exists, TRUNC empties it (needs WRITE). Errors: ENOENT, ENOTDIR,
	 * EISDIR, EEXIST, EINVAL (flags, empty name), ENAMETOOLONG, EMFILE,
	 * ENOSPC. Right: READ (WRITE too for WRITE, CREAT, TRUNC). */
	MICA_FS_OPEN = 2,
	/* MR0 = handle. Closing the last handle of an unlinked file frees
	 * it. Right: READ. */
	MICA_FS_CLOSE = 3,
	/* MR0 = handle, MR1 = offset, MR2 = count (<= MICA_FS_IO_MAX) ->
	 * MR1 = bytes read (0 at or past the end), MR2.. = the bytes. EBADF
	 * (stale, or not opened for reading), EISDIR, EINVAL (count).
	 * Right: READ. */
	MICA_FS_READ = 4,
	/* MR0 = handle, MR1 = offset, MR2 = count (<= MICA_FS_IO_MAX), MR3..
	 * = the bytes -> MR1 = bytes written (all; on an error the size is as
	 * it was). A write past the end fills the gap with zeros. EFBIG past
	 * MICA_FS_FILE_MAX (or an overflowing offset), ENOSPC (the quota of
	 * the file's creator, checked before any byte is written; or the
	 * memory service out of pages part-way), EBADF (not opened for
	 * writing). Right: WRITE. */
	MICA_FS_WRITE = 5,
	/* MR0 = handle, MR1 = size: cuts or extends (with zeros) the file;
	 * pages past the new end go back. EFBIG, ENOSPC, EBADF, EISDIR.
	 * Right: WRITE. */
	MICA_FS_TRUNCATE = 6,
	/* MR0 = handle -> MR1 = type, MR2 = size, MR3 = inode number, MR4 =
	 * link count (0: unlinked but open). Right: READ. */
	MICA_FS_STAT = 7,
	/* MR0 = handle of a directory, MR1 = cookie (0 to start) -> MR1 =
	 * the next cookie (0: no more entries), MR2 = type, MR3 = inode, MR4
	 * = name length n, MR5.. = the name. Entries are in creation order;
	 * an entry that exists for the whole walk is returned exactly once,
	 * one removed meanwhile is not returned after its removal, one made
	 * meanwhile may or may not be. ENOTDIR, EBADF. Right: READ. */
	MICA_FS_READDIR = 8,
	/* MR0 = path length n, MR1.. = path -> a new empty directory. EEXIST,
	 * ENOENT, ENOTDIR, ENOSPC, ENAMETOOLONG. Right: WRITE. */
	MICA_FS_MKDIR = 9,
	/* As MKDIR: removes the empty directory. ENOTEMPTY, ENOTDIR, EBUSY
	 * (the root). Right: WRITE. */
	MICA_FS_RMDIR = 10,
	/* As MKDIR: removes the file's name; open handles keep it readable
	 * and writable until the last is closed. EISDIR for a directory.
	 * Right: WRITE. */
	MICA_FS_UNLINK = 11,
	/* MR0 = old length n, MR1 = new length m, MR2.. = the old path, then
	 * from the next word the new path. An existing target is replaced if
	 * both are files or the target is an empty directory and the source
	 * a directory (EISDIR, ENOTDIR, ENOTEMPTY otherwise); a directory
	 * cannot move below itself (EINVAL). Right: WRITE. */
	MICA_FS_RENAME = 12,
	/* MR0 = handle of a file -> one object item: its dataspace (READ, and
	 * WRITE if the handle was opened for writing), MR1 = the file's size.
	 * A file's pages written through a mapping count against the file
	 * system's memory, not the session's quota (the size is what the
	 * quota charges). EISDIR, EBADF. Right: READ. */
	MICA_FS_DATASPACE = 13,
	/* -> MR1 = quota, MR2 = bytes charged to this session. Right: READ. */
	MICA_FS_INFO = 14,
	/* MICA_OBJ_DELETE (mica/factory.h) ends the session: its handles
	 * close; files it created stay (their bytes are charged to no
	 * session from then on, only to the file system's memory). Right:
	 * CONTROL. */
};
