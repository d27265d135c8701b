/* The Vcon: the kernel console as an object (see mica/vcon.h). */
#include <mica/vcon.h>

#include "capspace.h"
#include "invoke.h"
#include "kprintf.h"
#include "thread.h"
#include "vcon.h"

static struct {
	struct kobj hdr;
	mica_word_t oflags;
} vcon;

struct kobj *vcon_object(void)
{
	if (!vcon.hdr.type) {
		kobj_init_permanent(&vcon.hdr, MICA_OBJ_VCON);
		vcon.oflags = MICA_VCON_ONLCR;
	}
	return &vcon.hdr;
}

static mica_msgtag_t write(struct thread *caller, mica_msgtag_t tag)
{
	mica_word_t mr[MICA_UTCB_MRS];
	unsigned u = mica_msgtag_u(tag);
	invoke_copy_mrs(caller, mr, u);
	mica_word_t n = mr[0];
	if (n > MICA_VCON_WRITE_MAX || n > (mica_word_t)(u - 1) * 8)
		return invoke_error(caller, MICA_E_BAD_ARG);
	kputs_raw((const char *)&mr[1], n, vcon.oflags & MICA_VCON_ONLCR);
	return invoke_ok(caller, 0);
}

mica_msgtag_t vcon_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag)
{
	enum mica_error e;
	mica_word_t mr[3];

	switch (mica_msgtag_label(tag)) {
	case MICA_VCON_WRITE:
		if ((e = invoke_check(cap, tag, 1, MICA_VCON_R_WRITE)))
			return invoke_error(caller, e);
		return write(caller, tag);
	case MICA_VCON_GET_ATTR:
		if ((e = invoke_check(cap, tag, 0, MICA_VCON_R_READ)))
			return invoke_error(caller, e);
		caller->utcb->mr[0] = 0;
		caller->utcb->mr[1] = vcon.oflags;
		caller->utcb->mr[2] = 0;
		return invoke_ok(caller, 3);
	case MICA_VCON_SET_ATTR:
		if ((e = invoke_check(cap, tag, 3, MICA_VCON_R_CONTROL)))
			return invoke_error(caller, e);
		invoke_copy_mrs(caller, mr, 3);
		if (mr[0] || (mr[1] & ~MICA_VCON_OFLAGS) || mr[2])
			return invoke_error(caller, MICA_E_BAD_ARG);
		vcon.oflags = mr[1];
		return invoke_ok(caller, 0);
	case MICA_VCON_READ:
		if ((e = invoke_check(cap, tag, 0, MICA_VCON_R_READ)))
			return invoke_error(caller, e);
		return invoke_error(caller, MICA_E_NOT_IMPLEMENTED); /* input: the IRQ issue */
	default:
		return invoke_error(caller, MICA_E_UNKNOWN_OP);
	}
}
