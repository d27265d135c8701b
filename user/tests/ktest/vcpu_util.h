/* The vcpu_ and vm_ cases' vCPU: a thread in a child task whose UTCB
 * area holds its state area, and the upcall stack and entry set-up. */
#pragma once

#include <mica_obj.h>

#include "ktest.h"

#define VT_UTCB_LOG2 15			  /* 32 KiB: kthread UTCBs in the first 16 */
#define VT_STATE (KCHILD_UTCB + 0x4000ul) /* the state area, in the vCPU's task */
#define ST ((volatile struct mica_vcpu_state *)VT_STATE)

extern struct kthread *vk; /* the case's vCPU */

/* A task for the vCPU and the vCPU thread in it running fn; *task (if
 * not 0) gets the task. Not started. */
struct kthread *vcpu_new(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t *task);

/* In the vCPU: upcalls enter entry (rdi = the state area) on a stack of
 * their own; events disabled, nothing sticky. */
void vcpu_setup(void (*entry)(volatile struct mica_vcpu_state *));

/* In the vCPU: marks it done and halts it. */
__attribute__((noreturn)) void vcpu_finish(void);
