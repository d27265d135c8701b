/* vm_: VM objects on AMD SVM (docs/abi.md §6.10): a vCPU runs real-mode
 * guest code from this program's text, mapped into a VM at
 * guest-physical 0x1000, and sees its exits as upcalls; bad guest state
 * is refused; VMs are isolated; a VM destroyed or an IRQ while the guest
 * runs ends in an upcall. Skipped where the CPU has no SVM. */
#include <mica/vm.h>
#include <stdbool.h>
#include <string.h>

#include "vcpu_util.h"

#define VS ((volatile struct mica_vm_state *)(VT_STATE + MICA_VM_STATE_OFFSET))
#define VM_SEL 0x30 /* the VM, in the vCPU's task */
#define IRQ_SEL 0x31
#define CODE_GPA 0x1000ul
#define DATA_GPA 0x2000ul

/* The guest programs, 16-bit real mode, at fixed offsets of one page. */
__asm__(".pushsection .text\n"
	".balign 4096\n"
	"vm_guest_page:\n"
	".code16\n"
	".org vm_guest_page + 0x000\n"
	"cpuid\n"
	"hlt\n"
	".org vm_guest_page + 0x100\n"
	"mov $0x3f8, %dx\n"
	"mov $0x41, %al\n"
	"outb %al, (%dx)\n"
	"hlt\n"
	".org vm_guest_page + 0x200\n"
	"movw $0x1234, 0x5000\n"
	"hlt\n"
	".org vm_guest_page + 0x300\n"
	"mov 0x2000, %ax\n"
	"mov %bx, 0x2000\n"
	"hlt\n"
	".org vm_guest_page + 0x400\n"
	"1: jmp 1b\n"
	".org vm_guest_page + 0x500\n"
	"ud2\n"
	".org vm_guest_page + 0x600\n"
	"vmmcall\n"
	".code64\n"
	".balign 4096\n"
	".popsection\n");
extern const char vm_guest_page[];
#define PROG_CPUID 0x000
#define PROG_OUT 0x100
#define PROG_NPF 0x200
#define PROG_RW 0x300
#define PROG_LOOP 0x400
#define PROG_UD2 0x500
#define PROG_VMMCALL 0x600

static uint8_t data_page[2][4096] __attribute__((aligned(4096)));

#define MAX_EXITS 4
static struct {
	volatile mica_word_t n, event, saved, err;
	volatile mica_word_t code[MAX_EXITS], info1[MAX_EXITS], info2[MAX_EXITS], rip[MAX_EXITS];
	volatile mica_word_t rax[MAX_EXITS], errs[8];
} vrec;

/* After an exit the monitor steps over the instruction and resumes, up
 * to vk->arg2 exits. */
static void vm_entry(volatile struct mica_vcpu_state *s)
{
	vrec.event = s->event;
	vrec.saved = s->saved_state;
	unsigned i = (unsigned)vrec.n;
	if (i < MAX_EXITS) {
		vrec.code[i] = s->info[0];
		vrec.info1[i] = s->info[1];
		vrec.info2[i] = s->info[2];
		vrec.rip[i] = VS->rip;
		vrec.rax[i] = VS->rax;
	}
	vrec.n = i + 1;
	if (s->event != MICA_VCPU_EV_VM_EXIT || i + 1 >= vk->arg2)
		vcpu_finish();
	switch (s->info[0]) {
	case MICA_VM_EXIT_CPUID:
		VS->rax = 0x600df00d;
		VS->rip += 2;
		break;
	case MICA_VM_EXIT_IOIO:
		VS->rip = VS->exit_info2; /* the next instruction */
		break;
	case MICA_VM_EXIT_HLT:
		VS->rip += 1;
		break;
	default:
		vcpu_finish();
	}
	s->state = s->saved_state;
	vrec.err = (mica_word_t)mica_vcpu_resume(vk->self);
	vcpu_finish();
}

