/* AMD SVM: the VMCB the kernel builds from a monitor's checked guest
 * state, the intercepts the host keeps for itself, and the run of a
 * guest (offsets and bits from the AMD64 manual, vol. 2, appendix B). */
#include "arch/svm.h"

#include <string.h>

#include "arch/vm.h"
#include "sched/percpu.h"
#include <machine/fpu_regs.h>
#include <machine/x86.h>

#define MSR_VM_CR 0xc0010114u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define EFER_SVME (1ul << 12)
#define VM_CR_SVMDIS (1u << 4)

/* Control area. */
#define C_DR 0x004
#define C_EXC 0x008
#define C_MISC1 0x00c
#define C_MISC2 0x010
#define C_IOPM 0x040
#define C_MSRPM 0x048
#define C_ASID 0x058
#define C_TLB 0x05c
#define C_INT_CTL 0x060
#define C_EXIT_CODE 0x070
#define C_EXIT_INFO1 0x078
#define C_EXIT_INFO2 0x080
#define C_EXIT_INT_INFO 0x088
#define C_NP 0x090
#define C_EVENT_INJ 0x0a8
#define C_NCR3 0x0b0
#define C_CLEAN 0x0c0
/* State save area. */
#define S_ES 0x400
#define S_CPL 0x4cb
#define S_EFER 0x4d0
#define S_CR4 0x548
#define S_CR3 0x550
#define S_CR0 0x558
#define S_DR7 0x560
#define S_DR6 0x568
#define S_RFLAGS 0x570
#define S_RIP 0x578
#define S_RSP 0x5d8
#define S_RAX 0x5f8
#define S_CR2 0x640
#define S_GPAT 0x668

/* Intercepts the host keeps whatever the monitor asks. */
#define MISC1_INTR (1u << 0)
#define MISC1_NMI (1u << 1)
#define MISC1_SMI (1u << 2)
#define MISC1_INIT (1u << 3)
#define MISC1_RDTSC (1u << 14)
#define MISC1_CPUID (1u << 18)
#define MISC1_INVD (1u << 22)
#define MISC1_PAUSE (1u << 23)
#define MISC1_HLT (1u << 24)
#define MISC1_INVLPG (1u << 25)
#define MISC1_INVLPGA (1u << 26)
#define MISC1_IOIO (1u << 27)
#define MISC1_MSR (1u << 28)
#define MISC1_SHUTDOWN (1u << 31)
#define MISC1_HOST                                                                                           \
	(MISC1_INTR | MISC1_NMI | MISC1_SMI | MISC1_INIT | MISC1_INVD | MISC1_INVLPGA | MISC1_IOIO |         \
	 MISC1_MSR | MISC1_SHUTDOWN)
/* VMRUN (which the CPU requires), VMMCALL, VMLOAD, VMSAVE, STGI, CLGI,
 * SKINIT, ICEBP, MONITOR, MWAIT, MWAIT conditional, XSETBV: the guest's
 * XCR0 would be the host's. */
#define MISC2_HOST 0x3d7fu
#define EXC_MC (1u << 18)
#define INT_CTL_V_INTR_MASKING (1u << 24)
#define TLB_FLUSH_ALL 1
#define GUEST_ASID 1

#define EXIT_INTR 0x60
#define EXIT_NMI 0x61
#define EXIT_SMI 0x62
#define EXIT_INIT 0x63

/* Bits a guest may hold. */
#define EFER_OK 0x5d01ul     /* SCE, LME, LMA, NXE, SVME, FFXSR */
#define CR4_OK 0x3707fful    /* VME .. OSXMMEXCPT, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP */
#define RFLAGS_OK 0x3f7fd7ul /* up to ID */
#define CR0_PE (1ul << 0)
#define CR0_NW (1ul << 29)
#define CR0_CD (1ul << 30)
#define CR0_PG (1ul << 31)
#define INJ_VALID (1ul << 31)
#define INJ_EV (1ul << 11)

#define AT(vmcb, off, type) (*(type *)((uint8_t *)(vmcb) + (off)))

bool arch_svm_supported(void)
{
	if (cpuid(0x80000000u, 0).eax < 0x8000000au)
		return false;
	if (!(cpuid(0x80000001u, 0).ecx & (1u << 2)))
		return false; /* no SVM */
	if (!(cpuid(0x8000000au, 0).edx & 1u))
		return false; /* no nested paging */
	return !(rdmsr(MSR_VM_CR) & VM_CR_SVMDIS);
}

