/* L4 X.2 processor and memory control: declared so that X.2 programs
 * build; Mica has neither mechanism (docs/x2.md, "deliberately
 * missing"). ProcessorControl always fails (no privilege: nothing on Mica
 * may change a processor's frequency or voltage); MemoryControl succeeds
 * only when it asks for what every page already has, the default
 * attributes. */
#pragma once

#include <l4/message.h>
#include <l4/types.h>

#define L4_DefaultMemory 0ul

/* control: bits 5..0 the number of fpages in MR0.. (less one), the four
 * attributes in attributes[0..3]; each fpage's low bits pick one. */
L4_Word_t L4_MemoryControl(L4_Word_t control, const L4_Word_t *attributes);
L4_Word_t L4_ProcessorControl(L4_Word_t processor_no, L4_Word_t internal_frequency,
			      L4_Word_t external_frequency, L4_Word_t voltage);

L4_INLINE L4_Word_t L4_Set_PageAttribute(L4_Fpage_t f, L4_Word_t attribute)
{
	L4_Word_t attributes[4] = { attribute, 0, 0, 0 };
	L4_LoadMR(0, f.raw & ~0xful);
	return L4_MemoryControl(0, attributes);
}
L4_INLINE L4_Word_t L4_Set_ProcessorFrequency(L4_Word_t processor_no, L4_Word_t frequency)
{
	return L4_ProcessorControl(processor_no, frequency, ~0ul, ~0ul);
}
