/* L4 X.2 interrupts: an interrupt is a message from its thread id
 * (L4_GlobalId(irq, 1)) to the associated handler; the handler's empty
 * reply to that id unmasks the line. */
#pragma once

#include <l4/types.h>

/* Privileged. Returns 1, or 0 with the ErrorCode TCR set. */
L4_Word_t L4_AssociateInterrupt(L4_ThreadId_t irq, L4_ThreadId_t handler);
L4_Word_t L4_DeassociateInterrupt(L4_ThreadId_t irq);
