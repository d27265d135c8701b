/* Hardware virtualization for VM objects (objects/vm.c): AMD SVM with
 * nested paging on x86-64. Intel VMX is a later step (docs/abi.md
 * §6.10). */
#pragma once

#include <mica/vm.h>
#include <stdbool.h>
#include <stdint.h>

struct vm_space;

/* The guest's general registers the VMCB does not hold (RAX and RSP it
 * does). */
struct arch_svm_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Whether the CPU has SVM with nested paging, not disabled by firmware. */
bool arch_svm_supported(void);

/* Turns SVM on for this CPU (EFER.SVME), with its host save area at
 * hsave (a zeroed frame). */
void arch_svm_cpu_enable(uint64_t hsave);

/* A fresh (zeroed) VMCB's fixed control fields: the kernel's intercepts,
 * the I/O and MSR permission maps (all accesses intercepted), ASID and
 * nested paging. */
void arch_svm_vmcb_init(void *vmcb, uint64_t iopm, uint64_t msrpm);

/* Checks the monitor's state s (a kernel copy) field by field and writes
 * it into the VMCB and g; false, with nothing written, if a field is
 * invalid. */
bool arch_svm_load(void *vmcb, struct arch_svm_gprs *g, const struct mica_vm_state *s);

/* After an exit: the guest state and the exit into s (its intercepts
 * and injection fields as the kernel left them). */
void arch_svm_store(const void *vmcb, const struct arch_svm_gprs *g, struct mica_vm_state *s);

/* Runs the guest in vm (its nested page tables) until an exit, with the
 * thread's FPU state (fpu) in the registers; host_save: this CPU's frame
 * for the host state VMRUN leaves alone. Interrupts that came stay
 * pending (arch_svm_irq_window lets them in). Returns the exit code. */
uint64_t arch_svm_run(void *vmcb, uint64_t vmcb_phys, struct arch_svm_gprs *g, struct vm_space *vm, void *fpu,
		      uint64_t host_save);

/* Whether an exit is the host's business only (an interrupt): the guest
 * just goes on. */
bool arch_svm_exit_is_host(uint64_t code);

/* Takes the interrupts that arrived while the guest ran. */
void arch_svm_irq_window(void);
