/* The ICU (mica/irq.h): the one permanent object that binds hardware
 * interrupt lines to IRQ objects, and the line table behind it, which
 * also holds the lines the kernel serves itself. */
#pragma once

#include <stdbool.h>

#include "objects/invoke.h"
#include "objects/kobj.h"

struct irq;

#define ICU_LINES 256 /* global system interrupts the table holds */

/* The boot-time permanent object. */
struct kobj *icu_object(void);

/* A line the kernel serves itself while no IRQ object is bound to it
 * (the console's input). fired() runs when it fires, and the line is
 * unmasked again after it; user(true) when an IRQ object takes the line
 * (it is the user driver's until unbound), user(false) when it is back. */
struct icu_kernel_line {
	unsigned gsi, mode;
	void (*fired)(void);
	void (*user)(bool taken);
};

/* Routes k's line to the kernel and unmasks it (at boot); false if the
 * interrupt controllers have no such line. */
bool icu_kernel_serve(const struct icu_kernel_line *k);

/* Whether a bound, attached and unmasked line could still fire. */
bool irq_lines_armed(void);

/* Whether an IRQ object is bound to the line (gsi < ICU_LINES). */
bool icu_line_bound(unsigned gsi);

/* The operations. Binds q (bound to no line) to the free line gsi in
 * mode (MICA_ICU_EDGE/LEVEL | HIGH/LOW), masked until unmasked. */
void icu_bind(struct irq *q, unsigned gsi, unsigned mode);
/* Masks q's line and frees it (nothing if q is bound to none). */
void icu_unbind(struct irq *q);

/* The ICU's methods, by label (icu_invoke.c). */
extern const struct invoke_method icu_methods[INVOKE_LABELS];
