/* Hardware interrupt lines as the core sees them: global system
 * interrupts (GSIs), routed to this CPU, each masked and unmasked on its
 * own. The core's IRQ objects (irq.c) sit on top. */
#pragma once

#include <stdbool.h>

/* Lines the interrupt controllers have (0 if none were found). */
unsigned arch_irq_lines(void);

/* The GSI and default mode bits (MICA_ICU_*) an ISA IRQ maps to. */
void arch_irq_isa(unsigned isa, unsigned *gsi, unsigned *mode);

/* Routes gsi to this CPU with mode (MICA_ICU_EDGE/LEVEL | HIGH/LOW),
 * masked. */
void arch_irq_route(unsigned gsi, unsigned mode);

void arch_irq_mask(unsigned gsi);
void arch_irq_unmask(unsigned gsi);
/* The line's interrupts go to CPU cpu (an online one) from now on. */
void arch_irq_set_cpu(unsigned gsi, unsigned cpu);

/* Called by the architecture when line gsi fired; it is masked by then
 * and acknowledged at the CPU's interrupt controller. */
void core_irq_line(unsigned gsi);
