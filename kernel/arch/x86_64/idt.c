/* The interrupt descriptor table: one entry point per vector (entry.S),
 * interrupt gates so the kernel runs with interrupts off. */
#include <stdint.h>

#include "layout.h"
#include "sched/percpu.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "hardware gate layout");

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER 0x60	    /* DPL 3: user code may raise it with int3 / into */
#define VECTOR_STUB_SIZE 16ul

extern char vector_table[];

static struct idt_gate idt[256];

static void set_gate(unsigned vec, unsigned ist, uint8_t dpl)
{
	uint64_t addr = (uint64_t)vector_table + vec * VECTOR_STUB_SIZE;
	idt[vec] = (struct idt_gate){
		.offset_low = addr & 0xffff,
		.selector = SEL_KCODE,
		.ist = ist,
		.type_attr = GATE_INTERRUPT | dpl,
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_high = addr >> 32,
	};
}

void idt_load(void)
{
	static int built;
	if (!built) {
		for (unsigned v = 0; v < 256; v++)
			set_gate(v, 0, 0);
		set_gate(2, IST_NMI, 0);
		set_gate(8, IST_DOUBLE_FAULT, 0);
		set_gate(18, IST_MACHINE_CHECK, 0);
		/* Breakpoint and overflow are the two exceptions user code
		 * raises by instruction; other `int n` stay #GP. */
		set_gate(3, 0, GATE_USER);
		set_gate(4, 0, GATE_USER);
		built = 1;
	}
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}
