/* The memory helpers of mem.h: map, grant, unmap and probing memory of
 * other tasks. */
#include "mem.h"

_Alignas(1 << 17) volatile mica_word_t karena[KARENA_PAGES][512];

#define PROBE_DONE 0x70be

int kmap(mica_cap_t dst, mica_cap_t src, mica_word_t addr, mica_word_t dst_addr, unsigned log2,
	 mica_word_t rights)
{
	return mica_task_map(dst, src, mica_fpage_mem(addr, log2, rights), dst_addr, MICA_ITEM_MAP);
}

int kgrant(mica_cap_t dst, mica_cap_t src, mica_word_t addr, mica_word_t dst_addr, unsigned log2)
{
	return mica_task_map(dst, src, mica_fpage_mem(addr, log2, MICA_FPAGE_RWX), dst_addr, MICA_ITEM_GRANT);
}

int kunmap(mica_cap_t task, mica_word_t addr, unsigned log2, mica_word_t rights, mica_word_t flags,
	   mica_word_t *status)
{
	mica_word_t fp = mica_fpage_mem(addr, log2, rights);
	int e = mica_task_unmap(task, flags, &fp, 1);
	if (status)
		*status = fp & MICA_FPAGE_RIGHTS;
	return e;
}

int kgate_for(mica_cap_t task, mica_cap_t *gate, mica_cap_t *in_task)
{
	static unsigned n;
	*gate = ksel();
	int e = mica_create_gate(KF, *gate, 0, 0);
	if (e != MICA_OK || task == KTASK) {
		*in_task = *gate;
		return e;
	}
	*in_task = 0x200 + (n++ & 0xff);
	return kgive(task, *gate, *in_task);
}

static void probe_fn(struct kthread *k)
{
	volatile mica_word_t *p = (volatile mica_word_t *)k->arg;
	mica_word_t v = k->out[1];
	if (k->arg2)
		*p = v;
	else
		v = *p;
	mica_mr()[0] = v;
	mica_send(k->cap, PROBE_DONE, 1);
}

int kprobe(mica_cap_t task, mica_word_t addr, int write, mica_word_t *value)
{
	mica_cap_t g, cg;
	if (kgate_for(task, &g, &cg) != MICA_OK)
		return -1;
	struct kthread *k = kthread_new(task, probe_fn, addr);
	if (!k)
		return -1;
	k->arg2 = write;
	k->out[1] = value ? *value : 0;
	k->cap = cg;
	if (mica_thread_control(k->sel, MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC, 0, 0, cg, cg) !=
		    MICA_OK ||
	    kthread_go(k) != MICA_OK)
		return -1;
	mica_word_t label;
	mica_msgtag_t t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	if (mica_msgtag_is_error(t))
		return -1;
	if (mica_msgtag_label(t) == PROBE_DONE) {
		if (value)
			*value = mica_mr()[0];
		return 0;
	}
	if (mica_msgtag_label(t) != MICA_LABEL_PAGE_FAULT || mica_msgtag_u(t) != MICA_PF_WORDS ||
	    mica_mr()[0] != addr)
		return -1;
	int r = KPROBE_FAULT | (int)mica_mr()[2];
	/* The pager refuses: the fault becomes an exception, the handler
	 * refuses too: the thread stops. */
	mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	t = mica_wait(g, MICA_TIMEOUT_NEVER, &label);
	if (mica_msgtag_label(t) != MICA_LABEL_EXCEPTION || mica_mr()[MICA_EXC_VECTOR] != 14)
		return -1;
	mica_reply(mica_error_tag(MICA_E_BAD_ARG));
	return r;
}
