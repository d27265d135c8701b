/* What the kernel accepts of a sent message tag (abi.md §5): only the
 * sender flags, u + t within the message registers, whole typed items.
 * Here, not in ipc.c, so that the host fuzzer checks the same code. */
#pragma once

#include <mica/error.h>
#include <mica/fpage.h>
#include <mica/msgtag.h>
#include <mica/utcb.h>

static inline enum mica_error msgtag_check(mica_msgtag_t tag)
{
	if (tag.raw & 0xf000u & ~MICA_TAG_SEND_FLAGS)
		return MICA_E_BAD_TAG;
	if (mica_msgtag_u(tag) + mica_msgtag_t_items(tag) > MICA_UTCB_MRS)
		return MICA_E_BAD_TAG;
	if (mica_msgtag_t_items(tag) % MICA_ITEM_WORDS)
		return MICA_E_BAD_TAG;
	return MICA_OK;
}
