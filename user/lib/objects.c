/* The object wrappers of mica_obj.h. */
#include <mica_obj.h>
#include <mica_env.h>

static int call(mica_cap_t obj, mica_word_t op, unsigned u)
{
	return mica_error(mica_call(obj, op, u));
}

/* Copies n result words out of the MRs if the call worked. */
static int results(int e, mica_word_t *out, unsigned n)
{
	for (unsigned i = 0; e == MICA_OK && i < n; i++)
		out[i] = mica_mr()[i];
	return e;
}

int mica_call_into(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t dst)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	int e = call(obj, op, u);
	*br = saved;
	return e;
}

int mica_call_items(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t cap, mica_cap_t dst,
		    mica_word_t timeouts)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_OBJ_WINDOW];
	mica_word_t saved = *br;
	unsigned t = 0;
	if (dst)
		*br = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	if (cap) {
		mica_mr()[u] = mica_item_unit(0, MICA_ITEM_MAP);
		mica_mr()[u + 1] = mica_fpage_obj(cap, 0, MICA_RIGHTS_ALL);
		t = MICA_ITEM_WORDS;
	}
	mica_msgtag_t tag = mica_ipc(obj, mica_msgtag(op, u, t, 0), MICA_IPC_CALL, 0, timeouts, 0);
	*br = saved;
	return mica_error(tag);
}

int mica_factory_create(mica_cap_t factory, enum mica_obj_type type, mica_cap_t dst, mica_word_t arg0,
			mica_word_t arg1)
{
	mica_word_t *mr = mica_mr();
	mr[0] = type;
	mr[1] = arg0;
	mr[2] = arg1;
	return mica_call_into(factory, MICA_FACTORY_CREATE, 3, dst);
}

int mica_create_task(mica_cap_t factory, mica_cap_t dst, mica_word_t utcb_area, unsigned utcb_log2)
{
	return mica_factory_create(factory, MICA_OBJ_TASK, dst, utcb_area, utcb_log2);
}

int mica_create_thread(mica_cap_t factory, mica_cap_t dst)
{
	return mica_factory_create(factory, MICA_OBJ_THREAD, dst, 0, 0);
}

int mica_create_gate(mica_cap_t factory, mica_cap_t dst, mica_cap_t bind_thread, mica_word_t label)
{
	return mica_factory_create(factory, MICA_OBJ_GATE, dst, bind_thread, label);
}

int mica_create_factory(mica_cap_t factory, mica_cap_t dst, mica_word_t quota)
{
	return mica_factory_create(factory, MICA_OBJ_FACTORY, dst, quota, 0);
}

int mica_factory_info(mica_cap_t factory, mica_word_t *limit, mica_word_t *used)
{
	int e = call(factory, MICA_FACTORY_INFO, 0);
	if (e == MICA_OK) {
		*limit = mica_mr()[0];
		*used = mica_mr()[1];
	}
	return e;
}

int mica_cap_info(mica_cap_t task, mica_cap_t sel, mica_word_t *type, mica_word_t *rights)
{
	mica_mr()[0] = sel;
	int e = call(task, MICA_TASK_CAP_INFO, 1);
	if (e == MICA_OK) {
		*type = mica_mr()[0];
		*rights = mica_mr()[1];
	}
	return e;
}

int mica_cap_same(mica_cap_t task, mica_cap_t a, mica_cap_t b, int *same)
{
	mica_mr()[0] = a;
	mica_mr()[1] = b;
	int e = call(task, MICA_TASK_CAP_SAME, 2);
	if (e == MICA_OK)
		*same = (int)mica_mr()[0];
	return e;
}

int mica_cap_copy(mica_cap_t task, mica_cap_t src, mica_cap_t dst, mica_word_t rights, mica_word_t label)
{
	mica_word_t *mr = mica_mr();
	mr[0] = src;
	mr[1] = dst;
	mr[2] = rights;
	mr[3] = label;
	return call(task, MICA_TASK_CAP_COPY, 4);
}

int mica_cap_delete(mica_cap_t task, mica_cap_t sel)
{
	mica_mr()[0] = sel;
	return call(task, MICA_TASK_CAP_DELETE, 1);
}

int mica_task_map(mica_cap_t task, mica_cap_t src_task, mica_word_t fpage, mica_word_t dst_base,
		  enum mica_item_kind kind)
{
	mica_word_t *mr = mica_mr();
	mr[0] = src_task;
	mr[1] = fpage;
	mr[2] = (dst_base & ~0xffful) | kind;
	return call(task, MICA_TASK_MAP, 3);
}

int mica_task_unmap(mica_cap_t task, mica_word_t flags, mica_word_t *fpages, unsigned n)
{
	mica_word_t *mr = mica_mr();
	mr[0] = flags;
	for (unsigned i = 0; i < n; i++)
		mr[1 + i] = fpages[i];
	int e = call(task, MICA_TASK_UNMAP, 1 + n);
	if (e == MICA_OK)
		for (unsigned i = 0; i < n; i++)
			fpages[i] = mr[1 + i];
	return e;
}

