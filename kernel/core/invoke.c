#include "invoke.h"

#include <mica/caps.h>
#include <mica/syscall.h>
#include <string.h>

#include "arch/trap.h"
#include "percpu.h"
#include "thread.h"

mica_msgtag_t invoke_ok(struct thread *caller, unsigned words)
{
	caller->utcb->error = MICA_OK;
	return mica_msgtag(0, words, 0, 0);
}

mica_msgtag_t invoke_error(struct thread *caller, enum mica_error e)
{
	caller->utcb->error = e;
	return mica_msgtag(e, 0, 0, MICA_TAG_ERROR);
}

void invoke_copy_mrs(const struct thread *caller, mica_word_t *dst, unsigned n)
{
	memcpy(dst, (const void *)caller->utcb->mr, n * sizeof(mica_word_t));
}

mica_msgtag_t invoke(struct thread *caller, mica_cap_t sel, mica_msgtag_t tag, mica_word_t flags)
{
	if (flags & ~MICA_INVOKE_SEND)
		return invoke_error(caller, MICA_E_BAD_ARG);
	if (!(flags & MICA_INVOKE_SEND))
		return invoke_error(caller, MICA_E_NOT_IMPLEMENTED); /* receive phases: capability issue */
	if (mica_msgtag_t_items(tag) != 0)
		return invoke_error(caller, MICA_E_NOT_IMPLEMENTED); /* typed items: memory issue */

	/* Interim, until tasks have capability spaces (the capability issue):
	 * every boot task's selectors resolve to fixed objects here, with the
	 * numbers and protocols that will stay. */
	switch (sel) {
	case MICA_CAP_VCON:
		return vcon_invoke(caller, tag);
	case MICA_CAP_THREAD:
		return thread_invoke(caller, caller, tag);
	default:
		return invoke_error(caller, MICA_E_INVALID_CAP);
	}
}

void core_syscall(struct arch_regs *regs)
{
	struct thread *t = this_cpu()->current;
	mica_msgtag_t tag = { syscall_arg_tag(regs) };
	mica_msgtag_t result = invoke(t, syscall_arg_selector(regs), tag, syscall_arg_flags(regs));
	syscall_set_result(regs, result.raw);
	core_resume();
}
