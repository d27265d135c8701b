/* The benchmark's loader server (for prog_start_exit): a thread of this
 * task serving, in one mica_srv loop, what the root task's server
 * serves: the memory service, region maps, the ROM (the boot modules
 * after this one) and the loader, with its client's capabilities. */
#include <mica_obj.h>
#include <system/system.h>

#include "loader_server.h"

static struct system sys;
static _Alignas(16) uint8_t stack[16384];

static void __attribute__((noreturn)) serve(void)
{
	mica_srv_loop(&sys.srv);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

struct system *loader_server_system(void)
{
	return &sys;
}

int loader_server_start(mica_cap_t first_sel, mica_word_t utcb, mica_cap_t *alloc, mica_cap_t *loader)
{
	mica_cap_t th = first_sel, gate = first_sel + 1;
	const struct system_layout layout = {
		.gate = gate,
		.sel_base = first_sel + 2,
		.pool = 0x340000000000ul,
		.pool_log2 = 30,
		.modules = 0x180000000000ul,
		.quota = 64ul << 20,
		.fs_quota = 8ul << 20, /* the root task's /tmp, smaller: fs_read_64k's */
	};
	int e;
	if ((e = mica_create_thread(MICA_CAP_FACTORY, th)) != MICA_OK ||
	    (e = mica_thread_control(th, MICA_THREAD_CTL_BIND, MICA_CAP_TASK, utcb, 0, 0)) != MICA_OK ||
	    (e = mica_create_gate(MICA_CAP_FACTORY, gate, th, 0)) != MICA_OK ||
	    (e = system_init(&sys, &layout, 2, 0)) != MICA_OK ||
	    (e = mica_srv_cap(&sys.srv, &sys.root.o, MICA_SRV_RIGHTS, alloc)) != MICA_OK ||
	    (e = mica_srv_cap(&sys.srv, &sys.ldr.o, MICA_SRV_R_WRITE, loader)) != MICA_OK)
		return e;
	if ((e = mica_sched_run_thread(MICA_CAP_SCHEDULER, th, MICA_SCHED_DEFAULT_PRIO,
				       MICA_SCHED_DEFAULT_SLICE_NS, 0)) != MICA_OK)
		return e;
	return mica_thread_start(th, (mica_word_t)serve, (mica_word_t)&stack[sizeof(stack) - 8], 0);
}
