/* The IRQ and ICU protocols. An IRQ object is an interrupt source, a
 * hardware line bound through the ICU or a purely virtual one. When it
 * fires, the thread it is attached to receives, in its open wait, a
 * message with no words whose label (the label result and TCR) is the one
 * given at attach: hardware and virtual interrupts look the same. Firings
 * before the message was taken coalesce into one. A hardware line is
 * masked when it fires and stays masked until the receiver unmasks it
 * (the X.2 interrupt protocol). The method is the tag's label. */
#pragma once

#include <mica/types.h>

enum {
	/* MR0 = thread selector (its CONTROL right), MR1 = label. Replaces an
	 * earlier attachment; a pending firing is then delivered. Right:
	 * CONTROL. */
	MICA_IRQ_ATTACH = 1,
	/* A pending firing is dropped. Right: CONTROL. */
	MICA_IRQ_DETACH = 2,
	/* Fires the IRQ (a virtual interrupt; also on a bound one). Right:
	 * WRITE. */
	MICA_IRQ_TRIGGER = 3,
	/* Unmasks the hardware line after a firing (no effect on a virtual
	 * IRQ). Right: WRITE. */
	MICA_IRQ_UNMASK = 4,
	/* -> MR0 = line (MICA_IRQ_NO_LINE if unbound), MR1 = 1 if attached,
	 * MR2 = 1 if a firing is pending, MR3 = 1 if the line is masked.
	 * Right: READ. */
	MICA_IRQ_INFO = 5,
};

#define MICA_IRQ_NO_LINE (~0ul)

#define MICA_IRQ_R_READ (1ul << 0)
#define MICA_IRQ_R_WRITE (1ul << 1)
#define MICA_IRQ_R_CONTROL (1ul << 2)

enum {
	/* -> MR0 = number of lines (global system interrupts 0 .. n-1), MR1 =
	 * number of ISA lines (16). Right: READ. */
	MICA_ICU_INFO = 1,
	/* MR0 = IRQ selector (its CONTROL right), MR1 = line, MR2 = mode
	 * (MICA_ICU_MODE_*) -> MR0 = the line bound (for MICA_ICU_ISA: the
	 * global system interrupt it maps to). The line starts masked off
	 * until the IRQ is attached; a line has at most one IRQ
	 * (MICA_E_EXISTS), an IRQ at most one line (unbind first). Right:
	 * WRITE. */
	MICA_ICU_BIND = 2,
	/* MR0 = IRQ selector: the line is masked and free again. Right:
	 * WRITE. */
	MICA_ICU_UNBIND = 3,
};

/* Mode: trigger and polarity, each 0 for the default. Defaults: an ISA
 * line as the MADT's source overrides say (edge, active high unless one
 * says otherwise); other lines below 16 edge and high; lines from 16 on
 * (PCI) level and low. */
#define MICA_ICU_EDGE (1ul << 0)
#define MICA_ICU_LEVEL (2ul << 0)
#define MICA_ICU_HIGH (1ul << 2)
#define MICA_ICU_LOW (2ul << 2)
#define MICA_ICU_ISA (1ul << 8) /* the line is an ISA IRQ number (0-15) */
#define MICA_ICU_MODES (0xful | MICA_ICU_ISA)

#define MICA_ICU_R_READ (1ul << 0)
#define MICA_ICU_R_WRITE (1ul << 1)
