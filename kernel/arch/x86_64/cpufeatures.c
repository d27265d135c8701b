/* Reading the CPU's features from CPUID once, on the boot CPU. */
#include "cpufeatures.h"

#include <string.h>

#include "klib/kprintf.h"
#include <machine/x86.h>

struct cpu_features cpu_features;

void cpu_features_detect(void)
{
	struct cpu_features *f = &cpu_features;
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t max_leaf = r.eax;
	memcpy(f->vendor, &r.ebx, 4);
	memcpy(f->vendor + 4, &r.edx, 4);
	memcpy(f->vendor + 8, &r.ecx, 4);

	r = cpuid(1, 0);
	f->stepping = r.eax & 0xf;
	f->model = (r.eax >> 4) & 0xf;
	f->family = (r.eax >> 8) & 0xf;
	if (f->family == 0xf)
		f->family += (r.eax >> 20) & 0xff;
	if (f->family >= 6)
		f->model |= ((r.eax >> 16) & 0xf) << 4;
	f->pcid = r.ecx & (1u << 17);
	f->x2apic = r.ecx & (1u << 21);
	f->tsc_deadline = r.ecx & (1u << 24);
	f->xsave = r.ecx & (1u << 26);
	f->apic = r.edx & (1u << 9);

	if (max_leaf >= 7) {
		r = cpuid(7, 0);
		f->fsgsbase = r.ebx & (1u << 0);
		f->smep = r.ebx & (1u << 7);
		f->smap = r.ebx & (1u << 20);
	}

	uint32_t max_ext = cpuid(0x80000000, 0).eax;
	if (max_ext >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		f->nx = r.edx & (1u << 20);
		f->pdpe1gb = r.edx & (1u << 26);
	}
	if (max_ext >= 0x80000004) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(f->brand + 16ul * i, &r, 16);
		}
	}
	f->max_phys_bits = 36;
	if (max_ext >= 0x80000007)
		f->tsc_invariant = cpuid(0x80000007, 0).edx & (1u << 8);
	if (max_ext >= 0x80000008)
		f->max_phys_bits = cpuid(0x80000008, 0).eax & 0xff;
}

void cpu_features_print(void)
{
	const struct cpu_features *f = &cpu_features;
	const char *brand = f->brand;
	while (*brand == ' ')
		brand++;
	kprintf("cpu: %s family %u model %u stepping %u: %s\n", f->vendor, f->family, f->model, f->stepping,
		brand[0] ? brand : "(no brand string)");
	kprintf("cpu: features:%s%s%s%s%s%s%s%s%s%s\n", f->nx ? " nx" : "", f->pdpe1gb ? " 1g-pages" : "",
		f->pcid ? " pcid" : "", f->x2apic ? " x2apic" : "", f->xsave ? " xsave" : "",
		f->tsc_invariant ? " invariant-tsc" : "", f->tsc_deadline ? " tsc-deadline" : "",
		f->smep ? " smep" : "", f->smap ? " smap" : "", f->fsgsbase ? " fsgsbase" : "");
}

void cpu_enable_features(void)
{
	/* SSE for user programs: the kernel itself uses general registers only. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE;
	/* The kernel never touches user memory (only the UTCB, through its
	 * own mapping), so SMEP and SMAP cost nothing and catch bugs. */
	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
}
