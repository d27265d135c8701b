/* The 8254 PIT's channel 2 as a reference clock for calibration: it is
 * gated by port 0x61 and its output can be read there, so no interrupt
 * is needed. */
#include "arch/platform.h"
#include <machine/x86.h>

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61

void platform_wait_us(uint32_t us)
{
	uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);
	if (count > 0xffff)
		count = 0xffff;
	if (count == 0)
		count = 1;
	uint8_t b = inb(PORT_B);
	outb(PORT_B, (b & ~0x02) & ~0x01); /* speaker off, gate low */
	outb(PIT_CMD, 0xb0);		   /* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	outb(PORT_B, (b & ~0x02) | 0x01); /* gate high: count down */
	/* OUT2 (bit 5) rises at terminal count; bounded so a missing PIT
	 * cannot hang boot. */
	for (uint64_t spins = 0; !(inb(PORT_B) & 0x20) && spins < 100000000; spins++)
		cpu_relax();
	outb(PORT_B, b & ~0x01);
}
