/* The X.2 personality's KIP accessors, sigma0 protocol, Unmap, acceptor,
 * clock and kernel-debugger output, on Mica's KIP and objects. */
#include <console.h>
#include <mica/fpage.h>
#include <mica/kip.h>
#include <mica/sigma0.h>
#include <mica_clock.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <string.h>

#include <l4/kdebug.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/misc.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>

#include "x2_priv.h"

static unsigned my_space(void)
{
	return x2_sys.t[(unsigned)mica_utcb()->user[X2_TCR_INDEX]].space;
}

static const struct mica_kip *kip_of(void *kip)
{
	return (const struct mica_kip *)kip;
}

/* ---- KIP ---------------------------------------------------------------- */
void *L4_GetKernelInterface(void)
{
	return (void *)x2_sys.s[my_space()].kip;
}

void *L4_KernelInterface(L4_Word_t *api_version, L4_Word_t *api_flags, L4_Word_t *kernel_id)
{
	if (api_version)
		*api_version = L4_ApiVersion();
	if (api_flags)
		*api_flags = L4_ApiFlags();
	if (kernel_id)
		*kernel_id = L4_KernelId();
	return L4_GetKernelInterface();
}

L4_Word_t L4_ApiVersion(void)
{
	return (L4_Word_t)L4_APIVERSION_X2 << 24;
}
L4_Word_t L4_ApiFlags(void)
{
	return 2; /* 64-bit words, little endian */
}
L4_Word_t L4_KernelId(void)
{
	return kip_of(L4_GetKernelInterface())->kernel_id;
}
L4_Word_t L4_KipMagic(void *kip)
{
	L4_Word32_t m;
	memcpy(&m, kip, 4);
	return m;
}
L4_Word_t L4_NumProcessors(void *kip)
{
	const struct mica_kip *k = kip_of(kip);
	const struct mica_kip_cpu *c = (const struct mica_kip_cpu *)((const char *)k + k->cpu_offset);
	L4_Word_t n = 0;
	for (unsigned i = 0; i < k->cpu_count; i++)
		n += (c[i].flags & MICA_KIP_CPU_ONLINE) != 0;
	return n;
}
/* Processor n: the online CPU the scheduler numbers n, or 0. */
static const struct mica_kip_cpu *cpu_of(void *kip, L4_Word_t n)
{
	const struct mica_kip *k = kip_of(kip);
	const struct mica_kip_cpu *c = (const struct mica_kip_cpu *)((const char *)k + k->cpu_offset);
	for (unsigned i = 0; i < k->cpu_count; i++)
		if ((c[i].flags & MICA_KIP_CPU_ONLINE) && c[i].id == n)
			return &c[i];
	return 0;
}
L4_Word_t L4_ProcessorFrequency(void *kip, L4_Word_t cpu)
{
	const struct mica_kip_cpu *c = cpu_of(kip, cpu);
	return c ? c->tsc_khz : 0;
}
/* X.2 keeps the descriptions in the KIP; Mica's KIP has its own format,
 * so they are built here (in this space's copy of the image). */
