/* Capabilities: selectors, object types and rights.
 *
 * A selector indexes the invoking task's capability space: 0 is the
 * invalid capability and never names anything; 1 .. MICA_CAP_SELECTORS-1
 * can each name one capability. A capability is an object, its rights and
 * (for gates) a kernel-protected label. */
#pragma once

#include <mica/types.h>

#define MICA_CAP_SELECTOR_BITS 24
#define MICA_CAP_SELECTORS (1ul << MICA_CAP_SELECTOR_BITS)

/* Selectors the root task finds filled at start. */
enum {
	MICA_CAP_INVALID = 0,
	MICA_CAP_TASK = 1,    /* the task itself */
	MICA_CAP_THREAD = 2,  /* the initial thread */
	MICA_CAP_FACTORY = 3, /* holds the kernel-memory quota */
	MICA_CAP_PAGER = 4,   /* gate to the pager (sigma0, memory issue) */
	MICA_CAP_VCON = 5,    /* the kernel console */
	MICA_CAP_ICU = 6,     /* the interrupt controller (mica/irq.h) */
	MICA_CAP_SCHEDULER = 7,
	MICA_CAP_KDEBUG = 9, /* debug kernels only (mica/kdebug.h); 8 is MICA_CAP_PARENT */
	MICA_CAP_FIRST_FREE = 16,
};

/* Object types, as the task's capability query reports them. */
enum mica_obj_type {
	MICA_OBJ_NONE = 0,
	MICA_OBJ_TASK = 1,
	MICA_OBJ_THREAD = 2,
	MICA_OBJ_GATE = 3,
	MICA_OBJ_FACTORY = 4,
	MICA_OBJ_VCON = 5,
	MICA_OBJ_IRQ = 6,
	MICA_OBJ_ICU = 7,
	MICA_OBJ_SCHEDULER = 8,
	MICA_OBJ_KDEBUG = 9,
	MICA_OBJ_REPLY = 10, /* a saved one-shot reply right (MICA_IPC_SAVE); not made by factories */
	MICA_OBJ_TYPES
};

/* Rights: three bits whose meaning depends on the object type. Passing a
 * capability on can only keep or drop rights (new = old & mask). */
#define MICA_RIGHTS_ALL 0x7ul

#define MICA_TASK_R_READ (1ul << 0)    /* capability queries */
#define MICA_TASK_R_WRITE (1ul << 1)   /* put capabilities and pages into it, bind threads */
#define MICA_TASK_R_CONTROL (1ul << 2) /* destroy */

#define MICA_THREAD_R_READ (1ul << 0)	 /* read registers and state */
#define MICA_THREAD_R_WRITE (1ul << 1)	 /* change registers, halt, resume, cancel, start */
#define MICA_THREAD_R_CONTROL (1ul << 2) /* bind to a task, set UTCB, pager and handler */

#define MICA_GATE_R_SEND (1ul << 0) /* send and call through it */
#define MICA_GATE_R_RECV (1ul << 1) /* receive from it (closed wait on the gate) */
#define MICA_GATE_R_MAP (1ul << 2)  /* send typed items (memory issue) */

#define MICA_FACTORY_R_READ (1ul << 0)	 /* quota information */
#define MICA_FACTORY_R_CREATE (1ul << 1) /* create objects */

#define MICA_VCON_R_READ (1ul << 0)    /* input (IRQ issue) and attributes */
#define MICA_VCON_R_WRITE (1ul << 1)   /* output */
#define MICA_VCON_R_CONTROL (1ul << 2) /* set attributes */
