/* The message tag: the L4 X.2 MsgTag layout widened to 64 bits.
 *
 *   63                16 15  12 11    6 5     0
 *  +--------------------+------+-------+-------+
 *  |       label        |flags |   t   |   u   |
 *  +--------------------+------+-------+-------+
 *
 * u: untyped words in MR[0..u-1]; t: words of typed items after them
 * (u + t <= 64); label: the method for a kernel object, free for user IPC
 * (a gate passes it through unchanged). */
#pragma once

#include <mica/types.h>

#define MICA_TAG_U_BITS 6
#define MICA_TAG_T_BITS 6
#define MICA_TAG_T_SHIFT 6
#define MICA_TAG_FLAGS_SHIFT 12
#define MICA_TAG_LABEL_SHIFT 16

/* flags */
#define MICA_TAG_ERROR (1ul << 15)	   /* label holds an enum mica_error; may be sent (an error reply) */
#define MICA_TAG_RECV_PHASE (1ul << 14)	   /* result only: the error happened in the receive phase */
#define MICA_TAG_SEND_FLAGS MICA_TAG_ERROR /* the only flag a sender may set */
#define MICA_TAG_LABEL_MAX ((1ul << 48) - 1)
#define MICA_MSG_WORDS_MAX 63 /* u: MR[0..62]; u + t <= 64 */

typedef struct {
	mica_word_t raw;
} mica_msgtag_t;

static inline mica_msgtag_t mica_msgtag(mica_word_t label, unsigned u, unsigned t, mica_word_t flags)
{
	mica_msgtag_t tag = { (label << MICA_TAG_LABEL_SHIFT) | (flags & 0xf000u) |
			      ((mica_word_t)(t & 0x3f) << MICA_TAG_T_SHIFT) | (u & 0x3f) };
	return tag;
}

static inline unsigned mica_msgtag_u(mica_msgtag_t tag)
{
	return tag.raw & 0x3f;
}
static inline unsigned mica_msgtag_t_items(mica_msgtag_t tag)
{
	return (tag.raw >> MICA_TAG_T_SHIFT) & 0x3f;
}
static inline mica_word_t mica_msgtag_label(mica_msgtag_t tag)
{
	return tag.raw >> MICA_TAG_LABEL_SHIFT;
}
static inline mica_word_t mica_msgtag_flags(mica_msgtag_t tag)
{
	return tag.raw & 0xf000u;
}
static inline int mica_msgtag_is_error(mica_msgtag_t tag)
{
	return (tag.raw & MICA_TAG_ERROR) != 0;
}
