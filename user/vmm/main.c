/* The virtual machine monitor: boots a Linux bzImage with an initramfs
 * in a VM (docs/vmm.md). Guest RAM is anonymous memory (dataspaces of
 * the program's allocator) mapped into the VM object; the main thread
 * becomes the guest's vCPU, and every exit comes back to it as an upcall
 * that emulates what the guest did and resumes it. A second thread is
 * the clock: it triggers an IRQ of the vCPU when the emulated PIT's
 * next deadline has passed, which makes a running guest exit.
 *
 *   vmm [-m MiB] KERNEL INITRD [COMMAND LINE WORDS...]
 */
#include <errno.h>
#include <fcntl.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica/utcb.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mica/env.h>
#include <mica/kip.h>
#include <mica/rm.h>

#include "vmm.h"

/* The POSIX back end's own (user/posix/posix.h): a free selector, and a
 * UTCB slot kept from its threads (the state area lives in four). */
mica_cap_t posix_cap_alloc(void);
int posix_thread_slot_reserve(void);

#define STATE_SLOT 12	       /* slots 12-15: the 4 KiB state area */
#define IRQ_LABEL 0x766d6d74ul /* "vmmt" */
#define EVENTINJ_VALID (1ul << 31)
#define RFLAGS_IF (1ul << 9)
#define IOIO_IN 1ul
#define IOIO_STR 4ul
#define IOIO_REP 8ul

uint8_t *ram;
uint64_t ram_size;
volatile struct mica_vcpu_state *vcpu;
uint64_t vmm_tsc_khz;

static mica_cap_t vm_sel, irq_sel;
static volatile uint64_t deadline; /* the PIT's next, for the clock thread */
static uint8_t upcall_stack[64 * 1024] __attribute__((aligned(16)));
static uint8_t guest_fpu[512] __attribute__((aligned(16)));
static uint64_t exits, exit_counts[8], boot_ns;

uint64_t vmm_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void vmm_stop(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fflush(stdout);
	vprintf(fmt, ap);
	va_end(ap);
	uint64_t ns = vmm_now() - boot_ns;
	printf("vmm: guest ran %lu.%03lu s, %lu exits (I/O %lu, CPUID %lu, MSR %lu, HLT %lu, IRQ %lu)\n",
	       (unsigned long)(ns / 1000000000ull), (unsigned long)(ns / 1000000ull % 1000),
	       (unsigned long)exits, (unsigned long)exit_counts[0], (unsigned long)exit_counts[1],
	       (unsigned long)exit_counts[2], (unsigned long)exit_counts[3], (unsigned long)exit_counts[4]);
	fflush(stdout);
	exit(status);
}

/* The upcall entry (rdi = the state area): the guest's FPU registers are
 * saved before any monitor code can touch them (the vCPU thread's FPU
 * state is the guest's, docs/abi.md §6.10). */
void vmm_exit(volatile struct mica_vcpu_state *s);
__asm__(".pushsection .text\n"
	".globl vmm_upcall\n"
	"vmm_upcall:\n"
	"\tfxsave64 guest_fpu(%rip)\n"
	"\tcall vmm_exit\n"
	"\tud2\n"
	".popsection");
extern char vmm_upcall[];

__attribute__((noreturn)) static void resume(void)
{
	vcpu->user_task = vm_sel;
	vcpu->state = MICA_VCPU_F_EVENTS | MICA_VCPU_F_USER;
	__asm__ volatile("fxrstor64 %0" ::"m"(guest_fpu));
	int e = mica_vcpu_resume(MICA_CAP_THREAD);
	vmm_stop(3, "vmm: the kernel refused the guest state: error %d\n", e);
}

static void inject_exception(unsigned vector, bool error, uint32_t code)
{
	GS->inject =
		EVENTINJ_VALID | (3ul << 8) | vector | (error ? (1ul << 11) | ((uint64_t)code << 32) : 0);
}

