/* The task protocol. The method is the tag's label; arguments and results
 * are message words. Selectors in MR words name capabilities in the
 * invoked task's space unless marked "caller's". */
#pragma once

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
	/* Interim until map/grant (memory issue): MR0 = caller's source
	 * address, MR1 = destination address, MR2 = pages, MR3 = VM rights
	 * (MICA_MAP_*, at most the source's). Shares the caller's pages with
	 * the task. Right: WRITE. */
	MICA_TASK_MAP = 5,
	/* Destroys the task now: its threads are stopped and unbound, its
	 * capability and address spaces emptied, and every capability to it
	 * deleted. Right: CONTROL. */
	MICA_TASK_DESTROY = 6,
};

#define MICA_MAP_R (1ul << 0)
#define MICA_MAP_W (1ul << 1)
#define MICA_MAP_X (1ul << 2)
#define MICA_TASK_MAP_MAX_PAGES 512 /* per invocation */