void arch_svm_cpu_enable(uint64_t hsave)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, hsave);
}

void arch_svm_vmcb_init(void *vmcb, uint64_t iopm, uint64_t msrpm)
{
	AT(vmcb, C_DR, uint32_t) = ~0u; /* DR0-3 are not switched: every access exits */
	AT(vmcb, C_EXC, uint32_t) = EXC_MC;
	AT(vmcb, C_MISC1, uint32_t) = MISC1_HOST;
	AT(vmcb, C_MISC2, uint32_t) = MISC2_HOST;
	AT(vmcb, C_IOPM, uint64_t) = iopm;
	AT(vmcb, C_MSRPM, uint64_t) = msrpm;
	AT(vmcb, C_ASID, uint32_t) = GUEST_ASID;
	/* Every run flushes the guest's TLB: an unmap in the VM's space, or
	 * another VM with the same ASID, leaves nothing stale. */
	AT(vmcb, C_TLB, uint8_t) = TLB_FLUSH_ALL;
	AT(vmcb, C_INT_CTL, uint32_t) = INT_CTL_V_INTR_MASKING;
	AT(vmcb, C_NP, uint64_t) = 1;
	AT(vmcb, S_GPAT, uint64_t) = 0x0007040600070406ul;
	AT(vmcb, S_DR6, uint64_t) = 0xffff0ff0ul;
	AT(vmcb, S_DR7, uint64_t) = 0x400ul;
}

static bool inject_ok(uint64_t inj)
{
	if (!(inj & INJ_VALID))
		return true;
	unsigned type = (inj >> 8) & 7, vector = inj & 0xff;
	if (inj & 0x7ffff000ul)
		return false; /* reserved bits */
	if (type == 3)
		return vector < 32 && vector != 2;
	if (inj & INJ_EV)
		return false; /* only exceptions push an error code */
	return type == 0 || type == 2 || type == 4;
}

bool arch_svm_load(void *vmcb, struct arch_svm_gprs *g, const struct mica_vm_state *s)
{
	if ((s->intercepts & ~MICA_VM_I_ALL) || (s->efer & ~EFER_OK) || (s->cr4 & ~CR4_OK) ||
	    (s->cr0 >> 32) || ((s->cr0 & CR0_NW) && !(s->cr0 & CR0_CD)) ||
	    ((s->cr0 & CR0_PG) && !(s->cr0 & CR0_PE)) || (s->cr3 >> 52) || (s->rflags & ~RFLAGS_OK) ||
	    !inject_ok(s->inject))
		return false;
	uint32_t misc1 = MISC1_HOST;
	if (s->intercepts & MICA_VM_I_CPUID)
		misc1 |= MISC1_CPUID;
	if (s->intercepts & MICA_VM_I_HLT)
		misc1 |= MISC1_HLT;
	if (s->intercepts & MICA_VM_I_RDTSC)
		misc1 |= MISC1_RDTSC;
	if (s->intercepts & MICA_VM_I_INVLPG)
		misc1 |= MISC1_INVLPG;
	if (s->intercepts & MICA_VM_I_PAUSE)
		misc1 |= MISC1_PAUSE;
	AT(vmcb, C_MISC1, uint32_t) = misc1;
	AT(vmcb, C_EXC, uint32_t) = (uint32_t)s->intercepts | EXC_MC;
	AT(vmcb, C_EVENT_INJ, uint64_t) = (s->inject & INJ_VALID) ? s->inject : 0;
	AT(vmcb, C_CLEAN, uint32_t) = 0;
	memcpy((uint8_t *)vmcb + S_ES, &s->es, 10 * sizeof(struct mica_vm_seg));
	AT(vmcb, S_CPL, uint8_t) = (uint8_t)((s->ss.attr >> 5) & 3);
	AT(vmcb, S_EFER, uint64_t) = s->efer | EFER_SVME;
	AT(vmcb, S_CR0, uint64_t) = s->cr0;
	AT(vmcb, S_CR2, uint64_t) = s->cr2;
	AT(vmcb, S_CR3, uint64_t) = s->cr3;
	AT(vmcb, S_CR4, uint64_t) = s->cr4;
	AT(vmcb, S_RFLAGS, uint64_t) = s->rflags | 2;
	AT(vmcb, S_RIP, uint64_t) = s->rip;
	AT(vmcb, S_RSP, uint64_t) = s->rsp;
	AT(vmcb, S_RAX, uint64_t) = s->rax;
	*g = (struct arch_svm_gprs){ s->rbx, s->rcx, s->rdx, s->rsi, s->rdi, s->rbp, s->r8,
				     s->r9,  s->r10, s->r11, s->r12, s->r13, s->r14, s->r15 };
	return true;
}

