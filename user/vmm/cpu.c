/* CPUID and the model-specific registers as the guest sees them: the
 * host's CPUID, less everything the monitor does not emulate (local and
 * x2APIC, TSC deadline, XSAVE/AVX, MCE/MCA, MTRRs, performance counters,
 * SVM, monitor/mwait, PCID, ...) so that Linux does not go looking for
 * it; the MSRs the kernel keeps in the guest state (EFER, the segment
 * bases, the system-call MSRs, PAT) read and written there, the TSC
 * read, and every other MSR a #GP, as on a CPU without it (Linux's
 * accessors survive that). */
#include <stdio.h>

#include "vmm.h"

#define EFER_LMA (1ul << 10)
#define EFER_GUEST 0xd01ul /* SCE, LME, NXE */

static void host_cpuid(uint32_t leaf, uint32_t sub, unsigned *a, unsigned *b, unsigned *c, unsigned *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void cpu_cpuid(void)
{
	uint32_t leaf = (uint32_t)GS->rax, sub = (uint32_t)GS->rcx;
	unsigned a = 0, b = 0, c = 0, d = 0;
	unsigned max_std, max_ext, x;
	host_cpuid(0, 0, &max_std, &x, &x, &x);
	host_cpuid(0x80000000u, 0, &max_ext, &x, &x, &x);
	if ((leaf < 0x80000000u && leaf <= max_std) || (leaf >= 0x80000000u && leaf <= max_ext))
		host_cpuid(leaf, sub, &a, &b, &c, &d);
	switch (leaf) {
	case 0:
		if (a > 0xd)
			a = 0xd;
		break;
	case 1:
		b &= 0x0000ffffu; /* one logical CPU, APIC ID 0 */
		/* ecx: SSE3, PCLMUL, SSSE3, CX16, SSE4.1/4.2, MOVBE, POPCNT, AES,
		 * RDRAND; and the hypervisor bit. */
		c &= (1u << 0) | (1u << 1) | (1u << 9) | (1u << 13) | (1u << 19) | (1u << 20) | (1u << 22) |
		     (1u << 23) | (1u << 25) | (1u << 30);
		c |= 1u << 31;
		/* edx: no MCE (7), APIC (9), MTRR (12), MCA (14), ACPI (22), HTT (28). */
		d &= ~((1u << 7) | (1u << 9) | (1u << 12) | (1u << 14) | (1u << 22) | (1u << 28) |
		       (1u << 29));
		break;
	case 7:
		/* FSGSBASE, BMI1/2, ERMS only; no SMEP/SMAP bookkeeping surprises. */
		if (sub == 0) {
			a = 0;
			b &= (1u << 0) | (1u << 3) | (1u << 8) | (1u << 9);
			c = d = 0;
		} else {
			a = b = c = d = 0;
		}
		break;
	case 0x80000000u:
		if (a > 0x80000008u)
			a = 0x80000008u;
		break;
	case 0x80000001u:
		/* ecx: LAHF, ABM, SSE4A, misaligned SSE, 3DNow!prefetch; no SVM,
		 * extended APIC, IBS, ... ; edx: no RDTSCP, 1 GiB pages. */
		c &= (1u << 0) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8);
		d &= ~((1u << 27) | (1u << 26));
		break;
	case 0x80000002u:
	case 0x80000003u:
	case 0x80000004u:
	case 0x80000008u:
		if (leaf == 0x80000008u) {
			b = 0; /* no extra features (IBPB, ...) */
			c = 0; /* one core */
		}
		break;
	default:
		a = b = c = d = 0; /* caches, topology, power, XSAVE, ...: none */
		break;
	}
	GS->rax = a;
	GS->rbx = b;
	GS->rcx = c;
	GS->rdx = d;
}

