/* x86-64's debug registers for user breakpoints: DR0-DR3 hold the
 * addresses, DR7 their kinds, lengths and local enables, DR6 what hit;
 * RFLAGS.TF single-steps and RFLAGS.RF lets an instruction breakpoint's
 * instruction run once (Intel SDM vol. 3, ch. 18). */
#include "arch/debugregs.h"

#define DR6_HITS 0xfu
#define DR6_BS (1ul << 14)
#define DR6_RESERVED_ONES 0xffff0ff0ul /* what DR6 reads as when nothing happened */
#define RFLAGS_TF (1ul << 8)
#define RFLAGS_RF (1ul << 16)

#define DR_WRITE(n)                                                                                          \
	static void write_dr##n(uint64_t v)                                                                  \
	{                                                                                                    \
		__asm__ volatile("mov %0, %%dr" #n : : "r"(v));                                              \
	}
DR_WRITE(0)
DR_WRITE(1)
DR_WRITE(2)
DR_WRITE(3)
DR_WRITE(6)
DR_WRITE(7)

static uint64_t read_dr6(void)
{
	uint64_t v;
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

/* DR7's R/W field: 00 instruction, 01 write, 11 read or write; LEN: 00
 * one byte, 01 two, 11 four, 10 eight. */
static uint64_t rw_bits(unsigned kind)
{
	return kind == ARCH_BP_EXEC ? 0 : kind == ARCH_BP_WRITE ? 1 : 3;
}

static uint64_t len_bits(unsigned kind, unsigned len)
{
	if (kind == ARCH_BP_EXEC)
		return 0;
	return len == 2 ? 1 : len == 4 ? 3 : len == 8 ? 2 : 0;
}

void arch_debug_load(const struct arch_breakpoint bp[ARCH_BREAKPOINTS])
{
	uint64_t dr7 = 0;
	write_dr7(0); /* nothing armed while the addresses change */
	write_dr0(bp[0].on ? bp[0].addr : 0);
	write_dr1(bp[1].on ? bp[1].addr : 0);
	write_dr2(bp[2].on ? bp[2].addr : 0);
	write_dr3(bp[3].on ? bp[3].addr : 0);
	for (unsigned i = 0; i < ARCH_BREAKPOINTS; i++)
		if (bp[i].on)
			dr7 |= (1ul << (2 * i)) | (rw_bits(bp[i].kind) << (16 + 4 * i)) |
			       (len_bits(bp[i].kind, bp[i].len) << (18 + 4 * i));
	write_dr7(dr7);
}

uint64_t arch_debug_status_take(void)
{
	uint64_t s = read_dr6();
	/* The CPU never clears DR6 itself. */
	write_dr6(DR6_RESERVED_ONES);
	return s;
}

unsigned arch_debug_hits(uint64_t status)
{
	return (unsigned)(status & DR6_HITS);
}

bool arch_debug_stepped(uint64_t status)
{
	return status & DR6_BS;
}

void arch_debug_set_step(struct arch_regs *r, bool on)
{
	r->rflags = on ? r->rflags | RFLAGS_TF : r->rflags & ~RFLAGS_TF;
}

bool arch_debug_stepping(const struct arch_regs *r)
{
	return r->rflags & RFLAGS_TF;
}

void arch_debug_resume_past(struct arch_regs *r)
{
	r->rflags |= RFLAGS_RF;
}
