/* A user-level driver for COM1 (a 16550 UART on ISA IRQ 4). Binding the
 * interrupt takes the line's input from the kernel console; each
 * interrupt arrives as a message, the driver reads the bytes the UART
 * holds and acknowledges with UNMASK. It echoes what is typed (output
 * still goes through the Vcon) and reports each line.
 *
 * Needs its line ("irq4", from init) or the ICU, and the UART's ports from its loader (+icu
 * +io=0x3f8:8). Argument: end after that many lines (default: never). */
#include <console.h>
#include <mica_env.h>
#include <mica_obj.h>
#include <x86_port.h>
#include <mica_sys.h>
#include <stdbool.h>
#include <stdlib.h>
#include <uart16550.h>

#define IRQ_SEL 16
#define LABEL 0x5e71a1
#define LINE_MAX 120

static char line[LINE_MAX + 1];
static unsigned len, lines;

/* One received byte; true when a line is complete. */
static bool take(char c)
{
	if (c == '\r' || c == '\n') {
		line[len] = 0;
		printf("\nserial: line %u: '%s'\n", ++lines, line);
		len = 0;
		return true;
	}
	if ((c == 0x7f || c == '\b') && len) {
		len--;
		printf("\b \b");
	} else if (c >= ' ' && c < 0x7f && len < LINE_MAX) {
		line[len++] = c;
		printf("%c", c);
	}
	return false;
}

int main(int argc, char **argv)
{
	unsigned long stop = argc > 1 ? strtoul(argv[1], 0, 0) : 0;
	/* Init gives the line itself as "irq4" (docs/init.md); the root's
	 * +icu gives the ICU to bind it with. */
	mica_cap_t irq;
	int e = mica_irq_for_driver("irq4", UART_COM1_ISA_IRQ, IRQ_SEL, LABEL, &irq);
	if (e != MICA_OK) {
		printf("serial: cannot get COM1's interrupt: error %d\n", e);
		return 1;
	}
	outb(UART_COM1 + UART_IER, UART_IER_RX);
	printf("serial: COM1 driver on ISA IRQ 4; type a line and press Enter\n");
	for (;;) {
		while (inb(UART_COM1 + UART_LSR) & UART_LSR_RX_READY)
			if (take((char)inb(UART_COM1 + UART_DATA)) && stop && lines >= stop)
				return 0;
		if ((e = mica_irq_unmask(irq)) != MICA_OK)
			break;
		mica_word_t label = 0;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
		if (mica_msgtag_is_error(t)) {
			e = mica_error(t);
			break;
		}
	}
	printf("serial: waiting for the interrupt failed: error %d\n", e);
	return 1;
}
