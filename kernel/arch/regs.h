/* A thread's saved user registers as the core sees them. Every
 * architecture defines in <machine/regs.h>:
 *   struct arch_regs, the state its entry code saves in the thread;
 *   syscall_arg_selector/tag/flags/source/timeouts(r), the system call's
 *     arguments (the register convention of include/mica/arch/<arch>/syscall.h);
 *   syscall_set_result(r, tag, label), the reply's registers;
 *   regs_ip/sp/flags and regs_set_ip/sp/user_flags, for exchange-registers. */
#pragma once

#include <machine/regs.h>
