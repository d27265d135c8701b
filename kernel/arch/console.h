/* The platform's console line (serial on PCs). */
#pragma once

#include <stdbool.h>

void arch_console_init(void);
void arch_console_putc(char c);	   /* "\n" becomes "\r\n" */
void arch_console_put_raw(char c); /* exactly this byte */
int arch_console_getc(void);	   /* -1 when no character is waiting */

/* The ISA IRQ that signals input, or -1 if the line has none. */
int arch_console_input_irq(void);
/* Whether received characters raise that interrupt. */
void arch_console_input_interrupts(bool on);
