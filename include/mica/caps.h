/* Selectors of the capabilities every boot task finds in its capability
 * space at start. Selector 0 is the invalid capability and never names
 * anything. */
#pragma once

#include <mica/types.h>

enum {
	MICA_CAP_INVALID = 0,
	MICA_CAP_TASK = 1,    /* the task itself */
	MICA_CAP_THREAD = 2,  /* the initial thread */
	MICA_CAP_FACTORY = 3, /* kernel-memory quota holder */
	MICA_CAP_PAGER = 4,   /* gate to the pager (sigma0 for the root task) */
	MICA_CAP_VCON = 5,    /* the kernel console */
	MICA_CAP_ICU = 6,
	MICA_CAP_SCHEDULER = 7,
	MICA_CAP_FIRST_FREE = 16,
};
