/* The single kernel entry: invoke a capability with a message, optionally
 * followed by a receive. The arguments: the selector to invoke, the
 * message tag (its words in the UTCB's MRs), the MICA_IPC_* phase flags,
 * the receive source (a gate selector for a closed wait on that gate, or
 * MICA_CAP_INVALID for an open wait: any gate bound to the thread;
 * ignored by a call) and the timeouts; the results: the result tag
 * (MICA_TAG_ERROR set on failure, label = the error) and the label of the
 * capability a received message came through (0 for replies and kernel
 * results). Which register holds each is the architecture's convention,
 * stated once in <mica/arch/ARCH/syscall.h>.
 *
 * Invoking a kernel object (task, thread, factory, Vcon, ...) is always a
 * call: the object's reply is the result. See docs/abi.md. */
#pragma once

#include <mica/types.h>

/* The register convention, one header per architecture. */
#if defined(__x86_64__)
#include <mica/arch/x86_64/syscall.h>
#else
#error "Mica has no system-call convention for this architecture (include/mica/arch/)"
#endif

/* A register name of the convention as a string, for inline assembly:
 * MICA_SYSCALL_REG_NAME(SELECTOR) is "rdi" on x86-64. */
#define MICA_SYSCALL_STR_(r) #r
#define MICA_SYSCALL_STR(r) MICA_SYSCALL_STR_(r)
#define MICA_SYSCALL_REG_NAME(arg) MICA_SYSCALL_STR(MICA_SYSCALL_REG_##arg)

#define MICA_IPC_SEND (1ul << 0)  /* send to the selector */
#define MICA_IPC_RECV (1ul << 1)  /* then receive (after SEND: the reply, i.e. a call) */
#define MICA_IPC_REPLY (1ul << 2) /* send phase is the one-shot reply to the last caller */
/* The reply right the thread holds moves into a reply capability at the
 * selector (an empty slot) before the receive phase; alone or with RECV
 * only (docs/abi.md 5.7). */
#define MICA_IPC_SAVE (1ul << 3)
/* The receive phase is a filtered open wait (source 0, RECV set, not a
 * call): only a message through a bound gate whose capability's label
 * & BR[MICA_BR_FILTER_MASK] == BR[MICA_BR_FILTER_VALUE] is taken; other
 * senders stay queued in their place, IRQs stay pending (docs/abi.md
 * 5.1). */
#define MICA_IPC_FILTER (1ul << 4)
#define MICA_IPC_FLAGS (MICA_IPC_SEND | MICA_IPC_RECV | MICA_IPC_REPLY | MICA_IPC_SAVE | MICA_IPC_FILTER)
/* The buffer registers a filtered wait reads (at the system call: later
 * changes do not count). A value with a bit outside the mask is
 * MICA_E_BAD_ARG. */
#define MICA_BR_FILTER_MASK 4
#define MICA_BR_FILTER_VALUE 5

#define MICA_IPC_CALL (MICA_IPC_SEND | MICA_IPC_RECV)
#define MICA_IPC_WAIT MICA_IPC_RECV
#define MICA_IPC_REPLY_WAIT (MICA_IPC_REPLY | MICA_IPC_RECV)
#define MICA_IPC_SAVE_WAIT (MICA_IPC_SAVE | MICA_IPC_RECV)

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
