/* User-level bindings of the Mica system call (include/mica/syscall.h). */
#pragma once

#include <mica/caps.h>
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

static inline mica_msgtag_t mica_invoke(mica_cap_t sel, mica_msgtag_t tag, mica_word_t flags)
{
	mica_word_t ret;
	__asm__ volatile("syscall" : "=a"(ret) : "D"(sel), "S"(tag.raw), "d"(flags) : "rcx", "r11", "memory");
	mica_msgtag_t r = { ret };
	return r;
}

/* Sends a message of u words (already in the MRs) to sel. */
static inline mica_msgtag_t mica_send(mica_cap_t sel, mica_word_t label, unsigned u)
{
	return mica_invoke(sel, mica_msgtag(label, u, 0, 0), MICA_INVOKE_SEND);
}

/* Halts the calling thread; it runs again only if someone resumes it. */
void mica_thread_halt(void) __attribute__((noreturn));
