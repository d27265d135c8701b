/* The task protocol. The method is the tag's label; arguments and results
 * are message words. Selectors in MR words name capabilities in the
 * invoked task's space unless marked "caller's". */
#pragma once

#include <mica/fpage.h>
#include <mica/msgtag.h>

enum {
	/* MR0 = selector -> MR0 = enum mica_obj_type (NONE if empty),
	 * MR1 = rights. Right: READ. */
	MICA_TASK_CAP_INFO = 1,
	/* MR0, MR1 = selectors -> MR0 = 1 if both name the same object, else
	 * 0 (the L4.Sec identity test; labels do not matter). Right: READ. */
	MICA_TASK_CAP_SAME = 2,
	/* MR0 = caller's source selector, MR1 = destination selector, MR2 =
	 * rights mask, MR3 = label (0: keep the source's). Copies a capability
	 * into the task with rights = source rights & mask. A label can be
	 * given only to a gate capability whose label is 0, so a label, once
	 * set, can never be changed. Right: WRITE. Errors: EXISTS if the
	 * destination is in use, NO_RIGHTS for relabeling, NO_MEMORY. */
	MICA_TASK_CAP_COPY = 3,
	/* MR0 = selector: deletes that capability. Deleting an object's last
	 * capability destroys the object. Right: WRITE. */
	MICA_TASK_CAP_DELETE = 4,
	/* Map or grant between two tasks without IPC (for loaders): MR0 =
	 * caller's selector of the source task, MR1 = a flexpage in the
	 * source (mica/fpage.h), MR2 = destination base | item kind, as word
	 * 0 of a typed item (mica_item_mem / mica_item_unit). The destination
	 * is the same-sized flexpage at that base, which must be aligned.
	 * Rights: WRITE on the task; READ on the source (and WRITE for a
	 * grant). Errors as for map items (docs/abi.md section 5.6). */
	MICA_TASK_MAP = 5,
	/* Destroys the task now: its threads are stopped and unbound, its
	 * capability and address spaces emptied, and every capability to it
	 * deleted. Right: CONTROL. */
	MICA_TASK_DESTROY = 6,
	/* MR0 = flags (MICA_UNMAP_*), MR1 .. MRn = flexpages of the task's
	 * spaces (n <= MICA_UNMAP_MAX). Revokes each fpage's rights from
	 * every mapping derived from the task's mappings in it, recursively
	 * (revoking R removes them), and from the task's own mappings too if
	 * MICA_UNMAP_FLUSH. -> MR1 .. MRn = the fpages with their rights
	 * field replaced by the status of the pages touched, the task's own
	 * included: R = accessed, W = dirty (then reset). Right: WRITE. */
	MICA_TASK_UNMAP = 7,
};

#define MICA_UNMAP_FLUSH (1ul << 0) /* also the task's own mappings */
#define MICA_UNMAP_MAX (MICA_MSG_WORDS_MAX - 1)
#define MICA_UNMAP_ACCESSED MICA_FPAGE_R
#define MICA_UNMAP_DIRTY MICA_FPAGE_W
