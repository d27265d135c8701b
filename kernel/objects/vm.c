/* VM objects: guest-physical tasks, the VMCB of each vCPU that runs
 * one, the checked load of a monitor's guest state, the run and its
 * exits, and the per-CPU and global SVM frames. */
#include "objects/vm.h"

#include <string.h>

#include "arch/svm.h"
#include "arch/trap.h"
#include "arch/vm.h"
#include "objects/factory.h"
#include "objects/task.h"
#include "objects/thread.h"
#include "objects/vcpu.h"
#include "sched/cpu_lock.h"
#include "sched/percpu.h"
#include "sched/sched.h"

#define VM_CPUS 256
#define IOPM_FRAMES 3
#define MSRPM_FRAMES 2

/* The global permission maps (all ones: every port and MSR exits) and
 * each CPU's host save areas, kernel-internal (uncharged), made once. */
static uint64_t iopm, msrpm;
static uint64_t hsave[VM_CPUS], host_save[VM_CPUS];
static int supported = -1;

bool vm_supported(void)
{
	if (supported < 0)
		supported = arch_svm_supported();
	return supported;
}

static bool ones(unsigned frames, uint64_t *phys)
{
	if (!quota_alloc_frames(0, frames, phys))
		return false;
	memset(phys_to_virt(*phys), 0xff, frames * 4096ul);
	return true;
}

static bool cpu_ready(unsigned id)
{
	if (id >= VM_CPUS)
		return false;
	if (hsave[id])
		return true;
	uint64_t h, s;
	if (!quota_alloc_frame(0, &h))
		return false;
	if (!quota_alloc_frame(0, &s)) {
		quota_free_frame(0, h);
		return false;
	}
	arch_svm_cpu_enable(h);
	host_save[id] = s;
	hsave[id] = h;
	return true;
}

enum mica_error vm_load(struct thread *t)
{
	struct vcpu *v = t->vcpu;
	if ((!iopm && !ones(IOPM_FRAMES, &iopm)) || (!msrpm && !ones(MSRPM_FRAMES, &msrpm)))
		return MICA_E_NO_MEMORY;
	if (!v->vmcb) {
		uint64_t phys;
		if (!quota_alloc_frame(t->hdr.quota, &phys))
			return MICA_E_NO_MEMORY;
		v->vmcb = phys_to_virt(phys);
		v->vmcb_phys = phys;
		arch_svm_vmcb_init(v->vmcb, iopm, msrpm);
	}
	/* One copy, then checked: the task's other threads may write the
	 * area meanwhile. */
	struct mica_vm_state s = { 0 };
	const volatile uint64_t *src =
		(const volatile uint64_t *)((const volatile uint8_t *)v->state + MICA_VM_STATE_OFFSET);
	uint64_t *dst = (uint64_t *)&s;
	for (unsigned i = 0; i < sizeof(s) / 8; i++)
		dst[i] = src[i];
	return arch_svm_load(v->vmcb, &v->gprs, &s) ? MICA_OK : MICA_E_BAD_ARG;
}

static void store(struct vcpu *v)
{
	struct mica_vm_state s;
	arch_svm_store(v->vmcb, &v->gprs, &s);
	volatile uint64_t *dst = (volatile uint64_t *)((volatile uint8_t *)v->state + MICA_VM_STATE_OFFSET);
	const uint64_t *src = (const uint64_t *)&s;
	/* The monitor's intercepts stay as it wrote them. */
	for (unsigned i = 1; i < sizeof(s) / 8; i++)
		dst[i] = src[i];
}

void vm_run(struct thread *t)
{
	struct vcpu *v = t->vcpu;
	struct percpu *cpu = this_cpu();
	if (!cpu_ready(cpu->id)) {
		vcpu_vm_exit(t, MICA_VM_EXIT_INVALID, 0, 0, 0);
		return;
	}
	/* The guest runs without this CPU's lock, as user code does. Whoever
	 * stops this thread or destroys the VM meanwhile waits for this CPU
	 * (sched_remove, sched_sync_registers): their IPI makes the guest
	 * exit, and the lock is taken again only after the VMCB is read. */
	cpu_unlock_own(cpu);
	uint64_t code = arch_svm_run(v->vmcb, v->vmcb_phys, &v->gprs, &v->user_task->vm, t->arch.fpu,
				     host_save[cpu->id]);
	store(v);
	arch_svm_irq_window();
	cpu_lock_own(cpu);
	if (cpu->current != t || t->vcpu != v || !v->user || arch_svm_exit_is_host(code))
		return;
	const volatile struct mica_vm_state *s =
		(const volatile struct mica_vm_state *)((const volatile uint8_t *)v->state +
							MICA_VM_STATE_OFFSET);
	vcpu_vm_exit(t, code, s->exit_info1, s->exit_info2, s->exit_int_info);
}

void vm_vcpu_release(struct thread *t)
{
	struct vcpu *v = t->vcpu;
	if (v->vmcb)
		quota_free_frame(t->hdr.quota, v->vmcb_phys);
	v->vmcb = 0;
}
