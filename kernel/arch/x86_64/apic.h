/* The local APIC (xAPIC through MMIO, or x2APIC through MSRs when the CPU
 * has it) and its timer; the vectors of every interrupt source. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define VEC_APIC_TIMER 0xf0
#define VEC_REMOTE 0xf1 /* remote requests (sched/remote.h) */
#define VEC_APIC_ERROR 0xfe
#define VEC_APIC_SPURIOUS 0xff
#define VEC_PIC_BASE 0x20 /* the masked 8259s' spurious interrupts land at 0x27 and 0x2f */
#define VEC_IRQ_BASE 0x30 /* I/O APIC line n: vector 0x30 + n */
#define VEC_IRQ_LINES (VEC_APIC_TIMER - VEC_IRQ_BASE)

/* Enables this CPU's local APIC (x2APIC mode if available). */
void apic_init(uint64_t mmio_phys);
uint32_t apic_id(void);
const char *apic_mode(void);
void apic_eoi(void);
uint32_t apic_error_status(void);

/* Measures the APIC timer and TSC against the PIT; returns the timer's
 * input frequency (after the divider) and stores the TSC frequency. */
uint64_t apic_timer_calibrate(uint64_t *tsc_hz);
void apic_timer_oneshot(uint32_t ticks);

/* Starts the timer of arch/timer.h (after calibration); TSC-deadline mode
 * when the CPU has it, else the local APIC's one-shot count-down. */
void apic_timer_start(uint64_t timer_hz, uint64_t tsc_hz);

/* The timer of an application processor, as the boot CPU's (same rates
 * and mode), disarmed. */
void apic_timer_start_ap(void);
/* The rates apic_timer_start was given. */
void apic_timer_rates(uint64_t *timer_hz, uint64_t *tsc_hz);

/* Inter-processor interrupts to the CPU with local APIC id dest, for
 * starting it (INIT, then STARTUP with the page number of its start
 * code); false if the local APIC did not take the message. */
bool apic_send_init(uint32_t dest);
bool apic_send_startup(uint32_t dest, uint8_t vector);
/* A fixed-mode interrupt with the given vector to the CPU with local
 * APIC id dest. */
bool apic_send_fixed(uint32_t dest, uint8_t vector);
/* An NMI to every other CPU (stopping them after a panic). */
void apic_send_nmi_to_others(void);
