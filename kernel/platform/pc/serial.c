/* The 16550 UART on COM1: the kernel console's output and input line. */
#include "arch/console.h"

#include <uart16550.h>

#include <machine/x86.h>

void arch_console_init(void)
{
	outb(UART_COM1 + UART_IER, 0);
	outb(UART_COM1 + UART_LCR, UART_LCR_DLAB);
	outb(UART_COM1 + UART_DATA, 1); /* 115200 baud */
	outb(UART_COM1 + UART_IER, 0);
	outb(UART_COM1 + UART_LCR, UART_LCR_8N1);
	outb(UART_COM1 + UART_FCR, UART_FCR_ENABLE);
	outb(UART_COM1 + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

void arch_console_put_raw(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (unsigned i = 0; i < 100000 && !(inb(UART_COM1 + UART_LSR) & UART_LSR_TX_EMPTY); i++)
		cpu_relax();
	outb(UART_COM1 + UART_DATA, (uint8_t)c);
}

void arch_console_putc(char c)
{
	if (c == '\n')
		arch_console_put_raw('\r');
	arch_console_put_raw(c);
}

int arch_console_getc(void)
{
	if (!(inb(UART_COM1 + UART_LSR) & UART_LSR_RX_READY))
		return -1;
	return inb(UART_COM1 + UART_DATA);
}

int arch_console_input_irq(void)
{
	return UART_COM1_ISA_IRQ;
}

void arch_console_input_interrupts(bool on)
{
	outb(UART_COM1 + UART_IER, on ? UART_IER_RX : 0);
}