static void seg(volatile struct mica_vm_seg *s, uint16_t attr)
{
	s->sel = 0;
	s->attr = attr;
	s->limit = 0xffff;
	s->base = 0;
}

/* Real mode at CODE_GPA + prog, CPUID and HLT intercepted. */
static void real_mode(mica_word_t prog)
{
	volatile mica_word_t *w = (volatile mica_word_t *)VS;
	for (unsigned i = 0; i < sizeof(struct mica_vm_state) / 8; i++)
		w[i] = 0;
	VS->intercepts = MICA_VM_I_CPUID | MICA_VM_I_HLT;
	VS->rip = CODE_GPA + prog;
	VS->rflags = 2;
	VS->cr0 = 0x10;
	seg(&VS->cs, 0x9b);
	seg(&VS->ds, 0x93);
	seg(&VS->es, 0x93);
	seg(&VS->ss, 0x93);
	seg(&VS->fs, 0x93);
	seg(&VS->gs, 0x93);
	seg(&VS->gdtr, 0);
	seg(&VS->idtr, 0);
	seg(&VS->ldtr, 0x82);
	seg(&VS->tr, 0x8b);
}

static mica_word_t enter_guest(void)
{
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		ST->regs[i] = 0;
	ST->user_task = VM_SEL;
	ST->state = MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER;
	return (mica_word_t)mica_vcpu_resume(vk->self);
}

/* The monitor: runs program k->arg with RBX = k->out[7]. */
static void monitor(struct kthread *k)
{
	vcpu_setup(vm_entry);
	real_mode(k->arg);
	VS->rbx = k->out[7];
	VS->intercepts |= k->out[5];
	if (k->out[6])
		VS->inject = (1ul << 31) | (3ul << 8) | 6; /* #UD */
	vrec.err = enter_guest();
}

/* A VM with the guest page at CODE_GPA and data_page[data] at DATA_GPA. */
static mica_cap_t vm_create(unsigned data)
{
	mica_cap_t vm = ksel();
	if (mica_create_task(KF, vm, 0, MICA_VM_UTCB_LOG2) != MICA_OK)
		return 0;
	if (mica_task_map(vm, KTASK, mica_fpage_mem((mica_word_t)vm_guest_page, 12, MICA_FPAGE_RX), CODE_GPA,
			  MICA_ITEM_MAP) != MICA_OK ||
	    mica_task_map(vm, KTASK, mica_fpage_mem((mica_word_t)data_page[data], 12, MICA_FPAGE_RW),
			  DATA_GPA, MICA_ITEM_MAP) != MICA_OK)
		return 0;
	return vm;
}

/* A monitor vCPU for a new VM running prog, up to exits exits; *vm
 * and *t (if not 0) get the VM and the vCPU's task. */
static struct kthread *vm_monitor(mica_word_t prog, mica_word_t exits, unsigned data, mica_cap_t *vm,
				  mica_cap_t *t)
{
	memset((void *)&vrec, 0, sizeof(vrec));
	mica_cap_t task;
	struct kthread *k = vcpu_new(monitor, prog, &task);
	if (!k || !(*vm = vm_create(data)) || kgive(task, *vm, VM_SEL) != MICA_OK)
		return 0;
	k->arg2 = exits;
	if (t)
		*t = task;
	return k;
}

static bool no_svm(void)
{
	mica_cap_t vm = ksel();
	int e = mica_create_task(KF, vm, 0, MICA_VM_UTCB_LOG2);
	if (e == MICA_E_NOT_IMPLEMENTED) {
		ktest_skip("no SVM with nested paging");
		return true;
	}
	mica_cap_delete(KTASK, vm);
	return false;
}

