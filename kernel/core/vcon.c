/* The Vcon: the kernel console as an object. */
#include <mica/vcon.h>

#include "invoke.h"
#include "kprintf.h"

mica_msgtag_t vcon_invoke(struct thread *caller, mica_msgtag_t tag)
{
	mica_word_t mr[MICA_UTCB_MRS];
	unsigned u = mica_msgtag_u(tag);

	switch (mica_msgtag_label(tag)) {
	case MICA_VCON_WRITE: {
		if (u < 1)
			return invoke_error(caller, MICA_E_BAD_TAG);
		invoke_copy_mrs(caller, mr, u);
		mica_word_t n = mr[0];
		if (n > MICA_VCON_WRITE_MAX || n > (mica_word_t)(u - 1) * 8)
			return invoke_error(caller, MICA_E_BAD_ARG);
		kputs_raw((const char *)&mr[1], n);
		return invoke_ok(caller, 0);
	}
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
