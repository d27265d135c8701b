/* The platform's console line (serial on PCs). */
#pragma once

void arch_console_init(void);
void arch_console_putc(char c);	   /* "\n" becomes "\r\n" */
void arch_console_put_raw(char c); /* exactly this byte */
int arch_console_getc(void);	   /* -1 when no character is waiting */
