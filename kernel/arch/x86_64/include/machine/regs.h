/* The saved user register state of a thread, in the order the entry code
 * (entry.S) builds it: general registers, vector and error code, then the
 * frame the CPU pushes on an interrupt. Typed accessors give each system
 * call its arguments, so no register numbers appear outside arch code. */
#pragma once

#include <mica/syscall.h>
#include <stdint.h>

/* RCX and R11 sit next to the vector: a syscall frame skips both slots
 * at once (the CPU has put RIP and RFLAGS in them). */
struct arch_regs {
	uint64_t r15, r14, r13, r12, r10, r9, r8, rbp, rdi, rsi, rdx, rbx, rax, rcx, r11;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct arch_regs) == 22 * 8, "entry.S builds exactly this frame");
_Static_assert(sizeof(struct arch_regs) % 16 == 0, "the CPU aligns RSP0 to 16 bytes");

/* The system call's view: the registers of the convention in
 * include/mica/arch/x86_64/syscall.h. */
static inline uint64_t syscall_arg_selector(const struct arch_regs *r)
{
	return r->MICA_SYSCALL_REG_SELECTOR;
}
static inline uint64_t syscall_arg_tag(const struct arch_regs *r)
{
	return r->MICA_SYSCALL_REG_TAG;
}
static inline uint64_t syscall_arg_flags(const struct arch_regs *r)
{
	return r->MICA_SYSCALL_REG_FLAGS;
}
static inline uint64_t syscall_arg_source(const struct arch_regs *r)
{
	return r->MICA_SYSCALL_REG_SOURCE;
}
static inline uint64_t syscall_arg_timeouts(const struct arch_regs *r)
{
	return r->MICA_SYSCALL_REG_TIMEOUTS;
}
static inline void syscall_set_result(struct arch_regs *r, uint64_t tag, uint64_t label)
{
	r->MICA_SYSCALL_REG_RESULT = tag;
	r->MICA_SYSCALL_REG_LABEL = label;
}

static inline uint64_t regs_ip(const struct arch_regs *r)
{
	return r->rip;
}
static inline uint64_t regs_sp(const struct arch_regs *r)
{
	return r->rsp;
}
static inline uint64_t regs_flags(const struct arch_regs *r)
{
	return r->rflags;
}
static inline void regs_set_ip(struct arch_regs *r, uint64_t ip)
{
	r->rip = ip;
}
static inline void regs_set_sp(struct arch_regs *r, uint64_t sp)
{
	r->rsp = sp;
}

/* Only the arithmetic flags (CF PF AF ZF SF DF OF) are the user's to set. */
#define REGS_USER_FLAGS 0xcd5ul
static inline void regs_set_user_flags(struct arch_regs *r, uint64_t f)
{
	r->rflags = (r->rflags & ~REGS_USER_FLAGS) | (f & REGS_USER_FLAGS);
}
