/* The exception message: a thread's x86-64 register state as message
 * words, and a handler's reply written back. */
#include <mica/fpage.h>
#include <mica/layout.h>

#include "arch/context.h"
#include "arch/cpu.h"
#include "layout.h"

/* Where each general register sits in the message. */
#define GPRS                                                                                                 \
	X(RAX, rax)                                                                                          \
	X(RBX, rbx)                                                                                          \
	X(RCX, rcx)                                                                                          \
	X(RDX, rdx)                                                                                          \
	X(RSI, rsi)                                                                                          \
	X(RDI, rdi)                                                                                          \
	X(RBP, rbp)                                                                                          \
	X(R8, r8)                                                                                            \
	X(R9, r9)                                                                                            \
	X(R10, r10)                                                                                          \
	X(R11, r11)                                                                                          \
	X(R12, r12)                                                                                          \
	X(R13, r13)                                                                                          \
	X(R14, r14)                                                                                          \
	X(R15, r15)

static void gprs_message(const struct arch_regs *r, uint64_t *w)
{
#define X(n, f) w[MICA_EXC_##n] = r->f;
	GPRS
#undef X
}

void arch_exception_message(const struct arch_regs *r, const struct arch_thread *a, uint64_t addr,
			    uint64_t *w)
{
	w[MICA_EXC_VECTOR] = r->vector;
	w[MICA_EXC_ERROR] = r->error;
	w[MICA_EXC_ADDR] = addr;
	w[MICA_EXC_IP] = r->rip;
	w[MICA_EXC_SP] = r->rsp;
	w[MICA_EXC_FLAGS] = r->rflags;
	w[MICA_EXC_FS_BASE] = a->fs_base;
	gprs_message(r, w);
	if (r->vector == VEC_SYSCALL) {
		/* The syscall entry writes neither the error code nor RCX and
		 * R11 (entry.S): the CPU left RIP and RFLAGS in those two. */
		w[MICA_EXC_ERROR] = 0;
		w[MICA_EXC_RCX] = r->rip;
		w[MICA_EXC_R11] = r->rflags;
	}
}

static bool user_address(uint64_t a)
{
	return a < MICA_USER_END;
}

bool arch_exception_apply(struct arch_regs *r, struct arch_thread *a, const volatile uint64_t *in, unsigned n)
{
	/* The words the reply leaves out keep their values: start from the
	 * current state and read the reply over it, once (user memory). */
	uint64_t w[MICA_EXC_WORDS];
	if (n < MICA_EXC_WORDS) /* a whole reply (the usual) needs none of it */
		arch_exception_message(r, a, 0, w);
	arch_copy_words(w, in, n);
	/* The analyzer cannot see that arch_copy_words (rep movsq) fills the
	 * rest of w. */
	// NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage)
	if ((n > MICA_EXC_IP && !user_address(w[MICA_EXC_IP])) ||
	    (n > MICA_EXC_SP && !user_address(w[MICA_EXC_SP])) ||
	    (n > MICA_EXC_FS_BASE && !user_address(w[MICA_EXC_FS_BASE])))
		return false;
	regs_set_ip(r, w[MICA_EXC_IP]);
	regs_set_sp(r, w[MICA_EXC_SP]);
	regs_set_user_flags(r, w[MICA_EXC_FLAGS]);
	a->fs_base = w[MICA_EXC_FS_BASE];
#define X(name, f) r->f = w[MICA_EXC_##name];
	GPRS
#undef X
		return true;
}