KTEST(vm_cpuid_exit_then_hlt_exit)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_CPUID, 2, 0, &vm, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.err, 0);
	CHECK_EQ(vrec.n, 2);
	CHECK_EQ(vrec.event, MICA_VCPU_EV_VM_EXIT);
	CHECK_EQ(vrec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_CPUID);
	CHECK_EQ(vrec.rip[0], CODE_GPA + PROG_CPUID);
	CHECK_EQ(vrec.code[1], MICA_VM_EXIT_HLT);
	CHECK_EQ(vrec.rip[1], CODE_GPA + PROG_CPUID + 2);
	CHECK_EQ(vrec.rax[1], 0x600df00d); /* the monitor's answer reached the guest */
}

KTEST(vm_io_exit_names_the_port)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_OUT, 2, 0, &vm, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 2);
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_IOIO);
	CHECK_EQ(vrec.info1[0] >> 16, 0x3f8);
	CHECK_EQ(vrec.info1[0] & 1, 0); /* OUT */
	CHECK_EQ(vrec.rax[0] & 0xff, 0x41);
	CHECK_EQ(vrec.code[1], MICA_VM_EXIT_HLT);
}

KTEST(vm_unmapped_guest_memory_is_a_nested_fault)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_NPF, 1, 0, &vm, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 1);
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_NPF);
	CHECK_EQ(vrec.info2[0], 0x5000);
	CHECK_EQ(vrec.info1[0] & 2, 2); /* a write */
}

KTEST(vm_guest_exception_intercepted)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_UD2, 1, 0, &vm, 0);
	CHECK(k);
	k->out[5] = 1ul << 6; /* #UD as well as CPUID and HLT */
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 1);
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_EXCEPTION + 6);
	CHECK_EQ(vrec.rip[0], CODE_GPA + PROG_UD2);
}

static void bad_states(struct kthread *k)
{
	(void)k;
	vcpu_setup(vm_entry);
	volatile mica_word_t *e = vrec.errs;
	real_mode(PROG_CPUID);
	VS->efer = 1ul << 9; /* reserved */
	e[0] = enter_guest();
	real_mode(PROG_CPUID);
	VS->cr0 = 0x20000010; /* NW without CD */
	e[1] = enter_guest();
	real_mode(PROG_CPUID);
	VS->inject = (1ul << 31) | (7ul << 8); /* no such event type */
	e[2] = enter_guest();
	real_mode(PROG_CPUID);
	VS->intercepts = 1ul << 50; /* not the monitor's to set */
	e[3] = enter_guest();
	real_mode(PROG_CPUID);
	VS->rflags = 2 | (1ul << 40);
	e[4] = enter_guest();
	real_mode(PROG_CPUID);
	VS->cr0 = 0x80000010; /* paging without protection */
	e[5] = enter_guest();
	real_mode(PROG_CPUID);
	VS->inject = (1ul << 31) | (3ul << 8) | 2; /* NMI as an exception */
	e[6] = enter_guest();
	vcpu_finish();
}

KTEST(vm_bad_guest_state_refused)
{
	if (no_svm())
		return;
	memset((void *)&vrec, 0, sizeof(vrec));
	mica_cap_t task;
	struct kthread *k = vcpu_new(bad_states, 0, &task);
	CHECK(k);
	mica_cap_t vm = vm_create(0);
	CHECK(vm);
	CHECK_OK(kgive(task, vm, VM_SEL));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	for (unsigned i = 0; i < 7; i++)
		CHECK_EQ(vrec.errs[i], MICA_E_BAD_ARG);
	CHECK_EQ(vrec.n, 0); /* never ran */
}

KTEST(vm_two_vms_are_isolated)
{
	if (no_svm())
		return;
	data_page[0][0] = 0x11;
	data_page[1][0] = 0x22;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_RW, 1, 0, &vm, 0);
	CHECK(k);
	k->out[7] = 0xaaaa;
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_HLT);
	CHECK_EQ(vrec.rax[0] & 0xffff, 0x11); /* its own page */
	k = vm_monitor(PROG_RW, 1, 1, &vm, 0);
	CHECK(k);
	k->out[7] = 0xbbbb;
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_HLT);
	CHECK_EQ(vrec.rax[0] & 0xffff, 0x22); /* not the first VM's */
	CHECK_EQ(*(volatile uint16_t *)data_page[0], 0xaaaa);
	CHECK_EQ(*(volatile uint16_t *)data_page[1], 0xbbbb);
}