#define X2_MAX_CPUS 64
static L4_ProcDesc_t procdesc[X2_MAX_CPUS];
L4_ProcDesc_t *L4_ProcDesc(void *kip, L4_Word_t n)
{
	const struct mica_kip_cpu *c = cpu_of(kip, n);
	if (!c || n >= X2_MAX_CPUS)
		return 0;
	/* The bus clock as the local APIC timer sees it; the core's as the TSC. */
	procdesc[n].raw[0] = c->timer_khz;
	procdesc[n].raw[1] = c->tsc_khz;
	return &procdesc[n];
}
L4_Word_t L4_PageSizeMask(void *kip)
{
	(void)kip;
	return (1ul << 12) | (1ul << 21); /* 4 KiB and 2 MiB mappings */
}
L4_Word_t L4_PageRights(void *kip)
{
	(void)kip;
	return L4_Readable | L4_Writable | L4_eXecutable;
}
L4_Word_t L4_ThreadIdBits(void *kip)
{
	(void)kip;
	return 40; /* thread numbers the personality accepts */
}
L4_Word_t L4_ThreadIdSystemBase(void *kip)
{
	(void)kip;
	return X2_SYSTEM_BASE;
}
L4_Word_t L4_ThreadIdUserBase(void *kip)
{
	(void)kip;
	return X2_USER_BASE;
}
L4_Word_t L4_KipAreaSizeLog2(void *kip)
{
	(void)kip;
	return 13; /* Mica's KIP is two pages */
}
L4_Word_t L4_UtcbAreaSizeLog2(void *kip)
{
	(void)kip;
	return 12; /* a Mica task's smallest UTCB area */
}
L4_Word_t L4_UtcbAlignmentLog2(void *kip)
{
	(void)kip;
	return 10;
}
L4_Word_t L4_UtcbSize(void *kip)
{
	return kip_of(kip)->utcb_size;
}
const char *L4_KernelVersionString(void *kip)
{
	return kip_of(kip)->build;
}
L4_Word_t L4_ReadPrecision(void *kip)
{
	(void)kip;
	return 1;
}
L4_Word_t L4_SchedulePrecision(void *kip)
{
	return (kip_of(kip)->timeout_precision_ns + 999) / 1000;
}

/* X.2 memory types from Mica's. */
static L4_Word_t mem_type(uint32_t t)
{
	switch (t) {
	case MICA_MEM_CONVENTIONAL:
		return L4_ConventionalMemoryType;
	case MICA_MEM_MODULE:
		return L4_BootLoaderSpecificMemoryType;
	case MICA_MEM_KERNEL:
		return L4_ReservedMemoryType;
	case MICA_MEM_ACPI:
	case MICA_MEM_ACPI_NVS:
		return L4_ArchitectureSpecificMemoryType;
	default:
		return L4_ReservedMemoryType;
	}
}

L4_Word_t L4_NumMemoryDescriptors(void *kip)
{
	return kip_of(kip)->mem_count;
}

L4_MemoryDesc_t *L4_MemoryDesc(void *kip, L4_Word_t n)
{
	/* Each thread's own copy in X.2 form: the KIP itself is Mica's. */
	static L4_MemoryDesc_t d[X2_MAX_THREADS];
	const struct mica_kip *k = kip_of(kip);
	if (n >= k->mem_count)
		return 0;
	const struct mica_kip_mem *m = (const struct mica_kip_mem *)((const char *)k + k->mem_offset) + n;
	L4_MemoryDesc_t *r = &d[(unsigned)mica_utcb()->user[X2_TCR_INDEX] % X2_MAX_THREADS];
	r->raw[0] = (m->base & ~0x3fful) | mem_type(m->type);
	r->raw[1] = (m->base + m->size - 1) & ~0x3fful;
	return r;
}

L4_Clock_t L4_SystemClock(void)
{
	L4_Clock_t c = { mica_clock_ns((const struct mica_kip *)L4_GetKernelInterface()) / 1000 };
	return c;
}

/* ---- acceptor ------------------------------------------------------------ */
void L4_Accept(L4_Acceptor_t a)
{
	L4_Word_t f = a.raw & ~0xful;
	mica_utcb()->br[0] = f ? x2_fpage_to_mica(f) & ~7ul : MICA_FPAGE_NIL;
}

L4_Acceptor_t L4_Accepted(void)
{
	mica_word_t w = mica_utcb()->br[0];
	L4_Acceptor_t a = { .raw = 0 };
	if (w == mica_fpage_mem(0, MICA_FPAGE_MEM_MAX, 0))
		a.raw = L4_CompleteAddressSpace.raw;
	else if (w)
		a.raw = x2_fpage_from_mica(w) & ~0xful;
	return a;
}

/* ---- Unmap ----------------------------------------------------------------- */
void L4_Unmap(L4_Word_t control)
{
	unsigned k = (unsigned)(control & 0x3f) + 1;
	if (k > 62)
		k = 62;
	L4_Word_t f[62];
	for (unsigned i = 0; i < k; i++) {
		f[i] = *__L4_Mr(i);
		f[i] = x2_fpage_to_mica(f[i]);
	}
	mica_word_t fl = (control & L4_UnmapFlush) ? MICA_UNMAP_FLUSH : 0;
	if (mica_task_unmap(X2_SEL_TASK, fl, f, k) != MICA_OK)
		return;
	for (unsigned i = 0; i < k; i++)
		*__L4_Mr(i) = x2_fpage_from_mica(f[i]);
}

