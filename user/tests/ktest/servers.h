/* Small servers, and a caller, that the IPC, gate and thread cases share. */
#pragma once

#include <mica_srv.h>

#include "ktest.h"

/* Echo: answers every call with the words + 1 and the method label + 1;
 * counts requests in out[1] and keeps the last label in out[2]. Receives
 * from k->cap (a gate selector in its task, or 0 for its bound gates).
 * An error ends it with the code in out[0]. */
void echo_server(struct kthread *k);

/* An echo server thread in `task` (KTASK or a child task) receiving from
 * a new gate; *gate gets the gate's selector in this task. bound: the
 * gate is bound to the thread (open wait), else it waits on the gate. */
struct kthread *start_echo(mica_cap_t task, int bound, mica_cap_t *gate);

/* The same server created, its gate made, but not started: the caller
 * places it (on a CPU, say) and starts it. 0 on failure. */
struct kthread *new_echo(mica_cap_t task, int bound, mica_cap_t *gate);

/* A thread in this task running fn(k) with k->cap = a new unbound gate
 * (*gate), given the chance to run until it blocks. */
struct kthread *start_on_new_gate(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t *gate);

/* Calls k->cap once (label 1) with MR0 = k->arg: out[0] = the result
 * tag, out[1] = the reply's MR0. */
void call_with_arg(struct kthread *k);

/* A thread in this task that will serve s (mica_srv_loop; its result in
 * out[0]), with a new gate bound to it and nsels fresh selectors of ours,
 * s set up over the caller's arrays. Not started: the caller registers
 * its objects, then kthread_go. 0 on failure. */
struct kthread *ksrv_thread(struct mica_srv *s, struct mica_srv_obj **slots, uint32_t *gens, unsigned nslots,
			    uint64_t *sel_map, unsigned nsels);
