/* The legacy 8259 interrupt controllers: remapped and masked, since
 * interrupts go through the local APIC and I/O APIC. */
#include "arch/x86_64/apic.h"
#include "platform/pc/pc.h"
#include <machine/x86.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

void pic_disable(void)
{
	/* ICW1: init, ICW4 follows; ICW2: vector base; ICW3: cascade on IRQ 2; ICW4: 8086 mode. */
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, VEC_PIC_BASE);
	outb(PIC2_DATA, VEC_PIC_BASE + 8);
	outb(PIC1_DATA, 4);
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1);
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
