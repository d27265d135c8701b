/* The kernel debug object (debug builds): the invariant checker as a
 * method, for the in-system tests and the fuzzer. */
#include "objects/kdebug.h"

#include <mica/kdebug.h>

#include "memory/cap.h"
#include "debug/invariants.h"
#include "objects/invoke.h"
#include "objects/thread.h"

static struct kobj kdebug;

struct kobj *kdebug_object(void)
{
	if (!kdebug.type)
		kobj_init_permanent(&kdebug, MICA_OBJ_KDEBUG);
	return &kdebug;
}

mica_msgtag_t kdebug_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	enum mica_error e;
	switch (mica_msgtag_label(tag)) {
	case MICA_KDEBUG_CHECK: {
		if ((e = invoke_check(cap, tag, 0, MICA_KDEBUG_R_READ)))
			return invoke_error(caller, e);
#ifdef MICA_DEBUG
		struct invariants_report r;
		invariants_check(&r);
		caller->utcb->mr[0] = r.objects;
		caller->utcb->mr[1] = r.checks;
		return invoke_ok(caller, 2);
#else
		return invoke_error(caller, MICA_E_NOT_IMPLEMENTED);
#endif
	}
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
