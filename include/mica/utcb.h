/* The user thread control block. One per thread, mapped and pinned by the
 * kernel, and the only user memory the kernel ever reads or writes. User
 * code finds it through the GS segment base: %gs:0 holds the UTCB's own
 * address, so FS stays free for the C library's thread-local storage. */
#pragma once

#include <mica/types.h>

#define MICA_UTCB_MRS 64
#define MICA_UTCB_BRS 32
#define MICA_UTCB_USER_TCRS 5
#define MICA_UTCB_SIZE 1024ul

struct mica_utcb {
	mica_word_t self;		       /* 0x000: this UTCB's user address */
	mica_word_t error;		       /* 0x008: TCR: error of the last invocation */
	mica_word_t label;		       /* 0x010: TCR: label of the last received message */
	mica_word_t user[MICA_UTCB_USER_TCRS]; /* 0x018: TCRs free for user code */
	mica_word_t timeout_abs[2];	       /* 0x040: TCRs: absolute send / receive deadline */
	mica_word_t reserved[22];	       /* 0x050: TCRs defined by later ABI versions */
	mica_word_t mr[MICA_UTCB_MRS];	       /* 0x100: message registers */
	mica_word_t br[MICA_UTCB_BRS];	       /* 0x300: buffer registers (receive windows) */
};

_Static_assert(sizeof(struct mica_utcb) == MICA_UTCB_SIZE, "UTCB size is ABI");
_Static_assert(offsetof(struct mica_utcb, self) == 0, "%gs:0 is the UTCB pointer");
_Static_assert(offsetof(struct mica_utcb, mr) == 0x100, "MR offset is ABI");
_Static_assert(offsetof(struct mica_utcb, br) == 0x300, "BR offset is ABI");
