/* The vcpu_ and vm_ cases' vCPU thread, its task and its entry. */
#include "vcpu_util.h"

#include <mica_image.h>

struct kthread *vk;
static uint8_t entry_stack[8192] __attribute__((aligned(16)));

void vcpu_finish(void)
{
	vk->done = 1;
	for (;;)
		mica_thread_halt_other(vk->self);
}

void vcpu_setup(void (*entry)(volatile struct mica_vcpu_state *))
{
	ST->entry_ip = (mica_word_t)entry;
	ST->entry_sp = (mica_word_t)&entry_stack[sizeof(entry_stack) - 8];
	ST->state = 0;
	ST->sticky = 0;
}

struct kthread *vcpu_new(void (*fn)(struct kthread *), mica_word_t arg, mica_cap_t *task)
{
	mica_cap_t t = ksel();
	if (mica_create_task(KF, t, KCHILD_UTCB, VT_UTCB_LOG2) != MICA_OK || mica_share_image(t) != MICA_OK ||
	    kgive(t, MICA_CAP_VCON, MICA_CAP_VCON) != MICA_OK)
		return 0;
	struct kthread *k = kthread_new(t, fn, arg);
	if (!k || mica_vcpu_control(k->sel, VT_STATE) != MICA_OK)
		return 0;
	vk = k;
	if (task)
		*task = t;
	return k;
}
