/* The benchmark's loader server (for prog_start_exit): a thread of this
 * task serving, in one mica_srv loop, what the root task's server
 * serves: the memory service, region maps, the ROM (the boot modules
 * after this one) and the loader, with its client's capabilities. */
#include <boot_env.h>
#include <loader/loader.h>
#include <mica/kip.h>
#include <mica/layout.h>
#include <mica_obj.h>
#include <rm/rm.h>

#include "loader_server.h"

#define POOL 0x340000000000ul
#define POOL_LOG2 30
#define MODULES 0x180000000000ul
#define NSLOTS 64
#define NSELS 256
#define QUOTA (64ul << 20)

static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct mem_pool pool;
static struct mem m;
static struct mem_alloc root;
static struct rom rom;
static struct logsrv log;
static struct ldr ldr;
static _Alignas(16) uint8_t stack[16384];

static void __attribute__((noreturn)) serve(void)
{
	mica_srv_loop(&srv);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

int loader_server_start(mica_cap_t first_sel, mica_word_t utcb, mica_cap_t *alloc, mica_cap_t *loader)
{
	mica_cap_t th = first_sel, gate = first_sel + 1;
	const struct mica_kip_module *mod = mica_kip_at(boot_kip, boot_kip->module_offset);
	int e;
	if ((e = mica_create_thread(MICA_CAP_FACTORY, th)) != MICA_OK ||
	    (e = mica_thread_control(th, MICA_THREAD_CTL_BIND, MICA_CAP_TASK, utcb, 0, 0)) != MICA_OK ||
	    (e = mica_create_gate(MICA_CAP_FACTORY, gate, th, 0)) != MICA_OK)
		return e;
	mica_srv_init(&srv, gate, slots, gens, NSLOTS, first_sel + 2, sel_map, NSELS);
	mem_pool_init(&pool, MICA_CAP_PAGER, POOL, POOL_LOG2);
	if ((e = mem_init(&m, &srv, &pool, &root, QUOTA)) != MICA_OK)
		return e;
	mem_rm_setup(&m);
	if ((e = rom_init(&rom, &m)) != MICA_OK || (e = logsrv_init(&log, &srv, 0, 0)) != MICA_OK ||
	    (e = ldr_init(&ldr, &m, &rom, &log, (mica_word_t)boot_kip, MICA_CAP_VCON, MICA_CAP_SCHEDULER)) !=
		    MICA_OK)
		return e;
	for (unsigned i = 2; i < boot_kip->module_count; i++) {
		mica_word_t at;
		if ((e = rom_map_module(MICA_CAP_PAGER, mod[i].base, mod[i].size, MODULES, &at)) != MICA_OK ||
		    (e = rom_add(&rom, mica_kip_at(boot_kip, mod[i].cmdline), at, mod[i].size)) != MICA_OK)
			return e;
	}
	if ((e = mica_srv_cap(&srv, &root.o, MICA_SRV_RIGHTS, alloc)) != MICA_OK ||
	    (e = mica_srv_cap(&srv, &ldr.o, MICA_SRV_R_WRITE, loader)) != MICA_OK)
		return e;
	if ((e = mica_sched_run_thread(MICA_CAP_SCHEDULER, th, MICA_SCHED_DEFAULT_PRIO,
				       MICA_SCHED_DEFAULT_SLICE_NS, 0)) != MICA_OK)
		return e;
	return mica_thread_start(th, (mica_word_t)serve, (mica_word_t)&stack[sizeof(stack) - 8], 0);
}
