/* The local APIC: xAPIC through its MMIO page or x2APIC through MSRs,
 * its one-shot timer and the TSC, both calibrated against the platform's
 * reference wait. */
#include "apic.h"

#include <stdbool.h>

#include "arch/platform.h"
#include "arch/timer.h"
#include "arch/vm.h"
#include "cpufeatures.h"
#include "klib/scale.h"
#include <machine/x86.h>

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + offset / 16. */
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ESR 0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define X2APIC_ICR_MSR 0x830 /* one 64-bit register: destination in bits 63..32 */

#define APIC_BASE_ENABLE (1ul << 11)
#define APIC_BASE_X2APIC (1ul << 10)
#define LVT_MASKED (1u << 16)
#define LVT_NMI (4u << 8)
#define LVT_TSC_DEADLINE (2u << 17)
#define SVR_ENABLE (1u << 8)
#define TIMER_DIV_16 0x3
#define CALIBRATE_US 10000
#define ICR_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_NMI (4u << 8)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_SPIN_LIMIT 1000000

static volatile uint32_t *mmio;
static bool x2apic;

static uint32_t rd(uint32_t reg)
{
	return x2apic ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), v);
	else
		mmio[reg / 4] = v;
}

void apic_init(uint64_t mmio_phys)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	x2apic = cpu_features.x2apic;
	if (x2apic) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	} else {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
		if (!mmio)
			mmio = vm_map_device(mmio_phys, 4096);
	}
	wr(LAPIC_TPR, 0);
	wr(LAPIC_LVT_LINT0, LVT_MASKED);
	wr(LAPIC_LVT_LINT1, LVT_NMI);
	wr(LAPIC_LVT_ERROR, VEC_APIC_ERROR);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | VEC_APIC_TIMER);
	wr(LAPIC_SVR, SVR_ENABLE | VEC_APIC_SPURIOUS);
	wr(LAPIC_ESR, 0);
	wr(LAPIC_ESR, 0);
	apic_eoi();
}

uint32_t apic_id(void)
{
	return x2apic ? rd(LAPIC_ID) : rd(LAPIC_ID) >> 24;
}

const char *apic_mode(void)
{
	return x2apic ? "x2APIC" : "xAPIC";
}

void apic_eoi(void)
{
	wr(LAPIC_EOI, 0);
}

uint32_t apic_error_status(void)
{
	wr(LAPIC_ESR, 0); /* latch */
	return rd(LAPIC_ESR);
}

uint64_t apic_timer_calibrate(uint64_t *tsc_hz)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | VEC_APIC_TIMER);
	wr(LAPIC_TIMER_INIT, 0xffffffffu);
	uint64_t t0 = rdtsc();
	platform_wait_us(CALIBRATE_US);
	uint64_t t1 = rdtsc();
	uint32_t elapsed = 0xffffffffu - rd(LAPIC_TIMER_CUR);
	wr(LAPIC_TIMER_INIT, 0);
	*tsc_hz = (t1 - t0) * (1000000 / CALIBRATE_US);
	return (uint64_t)elapsed * (1000000 / CALIBRATE_US);
}

void apic_timer_oneshot(uint32_t ticks)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, VEC_APIC_TIMER); /* one-shot, unmasked */
	wr(LAPIC_TIMER_INIT, ticks);
}

static bool deadline_mode;
static uint64_t timer_hz, tsc_hz;
static struct scale timer_per_tsc;

void apic_timer_start(uint64_t timer_freq, uint64_t tsc_freq)
{
	timer_hz = timer_freq;
	tsc_hz = tsc_freq;
	timer_per_tsc = scale_of(timer_hz, tsc_hz);
	deadline_mode = cpu_features.tsc_deadline;
	apic_timer_start_ap();
}

void apic_timer_start_ap(void)
{
	if (deadline_mode)
		wrmsr(MSR_TSC_DEADLINE, 0);
	wr(LAPIC_TIMER_INIT, 0);
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, VEC_APIC_TIMER | (deadline_mode ? LVT_TSC_DEADLINE : 0));
}

void arch_timer_set(uint64_t deadline)
{
	if (deadline_mode) {
		wrmsr(MSR_TSC_DEADLINE, deadline); /* 0 disarms */
		return;
	}
	if (!deadline) {
		wr(LAPIC_TIMER_INIT, 0);
		return;
	}
	uint64_t now = rdtsc();
	uint64_t wait = deadline > now ? deadline - now : 0;
	/* One count more: the interrupt must never come before the deadline. */
	uint64_t ticks = scale_apply(timer_per_tsc, wait) + 2;
	wr(LAPIC_TIMER_INIT, ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);
}

const char *arch_timer_mode(void)
{
	return deadline_mode ? "TSC deadline" : "APIC one-shot";
}

uint64_t arch_timer_resolution_ns(void)
{
	uint64_t hz = deadline_mode ? tsc_hz : timer_hz;
	return hz ? (1000000000ul + hz - 1) / hz : 0;
}

void apic_timer_rates(uint64_t *timer_freq, uint64_t *tsc_freq)
{
	*timer_freq = timer_hz;
	*tsc_freq = tsc_hz;
}

/* Sends an IPI. The xAPIC reports when its bus took the message (delivery
 * status); the x2APIC's ICR has no such bit, its write is the send. */
static bool send_ipi(uint32_t dest, uint32_t icr)
{
	if (x2apic) {
		wrmsr(X2APIC_ICR_MSR, (uint64_t)dest << 32 | icr);
		return true;
	}
	mmio[LAPIC_ICR_HIGH / 4] = dest << 24;
	mmio[LAPIC_ICR_LOW / 4] = icr;
	for (unsigned i = 0; i < ICR_SPIN_LIMIT; i++) {
		if (!(mmio[LAPIC_ICR_LOW / 4] & ICR_PENDING))
			return true;
		cpu_relax();
	}
	return false;
}

bool apic_send_init(uint32_t dest)
{
	return send_ipi(dest, ICR_INIT | ICR_ASSERT);
}

bool apic_send_startup(uint32_t dest, uint8_t vector)
{
	return send_ipi(dest, ICR_STARTUP | ICR_ASSERT | vector);
}

bool apic_send_fixed(uint32_t dest, uint8_t vector)
{
	return send_ipi(dest, ICR_ASSERT | vector); /* delivery mode 0: fixed */
}

void apic_send_nmi_to_others(void)
{
	send_ipi(0, ICR_NMI | ICR_ASSERT | ICR_ALL_BUT_SELF);
}