void arch_svm_store(const void *vmcb, const struct arch_svm_gprs *g, struct mica_vm_state *s)
{
	s->exit_code = AT(vmcb, C_EXIT_CODE, uint64_t);
	s->exit_info1 = AT(vmcb, C_EXIT_INFO1, uint64_t);
	s->exit_info2 = AT(vmcb, C_EXIT_INFO2, uint64_t);
	s->exit_int_info = AT(vmcb, C_EXIT_INT_INFO, uint64_t);
	/* An injection the guest did not take is in exit_int_info. */
	s->inject = 0;
	memcpy(&s->es, (const uint8_t *)vmcb + S_ES, 10 * sizeof(struct mica_vm_seg));
	s->efer = AT(vmcb, S_EFER, uint64_t) & ~EFER_SVME;
	s->cr0 = AT(vmcb, S_CR0, uint64_t);
	s->cr2 = AT(vmcb, S_CR2, uint64_t);
	s->cr3 = AT(vmcb, S_CR3, uint64_t);
	s->cr4 = AT(vmcb, S_CR4, uint64_t);
	s->rflags = AT(vmcb, S_RFLAGS, uint64_t);
	s->rip = AT(vmcb, S_RIP, uint64_t);
	s->rsp = AT(vmcb, S_RSP, uint64_t);
	s->rax = AT(vmcb, S_RAX, uint64_t);
	s->rbx = g->rbx;
	s->rcx = g->rcx;
	s->rdx = g->rdx;
	s->rsi = g->rsi;
	s->rdi = g->rdi;
	s->rbp = g->rbp;
	s->r8 = g->r8;
	s->r9 = g->r9;
	s->r10 = g->r10;
	s->r11 = g->r11;
	s->r12 = g->r12;
	s->r13 = g->r13;
	s->r14 = g->r14;
	s->r15 = g->r15;
}

uint64_t svm_vmrun(uint64_t vmcb, struct arch_svm_gprs *g, uint64_t host);

uint64_t arch_svm_run(void *vmcb, uint64_t vmcb_phys, struct arch_svm_gprs *g, struct vm_space *vm, void *fpu,
		      uint64_t host_save)
{
	struct arch_percpu *ap = &this_cpu()->arch;
	/* The guest uses the FPU registers as they are: the vCPU thread's. */
	if (ap->fpu_owner != fpu) {
		fpu_save_restore(ap->fpu_owner, fpu);
		ap->fpu_owner = fpu;
	}
	/* Shootdowns of the VM's space reach this CPU; their interrupt makes
	 * the guest exit, and the next run flushes its TLB. */
	if (!(__atomic_load_n(&vm->cpus, __ATOMIC_RELAXED) & ap->cpu_bit))
		__atomic_fetch_or(&vm->cpus, ap->cpu_bit, __ATOMIC_SEQ_CST);
	AT(vmcb, C_NCR3, uint64_t) = vm->root;
	/* Interrupts on (with GIF clear they wait): the host's IF decides
	 * whether one makes the guest exit. */
	__asm__ volatile("clgi\n\tsti" ::: "memory");
	svm_vmrun(vmcb_phys, g, host_save);
	__asm__ volatile("cli\n\tstgi" ::: "memory");
	return AT(vmcb, C_EXIT_CODE, uint64_t);
}

bool arch_svm_exit_is_host(uint64_t code)
{
	return code == EXIT_INTR || code == EXIT_NMI || code == EXIT_SMI || code == EXIT_INIT;
}

void arch_svm_irq_window(void)
{
	__asm__ volatile("sti\n\tnop\n\tcli" ::: "memory");
}
