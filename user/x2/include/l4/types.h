/* The L4 X.2 basic types for the personality: words, thread ids, flexpages,
 * time periods and points, as the X.2 reference defines them (64-bit
 * layouts). Nothing here names a Mica type: X.2 programs see only X.2. */
#pragma once

#include <stdint.h>

typedef uint64_t L4_Word_t;
typedef uint64_t L4_Word64_t;
typedef uint32_t L4_Word32_t;
typedef uint16_t L4_Word16_t;
typedef uint8_t L4_Word8_t;
typedef L4_Word_t L4_Bool_t;

#define L4_INLINE static inline

/* ---- thread ids ----------------------------------------------------------
 * Global: thread number (bits 63..14) and version (bits 13..0, never 0 mod
 * 64). Local: the UTCB address (low 6 bits 0). */
typedef union {
	L4_Word_t raw;
	struct {
		L4_Word_t version : 14;
		L4_Word_t thread_no : 50;
	} global;
	struct {
		L4_Word_t zero : 6;
		L4_Word_t local_id : 58;
	} local;
} L4_ThreadId_t;

typedef L4_ThreadId_t L4_GthreadId_t;
typedef L4_ThreadId_t L4_LthreadId_t;

/* Functions behind the constants: a compound literal in an argument list
 * confuses static analysers. */
L4_INLINE L4_ThreadId_t __L4_ThreadId(L4_Word_t raw)
{
	L4_ThreadId_t t;
	t.raw = raw;
	return t;
}
#define L4_nilthread (__L4_ThreadId(0))
#define L4_anythread (__L4_ThreadId(~0ul))
#define L4_anylocalthread (__L4_ThreadId(~0ul << 6))

L4_INLINE L4_ThreadId_t L4_GlobalId(L4_Word_t threadno, L4_Word_t version)
{
	L4_ThreadId_t t;
	t.raw = (threadno << 14) | (version & 0x3fff);
	return t;
}
L4_INLINE L4_Word_t L4_Version(L4_ThreadId_t t)
{
	return t.raw & 0x3fff;
}
L4_INLINE L4_Word_t L4_ThreadNo(L4_ThreadId_t t)
{
	return t.raw >> 14;
}
L4_INLINE L4_Bool_t L4_IsThreadEqual(L4_ThreadId_t a, L4_ThreadId_t b)
{
	return a.raw == b.raw;
}
L4_INLINE L4_Bool_t L4_IsThreadNotEqual(L4_ThreadId_t a, L4_ThreadId_t b)
{
	return a.raw != b.raw;
}
L4_INLINE L4_Bool_t L4_IsNilThread(L4_ThreadId_t t)
{
	return t.raw == 0;
}
L4_INLINE L4_Bool_t L4_IsLocalId(L4_ThreadId_t t)
{
	return t.raw != 0 && (t.raw & 0x3f) == 0;
}
L4_INLINE L4_Bool_t L4_IsGlobalId(L4_ThreadId_t t)
{
	return (t.raw & 0x3f) != 0;
}

/* ---- flexpages -----------------------------------------------------------
 * base (bits 63..10) | s (bits 9..4) | 0 | rwx (bits 2..0). */
typedef union {
	L4_Word_t raw;
	struct {
		L4_Word_t rwx : 4;
		L4_Word_t s : 6;
		L4_Word_t b : 54;
	} X;
} L4_Fpage_t;

#define L4_Readable 0x4ul
#define L4_Writable 0x2ul
#define L4_eXecutable 0x1ul
#define L4_FullyAccessible 0x7ul
#define L4_ReadWriteOnly 0x6ul
#define L4_ReadeXecOnly 0x5ul
#define L4_NoAccess 0x0ul
/* The status bits Unmap returns (X.2: referenced, dirty, executed). */
#define L4_Referenced 0x4ul
#define L4_Dirty 0x2ul
#define L4_Executed 0x1ul

L4_INLINE L4_Fpage_t __L4_Fpage(L4_Word_t raw)
{
	L4_Fpage_t f;
	f.raw = raw;
	return f;
}
#define L4_Nilpage (__L4_Fpage(0))
#define L4_CompleteAddressSpace (__L4_Fpage(1ul << 4))

