/* arch_prctl(ARCH_SET_FS): the thread pointer musl keeps in the FS base.
 * Mica has no call that sets a thread's FS base directly (docs/abi.md
 * §6.2); what sets it is the reply to an exception message (§10: the
 * reply's FS-base word is written back). So the back end keeps a helper
 * thread serving a gate: the caller makes that gate its exception
 * handler for a moment, executes ud2, the helper answers with the new FS
 * base and the instruction skipped, and the caller puts its parent back
 * as its exception handler. The helper (its own UTCB slot, a 4 KiB
 * stack in bss, paged by the region map) is created on first use and
 * stays for later calls; the new base travels in the caller's rdi, so
 * threads may ask at the same time. Cost: about six kernel calls and two
 * switches, once for the main thread (a thread clone makes gets its
 * thread pointer at its start, thread.c, without the helper). */
#include <errno.h>
#include <mica/env.h>
#include <mica/fpage.h>
#include <mica/program.h>
#include <mica/thread.h>
#include <mica/utcb.h>
#include <mica_obj.h>
#include <mica_sys.h>

#include "posix.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define UD2_LEN 2
#define UD_VECTOR 6

static mica_cap_t gate;
static posix_mutex_t start_lock;
static char helper_stack[4096] __attribute__((aligned(16)));

static void helper(mica_word_t g) __attribute__((noreturn));
static void helper(mica_word_t g)
{
	mica_word_t label;
	mica_msgtag_t t = mica_wait((mica_cap_t)g, MICA_TIMEOUT_NEVER, &label);
	for (;;) {
		mica_word_t *mr = mica_mr();
		mica_msgtag_t answer;
		if (mica_msgtag_label(t) == MICA_LABEL_EXCEPTION && mr[MICA_EXC_VECTOR] == UD_VECTOR) {
			/* the caller's rdi: any number of threads may ask */
			mr[MICA_EXC_FS_BASE] = mr[MICA_EXC_RDI];
			mr[MICA_EXC_IP] += UD2_LEN;
			answer = mica_msgtag(0, MICA_EXC_WORDS, 0, 0);
		} else {
			answer = mica_error_tag(MICA_E_BAD_ARG);
		}
		t = mica_reply_wait(answer, (mica_cap_t)g, &label);
	}
}

static int start_helper(void)
{
	int slot = posix_thread_slot_reserve();
	mica_cap_t g = posix_cap_alloc(), th = posix_cap_alloc();
	mica_word_t st[3];
	if (slot < 0 || mica_create_gate(MICA_CAP_FACTORY, g, 0, 0) != MICA_OK ||
	    mica_create_thread(MICA_CAP_FACTORY, th) != MICA_OK ||
	    mica_thread_control(th, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC,
				MICA_CAP_TASK, posix_thread_utcb(slot), MICA_CAP_PAGER,
				MICA_CAP_PARENT) != MICA_OK ||
	    /* placed through the program's scheduler at the caller's own
	     * priority (the loader's default ceiling, docs/abi.md §12) */
	    mica_thread_stats(posix_self_cap(), st) != MICA_OK ||
	    mica_sched_run_thread(MICA_CAP_SCHEDULER, th, (unsigned)st[1], MICA_SCHED_DEFAULT_SLICE_NS, 0) !=
		    MICA_OK ||
	    mica_thread_start(th, (mica_word_t)helper, (mica_word_t)&helper_stack[sizeof(helper_stack)] - 8,
			      g) != MICA_OK)
		return -1;
	gate = g;
	return 0;
}

long posix_arch_prctl(long code, long addr)
{
	if (code == ARCH_GET_FS) {
		*(mica_word_t *)addr = posix_thread_fs(0);
		return 0;
	}
	if (code != ARCH_SET_FS)
		return -EINVAL;
	if (!addr)
		return -EINVAL; /* a thread pointer of 0 is not kept apart from none */
	posix_mutex_lock(&start_lock);
	int ok = gate || start_helper() == 0;
	posix_mutex_unlock(&start_lock);
	if (!ok)
		return -ENOMEM;
	mica_cap_t self = posix_self_cap();
	if (mica_thread_control(self, MICA_THREAD_CTL_EXC, 0, 0, 0, gate) != MICA_OK)
		return -EPERM;
	__asm__ volatile("ud2" ::"D"(addr) : "memory");
	mica_thread_control(self, MICA_THREAD_CTL_EXC, 0, 0, 0, MICA_CAP_PARENT);
	posix_thread_fs((mica_word_t)addr);
	return 0;
}
