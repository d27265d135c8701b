/* The single kernel entry: invoke a capability with a message.
 *
 *   syscall with  rdi = capability selector to invoke
 *                 rsi = message tag (mica_msgtag_t); untyped words in the UTCB's MRs
 *                 rdx = invocation flags (MICA_INVOKE_*)
 *   returns       rax = result tag (MICA_TAG_ERROR set on failure, label = error)
 *   clobbers      rcx, r11 (the syscall instruction's own), and nothing else.
 *
 * See docs/abi.md for which phases and objects the current kernel implements. */
#pragma once

#include <mica/types.h>

#define MICA_INVOKE_SEND (1ul << 0) /* send phase (the only phase implemented so far) */
