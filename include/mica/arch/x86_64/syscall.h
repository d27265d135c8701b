/* The system call's register convention on x86-64, stated only here: the
 * kernel's accessors (kernel/arch/x86_64/include/machine/regs.h) and the
 * user library's binding (user/lib/include/mica_sys.h) both take the
 * registers from these definitions. What the arguments mean is in
 * <mica/syscall.h> and docs/abi.md §1.
 *
 *   MICA_SYSCALL_INSN (`syscall`) with
 *     rdi  selector to invoke (send phase; ignored by a reply)
 *     rsi  message tag (mica_msgtag_t); its words are in the UTCB's MRs
 *     rdx  phases: MICA_IPC_* flags
 *     r10  receive source: a gate selector (closed wait on that gate) or
 *          MICA_CAP_INVALID, which is 0 (open wait: any gate bound to
 *          the thread); ignored by a call
 *     r8   timeouts: MICA_TIMEOUTS(send, recv)
 *   returns
 *     rax  result tag (MICA_TAG_ERROR set on failure, label = the error)
 *     rdx  label of the capability a received message came through (0
 *          for replies and kernel results)
 *   clobbers rcx and r11 (the syscall instruction's own: the return
 *   address and flags); every other register is preserved. */
#pragma once

#define MICA_SYSCALL_INSN "syscall"

/* Each register by name: a field of the kernel's saved frame, and (as a
 * string, MICA_SYSCALL_REG_NAME) a register for inline assembly. */
#define MICA_SYSCALL_REG_SELECTOR rdi
#define MICA_SYSCALL_REG_TAG rsi
#define MICA_SYSCALL_REG_FLAGS rdx
#define MICA_SYSCALL_REG_SOURCE r10
#define MICA_SYSCALL_REG_TIMEOUTS r8
#define MICA_SYSCALL_REG_RESULT rax
#define MICA_SYSCALL_REG_LABEL rdx

#define MICA_SYSCALL_CLOBBERS "rcx", "r11"
