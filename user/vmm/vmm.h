/* The virtual machine monitor's parts and what they share: the guest's
 * memory and state, and the emulated PC's devices (docs/vmm.md). */
#pragma once

#include <mica/vcpu.h>
#include <mica/vm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The guest's RAM: guest-physical 0 .. ram_size, at ram in the monitor. */
extern uint8_t *ram;
extern uint64_t ram_size;

/* The vCPU's state area and the guest state in it. */
extern volatile struct mica_vcpu_state *vcpu;
#define GS ((volatile struct mica_vm_state *)((volatile uint8_t *)vcpu + MICA_VM_STATE_OFFSET))

/* The monitor's clock (CLOCK_MONOTONIC, ns) and the TSC rate the guest sees. */
uint64_t vmm_now(void);
extern uint64_t vmm_tsc_khz;

/* Stops the guest for good with a message (the monitor exits with
 * status, the host goes on). */
__attribute__((noreturn, format(printf, 2, 3))) void vmm_stop(int status, const char *fmt, ...);

/* linux.c: loads bzImage and initramfs into RAM with boot_params, the
 * command line and page tables, and sets the guest state to the 64-bit
 * entry. False (with a message) if the kernel is not one it can boot. */
bool linux_load(const uint8_t *kernel, size_t kernel_size, const uint8_t *initrd, size_t initrd_size,
		const char *cmdline);

/* guest_mem.c: n bytes at a guest-virtual address (the guest's paging
 * as it is now); false if some page is not there. */
bool guest_read(uint64_t gva, void *buf, size_t n);

/* io.c: a port access of the guest (size 1, 2 or 4); *val in and out. */
void io_access(uint16_t port, unsigned size, bool in, uint32_t *val);

/* cpu.c: CPUID and MSR exits; false: inject #GP. */
void cpu_cpuid(void);
bool cpu_msr(bool write);
/* A MOV to or from debug register dr (exits 0x20-0x3f): the guest's DR0-3,
 * DR6 and DR7 are kept here and never reach the hardware. False: the
 * instruction could not be decoded. */
bool cpu_dr(unsigned dr, bool write);

/* pic.c: the two 8259s. */
void pic_raise(unsigned irq);
bool pic_out(uint16_t port, uint8_t v);
bool pic_in(uint16_t port, uint8_t *v);
/* The vector of the highest pending interrupt, or -1. */
int pic_pending(void);
/* The guest took it: in service from now on. */
void pic_ack(void);

/* pit.c: the 8254 (channel 0 on IRQ 0, channel 2 through port 0x61). */
bool pit_out(uint16_t port, uint8_t v);
bool pit_in(uint16_t port, uint8_t *v);
/* Raises IRQ 0 for every period elapsed; the next deadline (ns, 0: none). */
uint64_t pit_update(void);

/* uart.c: the 16550A at 0x3f8 on IRQ 4, its output on standard output. */
bool uart_out(uint16_t port, uint8_t v);
bool uart_in(uint16_t port, uint8_t *v);
