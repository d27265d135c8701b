/* The factory protocol. Everything a factory creates, including each
 * object's page tables, capability tables and UTCBs, is charged to its
 * quota and refunded when the object is destroyed. */
#pragma once

#include <mica/caps.h>

enum {
	/* MR0 = enum mica_obj_type, MR1 = caller's destination selector, then
	 * per type:
	 *   TASK     MR2 = UTCB area address, MR3 = its log2 size (12..20)
	 *   THREAD   -
	 *   GATE     MR2 = thread selector to bind to (0: unbound), MR3 = label
	 *   FACTORY  MR2 = quota in bytes (charged to this factory)
	 *   IRQ      - (see mica/irq.h)
	 * The new capability has all rights. Right: CREATE. */
	MICA_FACTORY_CREATE = 1,
	/* -> MR0 = quota limit, MR1 = bytes in use. Right: READ. */
	MICA_FACTORY_INFO = 2,
};

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
