/* The factory protocol, one for kernel and user-level factories. The new
 * object's capability arrives as an object item in the caller's object
 * window (BR2), as any capability from a server does. Everything a kernel
 * factory creates, including each object's page tables, capability tables
 * and UTCBs, is charged to its quota and refunded when the object is
 * destroyed. */
#pragma once

#include <mica/caps.h>

enum {
	/* MR0 = enum mica_obj_type, then per type:
	 *   TASK     MR1 = UTCB area address, MR2 = its log2 size (12..20)
	 *   THREAD   -
	 *   GATE     MR1 = thread selector to bind to (0: unbound), MR2 = label
	 *   FACTORY  MR1 = quota in bytes (charged to this factory)
	 *   IRQ      - (see mica/irq.h)
	 * -> one object item (t = 2): the new capability, with all rights, in
	 * the slot at the base of the caller's object window, replacing what
	 * was there. Right: CREATE. */
	MICA_FACTORY_CREATE = 1,
	/* -> MR0 = quota limit, MR1 = bytes in use. Right: READ. */
	MICA_FACTORY_INFO = 2,
};

/* Types that user-level factories create (MR0 of CREATE), after the
 * kernel's (enum mica_obj_type); a kernel factory refuses them (BAD_ARG)
 * and a user-level one refuses the kernel's. */
enum {
	/* MR1 = size (page multiple, not 0), MR2 = MICA_DS_* flags: a new
	 * dataspace (mica/dataspace.h), charged to the allocator's quota. */
	MICA_PROTO_DATASPACE = 0x100,
	/* MR1 = quota in bytes: a sub-allocator, its quota taken from this
	 * one's until it and everything it made are gone. */
	MICA_PROTO_ALLOCATOR = 0x101,
	/* One object item: a task (its WRITE right) -> a region map for it
	 * (mica/rm.h). */
	MICA_PROTO_REGION_MAP = 0x102,
	/* MR1 = colour, MR2 = tag length, MR3.. = the tag: a log object
	 * (mica/log.h) of a log factory. */
	MICA_PROTO_LOG = 0x103,
	/* MR1 = memory quota, MR2 = kernel quota, MR3.. = the command: a
	 * program started from the ROM by a loader (mica/program.h). */
	MICA_PROTO_PROGRAM = 0x104,
	/* The same, built but held until MICA_PROGRAM_START (mica/program.h). */
	MICA_PROTO_PROGRAM_HELD = 0x105,
	/* - : a name space (mica/ns.h) of an allocator, charged to its quota. */
	MICA_PROTO_NAMESPACE = 0x106,
};

/* Deleting a user-level object (docs/protocols.md §1): every type a
 * user-level server serves has this method, with no words -> the object
 * and everything it owns are gone (an allocator: everything it made,
 * recursively), its memory returns to the quota it was charged to and
 * every capability to it names nothing. Right: CONTROL. Kernel objects
 * go when their last capability is deleted instead (they answer
 * UNKNOWN_OP). */
#define MICA_OBJ_DELETE 0xfful
/* Reducing rights (docs/protocols.md §1): every type a user-level server
 * serves has this method too, MR0 = a mask of the object's rights (READ
 * 1, WRITE 2, CONTROL 4) -> one object item: a capability to the same
 * object with the rights the caller's has and the mask keeps (another
 * minted label; never more than the caller's). Needs no right: anyone
 * may give away less than they hold. Kernel objects answer UNKNOWN_OP
 * (their rights are reduced by MICA_TASK_CAP_COPY). */
#define MICA_OBJ_REDUCE 0xfeul

/* What objects cost (bytes charged). */
#define MICA_OBJ_COST 4096ul		 /* any object */
#define MICA_TASK_BASE_COST (3 * 4096ul) /* object, top page table, top capability table */
/* The page tables that map a task's UTCB area, which the kernel maps when
 * it creates the task: a page-directory-pointer table, a page directory
 * and a page table, the last two with a page of mapping-database nodes
 * each. The area (at most 1 MiB, aligned to its size) fits one table. */
#define MICA_TASK_UTCB_TABLES_COST (5 * 4096ul)
/* Everything a task costs at creation, with a UTCB area of 2^log2 bytes. */
#define MICA_TASK_COST(utcb_log2) (MICA_TASK_BASE_COST + MICA_TASK_UTCB_TABLES_COST + (1ul << (utcb_log2)))
#define MICA_UTCB_AREA_MIN_LOG2 12
#define MICA_UTCB_AREA_MAX_LOG2 20