static volatile mica_word_t *msr_field(uint32_t msr)
{
	switch (msr) {
	case 0x174:
		return &GS->sysenter_cs;
	case 0x175:
		return &GS->sysenter_esp;
	case 0x176:
		return &GS->sysenter_eip;
	case 0x277:
		return &GS->pat;
	case 0xc0000081u:
		return &GS->star;
	case 0xc0000082u:
		return &GS->lstar;
	case 0xc0000083u:
		return &GS->cstar;
	case 0xc0000084u:
		return &GS->sfmask;
	case 0xc0000100u:
		return &GS->fs.base;
	case 0xc0000101u:
		return &GS->gs.base;
	case 0xc0000102u:
		return &GS->kernel_gs_base;
	default:
		return 0;
	}
}

static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* Whether a guest write of v to msr is what the CPU would accept: the
 * kernel checks the same on resume and would refuse the whole state. */
static bool msr_value_ok(uint32_t msr, uint64_t v)
{
	switch (msr) {
	case 0x174:
		return !(v >> 16);
	case 0xc0000084u:
		return !(v >> 32);
	case 0x277:
		for (unsigned i = 0; i < 8; i++) {
			unsigned t = (v >> (i * 8)) & 0xff;
			if (t == 2 || t == 3 || t > 7)
				return false;
		}
		return true;
	case 0xc0000081u:
		return true;
	default:
		return canonical(v);
	}
}

/* The MSRs already reported, so each is named once. */
static uint32_t reported[32];
static unsigned nreported;

static bool first_report(uint32_t msr)
{
	for (unsigned i = 0; i < nreported; i++)
		if (reported[i] == msr)
			return false;
	if (nreported < 32)
		reported[nreported++] = msr;
	return true;
}

bool cpu_msr(bool write)
{
	uint32_t msr = (uint32_t)GS->rcx;
	uint64_t v = (GS->rdx << 32) | (uint32_t)GS->rax;
	volatile mica_word_t *f = msr_field(msr);
	if (f) {
		if (write && !msr_value_ok(msr, v))
			return false;
		if (write)
			*f = v;
		else
			v = *f;
	} else if (msr == 0xc0000080u) { /* EFER */
		if (write) {
			if (v & ~EFER_GUEST)
				return false;
			GS->efer = v | (GS->efer & EFER_LMA);
		} else {
			v = GS->efer;
		}
	} else if (msr == 0x10 && !write) { /* the TSC, as RDTSC gives it */
		v = rdtsc();
	} else if (msr == 0xc0010055u && !write) {
		v = 0; /* AMD's interrupt-pending message: no C1E (Linux reads it unchecked) */
	} else {
		if (first_report(msr))
			printf("vmm: guest %s of MSR 0x%x: not emulated, #GP\n", write ? "write" : "read",
			       msr);
		return false;
	}
	if (!write) {
		GS->rax = (uint32_t)v;
		GS->rdx = v >> 32;
	}
	return true;
}

static uint64_t dregs[8] = { [6] = 0xffff0ff0ul, [7] = 0x400ul };

/* The general register with number n, in the VMCB's state order. */
static volatile mica_word_t *gpr(unsigned n)
{
	switch (n) {
	case 0:
		return &GS->rax;
	case 1:
		return &GS->rcx;
	case 2:
		return &GS->rdx;
	case 3:
		return &GS->rbx;
	case 4:
		return &GS->rsp;
	case 5:
		return &GS->rbp;
	case 6:
		return &GS->rsi;
	case 7:
		return &GS->rdi;
	default:
		return &GS->r8 + (n - 8);
	}
}

bool cpu_dr(unsigned dr, bool write)
{
	uint8_t insn[4];
	if (dr > 7 || !guest_read(GS->rip, insn, sizeof(insn)))
		return false;
	unsigned i = 0, rex = 0;
	if ((insn[0] & 0xf0) == 0x40)
		rex = insn[i++];
	if (insn[i] != 0x0f || insn[i + 1] != (write ? 0x23 : 0x21))
		return false;
	unsigned modrm = insn[i + 2], reg = (modrm & 7) | ((rex & 1) << 3);
	if (dr == 4 || dr == 5)
		dr += 2; /* aliases of DR6 and DR7 without CR4.DE */
	if (write)
		dregs[dr] = *gpr(reg);
	else
		*gpr(reg) = dregs[dr];
	GS->rip += i + 3;
	return true;
}