KTEST(vm_is_a_task_without_threads)
{
	if (no_svm())
		return;
	mica_cap_t vm = ksel();
	CHECK_ERR(mica_create_task(KF, vm, 0x10000, MICA_VM_UTCB_LOG2), MICA_E_BAD_ARG);
	CHECK_OK(mica_create_task(KF, vm, 0, MICA_VM_UTCB_LOG2));
	mica_cap_t th = ksel();
	CHECK_OK(mica_create_thread(KF, th));
	CHECK_ERR(mica_thread_control(th, MICA_THREAD_CTL_BIND, vm, 0, 0, 0), MICA_E_BAD_ARG);
	CHECK_OK(mica_task_destroy(vm));
}

KTEST(vm_destroyed_while_the_guest_runs)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_LOOP, 1, 0, &vm, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	kyield();
	kyield();
	CHECK_EQ(vrec.n, 0);
	CHECK_EQ(k->done, 0);
	CHECK_OK(mica_task_destroy(vm));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 1);
	CHECK_EQ(vrec.event, MICA_VCPU_EV_TASK_GONE);
}

KTEST(vm_irq_while_the_guest_runs_is_an_upcall)
{
	if (no_svm())
		return;
	mica_cap_t vm, t;
	struct kthread *k = vm_monitor(PROG_LOOP, 1, 0, &vm, &t);
	CHECK(k);
	mica_cap_t q = kirq();
	CHECK(q);
	CHECK_OK(mica_irq_attach(q, k->sel, 0x77));
	CHECK_OK(kthread_go(k));
	kyield();
	CHECK_EQ(vrec.n, 0);
	CHECK_OK(mica_irq_trigger(q));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.event, MICA_VCPU_EV_IPC);
	CHECK_EQ(vrec.saved, MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER);
	CHECK_EQ(vrec.rip[0], CODE_GPA + PROG_LOOP); /* the guest's state came back */
}

KTEST(vm_injected_exception_reaches_the_guest)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_CPUID, 1, 0, &vm, 0);
	CHECK(k);
	k->out[6] = 1;
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 1);
	/* Delivering #UD reads the IVT entry at guest-physical 0x18. */
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_NPF);
	CHECK_EQ(vrec.info2[0], 6 * 4);
}

KTEST(vm_vmmcall_exits_to_the_monitor)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_VMMCALL, 1, 0, &vm, 0);
	CHECK(k);
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 1);
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_VMMCALL);
}

KTEST(vm_unmap_reaches_guest_memory)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_RW, 1, 0, &vm, 0);
	CHECK(k);
	/* Revoked from everything mapped from our page: the VM's included. */
	mica_word_t f = mica_fpage_mem((mica_word_t)data_page[0], 12, MICA_FPAGE_RWX);
	CHECK_OK(mica_task_unmap(KTASK, 0, &f, 1));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.n, 1);
	CHECK_EQ(vrec.code[0], MICA_VM_EXIT_NPF);
	CHECK_EQ(vrec.info2[0], DATA_GPA);
}

KTEST(vm_resume_into_a_destroyed_vm_refused)
{
	if (no_svm())
		return;
	mica_cap_t vm;
	struct kthread *k = vm_monitor(PROG_CPUID, 1, 0, &vm, 0);
	CHECK(k);
	CHECK_OK(mica_task_destroy(vm));
	CHECK_OK(kthread_go(k));
	CHECK(KWAIT(k));
	CHECK_EQ(vrec.err, MICA_E_INVALID_CAP);
	CHECK_EQ(vrec.n, 0);
}
