/* The I/O APICs: each routes a range of global system interrupts to
 * local APIC vectors. GSI n gets vector VEC_IRQ_BASE + n, physical
 * destination the boot CPU (CPU 0: the only one threads run on so far). */
#include <mica/irq.h>

#include "platform/pc/acpi.h"
#include "arch/x86_64/apic.h"
#include "arch/irq_lines.h"
#include "arch/vm.h"
#include "platform/pc/pc.h"
#include "klib/kprintf.h"
#include "sched/percpu.h"

#define IOREGSEL 0
#define IOWIN 4 /* in 32-bit words */
#define IOAPIC_VER 1
#define REDTBL(n) (0x10 + 2 * (n))

#define RTE_LOW_ACTIVE (1u << 13)
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)

/* MADT override flags (ACPI "MPS INTI flags"). */
#define INTI_POLARITY_HIGH 1
#define INTI_POLARITY_LOW 3
#define INTI_TRIGGER_EDGE (1 << 2)
#define INTI_TRIGGER_LEVEL (3 << 2)

static struct ioapic {
	volatile uint32_t *mmio;
	unsigned gsi_base, count;
} ioapics[ACPI_MAX_IOAPICS];
static unsigned nioapics, nlines;
static uint8_t isa_gsi[16], isa_mode[16];

static uint32_t rd(struct ioapic *io, uint32_t reg)
{
	io->mmio[IOREGSEL] = reg;
	return io->mmio[IOWIN];
}

static void wr(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->mmio[IOREGSEL] = reg;
	io->mmio[IOWIN] = v;
}

static struct ioapic *owner(unsigned gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].count) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return 0;
}

static unsigned mode_of_inti(uint16_t flags)
{
	unsigned m = MICA_ICU_EDGE | MICA_ICU_HIGH; /* ISA: conforming */
	if ((flags & 3) == INTI_POLARITY_LOW)
		m = (m & ~0xcu) | MICA_ICU_LOW;
	if ((flags & 0xc) == INTI_TRIGGER_LEVEL)
		m = (m & ~0x3u) | MICA_ICU_LEVEL;
	return m;
}

void ioapic_init(const struct acpi_info *a)
{
	for (unsigned i = 0; i < 16; i++) {
		isa_gsi[i] = (uint8_t)i;
		isa_mode[i] = MICA_ICU_EDGE | MICA_ICU_HIGH;
	}
	for (unsigned i = 0; i < a->override_count; i++) {
		const struct acpi_override *o = &a->overrides[i];
		if (o->bus == 0 && o->source < 16 && o->gsi < 256) {
			isa_gsi[o->source] = (uint8_t)o->gsi;
			isa_mode[o->source] = (uint8_t)mode_of_inti(o->flags);
		}
	}
	for (unsigned i = 0; i < a->ioapic_count && nioapics < ACPI_MAX_IOAPICS; i++) {
		struct ioapic *io = &ioapics[nioapics];
		io->mmio = vm_map_device(a->ioapics[i].addr, 0x20);
		io->gsi_base = a->ioapics[i].gsi_base;
		io->count = ((rd(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (unsigned pin = 0; pin < io->count; pin++) {
			wr(io, REDTBL(pin) + 1, 0);
			wr(io, REDTBL(pin), RTE_MASKED | (VEC_IRQ_BASE + io->gsi_base + pin));
		}
		unsigned end = io->gsi_base + io->count;
		if (end > VEC_IRQ_LINES)
			end = VEC_IRQ_LINES;
		if (end > nlines)
			nlines = end;
		nioapics++;
	}
	kprintf("ioapic: %u controller(s), %u lines; ISA IRQ 0 is line %u\n", nioapics, nlines, isa_gsi[0]);
}

unsigned arch_irq_lines(void)
{
	return nlines;
}

void arch_irq_isa(unsigned isa, unsigned *gsi, unsigned *mode)
{
	*gsi = isa_gsi[isa & 15];
	*mode = isa_mode[isa & 15];
}

void arch_irq_route(unsigned gsi, unsigned mode)
{
	unsigned pin;
	struct ioapic *io = owner(gsi, &pin);
	if (!io)
		return;
	uint32_t low = RTE_MASKED | (VEC_IRQ_BASE + gsi);
	if ((mode & 0x3) == MICA_ICU_LEVEL)
		low |= RTE_LEVEL;
	if ((mode & 0xc) == MICA_ICU_LOW)
		low |= RTE_LOW_ACTIVE;
	wr(io, REDTBL(pin), RTE_MASKED);
	wr(io, REDTBL(pin) + 1, percpu_by_id[0]->apic_id << 24);
	wr(io, REDTBL(pin), low);
}

void arch_irq_set_cpu(unsigned gsi, unsigned cpu)
{
	unsigned pin;
	struct ioapic *io = owner(gsi, &pin);
	if (!io)
		return;
	/* Physical destination mode: the upper word holds the APIC id. */
	wr(io, REDTBL(pin) + 1, percpu_by_id[cpu]->apic_id << 24);
}

static void set_mask(unsigned gsi, bool masked)
{
	unsigned pin;
	struct ioapic *io = owner(gsi, &pin);
	if (!io)
		return;
	uint32_t low = rd(io, REDTBL(pin));
	wr(io, REDTBL(pin), masked ? low | RTE_MASKED : low & ~RTE_MASKED);
}

void arch_irq_mask(unsigned gsi)
{
	set_mask(gsi, true);
}

void arch_irq_unmask(unsigned gsi)
{
	set_mask(gsi, false);
}
