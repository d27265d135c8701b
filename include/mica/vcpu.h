/* The vCPU thread mode: its state area in the thread's UTCB area, the
 * events that enter it as upcalls, and the two thread methods that turn
 * it on and resume from an upcall (docs/abi.md §6.9). */
#pragma once

#include <mica/fpage.h>
#include <mica/types.h>

/* Thread methods (mica/thread.h numbers 1-7). */
enum {
	/* MR0 = the state area's user address: 4 KiB aligned, inside the
	 * thread's task's UTCB area. The thread is bound and not a vCPU yet
	 * (MICA_E_EXISTS). From now on events enter it as upcalls (below).
	 * Right: CONTROL. */
	MICA_THREAD_VCPU_CONTROL = 8,
	/* Invoked on the caller's own thread (else MICA_E_BAD_ARG): resumes
	 * with the registers and state of the state area. On success it does
	 * not return: the thread goes on at regs[MICA_EXC_IP], in its own
	 * task or (MICA_VCPU_F_USER) in the task user_task names. Errors:
	 * BAD_ARG (not a vCPU, an address that is not a user address, user
	 * mode without events enabled), INVALID_CAP / WRONG_TYPE / NO_RIGHTS
	 * (user_task: a task with WRITE). Right: WRITE. */
	MICA_THREAD_VCPU_RESUME = 9,
};

#define MICA_VCPU_STATE_SIZE 4096ul

/* state and saved_state. */
#define MICA_VCPU_F_EVENTS (1ul << 0) /* events enter as upcalls */
#define MICA_VCPU_F_USER (1ul << 1)   /* runs in user_task (implies F_EVENTS) */

/* sticky: set by the kernel, cleared by the vCPU. */
#define MICA_VCPU_S_PENDING (1ul << 0) /* an IPC or IRQ waits to be received */

/* event: why the last upcall came. */
enum mica_vcpu_event {
	MICA_VCPU_EV_NONE = 0,
	/* A message or an IRQ waits: an open receive with a zero timeout
	 * takes it. */
	MICA_VCPU_EV_IPC = 1,
	/* info[0] = address, info[1] = MICA_FPAGE_R/W/X | MICA_PF_PRESENT. */
	MICA_VCPU_EV_PAGE_FAULT = 2,
	/* info[0] = vector, info[1] = error code. */
	MICA_VCPU_EV_EXCEPTION = 3,
	/* The user task made a system call (regs: its registers, IP after the
	 * instruction). */
	MICA_VCPU_EV_SYSCALL = 4,
	/* The user task was destroyed while the vCPU ran in it. */
	MICA_VCPU_EV_TASK_GONE = 5,
	/* The guest of a VM (mica/vm.h) exited: info[0] = exit code, info[1]
	 * and info[2] = exit information 1 and 2, info[3] = exit interrupt
	 * information; the guest state is in the VM part of the area. */
	MICA_VCPU_EV_VM_EXIT = 6,
};

/* The state area: ordinary memory of the UTCB area, which both the vCPU
 * and the kernel write. The kernel copies what it reads before it
 * checks it. */
struct mica_vcpu_state {
	mica_word_t state;		  /* 0x00: MICA_VCPU_F_* now */
	mica_word_t saved_state;	  /* 0x08: state when the last upcall came */
	mica_word_t sticky;		  /* 0x10: MICA_VCPU_S_* */
	mica_word_t event;		  /* 0x18: enum mica_vcpu_event of the last upcall */
	mica_word_t info[4];		  /* 0x20: the event's details */
	mica_word_t entry_ip;		  /* 0x40: where upcalls enter (rdi = this area) */
	mica_word_t entry_sp;		  /* 0x48: ... with this stack pointer */
	mica_word_t user_task;		  /* 0x50: task selector for MICA_VCPU_F_USER */
	mica_word_t reserved[5];	  /* 0x58 */
	mica_word_t regs[MICA_EXC_WORDS]; /* 0x80: registers, in enum mica_exc_word order */
};

_Static_assert(sizeof(struct mica_vcpu_state) <= 0x200, "room for the VM state at 0x200");
_Static_assert(__builtin_offsetof(struct mica_vcpu_state, entry_ip) == 0x40, "ABI");
_Static_assert(__builtin_offsetof(struct mica_vcpu_state, regs) == 0x80, "ABI");