/* The PIC's interrupt to the guest when it can take one, else an exit as
 * soon as it can (the interrupt window: V_IRQ with VINTR intercepted). */
static void deliver(void)
{
	deadline = pit_update();
	int vec = pic_pending();
	bool window = false;
	if (vec >= 0) {
		if (!(GS->inject & EVENTINJ_VALID) && (GS->rflags & RFLAGS_IF) &&
		    !(GS->int_state & MICA_VM_INT_SHADOW)) {
			pic_ack();
			GS->inject = EVENTINJ_VALID | (unsigned)vec;
		} else {
			window = true;
		}
	}
	if (window) {
		GS->int_ctl = MICA_VM_INT_V_IRQ | MICA_VM_INT_V_IGN_TPR | MICA_VM_INT_V_PRIO;
		GS->intercepts |= MICA_VM_I_VINTR;
	} else {
		GS->int_ctl = 0;
		GS->intercepts &= ~MICA_VM_I_VINTR;
	}
}

static void drain_irqs(void)
{
	mica_word_t label;
	while (!mica_msgtag_is_error(mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_ZERO, &label)))
		;
}

/* HLT: with interrupts off and nothing to come, the guest has stopped
 * for good (Linux's halt and power-off without ACPI end that way);
 * otherwise the vCPU sleeps until the PIT has an interrupt for it. */
static void halt(void)
{
	GS->rip += 1;
	if (!(GS->rflags & RFLAGS_IF))
		vmm_stop(0, "vmm: the guest halted with interrupts off: powered off\n");
	for (;;) {
		deadline = pit_update();
		if (pic_pending() >= 0)
			return;
		mica_word_t label;
		mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label);
	}
}

static void ioio(void)
{
	mica_word_t info = GS->exit_info1;
	unsigned port = (unsigned)(info >> 16), size = (info >> 4) & 7;
	if (info & (IOIO_STR | IOIO_REP))
		vmm_stop(
			4,
			"vmm: string I/O (INS/OUTS) on port 0x%x at rip 0x%lx: not emulated; guest stopped\n",
			port, (unsigned long)GS->rip);
	size = size == 4 ? 4 : size == 2 ? 2 : 1;
	uint32_t v = (uint32_t)GS->rax;
	io_access((uint16_t)port, size, info & IOIO_IN, &v);
	if (info & IOIO_IN) {
		uint64_t mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;
		GS->rax = size == 4 ? v : (GS->rax & ~mask) | (v & mask);
	}
	GS->rip = GS->exit_info2;
}

static void vm_exit(mica_word_t code)
{
	switch (code) {
	case MICA_VM_EXIT_IOIO:
		exit_counts[0]++;
		ioio();
		break;
	case MICA_VM_EXIT_CPUID:
		exit_counts[1]++;
		cpu_cpuid();
		GS->rip += 2;
		break;
	case MICA_VM_EXIT_MSR:
		exit_counts[2]++;
		if (cpu_msr(GS->exit_info1 & 1))
			GS->rip += 2;
		else
			inject_exception(13, true, 0);
		break;
	case MICA_VM_EXIT_HLT:
		exit_counts[3]++;
		halt();
		break;
	case MICA_VM_EXIT_VINTR:
		break;	    /* deliver() takes it from here */
	case 0x20 ... 0x3f: /* MOV from/to DR0-15 */
		if (!cpu_dr(code & 15, code >= 0x30))
			vmm_stop(7,
				 "vmm: a debug-register access at rip 0x%lx that the monitor cannot decode; "
				 "guest stopped\n",
				 (unsigned long)GS->rip);
		break;
	case MICA_VM_EXIT_VMMCALL:
		inject_exception(6, false, 0); /* no hypercalls: #UD as without a hypervisor */
		break;
	case MICA_VM_EXIT_SHUTDOWN:
		vmm_stop(0, "vmm: the guest shut down (triple fault) at rip 0x%lx: treated as power-off\n",
			 (unsigned long)GS->rip);
	case MICA_VM_EXIT_NPF:
		vmm_stop(5,
			 "vmm: the guest touched guest-physical 0x%lx (no RAM or device there; fault 0x%lx) "
			 "at rip "
			 "0x%lx; guest stopped\n",
			 (unsigned long)GS->exit_info2, (unsigned long)GS->exit_info1,
			 (unsigned long)GS->rip);
	case MICA_VM_EXIT_INVALID:
		vmm_stop(
			6,
			"vmm: the CPU refused the guest state (VMEXIT_INVALID) at rip 0x%lx; guest stopped\n",
			(unsigned long)GS->rip);
	default:
		vmm_stop(7, "vmm: unhandled exit 0x%lx (info 0x%lx 0x%lx) at rip 0x%lx; guest stopped\n",
			 (unsigned long)code, (unsigned long)GS->exit_info1, (unsigned long)GS->exit_info2,
			 (unsigned long)GS->rip);
	}
}

