/* L4 X.2 address spaces: SpaceControl (privileged) and Unmap/Flush. */
#pragma once

#include <l4/types.h>

/* Configures the space of `space_spec` (a thread ThreadControl made in a
 * new space): its KIP area and UTCB area. Returns 1, or 0 with the
 * ErrorCode TCR set (l4/thread.h's L4_Err* codes). */
L4_Word_t L4_SpaceControl(L4_ThreadId_t space_spec, L4_Word_t control, L4_Fpage_t kip_area,
			  L4_Fpage_t utcb_area, L4_ThreadId_t redirector, L4_Word_t *old_control);

/* Unmap: control = f (bit 6: flush, i.e. the caller's own mappings too) |
 * k (bits 5..0): MR0..MRk hold fpages whose rights are revoked; each comes
 * back with its status bits (L4_Referenced, L4_Dirty). */
#define L4_UnmapFlush (1ul << 6)
void L4_Unmap(L4_Word_t control);
L4_Fpage_t L4_UnmapFpage(L4_Fpage_t f);
L4_Fpage_t L4_Flush(L4_Fpage_t f);