L4_Fpage_t L4_UnmapFpage(L4_Fpage_t f)
{
	L4_LoadMR(0, f.raw);
	L4_Unmap(0);
	L4_StoreMR(0, &f.raw);
	return f;
}

L4_Fpage_t L4_Flush(L4_Fpage_t f)
{
	L4_LoadMR(0, f.raw);
	L4_Unmap(L4_UnmapFlush);
	L4_StoreMR(0, &f.raw);
	return f;
}

/* ---- sigma0 ---------------------------------------------------------------- */
static int is_sigma0(L4_ThreadId_t s0)
{
	return s0.raw == L4_GlobalId(X2_SIGMA0_NO, 1).raw;
}

L4_Fpage_t L4_Sigma0_GetPage_RcvWindow(L4_ThreadId_t s0, L4_Fpage_t f, L4_Fpage_t rcv)
{
	mica_word_t given;
	if (!is_sigma0(s0) || L4_SizeLog2(f) < 12)
		return L4_Nilpage;
	mica_word_t mf = x2_fpage_to_mica(f.raw) | MICA_FPAGE_R;
	if (mica_sigma0_request(X2_SEL_SIGMA0, MICA_SIGMA0_MEM, mf, x2_fpage_to_mica(rcv.raw), &given) !=
	    MICA_OK)
		return L4_Nilpage;
	L4_Fpage_t r = { .raw = x2_fpage_from_mica(given) };
	return r;
}

L4_Fpage_t L4_Sigma0_GetPage(L4_ThreadId_t s0, L4_Fpage_t f)
{
	return L4_Sigma0_GetPage_RcvWindow(s0, f, f);
}

L4_Fpage_t L4_Sigma0_GetAny(L4_ThreadId_t s0, L4_Word_t log2size, L4_Fpage_t rcv)
{
	mica_word_t given;
	if (!is_sigma0(s0) || log2size < 12)
		return L4_Nilpage;
	if (mica_sigma0_request(X2_SEL_SIGMA0, MICA_SIGMA0_MEM_ANY,
				mica_fpage_mem(0, (unsigned)log2size, MICA_FPAGE_RW),
				x2_fpage_to_mica(rcv.raw), &given) != MICA_OK)
		return L4_Nilpage;
	L4_Fpage_t r = { .raw = x2_fpage_from_mica(given) };
	return r;
}

/* ---- KDB ------------------------------------------------------------------ */
void L4_KDB_PrintChar(char c)
{
	printf("%c", c);
}

void L4_KDB_PrintString(const char *s)
{
	printf("%s", s);
}

void L4_KDB_Enter(const char *reason)
{
	printf("KDB: %s (Mica has no interactive kernel debugger; continuing)\n", reason);
}

/* ---- processor and memory control (l4/misc.h) ------------------------- */
L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t *attributes)
{
	/* Every page is write-back cached, the default: a request for that
	 * changes nothing and succeeds; Mica sets no other attributes. */
	L4_Word_t n = (control & 0x3f) + 1, e = 0;
	if (n > __L4_MR_MAX)
		e = L4_ErrInvalidParam;
	for (L4_Word_t i = 0; i < n && !e; i++) {
		L4_Word_t f;
		L4_StoreMR((int)i, &f);
		if (attributes[f & 3] != L4_DefaultMemory)
			e = L4_ErrInvalidParam;
	}
	mica_utcb()->user[X2_TCR_ERROR] = e;
	return e == 0;
}

L4_Word_t L4_ProcessorControl(L4_Word_t processor_no, L4_Word_t internal_frequency,
			      L4_Word_t external_frequency, L4_Word_t voltage)
{
	(void)processor_no, (void)internal_frequency, (void)external_frequency, (void)voltage;
	mica_utcb()->user[X2_TCR_ERROR] = L4_ErrNoPrivilege;
	return 0;
}