int mica_task_destroy(mica_cap_t task)
{
	return call(task, MICA_TASK_DESTROY, 0);
}

int mica_thread_control(mica_cap_t thread, mica_word_t flags, mica_cap_t task, mica_word_t utcb,
			mica_cap_t pager, mica_cap_t exc)
{
	mica_word_t *mr = mica_mr();
	mr[0] = flags;
	mr[1] = task;
	mr[2] = utcb;
	mr[3] = pager;
	mr[4] = exc;
	return call(thread, MICA_THREAD_CONTROL, 5);
}

int mica_thread_ex_regs(mica_cap_t thread, mica_word_t flags, const struct mica_exregs *in,
			struct mica_exregs *out)
{
	mica_word_t *mr = mica_mr();
	mr[0] = flags;
	mr[1] = in ? in->ip : 0;
	mr[2] = in ? in->sp : 0;
	mr[3] = in ? in->flags : 0;
	mr[4] = in ? in->handle : 0;
	int e = call(thread, MICA_THREAD_EX_REGS, 5);
	if (e == MICA_OK && out)
		*out = (struct mica_exregs){ mr[0], mr[1], mr[2], mr[3], mr[4] };
	return e;
}

int mica_thread_start(mica_cap_t thread, mica_word_t ip, mica_word_t sp, mica_word_t arg)
{
	mica_word_t *mr = mica_mr();
	mr[0] = ip;
	mr[1] = sp;
	mr[2] = arg;
	return call(thread, MICA_THREAD_START, 3);
}

int mica_thread_yield(mica_cap_t thread)
{
	return call(thread, MICA_THREAD_YIELD, 0);
}

int mica_thread_halt_other(mica_cap_t thread)
{
	return call(thread, MICA_THREAD_HALT, 0);
}

int mica_thread_info(mica_cap_t thread, mica_word_t info[5])
{
	return results(call(thread, MICA_THREAD_INFO, 0), info, 5);
}

int mica_thread_stats(mica_cap_t thread, mica_word_t stats[3])
{
	return results(call(thread, MICA_THREAD_STATS, 0), stats, 3);
}

int mica_vcpu_control(mica_cap_t thread, mica_word_t state_addr)
{
	mica_mr()[0] = state_addr;
	return call(thread, MICA_THREAD_VCPU_CONTROL, 1);
}

int mica_vcpu_resume(mica_cap_t self)
{
	return call(self, MICA_THREAD_VCPU_RESUME, 0);
}

int mica_sched_run_thread(mica_cap_t sched, mica_cap_t thread, unsigned prio, mica_word_t slice_ns,
			  unsigned cpu)
{
	mica_word_t *mr = mica_mr();
	mr[0] = thread;
	mr[1] = prio;
	mr[2] = slice_ns;
	mr[3] = cpu;
	return call(sched, MICA_SCHED_RUN_THREAD, 4);
}

int mica_sched_info(mica_cap_t sched, mica_word_t info[5])
{
	return results(call(sched, MICA_SCHED_INFO, 0), info, 5);
}

int mica_sched_idle_ns(mica_cap_t sched, unsigned cpu, mica_word_t *ns)
{
	mica_mr()[0] = cpu;
	return results(call(sched, MICA_SCHED_IDLE_TIME, 1), ns, 1);
}

int mica_sched_create(mica_cap_t sched, mica_cap_t factory, mica_cap_t dst, unsigned ceiling)
{
	mica_word_t *mr = mica_mr();
	mr[0] = factory;
	mr[1] = ceiling;
	return mica_call_into(sched, MICA_SCHED_CREATE, 2, dst);
}

int mica_sched_create_on(mica_cap_t sched, mica_cap_t factory, mica_cap_t dst, unsigned ceiling,
			 mica_word_t cpus)
{
	mica_word_t *mr = mica_mr();
	mr[0] = factory;
	mr[1] = ceiling;
	mr[2] = cpus;
	return mica_call_into(sched, MICA_SCHED_CREATE, 3, dst);
}

int mica_sched_cpus(mica_cap_t sched, mica_word_t *cpus)
{
	mica_word_t info[6] = { 0 };
	int e = results(call(sched, MICA_SCHED_INFO, 0), info, 6);
	*cpus = info[5];
	return e;
}

int mica_create_irq(mica_cap_t factory, mica_cap_t dst)
{
	return mica_factory_create(factory, MICA_OBJ_IRQ, dst, 0, 0);
}

int mica_irq_attach(mica_cap_t irq, mica_cap_t thread, mica_word_t label)
{
	mica_mr()[0] = thread;
	mica_mr()[1] = label;
	return call(irq, MICA_IRQ_ATTACH, 2);
}

int mica_irq_detach(mica_cap_t irq)
{
	return call(irq, MICA_IRQ_DETACH, 0);
}

int mica_irq_trigger(mica_cap_t irq)
{
	return call(irq, MICA_IRQ_TRIGGER, 0);
}

int mica_irq_unmask(mica_cap_t irq)
{
	return call(irq, MICA_IRQ_UNMASK, 0);
}

int mica_irq_info(mica_cap_t irq, mica_word_t info[4])
{
	return results(call(irq, MICA_IRQ_INFO, 0), info, 4);
}

