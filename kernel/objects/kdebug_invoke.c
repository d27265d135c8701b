/* The kernel debug object's methods (mica/kdebug.h): their table and
 * decoder; the operation is the invariant checker (debug builds only). */
#include <mica/kdebug.h>

#include "debug/invariants.h"
#include "objects/invoke.h"
#include "objects/kdebug.h"
#include "objects/thread.h"

static mica_msgtag_t check(struct invoke_call *c)
{
#ifdef MICA_DEBUG
	struct invariants_report r;
	invariants_check(&r);
	c->caller->utcb->mr[0] = r.objects;
	c->caller->utcb->mr[1] = r.checks;
	return invoke_ok(c->caller, 2);
#else
	return invoke_error(c->caller, MICA_E_NOT_IMPLEMENTED);
#endif
}

const struct invoke_method kdebug_methods[INVOKE_LABELS] = {
	[MICA_KDEBUG_CHECK] = { .decode = check, .rights = MICA_KDEBUG_R_READ },
};
