/* VM objects: tasks whose address space is guest-physical memory, run by
 * a vCPU in guest mode (AMD SVM, arch/svm.h), their exits as upcalls
 * (docs/abi.md §6.10). */
#pragma once

#include <mica/vm.h>
#include <stdbool.h>
#include <stdint.h>

struct thread;
struct vcpu;

/* Whether VMs can be made here (SVM with nested paging). */
bool vm_supported(void);

/* MICA_THREAD_VCPU_RESUME into a VM, checked but for the guest state:
 * t's VMCB (allocated on first use, charged to t's factory) gets the
 * guest state of its state area. MICA_E_NO_MEMORY, or MICA_E_BAD_ARG
 * for a field that is not valid, and nothing is run. */
enum mica_error vm_load(struct thread *t);

/* core_resume runs t, a vCPU in guest mode: the guest runs until an
 * exit; the monitor's exits become upcalls, the host's (interrupts)
 * pass through core_resume back into the guest. */
__attribute__((noreturn)) void vm_run(struct thread *t);

/* t's vCPU goes: its VMCB back to the factory. */
void vm_vcpu_release(struct thread *t);
