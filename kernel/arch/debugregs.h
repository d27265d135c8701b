/* Hardware breakpoints and single step of user threads (the kernel
 * debugger's, kernel/debug/kdb/breakpoints.c). The breakpoints are the
 * CPU's: every CPU loads the same set, and the debugger tells the
 * thread it set one for from others that run the same address. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arch/regs.h"

#define ARCH_BREAKPOINTS 4

enum arch_bp_kind {
	ARCH_BP_EXEC,  /* the instruction at addr is about to run (a fault: it has not) */
	ARCH_BP_WRITE, /* a write to [addr, addr + len) happened (a trap: it has) */
	ARCH_BP_RW,    /* a read or write there happened */
};

struct arch_breakpoint {
	uint64_t addr;
	uint8_t kind; /* enum arch_bp_kind */
	uint8_t len;  /* 1, 2, 4 or 8 bytes, aligned to it; EXEC: 1 */
	bool on;
};

/* Loads the set on this CPU (all of it: off ones are disabled). */
void arch_debug_load(const struct arch_breakpoint bp[ARCH_BREAKPOINTS]);

/* Reads and clears the CPU's debug status (x86: DR6), on a debug
 * exception's entry. */
uint64_t arch_debug_status_take(void);
/* What a status says: the breakpoints that hit (bit n: breakpoint n)
 * and whether a single step ended. */
unsigned arch_debug_hits(uint64_t status);
bool arch_debug_stepped(uint64_t status);

/* Single step of the thread with these saved registers: after each
 * instruction it runs, a debug exception. */
void arch_debug_set_step(struct arch_regs *r, bool on);
bool arch_debug_stepping(const struct arch_regs *r);
/* The thread resumes at an instruction breakpoint's address without
 * hitting it again (x86: RF). */
void arch_debug_resume_past(struct arch_regs *r);
