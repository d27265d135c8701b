/* The kernel debug object: the invariant checker (debug/invariants.c) as
 * a method, for the in-system tests and the fuzzer. */
#include "objects/kdebug.h"

#include "objects/kobj.h"

static struct kobj kdebug;

struct kobj *kdebug_object(void)
{
	if (!kdebug.type)
		kobj_init_permanent(&kdebug, MICA_OBJ_KDEBUG);
	return &kdebug;
}