void vmm_exit(volatile struct mica_vcpu_state *s)
{
	exits++;
	/* An event the guest was taking when it exited is taken again. */
	if (GS->exit_int_info & EVENTINJ_VALID)
		GS->inject = GS->exit_int_info;
	if (s->event == MICA_VCPU_EV_IPC) {
		exit_counts[4]++;
		drain_irqs();
	} else if (s->event == MICA_VCPU_EV_VM_EXIT) {
		vm_exit(s->info[0]);
	} else {
		vmm_stop(8, "vmm: unexpected vCPU event %lu (0x%lx 0x%lx); guest stopped\n",
			 (unsigned long)s->event, (unsigned long)s->info[0], (unsigned long)s->info[1]);
	}
	deliver();
	resume();
}

/* The clock thread: an IRQ for the vCPU whenever the PIT's deadline has
 * passed (1 ms resolution). */
static void *clock_thread(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, 0);
		uint64_t d = deadline;
		if (d && vmm_now() >= d)
			mica_irq_trigger(irq_sel);
	}
	return 0;
}

static uint8_t *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		printf("vmm: cannot open %s: %s\n", path, strerror(errno));
		return 0;
	}
	void *p = mmap(0, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("vmm: cannot map %s: %s\n", path, strerror(errno));
		return 0;
	}
	*size = (size_t)st.st_size;
	return p;
}

static bool setup_ram(void)
{
	size_t two_mib = 2ul << 20;
	/* A dataspace of the program's allocator, attached read, write and
	 * execute (guest code runs from it; mmap keeps W^X for the program's
	 * own memory), 2 MiB aligned for large mappings into the VM. */
	mica_cap_t ds = posix_cap_alloc();
	mica_word_t at = 0x100000000ul;
	int e = mica_alloc_ds(MICA_CAP_MEM, ram_size + two_mib, 0, ds);
	if (e == MICA_OK)
		e = mica_rm_attach(MICA_CAP_RM, &at, ram_size + two_mib, 0, MICA_RM_SEARCH | MICA_FPAGE_RWX,
				   ds);
	if (e != MICA_OK) {
		printf("vmm: no memory for %lu MiB of guest RAM (error %d)\n",
		       (unsigned long)(ram_size >> 20), e);
		return false;
	}
	ram = (uint8_t *)((at + two_mib - 1) & ~(two_mib - 1));
	/* Touched, so the pages are this task's to map into the VM. */
	memset(ram, 0, ram_size);
	vm_sel = posix_cap_alloc();
	e = mica_create_task(MICA_CAP_FACTORY, vm_sel, 0, MICA_VM_UTCB_LOG2);
	if (e != MICA_OK) {
		printf("vmm: no VM (error %d%s)\n", e,
		       e == MICA_E_NOT_IMPLEMENTED ? ": the CPU has no SVM with nested paging" : "");
		return false;
	}
	for (uint64_t gpa = 0; gpa < ram_size; gpa += two_mib)
		if ((e = mica_task_map(vm_sel, MICA_CAP_TASK,
				       mica_fpage_mem((mica_word_t)(ram + gpa), 21, MICA_FPAGE_RWX), gpa,
				       MICA_ITEM_MAP)) != MICA_OK) {
			printf("vmm: mapping guest RAM at 0x%lx failed: error %d\n", (unsigned long)gpa, e);
			return false;
		}
	return true;
}

