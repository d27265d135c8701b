/* The kernel invariant checker (debug builds; invariants.c says what it
 * checks). It panics on the first violation. */
#pragma once

struct invariants_report {
	unsigned long objects; /* objects walked */
	unsigned long checks;  /* conditions checked */
};

#ifdef MICA_DEBUG
void invariants_check(struct invariants_report *r);
#endif
