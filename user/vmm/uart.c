/* COM1: a 16550A at 0x3f8 on IRQ 4 whose transmitter sends each byte to
 * the monitor's standard output at once (so it is always empty), with
 * the registers Linux's 8250 driver probes: the scratch register, IER
 * read-back, the loopback of the modem lines and the FIFO bits of IIR.
 * Nothing is ever received (no input line yet). */
#include <stdio.h>

#include "vmm.h"

#define BASE 0x3f8
#define IER_THRI 0x02
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define IRQ 4

static uint8_t ier, lcr, mcr, scr, fcr, dll = 12, dlm;
static bool thre_pending, line;

/* IRQ 4 rises when the transmitter-empty interrupt becomes due. */
static void update_irq(void)
{
	bool now = (ier & IER_THRI) && thre_pending;
	if (now && !line)
		pic_raise(IRQ);
	line = now;
}

bool uart_out(uint16_t port, uint8_t v)
{
	if (port < BASE || port > BASE + 7)
		return false;
	switch (port - BASE) {
	case 0:
		if (lcr & LCR_DLAB) {
			dll = v;
		} else {
			if (!(mcr & MCR_LOOP)) {
				putchar(v);
				if (v == '\n')
					fflush(stdout);
			}
			/* Sent at once: empty again, which is due now. */
			thre_pending = true;
			line = false;
		}
		break;
	case 1:
		if (lcr & LCR_DLAB) {
			dlm = v;
		} else {
			if ((v & IER_THRI) && !(ier & IER_THRI))
				thre_pending = true;
			ier = v & 0x0f;
		}
		break;
	case 2:
		fcr = v;
		break;
	case 3:
		lcr = v;
		break;
	case 4:
		mcr = v & 0x1f;
		break;
	case 7:
		scr = v;
		break;
	default:
		break;
	}
	update_irq();
	return true;
}

bool uart_in(uint16_t port, uint8_t *v)
{
	if (port < BASE || port > BASE + 7)
		return false;
	uint8_t fifo = (fcr & 1) ? 0xc0 : 0;
	switch (port - BASE) {
	case 0:
		*v = (lcr & LCR_DLAB) ? dll : 0;
		break;
	case 1:
		*v = (lcr & LCR_DLAB) ? dlm : ier;
		break;
	case 2:
		if ((ier & IER_THRI) && thre_pending) {
			*v = fifo | 0x02;
			thre_pending = false; /* reading IIR clears it */
		} else {
			*v = fifo | 0x01;
		}
		break;
	case 3:
		*v = lcr;
		break;
	case 4:
		*v = mcr;
		break;
	case 5:
		*v = 0x60; /* transmitter empty, holding register empty */
		break;
	case 6:
		if (mcr & MCR_LOOP) /* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
			*v = (uint8_t)(((mcr & 1) << 5) | ((mcr & 2) << 3) | ((mcr & 4) << 4) |
				       ((mcr & 8) << 4));
		else
			*v = 0xb0; /* DCD, DSR, CTS */
		break;
	default:
		*v = scr;
		break;
	}
	update_irq();
	return true;
}