static bool setup_vcpu(void)
{
	int slot;
	do /* every free slot, so the state area's stay free of threads */
		slot = posix_thread_slot_reserve();
	while (slot > 0);
	mica_word_t state = MICA_BOOT_UTCB_ADDR + STATE_SLOT * MICA_UTCB_SIZE;
	irq_sel = posix_cap_alloc();
	int e;
	if ((e = mica_create_irq(MICA_CAP_FACTORY, irq_sel)) != MICA_OK ||
	    (e = mica_irq_attach(irq_sel, MICA_CAP_THREAD, IRQ_LABEL)) != MICA_OK ||
	    (e = mica_vcpu_control(MICA_CAP_THREAD, state)) != MICA_OK) {
		printf("vmm: vCPU set-up failed: error %d\n", e);
		return false;
	}
	vcpu = (volatile struct mica_vcpu_state *)state;
	vcpu->entry_ip = (mica_word_t)vmm_upcall;
	vcpu->entry_sp = (mica_word_t)&upcall_stack[sizeof(upcall_stack)];
	vcpu->sticky = 0;
	for (unsigned i = 0; i < MICA_EXC_WORDS; i++)
		vcpu->regs[i] = 0;
	return true;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	int a = 1;
	ram_size = 128ul << 20;
	if (argc > 2 && strcmp(argv[1], "-m") == 0) {
		ram_size = strtoul(argv[2], 0, 0) << 20;
		a = 3;
	}
	if (argc - a < 2 || ram_size < (16ul << 20) || ram_size > (2048ul << 20)) {
		printf("usage: vmm [-m MiB (16-2048)] KERNEL INITRD [COMMAND LINE...]\n");
		return 2;
	}
	const struct mica_kip *kip = (const struct mica_kip *)getauxval(MICA_AT_KIP);
	vmm_tsc_khz = kip ? kip->clock.tsc_hz / 1000 : 0;
	char cmdline[2048];
	size_t n =
		(size_t)snprintf(cmdline, sizeof(cmdline), "tsc_early_khz=%lu", (unsigned long)vmm_tsc_khz);
	for (int i = a + 2; i < argc && n < sizeof(cmdline); i++)
		n += (size_t)snprintf(cmdline + n, sizeof(cmdline) - n, " %s", argv[i]);
	size_t ksize, isize;
	printf("vmm: %lu MiB of guest RAM, TSC %lu kHz\n", (unsigned long)(ram_size >> 20),
	       (unsigned long)vmm_tsc_khz);
	const uint8_t *kernel = read_file(argv[a], &ksize), *initrd = read_file(argv[a + 1], &isize);
	pthread_t clock;
	if (!kernel || !initrd || !setup_ram())
		return 1;
	if (pthread_create(&clock, 0, clock_thread, 0) != 0) {
		printf("vmm: no clock thread\n");
		return 1;
	}
	if (!setup_vcpu() || !linux_load(kernel, ksize, initrd, isize, cmdline))
		return 1;
	munmap((void *)kernel, ksize);
	munmap((void *)initrd, isize);
	/* Every exception stays the guest's; the monitor wants CPUID and HLT. */
	GS->intercepts = MICA_VM_I_CPUID | MICA_VM_I_HLT;
	__asm__ volatile("fxsave64 %0" : "=m"(guest_fpu));
	printf("vmm: starting the guest\n");
	fflush(stdout);
	boot_ns = vmm_now();
	resume();
}
