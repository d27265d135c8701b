/* The single kernel entry: invoke a capability with a message, optionally
 * followed by a receive.
 *
 *   syscall with  rdi = selector to invoke (send phase; ignored by a reply)
 *                 rsi = message tag (mica_msgtag_t); words in the UTCB's MRs
 *                 rdx = phases: MICA_IPC_* flags
 *                 r10 = receive source: a gate selector (closed wait on that
 *                       gate) or MICA_CAP_INVALID (open wait: any gate bound
 *                       to the thread); ignored by a call
 *                 r8  = timeouts: bits 0-31 send, bits 32-63 receive
 *   returns       rax = result tag (MICA_TAG_ERROR set on failure, label = error)
 *                 rdx = label of the capability a received message came
 *                       through (0 for replies and kernel results)
 *   clobbers      rcx, r11 (the syscall instruction's own), nothing else.
 *
 * Invoking a kernel object (task, thread, factory, Vcon, ...) is always a
 * call: the object's reply is the result. See docs/abi.md. */
#pragma once

#include <mica/types.h>

#define MICA_IPC_SEND (1ul << 0)  /* send to rdi */
#define MICA_IPC_RECV (1ul << 1)  /* then receive (after SEND: the reply, i.e. a call) */
#define MICA_IPC_REPLY (1ul << 2) /* send phase is the one-shot reply to the last caller */
#define MICA_IPC_FLAGS (MICA_IPC_SEND | MICA_IPC_RECV | MICA_IPC_REPLY)

#define MICA_IPC_CALL (MICA_IPC_SEND | MICA_IPC_RECV)
#define MICA_IPC_WAIT MICA_IPC_RECV
#define MICA_IPC_REPLY_WAIT (MICA_IPC_REPLY | MICA_IPC_RECV)

/* A timeout is 32 bits; the kind is in bits 30-31.
 *   0                      never (wait forever)
 *   01 << 30               zero: fail at once with MICA_E_TIMEOUT unless the
 *                          partner is ready
 *   10 << 30 | e << 24 | m relative: m << e nanoseconds (m < 2^24, e < 64)
 *   11 << 30               absolute: until the KIP clock reads the time in
 *                          the UTCB's timeout_abs TCR for that phase
 * A relative m of 0 and an absolute deadline already past act as zero; a
 * call's receive timeout counts from the delivery of its message. */
#define MICA_TIMEOUT_NEVER 0u
#define MICA_TIMEOUT_ZERO (1u << 30)
#define MICA_TIMEOUT_REL(m, e) ((2u << 30) | ((uint32_t)(e)&63) << 24 | ((uint32_t)(m)&0xffffff))
#define MICA_TIMEOUT_ABS (3u << 30)
#define MICA_TIMEOUT_KIND(t) ((uint32_t)(t) >> 30)

#define MICA_TIMEOUTS(send, recv) ((mica_word_t)(uint32_t)(send) | (mica_word_t)(uint32_t)(recv) << 32)
