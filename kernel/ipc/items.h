/* Typed items in a message: the map and grant items that move memory,
 * I/O-port and capability mappings from the sender's task to the
 * receiver's (docs/abi.md section 5.6). */
#pragma once

#include <mica/error.h>
#include <mica/layout.h>
#include <mica/msgtag.h>
#include <stdbool.h>
#include <stdint.h>

#include "memory/memmap.h"
#include "objects/task.h"

struct task;
struct item;
struct fpage;

/* The receiver's side of a message: its windows for memory, I/O and
 * object items (BR0..BR2, copied out), its receive flags (BR3), the
 * receiving thread and its copy of the message (where local ids are
 * written; both 0 if it gets none). */
struct windows {
	mica_word_t w[3];
	mica_word_t flags;
	const struct thread *thread;
	volatile mica_word_t *mr;
};

/* Checks every item in mr[u .. u+t) (commit false), or checks and
 * performs them (commit true). The kernel calls it first without commit,
 * so that a bad item leaves the receiver untouched, then with commit;
 * that second pass checks again because the words live in user memory.
 * With commit, only exhausted quota (MICA_E_NO_MEMORY) can fail after
 * some items were performed, and an item that is a local id
 * (MICA_RCV_LOCAL_IDS) is rewritten in the receiver's copy, which must
 * have been delivered by then. */
enum mica_error items_move(struct task *from, const volatile mica_word_t *mr, mica_msgtag_t tag,
			   struct task *to, const struct windows *win, bool commit);

/* One decoded item into the receiver's decoded window for its type. */
enum mica_error items_move_one(struct task *from, const struct item *it, struct task *to,
			       const struct fpage *win, bool commit);

/* Where a memory item of size bytes may come from and land: the
 * receiver's first and last pages and its UTCB area are never mapped
 * from user level (MICA_E_OVERFLOW; a VM's first page is guest-physical
 * page 0, which a guest needs), and sigma0's source, physical
 * memory, is never the kernel's (MICA_E_BAD_ARG). Inline: the map fast
 * path makes these checks too. */
static inline __attribute__((always_inline)) enum mica_error
items_memory_places(const struct task *from, uint64_t src, const struct task *to, uint64_t dst, uint64_t size)
{
	if ((dst < MICA_USER_MIN && !to->is_vm) || dst > MICA_USER_END - size ||
	    task_in_utcb_area(to, dst, size))
		return MICA_E_OVERFLOW;
	if (from->phys_space && memmap_overlaps(boot_memmap, src, size, MICA_MEM_KERNEL))
		return MICA_E_BAD_ARG;
	return MICA_OK;
}
