/* The L4 X.2 kernel interface page through accessor functions: the
 * personality reads Mica's KIP and answers in X.2 terms (docs/x2.md says
 * which values are the personality's). */
#pragma once

#include <l4/types.h>

typedef struct L4_KernelInterfacePage L4_KernelInterfacePage_t;

/* This space's KIP (mapped read-only); api_version and api_flags (may be
 * 0) get the X.2 values, kernel_id the kernel's. */
void *L4_KernelInterface(L4_Word_t *api_version, L4_Word_t *api_flags, L4_Word_t *kernel_id);
void *L4_GetKernelInterface(void);

#define L4_APIVERSION_X2 0x84
L4_Word_t L4_ApiVersion(void);
L4_Word_t L4_ApiFlags(void);
L4_Word_t L4_KernelId(void);
/* The Mica KIP's magic, "L4\xe6K", as a word. */
L4_Word_t L4_KipMagic(void *kip);

/* Processors are numbered 0 .. L4_NumProcessors - 1 (L4_Schedule's
 * processor control names them). */
L4_Word_t L4_NumProcessors(void *kip);
L4_Word_t L4_ProcessorFrequency(void *kip, L4_Word_t cpu); /* kHz */
/* A processor's description: external (bus) and internal frequency, kHz. */
typedef struct {
	L4_Word_t raw[2];
} L4_ProcDesc_t;
/* Processor n's description, or 0 if there is no such processor. */
L4_ProcDesc_t *L4_ProcDesc(void *kip, L4_Word_t n);
L4_INLINE L4_Word_t L4_ProcDescExternalFreq(const L4_ProcDesc_t *p)
{
	return p->raw[0];
}
L4_INLINE L4_Word_t L4_ProcDescInternalFreq(const L4_ProcDesc_t *p)
{
	return p->raw[1];
}
L4_Word_t L4_PageSizeMask(void *kip);
L4_Word_t L4_PageRights(void *kip);
L4_Word_t L4_ThreadIdBits(void *kip);
L4_Word_t L4_ThreadIdSystemBase(void *kip);
L4_Word_t L4_ThreadIdUserBase(void *kip);
L4_Word_t L4_KipAreaSizeLog2(void *kip);
L4_Word_t L4_UtcbAreaSizeLog2(void *kip);
L4_Word_t L4_UtcbAlignmentLog2(void *kip);
L4_Word_t L4_UtcbSize(void *kip);
L4_Word_t L4_BootInfo(void *kip);
const char *L4_KernelVersionString(void *kip);
L4_Word_t L4_ReadPrecision(void *kip);	   /* clock resolution, µs */
L4_Word_t L4_SchedulePrecision(void *kip); /* how late a timeout may end, µs */

/* Memory descriptors: low and high addresses (inclusive), type, virtual. */
typedef struct {
	L4_Word_t raw[2];
} L4_MemoryDesc_t;
#define L4_UndefinedMemoryType 0x0
#define L4_ConventionalMemoryType 0x1
#define L4_ReservedMemoryType 0x2
#define L4_DedicatedMemoryType 0x3
#define L4_SharedMemoryType 0x4
#define L4_BootLoaderSpecificMemoryType 0xe
#define L4_ArchitectureSpecificMemoryType 0xf

L4_Word_t L4_NumMemoryDescriptors(void *kip);
L4_MemoryDesc_t *L4_MemoryDesc(void *kip, L4_Word_t n);
L4_INLINE L4_Word_t L4_MemoryDescLow(const L4_MemoryDesc_t *m)
{
	return m->raw[0] & ~0x3fful;
}
L4_INLINE L4_Word_t L4_MemoryDescHigh(const L4_MemoryDesc_t *m)
{
	return m->raw[1] | 0x3fful;
}
L4_INLINE L4_Word_t L4_MemoryDescType(const L4_MemoryDesc_t *m)
{
	return m->raw[0] & 0xff;
}
L4_INLINE L4_Bool_t L4_IsMemoryDescVirtual(const L4_MemoryDesc_t *m)
{
	return (m->raw[0] >> 9) & 1;
}
