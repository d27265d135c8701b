/* The 16550 UART on COM1: the kernel console's output and input line. */
#include "arch/console.h"

#include <stdbool.h>

#include "x86.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_RX_READY 0x01
#define LSR_TX_EMPTY 0x20

void arch_console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch */
	outb(COM1 + UART_DATA, 1);   /* 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0xc7); /* FIFOs on, cleared */
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 */
}

void arch_console_put_raw(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (unsigned i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_TX_EMPTY); i++)
		cpu_relax();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void arch_console_putc(char c)
{
	if (c == '\n')
		arch_console_put_raw('\r');
	arch_console_put_raw(c);
}

int arch_console_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_RX_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}
