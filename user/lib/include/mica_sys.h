/* User-level bindings of the Mica system call (include/mica/syscall.h,
 * registers from include/mica/arch/ARCH/syscall.h)
 * and the IPC helpers that make the common cases one line. */
#pragma once

#include <mica/caps.h>
#include <mica/error.h>
#include <mica/msgtag.h>
#include <mica/syscall.h>
#include <mica/utcb.h>

/* This thread's UTCB: %gs:0 holds its address. */
static inline struct mica_utcb *mica_utcb(void)
{
	struct mica_utcb *u;
	__asm__("mov %%gs:0, %0" : "=r"(u));
	return u;
}

static inline mica_word_t *mica_mr(void)
{
	return mica_utcb()->mr;
}

/* The system call with every argument. *label (if not 0) receives the
 * label of the capability a received message came through. */
static inline mica_msgtag_t mica_ipc(mica_cap_t sel, mica_msgtag_t tag, mica_word_t flags, mica_cap_t src,
				     mica_word_t timeouts, mica_word_t *label)
{
	mica_word_t raw = tag.raw; /* cppcheck misreads a member in the initializers below */
	register mica_word_t r_sel __asm__(MICA_SYSCALL_REG_NAME(SELECTOR)) = sel;
	register mica_word_t r_tag __asm__(MICA_SYSCALL_REG_NAME(TAG)) = raw;
	register mica_word_t r_flags __asm__(MICA_SYSCALL_REG_NAME(FLAGS)) = flags;
	register mica_word_t r_src __asm__(MICA_SYSCALL_REG_NAME(SOURCE)) = src;
	register mica_word_t r_to __asm__(MICA_SYSCALL_REG_NAME(TIMEOUTS)) = timeouts;
	register mica_word_t ret __asm__(MICA_SYSCALL_REG_NAME(RESULT));
	register mica_word_t lbl __asm__(MICA_SYSCALL_REG_NAME(LABEL));
	__asm__ volatile(MICA_SYSCALL_INSN
			 : "=r"(ret), "=r"(lbl)
			 : "r"(r_sel), "r"(r_tag), "r"(r_flags), "r"(r_src), "r"(r_to)
			 : MICA_SYSCALL_CLOBBERS, "memory");
	if (label)
		*label = lbl;
	mica_msgtag_t r = { ret };
	return r;
}

/* Invokes sel with u words already in the MRs; for kernel objects and
 * gates alike, waits for the reply (a call). */
static inline mica_msgtag_t mica_call(mica_cap_t sel, mica_word_t label, unsigned u)
{
	return mica_ipc(sel, mica_msgtag(label, u, 0, 0), MICA_IPC_CALL, 0, 0, 0);
}

/* A call with explicit timeouts (MICA_TIMEOUTS(send, recv)). */
static inline mica_msgtag_t mica_call_timeout(mica_cap_t sel, mica_word_t label, unsigned u, mica_word_t to)
{
	return mica_ipc(sel, mica_msgtag(label, u, 0, 0), MICA_IPC_CALL, 0, to, 0);
}

/* Sends without waiting for an answer (kernel objects still answer). */
static inline mica_msgtag_t mica_send(mica_cap_t sel, mica_word_t label, unsigned u)
{
	return mica_ipc(sel, mica_msgtag(label, u, 0, 0), MICA_IPC_SEND, 0, 0, 0);
}

static inline mica_msgtag_t mica_send_timeout(mica_cap_t sel, mica_word_t label, unsigned u, uint32_t sto)
{
	return mica_ipc(sel, mica_msgtag(label, u, 0, 0), MICA_IPC_SEND, 0, MICA_TIMEOUTS(sto, 0), 0);
}

/* Waits for a message: from the gate src, or (src = MICA_CAP_INVALID)
 * from any gate bound to this thread. */
static inline mica_msgtag_t mica_wait(mica_cap_t src, uint32_t rto, mica_word_t *label)
{
	return mica_ipc(0, mica_msgtag(0, 0, 0, 0), MICA_IPC_WAIT, src, MICA_TIMEOUTS(0, rto), label);
}

/* Replies to the last caller with u words. */
static inline mica_msgtag_t mica_reply(mica_msgtag_t tag)
{
	return mica_ipc(0, tag, MICA_IPC_REPLY, 0, 0, 0);
}

/* Replies (if there is a caller) and waits, as mica_wait. */
static inline mica_msgtag_t mica_reply_wait(mica_msgtag_t tag, mica_cap_t src, mica_word_t *label)
{
	return mica_ipc(0, tag, MICA_IPC_REPLY_WAIT, src, 0, label);
}

/* Saves the reply right this thread holds (if any) into a reply
 * capability at sel, an empty slot, then waits as mica_wait. Replying
 * through the capability later (a send to sel, mica_send or mica_ipc
 * with MICA_IPC_SEND, with RECV for a reply-and-wait) answers that caller
 * once and empties the slot (docs/abi.md 5.7). */
static inline mica_msgtag_t mica_save_wait(mica_cap_t sel, mica_cap_t src, uint32_t rto, mica_word_t *label)
{
	return mica_ipc(sel, mica_msgtag(0, 0, 0, 0), MICA_IPC_SAVE_WAIT, src, MICA_TIMEOUTS(0, rto), label);
}

/* Only the save: MICA_E_NO_PARTNER if there is no right to save. */
static inline mica_msgtag_t mica_save_reply(mica_cap_t sel)
{
	return mica_ipc(sel, mica_msgtag(0, 0, 0, 0), MICA_IPC_SAVE, 0, 0, 0);
}

/* An error answer: the tag a server replies with to report e (the
 * caller's error TCR gets e, as for a kernel object's error). */
static inline mica_msgtag_t mica_error_tag(enum mica_error e)
{
	return mica_msgtag(e, 0, 0, MICA_TAG_ERROR);
}

/* The error of a result tag (MICA_OK if it is not an error). */
static inline enum mica_error mica_error(mica_msgtag_t tag)
{
	return mica_msgtag_is_error(tag) ? (enum mica_error)mica_msgtag_label(tag) : MICA_OK;
}

/* Halts the calling thread (selector MICA_CAP_THREAD); it runs again only
 * if someone resumes it. */
void mica_thread_halt(void) __attribute__((noreturn));
