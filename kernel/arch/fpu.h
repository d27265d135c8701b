/* The floating-point and vector state of user threads. Switched eagerly:
 * when a CPU enters a thread that does not own its FPU registers, the
 * owner's state is saved and the thread's loaded (arch_switch_to_user).
 * The kernel itself never touches these registers (-mgeneral-regs-only). */
#pragma once

#include <stdint.h>

/* Enables the state components on this CPU; returns the save-area size,
 * which must fit in thread_space bytes (the room a thread has for it). */
uint32_t arch_fpu_init_cpu(uint32_t thread_space);

/* A new thread's state: the initial FPU and SSE control values. */
void arch_fpu_init_state(void *area);

/* The area is being freed: no CPU may save into it any more. */
void arch_fpu_forget(void *area);

/* The thread whose state area this is leaves this CPU (it moves or
 * dies): if this CPU's registers hold its state, they are saved there. */
void arch_fpu_release(void *area);
