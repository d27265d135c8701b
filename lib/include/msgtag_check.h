/* What the kernel accepts of a sent message tag (abi.md §5): only the
 * sender flags, u + t within the message registers, whole typed items.
 * Here, not in ipc.c, so that the host fuzzer checks the same code. */
#pragma once

#include <mica/error.h>
#include <mica/fpage.h>
#include <mica/msgtag.h>
#include <mica/utcb.h>

/* Its contract (ACSL, proved by `make prove`): a tag passes exactly when
 * it sets no flag but the error flag, its words fit the message
 * registers and its typed words are whole items, so that whoever reads
 * MR[0 .. u+t) after it never reads past the message. */
/*@ logic integer msgtag_u(integer raw) = raw & 0x3f;
    logic integer msgtag_t(integer raw) = (raw >> MICA_TAG_T_SHIFT) & 0x3f;
    predicate msgtag_ok(integer raw) =
	(raw & (0xf000 - MICA_TAG_SEND_FLAGS)) == 0 &&
	msgtag_u(raw) + msgtag_t(raw) <= MICA_UTCB_MRS &&
	msgtag_t(raw) % MICA_ITEM_WORDS == 0;
*/
/*@ assigns \nothing;
    ensures result: \result == MICA_OK || \result == MICA_E_BAD_TAG;
    ensures only_the_error_flag: \result == MICA_OK ==> (tag.raw & (0xf000 - MICA_TAG_SEND_FLAGS)) == 0;
    ensures fits_the_registers: \result == MICA_OK ==> msgtag_u(tag.raw) + msgtag_t(tag.raw) <= MICA_UTCB_MRS;
    ensures whole_items: \result == MICA_OK ==> msgtag_t(tag.raw) % MICA_ITEM_WORDS == 0;
    ensures accepts_every_fitting_tag: msgtag_ok(tag.raw) ==> \result == MICA_OK;
*/
static inline enum mica_error msgtag_check(mica_msgtag_t tag)
{
	if (tag.raw & 0xf000u & ~MICA_TAG_SEND_FLAGS)
		return MICA_E_BAD_TAG;
	/* Summed as words: six bits each cannot wrap an unsigned either,
	 * but so the provers need not know that. */
	if ((mica_word_t)mica_msgtag_u(tag) + mica_msgtag_t_items(tag) > MICA_UTCB_MRS)
		return MICA_E_BAD_TAG;
	if (mica_msgtag_t_items(tag) % MICA_ITEM_WORDS)
		return MICA_E_BAD_TAG;
	return MICA_OK;
}
