/* The kernel debug object: in kernels built with DEBUG=1 (the default)
 * the root task finds it at MICA_CAP_KDEBUG; release kernels have none.
 * The method is the tag's label. */
#pragma once

#include <mica/msgtag.h>

enum {
	/* Walks every kernel object and checks the kernel's invariants
	 * (docs/abi.md §6.9); a violation panics the kernel with what broke.
	 * -> MR0 = objects walked, MR1 = conditions checked. Right: READ. */
	MICA_KDEBUG_CHECK = 1,
};

#define MICA_KDEBUG_R_READ (1ul << 0)