int mica_icu_info(mica_cap_t icu, mica_word_t *lines, mica_word_t *isa_lines)
{
	int e = call(icu, MICA_ICU_INFO, 0);
	if (e == MICA_OK) {
		*lines = mica_mr()[0];
		*isa_lines = mica_mr()[1];
	}
	return e;
}

int mica_icu_bind(mica_cap_t icu, mica_cap_t irq, mica_word_t line, mica_word_t mode, mica_word_t *gsi)
{
	mica_word_t *mr = mica_mr();
	mr[0] = irq;
	mr[1] = line;
	mr[2] = mode;
	int e = call(icu, MICA_ICU_BIND, 3);
	if (e == MICA_OK && gsi)
		*gsi = mr[0];
	return e;
}

int mica_icu_unbind(mica_cap_t icu, mica_cap_t irq)
{
	mica_mr()[0] = irq;
	return call(icu, MICA_ICU_UNBIND, 1);
}

int mica_vcon_get_attr(mica_cap_t vcon, mica_word_t attr[3])
{
	return results(call(vcon, MICA_VCON_GET_ATTR, 0), attr, 3);
}

int mica_vcon_set_attr(mica_cap_t vcon, const mica_word_t attr[3])
{
	for (unsigned i = 0; i < 3; i++)
		mica_mr()[i] = attr[i];
	return call(vcon, MICA_VCON_SET_ATTR, 3);
}

int mica_vcon_read(mica_cap_t vcon, char *buf, unsigned max, uint32_t timeout, unsigned *n)
{
	mica_word_t *mr = mica_mr();
	mr[0] = max;
	mr[1] = timeout;
	int e = call(vcon, MICA_VCON_READ, 2);
	if (e != MICA_OK)
		return e;
	unsigned got = (unsigned)mr[0];
	const char *bytes = (const char *)&mr[1];
	for (unsigned i = 0; i < got && i < max; i++)
		buf[i] = bytes[i];
	*n = got;
	return MICA_OK;
}

int mica_irq_for_isa(mica_cap_t factory, mica_cap_t icu, mica_cap_t sel, unsigned isa, mica_word_t label)
{
	int e;
	if ((e = mica_create_irq(factory, sel)) || (e = mica_icu_bind(icu, sel, isa, MICA_ICU_ISA, 0)) ||
	    (e = mica_irq_attach(sel, MICA_CAP_THREAD, label)) || (e = mica_irq_unmask(sel)))
		return e;
	return MICA_OK;
}

int mica_irq_for_driver(const char *name, unsigned isa, mica_cap_t sel, mica_word_t label, mica_cap_t *irq)
{
	mica_cap_t given = mica_env_cap(name);
	if (!given) {
		*irq = sel;
		return mica_irq_for_isa(MICA_CAP_FACTORY, MICA_CAP_ICU, sel, isa, label);
	}
	*irq = given;
	int e = mica_irq_attach(given, MICA_CAP_THREAD, label);
	return e != MICA_OK ? e : mica_irq_unmask(given);
}

int mica_kdebug_remote(mica_cap_t kdebug, unsigned cpu, unsigned op, mica_cap_t task, mica_word_t addr,
		       mica_word_t out[5])
{
	mica_word_t *mr = mica_mr();
	mr[0] = cpu;
	mr[1] = op;
	mr[2] = task;
	mr[3] = addr;
	return results(call(kdebug, MICA_KDEBUG_REMOTE, op >= MICA_KDEBUG_REMOTE_READ ? 4 : 3), out, 5);
}

int mica_kdebug_storm(mica_cap_t kdebug, unsigned kind, mica_word_t iterations, mica_word_t a, mica_word_t b,
		      mica_word_t c, mica_word_t out[6])
{
	mica_word_t *mr = mica_mr();
	mr[0] = kind;
	mr[1] = iterations;
	mr[2] = a;
	mr[3] = b;
	mr[4] = c;
	return results(call(kdebug, MICA_KDEBUG_STORM, 5), out, 6);
}

int mica_kdebug_kdb(mica_cap_t kdebug, unsigned op, mica_word_t value, const char *text)
{
	mica_word_t *mr = mica_mr();
	unsigned len = 0;
	while (len < MICA_KDEBUG_KDB_TEXT_MAX && text[len])
		len++;
	mr[0] = op;
	mr[1] = value;
	mr[2] = len;
	for (unsigned i = 0; i < (len + 7) / 8; i++)
		mr[3 + i] = 0;
	char *bytes = (char *)&mr[3];
	for (unsigned i = 0; i < len; i++)
		bytes[i] = text[i];
	return call(kdebug, MICA_KDEBUG_KDB, 3 + (len + 7) / 8);
}

int mica_kdebug_check(mica_cap_t kdebug, mica_word_t *objects, mica_word_t *checks)
{
	mica_word_t out[2];
	int e = results(call(kdebug, MICA_KDEBUG_CHECK, 0), out, 2);
	if (e == MICA_OK) {
		if (objects)
			*objects = out[0];
		if (checks)
			*checks = out[1];
	}
	return e;
}