L4_INLINE L4_Fpage_t L4_FpageLog2(L4_Word_t base, int log2size)
{
	L4_Fpage_t f;
	f.raw = (base & ~0x3fful & ~((1ul << log2size) - 1)) | ((L4_Word_t)(log2size & 0x3f) << 4);
	return f;
}
L4_INLINE L4_Fpage_t L4_Fpage(L4_Word_t base, L4_Word_t size)
{
	int s = 0;
	while (s < 63 && (1ul << (s + 1)) <= size)
		s++;
	return L4_FpageLog2(base, s);
}
L4_INLINE L4_Word_t L4_Address(L4_Fpage_t f)
{
	return f.raw & ~0x3fful;
}
L4_INLINE L4_Word_t L4_SizeLog2(L4_Fpage_t f)
{
	return (f.raw >> 4) & 0x3f;
}
L4_INLINE L4_Word_t L4_Size(L4_Fpage_t f)
{
	return L4_SizeLog2(f) ? 1ul << L4_SizeLog2(f) : 0;
}
L4_INLINE L4_Word_t L4_Rights(L4_Fpage_t f)
{
	return f.raw & 7;
}
L4_INLINE L4_Fpage_t L4_Set_Rights(L4_Fpage_t *f, L4_Word_t rwx)
{
	f->raw = (f->raw & ~7ul) | (rwx & 7);
	return *f;
}
L4_INLINE L4_Fpage_t L4_FpageAddRights(L4_Fpage_t f, L4_Word_t rwx)
{
	f.raw |= rwx & 7;
	return f;
}
L4_INLINE L4_Fpage_t L4_FpageRemoveRights(L4_Fpage_t f, L4_Word_t rwx)
{
	f.raw &= ~(rwx & 7);
	return f;
}
L4_INLINE L4_Bool_t L4_IsNilFpage(L4_Fpage_t f)
{
	return f.raw == 0;
}

/* ---- time ------------------------------------------------------------------
 * 16 bits. Period: 0 | e (5) | m (10) = m * 2^e microseconds; never = 0,
 * zero = e 0, m 0 with bit 10 set. Point: 1 | e (4) | c | m (10). */
typedef union {
	L4_Word16_t raw;
	struct {
		L4_Word16_t m : 10;
		L4_Word16_t e : 5;
		L4_Word16_t a : 1;
	} period;
	struct {
		L4_Word16_t m : 10;
		L4_Word16_t c : 1;
		L4_Word16_t e : 4;
		L4_Word16_t a : 1;
	} point;
} L4_Time_t;

L4_INLINE L4_Time_t __L4_Time(L4_Word16_t raw)
{
	L4_Time_t t;
	t.raw = raw;
	return t;
}
#define L4_Never (__L4_Time(0))
#define L4_ZeroTime (__L4_Time(1u << 10))

/* The nearest period not shorter than `us` microseconds. */
L4_INLINE L4_Time_t L4_TimePeriod(L4_Word64_t us)
{
	L4_Time_t t;
	if (us == 0)
		return L4_ZeroTime;
	unsigned e = 0;
	while (us >= (1u << 10) && e < 31) {
		us = (us + 1) >> 1; /* round up: a timeout never ends early */
		e++;
	}
	if (us >= (1u << 10))
		return L4_Never;
	t.raw = (L4_Word16_t)((e << 10) | us);
	return t;
}
L4_INLINE L4_Bool_t L4_IsTimePeriod(L4_Time_t t)
{
	return !(t.raw & 0x8000);
}
L4_INLINE L4_Bool_t L4_IsTimePoint(L4_Time_t t)
{
	return (t.raw & 0x8000) != 0;
}

L4_INLINE L4_Word_t L4_Timeouts(L4_Time_t snd, L4_Time_t rcv)
{
	return ((L4_Word_t)snd.raw << 16) | rcv.raw;
}

typedef struct {
	L4_Word64_t raw;
} L4_Clock_t;
