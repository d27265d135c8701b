/* The guest's I/O ports: the devices' own (PIC, PIT and port 0x61,
 * COM1), the reset paths (the 8042's pulse and port 0xcf9, which the
 * monitor treats as power-off; otherwise there is no 8042: its status
 * reads as all ones, which Linux takes for "no controller"), a CMOS clock that reads as a fixed
 * date, PCI configuration that answers "no device", and for every other
 * port what an empty ISA bus gives: reads of all ones, writes ignored. */
#include <stdio.h>

#include "vmm.h"

static uint8_t cmos_index;

/* CMOS registers, BCD: 2026-01-01 00:00:00, 24-hour mode. */
static uint8_t cmos(uint8_t reg)
{
	switch (reg) {
	case 0x07: /* day */
	case 0x08: /* month */
		return 0x01;
	case 0x09:
		return 0x26;
	case 0x32: /* century */
		return 0x20;
	case 0x0b:
		return 0x02; /* BCD, 24 hours */
	case 0x0d:
		return 0x80; /* battery good */
	default:
		return 0;
	}
}

static bool other_out(uint16_t port, uint8_t v)
{
	if (port == 0x64 && v == 0xfe)
		vmm_stop(0, "vmm: the guest pulsed the 8042's reset line: treated as power-off\n");
	if (port == 0xcf9 && (v & 4))
		vmm_stop(0, "vmm: the guest reset through port 0xcf9: treated as power-off\n");
	if (port == 0x70)
		cmos_index = v & 0x7f;
	return true;
}

static uint32_t other_in(uint16_t port, unsigned size)
{
	if (port == 0x71)
		return cmos(cmos_index);
	if (port == 0x4d0 || port == 0x4d1)
		return 0;					      /* ELCR: every line edge-triggered */
	return size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu; /* PCI's 0xcfc too: no device */
}

void io_access(uint16_t port, unsigned size, bool in, uint32_t *val)
{
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);
		uint8_t b = (uint8_t)(*val >> (8 * i));
		bool done;
		if (in) {
			done = pic_in(p, &b) || pit_in(p, &b) || uart_in(p, &b);
			if (!done) {
				*val = other_in(port, size);
				return;
			}
			*val = (*val & ~(0xffu << (8 * i))) | (uint32_t)b << (8 * i);
		} else {
			done = pic_out(p, b) || pit_out(p, b) || uart_out(p, b);
			if (!done && other_out(port, (uint8_t)*val))
				return;
		}
	}
}
