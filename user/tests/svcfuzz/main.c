/* The protocol fuzzer's root task (make fuzz-services ITER=N SEED=S; boot
 * argument "N S"; boot modules exit0 and ldtest after it). One thread of
 * it serves the user-level protocols: the log server, a memory server
 * (allocators, dataspaces and region maps, its pool from sigma0), a ROM
 * (two modules of the root's pages, and the boot modules) and the
 * loader with its program objects (held ones too, which the client sets
 * up), name spaces (one of the client's allocator's, READ and WRITE and
 * READ only, and those it makes), in one mica_srv. An unprivileged
 * client task holds only capabilities to served objects (a
 * sub-allocator of its own with a modest quota and a region map of it;
 * the loader; foreign ones with fewer rights: the root's allocator, a
 * dataspace of the root's, logs, the ROM, the loader without WRITE), to
 * a kernel factory of its own (its programs' kernel quota, its IRQs),
 * to its own thread, to an empty task of the root's (the victim, for the
 * region maps it creates: a map of its own space could unmap its code)
 * and the Vcon, and sends ITER random and mutated requests (client.c).
 * Then the root checks that the servers are alive and answer correctly
 * (the root starts exit0 and sees it exit), that everything the client
 * made goes with its allocator (its programs too: none runs after), that
 * the client's kernel factory's bytes in use are back to their start,
 * and that the server's resources (open logs, objects, selectors, the
 * pool's pages in use, the root allocator's bytes in use) are back
 * exactly where they started. The last line says "fuzz-services: N
 * requests, M server failures".
 * Not covered: GRANT items (see client.c), region maps of the client's
 * own task (the victim stands in), real page faults of the client's
 * (faked ones are sent as the kernel's fault message; its programs'
 * are real), programs that fuzz their own parent (their EXIT and
 * exceptions are the kernel's and well-formed). */
#include <boot_env.h>
#include <console.h>
#include <loader/loader.h>
#include <log/log_srv.h>
#include <mem/mem.h>
#include <ns/ns.h>
#include <ramfs/ramfs.h>
#include <rm/rm.h>
#include <rom/rom.h>
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/kip.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica/rm.h>
#include <mica_image.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "svcfuzz.h"

/* The log server's slots and room for the memory objects and programs:
 * the client keeps at most CL_OWNED_MAX, the root a few; a running
 * program has some six (its object, sub-allocator, region map, stack,
 * data, log) and ten selectors (task, thread, factory, minted
 * capabilities); the client's quotas allow a handful at a time. */
#define NSLOTS (LOGSRV_SLOTS + 128)
#define NSELS 512
#define STACK 16384
#define CLIENT_UTCB 0x7fff00000000ul
#define CLIENT_UTCB_LOG2 12

struct svcfuzz_shared sf;

static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct logsrv ls;
static struct mem mem;
static struct mem_pool pool;
static struct mem_alloc root_alloc;
static struct mem_ds *root_ds; /* a foreign dataspace to the client */
/* A ROM of two modules whose images are pages of the root's (their
 * bytes are what a client mapping them must read). */
static struct rom rom;
static _Alignas(4096) uint8_t rom_images[2][2 * 4096];
/* The loader, serving programs from the ROM: the boot modules after
 * this one (exit0, ldtest) besides the two of pages. */
static struct ldr ldr;
/* The RAM file server, and the session the client fuzzes (READ and
 * WRITE, and READ only); both made anew after the run (fs_reset). */
static struct ramfs fs;
static struct ramfs_session *fs_ses;
#define FS_QUOTA (2ul << 20)
#define FS_SES_QUOTA (1ul << 20)
static unsigned long lines;
static _Alignas(16) uint8_t stacks[2][STACK];

/* The memory server's pool window and quotas. The root's dataspace is
 * pinned: a client that maps or writes it charges nobody. */
#define POOL_BASE 0x300000000000ul
#define POOL_LOG2 30
#define ROOT_QUOTA (64ul << 20)
#define CLIENT_QUOTA (4ul << 20)
#define ROOT_DS_SIZE (4 * 4096ul)
/* Where the root maps a page of its check (its own space). */
#define ROOT_WINDOW 0x500000000000ul
/* Where the boot modules appear (this + their physical address). */
#define MODULES 0x180000000000ul
/* The client's kernel factory: a few programs (each asks for
 * PROG_KQUOTA in the valid sequences) and its IRQs. */
#define CLIENT_KQUOTA (1ul << 20)
#define PROG_MEMQ (512ul << 10)
#define PROG_KQUOTA (200ul << 10)

/* Selectors in the root. */
enum {
	R_GATE = 0x100,
	R_SERVER,
	R_TASK,
	R_CLIENT,
	R_CLIENT_ALLOC,
	R_CHECK,
	R_VICTIM,
	R_CLIENT_KF,
	R_LDR_SCHED,
	R_SELS = 0x200
};
#define VICTIM_UTCB 0x7fff00000000ul

/* The client's lines are counted, not printed: ITER random writes would
 * bury the console. */
static void count_line(void *ctx, const char *line, unsigned n)
{
	(void)ctx;
	(void)line;
	(void)n;
	lines++;
}

static void serve(long unused)
{
	(void)unused;
	int e = mica_srv_loop(&srv);
	printf("fuzz-services: the server loop ended: error %d\n", e);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

static unsigned sels_in_use(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NSELS; i++)
		n += (sel_map[i / 64] >> (i % 64)) & 1;
	return n;
}

static int thread(mica_cap_t sel, mica_cap_t task, mica_word_t utcb, void (*fn)(long), unsigned n)
{
	int e = mica_create_thread(MICA_CAP_FACTORY, sel);
	if (e == MICA_OK)
		e = mica_thread_control(sel, MICA_THREAD_CTL_BIND, task, utcb, 0, 0);
	/* The client attaches an IRQ to itself. */
	if (e == MICA_OK && task == R_TASK)
		e = mica_cap_copy(R_TASK, sel, CL_THREAD, MICA_RIGHTS_ALL, 0);
	if (e == MICA_OK)
		e = mica_sched_run_thread(MICA_CAP_SCHEDULER, sel, MICA_SCHED_DEFAULT_PRIO,
					  MICA_SCHED_DEFAULT_SLICE_NS, 0);
	if (e == MICA_OK)
		e = mica_thread_start(sel, (mica_word_t)fn, (mica_word_t)&stacks[n][STACK] - 8, 0);
	return e;
}

static unsigned slots_in_use(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NSLOTS; i++)
		n += slots[i] != 0;
	return n;
}

/* The server's capabilities to o with every set of rights, minted now:
 * a client's MICA_OBJ_REDUCE of a capability of the root's mints no
 * selector the end's count would see (one per object and rights). */
static int mint_all(struct mica_srv_obj *o)
{
	mica_cap_t c;
	int e = MICA_OK;
	for (unsigned r = 0; r <= MICA_SRV_RIGHTS && e == MICA_OK; r++)
		e = mica_srv_cap(&srv, o, r, &c);
	return e;
}

/* Gives the client a capability to o with rights, as target i. */
static int target(struct mica_srv_obj *o, unsigned rights, enum target_kind kind)
{
	mica_cap_t c;
	int e = mint_all(o);
	if (e == MICA_OK)
		e = mica_srv_cap(&srv, o, rights, &c);
	struct target *t = &sf.targets[sf.ntargets];
	t->kind = kind;
	t->sel = CL_TARGET + sf.ntargets;
	t->size = kind == T_DS ? mem_ds_size(mem_ds_of(o)) : 0;
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, c, t->sel, MICA_RIGHTS_ALL, 0);
	sf.ntargets++;
	return e;
}

/* The served objects of every protocol, each with a few rights. */
static int serve_objects(struct logsrv_log **mine)
{
	int e = logsrv_init(&ls, &srv, count_line, 0);
	if (e == MICA_OK)
		e = logsrv_open(&ls, "root", 4, 0, mine);
	if (e == MICA_OK)
		e = target(&ls.factory, MICA_LOG_R_WRITE, T_LOG_FACTORY);
	if (e == MICA_OK)
		e = target(&ls.factory, MICA_SRV_R_READ, T_LOG_FACTORY);
	/* No CONTROL: the root's own log stays open. */
	if (e == MICA_OK)
		e = target(&(*mine)->o, MICA_LOG_R_WRITE, T_LOG);
	if (e == MICA_OK)
		e = target(&(*mine)->o, MICA_SRV_R_READ, T_LOG);
	/* The memory server, with objects of the root's the client may
	 * look at but not change the accounting of: no CREATE on the root
	 * allocator (its DELETE is refused anyway), the pinned dataspace
	 * without CONTROL (no DELETE, no PHYS). */
	mem_pool_init(&pool, MICA_CAP_PAGER, POOL_BASE, POOL_LOG2);
	if (e == MICA_OK)
		e = mem_init(&mem, &srv, &pool, &root_alloc, ROOT_QUOTA);
	mem_rm_setup(&mem);
	ns_setup(&mem);
	if (e == MICA_OK)
		e = mem_ds_create(&root_alloc, ROOT_DS_SIZE, MICA_DS_PINNED, &root_ds);
	/* The root's own capability (client_alloc, mem_answers), minted
	 * before the selectors in use are counted. */
	mica_cap_t root;
	if (e == MICA_OK)
		e = mica_srv_cap(&srv, &root_alloc.o, MICA_SRV_RIGHTS, &root);
	if (e == MICA_OK)
		e = target(&root_alloc.o, MICA_SRV_R_READ | MICA_SRV_R_CONTROL, T_ALLOC);
	if (e == MICA_OK)
		e = target(mem_ds_obj(root_ds), MICA_DS_R_READ | MICA_DS_R_WRITE, T_DS);
	if (e == MICA_OK)
		e = target(mem_ds_obj(root_ds), MICA_DS_R_READ, T_DS);
	for (unsigned i = 0; i < sizeof(rom_images); i++)
		rom_images[i / sizeof(rom_images[0])][i % sizeof(rom_images[0])] = (uint8_t)(i * 7 + 1);
	if (e == MICA_OK)
		e = rom_init(&rom, &mem);
	if (e == MICA_OK)
		e = rom_add(&rom, "build/user/alpha.elf one two", (mica_word_t)rom_images[0],
			    sizeof(rom_images[0]) - 5);
	if (e == MICA_OK)
		e = rom_add(&rom, "beta", (mica_word_t)rom_images[1], sizeof(rom_images[1]));
	const struct mica_kip_module *m = mica_kip_at(boot_kip, boot_kip->module_offset);
	for (unsigned i = 2; i < boot_kip->module_count && e == MICA_OK; i++) {
		mica_word_t at;
		e = rom_map_module(MICA_CAP_PAGER, m[i].base, m[i].size, MODULES, &at);
		if (e == MICA_OK)
			e = rom_add(&rom, mica_kip_at(boot_kip, m[i].cmdline), at, m[i].size);
	}
	if (e == MICA_OK && (!rom_find(&rom, "exit0", 5) || !rom_find(&rom, "ldtest", 6)))
		e = MICA_E_NOT_FOUND; /* tools/fuzz-services.sh's modules */
	if (e == MICA_OK)
		e = target(&rom.o, MICA_ROM_R_READ, T_ROM);
	if (e == MICA_OK)
		e = ramfs_init(&fs, &mem, &root_alloc, FS_QUOTA);
	if (e == MICA_OK)
		e = ramfs_session_new(&fs, FS_SES_QUOTA, &fs_ses);
	if (e == MICA_OK)
		e = target(&fs_ses->o, MICA_FS_R_READ | MICA_FS_R_WRITE, T_FS);
	if (e == MICA_OK)
		e = target(&fs_ses->o, MICA_FS_R_READ, T_FS);
	/* The loader: CREATE needs WRITE (the READ one is refused). It
	 * places the programs' threads through this task's scheduler. */
	/* Through a scheduler whose ceiling is the default priority: a
	 * held program's SCHED above it is refused, so no program the
	 * client sets up can starve the server, the client or the root. */
	if (e == MICA_OK)
		e = mica_sched_create(MICA_CAP_SCHEDULER, MICA_CAP_FACTORY, R_LDR_SCHED,
				      MICA_SCHED_DEFAULT_PRIO);
	if (e == MICA_OK)
		e = ldr_init(&ldr, &mem, &rom, &ls, (mica_word_t)boot_kip, 0, R_LDR_SCHED);
	sf.loader = sf.ntargets;
	/* Twice: programs started by the rows are what the program
	 * objects' rows need. */
	for (unsigned i = 0; i < 2 && e == MICA_OK; i++)
		e = target(&ldr.o, MICA_SRV_R_WRITE, T_LOADER);
	if (e == MICA_OK)
		e = target(&ldr.o, MICA_SRV_R_READ, T_LOADER);
	/* The capability QUERY answers with, minted now: it stays (one per
	 * object and rights) and is no selector the client's requests took. */
	mica_cap_t c;
	for (unsigned i = 0; i < rom.count && e == MICA_OK; i++)
		e = mint_all(mem_ds_obj(rom.mod[i].ds));
	(void)c;
	return e;
}

/* Calls the server (from the root's main thread, while the serving
 * thread waits): obj's method op with u words, a created capability
 * landing at dst. */
static int call(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t dst)
{
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	int e = mica_error(mica_call(obj, op, u));
	br[MICA_BR_OBJ_WINDOW] = MICA_FPAGE_NIL;
	return e;
}

/* The client's allocator (a sub-allocator of the root's, at
 * R_CLIENT_ALLOC here), given to it with READ and WRITE (its own
 * objects, not itself, are the client's to delete), READ only and
 * WRITE only; and a region map of that allocator's for the victim task
 * that lives the whole run (the client's own ones seldom do), without
 * CONTROL (no delete, no faults: those go to the client's own maps). */
static int client_alloc(void)
{
	mica_cap_t root;
	mica_word_t *mr = mica_mr();
	int e = mica_srv_cap(&srv, &root_alloc.o, MICA_SRV_RIGHTS, &root);
	mr[0] = MICA_PROTO_ALLOCATOR;
	mr[1] = CLIENT_QUOTA;
	if (e == MICA_OK)
		e = call(root, MICA_FACTORY_CREATE, 2, R_CLIENT_ALLOC);
	if (e != MICA_OK)
		return e;
	struct mica_srv_obj *sub = &root_alloc.child->o; /* the newest */
	sf.own_alloc = sf.ntargets;
	e = target(sub, MICA_SRV_R_READ | MICA_SRV_R_WRITE, T_ALLOC);
	if (e == MICA_OK)
		e = target(sub, MICA_SRV_R_READ, T_ALLOC);
	if (e == MICA_OK)
		e = target(sub, MICA_SRV_R_WRITE, T_ALLOC);
	mr[0] = MICA_PROTO_REGION_MAP;
	mr[1] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[2] = mica_fpage_obj(R_VICTIM, 0, MICA_RIGHTS_ALL);
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(R_CHECK, 0, MICA_RIGHTS_ALL);
	if (e == MICA_OK)
		e = mica_error(mica_ipc(R_CLIENT_ALLOC, mica_msgtag(MICA_FACTORY_CREATE, 1, 2, 0),
					MICA_IPC_CALL, 0, 0, 0));
	br[MICA_BR_OBJ_WINDOW] = MICA_FPAGE_NIL;
	struct mica_srv_obj *rm = 0;
	for (unsigned i = 0; i < NSLOTS && !rm; i++)
		rm = mem_rm_of(slots[i]) ? slots[i] : 0;
	if (e == MICA_OK && !rm)
		e = MICA_E_INVALID_CAP;
	if (e == MICA_OK)
		e = target(rm, MICA_RM_R_READ | MICA_RM_R_WRITE, T_RM);
	if (e == MICA_OK)
		e = target(rm, MICA_RM_R_READ, T_RM);
	/* The root keeps no capability of its own to it. */
	mica_cap_delete(MICA_CAP_TASK, R_CHECK);
	/* A name space of that allocator's (it goes with it): READ and
	 * WRITE, and READ only. */
	mr[0] = MICA_PROTO_NAMESPACE;
	if (e == MICA_OK)
		e = call(R_CLIENT_ALLOC, MICA_FACTORY_CREATE, 1, R_CHECK);
	struct mica_srv_obj *ns = 0;
	for (unsigned i = 0; i < NSLOTS && !ns; i++)
		ns = slots[i] && strcmp(slots[i]->type->name, "namespace") == 0 ? slots[i] : 0;
	if (e == MICA_OK && !ns)
		e = MICA_E_INVALID_CAP;
	if (e == MICA_OK)
		e = target(ns, MICA_NS_R_READ | MICA_NS_R_WRITE, T_NS);
	if (e == MICA_OK)
		e = target(ns, MICA_NS_R_READ, T_NS);
	mica_cap_delete(MICA_CAP_TASK, R_CHECK);
	return e;
}

/* Whether the server answers a request within 100 ms (it may have
 * crashed or be stuck in a request of the client's). */
static bool alive(void)
{
	mica_cap_t root;
	if (mica_srv_cap(&srv, &root_alloc.o, MICA_SRV_RIGHTS, &root) != MICA_OK)
		return false;
	mica_word_t to = MICA_TIMEOUT_REL(100000, 10);
	return mica_error(mica_call_timeout(root, MICA_FACTORY_INFO, 0, MICA_TIMEOUTS(to, to))) == MICA_OK;
}

/* The memory server still answers as its protocol says: a fresh
 * dataspace of the root's is created, mapped, written, read back,
 * charged exactly (object, page table, page) and deleted. */
static int mem_answers(void)
{
	mica_cap_t root;
	mica_word_t used0 = root_alloc.used;
	if (mica_srv_cap(&srv, &root_alloc.o, MICA_SRV_RIGHTS, &root) != MICA_OK)
		return 0;
	mica_word_t *mr = mica_mr();
	mr[0] = 7; /* the kernel's: no type of this factory's */
	if (call(root, MICA_FACTORY_CREATE, 1, R_CHECK) != MICA_E_BAD_ARG)
		return 0;
	mr[0] = MICA_PROTO_DATASPACE;
	mr[1] = 2 * 4096ul;
	mr[2] = 0;
	if (call(root, MICA_FACTORY_CREATE, 3, R_CHECK) != MICA_OK)
		return 0;
	if (call(R_CHECK, MICA_DS_INFO, 0, 0) != MICA_OK || mr[0] != 2 * 4096ul || mr[1] != MICA_DS_RW)
		return 0;
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_MEM_WINDOW] = mica_fpage_mem(ROOT_WINDOW, 12, MICA_FPAGE_RWX);
	mr[0] = 4096ul + 8;
	mr[1] = ROOT_WINDOW;
	mr[2] = MICA_FPAGE_RW;
	int e = call(R_CHECK, MICA_DS_MAP, 3, 0);
	br[MICA_BR_MEM_WINDOW] = MICA_FPAGE_NIL;
	volatile mica_word_t *w = (volatile mica_word_t *)(ROOT_WINDOW + 8);
	if (e != MICA_OK || *w != 0)
		return 0;
	*w = 0x5eed;
	if (*w != 0x5eed || root_alloc.used != used0 + 3 * 4096ul)
		return 0;
	mr[0] = 2 * 4096ul;
	mr[1] = ROOT_WINDOW;
	mr[2] = MICA_FPAGE_R;
	if (call(R_CHECK, MICA_DS_MAP, 3, 0) != MICA_E_BAD_ARG)
		return 0;
	if (call(R_CHECK, MICA_OBJ_DELETE, 0, 0) != MICA_OK)
		return 0;
	return call(R_CHECK, MICA_DS_INFO, 0, 0) == MICA_E_INVALID_CAP && root_alloc.used == used0;
}

/* The loader still answers as its protocol says: exit0 started by the
 * root (its allocator, the client's kernel factory) runs, exits with 0
 * (STATUS polled, a bounded wait), and its object's delete returns
 * both quotas exactly. */
static int prog_answers(void)
{
	mica_cap_t loader, root;
	mica_word_t used0 = root_alloc.used, klimit, kused0, kused;
	if (mica_srv_cap(&srv, &ldr.o, MICA_SRV_R_WRITE, &loader) != MICA_OK ||
	    mica_srv_cap(&srv, &root_alloc.o, MICA_SRV_RIGHTS, &root) != MICA_OK ||
	    mica_factory_info(R_CLIENT_KF, &klimit, &kused0) != MICA_OK)
		return 0;
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_PROTO_PROGRAM;
	mr[1] = PROG_MEMQ;
	mr[2] = PROG_KQUOTA;
	mr[3] = 5;
	mr[4] = 0;
	memcpy(&mr[4], "exit0", 5);
	mr[5] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[6] = mica_fpage_obj(root, 0, MICA_RIGHTS_ALL);
	mr[7] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[8] = mica_fpage_obj(R_CLIENT_KF, 0, MICA_RIGHTS_ALL);
	volatile mica_word_t *br = mica_utcb()->br;
	br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(R_CHECK, 0, MICA_RIGHTS_ALL);
	int e = mica_error(
		mica_ipc(loader, mica_msgtag(MICA_FACTORY_CREATE, 5, 4, 0), MICA_IPC_CALL, 0, 0, 0));
	br[MICA_BR_OBJ_WINDOW] = MICA_FPAGE_NIL;
	if (e != MICA_OK || ldr.running != 1)
		return 0;
	for (unsigned i = 0; i < 100000 && ldr.running; i++)
		mica_thread_yield(MICA_CAP_THREAD);
	if (call(R_CHECK, MICA_PROGRAM_STATUS, 0, 0) != MICA_OK || mr[0] != MICA_PROGRAM_EXITED || mr[1] != 0)
		return 0;
	/* Ended: all but its object is back. */
	if (root_alloc.used != used0 + MICA_OBJ_COST ||
	    mica_factory_info(R_CLIENT_KF, &klimit, &kused) != MICA_OK || kused != kused0)
		return 0;
	if (call(R_CHECK, MICA_OBJ_DELETE, 0, 0) != MICA_OK)
		return 0;
	return call(R_CHECK, MICA_PROGRAM_STATUS, 0, 0) == MICA_E_INVALID_CAP && root_alloc.used == used0;
}

/* The file server still answers as its protocol says: a file made,
 * written, read back, stat'ed, unlinked and closed through a fresh
 * session, whose quota is back at 0 after. */
static int fs_answers(void)
{
	struct ramfs_session *s;
	mica_cap_t c;
	mica_word_t *mr = mica_mr();
	if (ramfs_session_new(&fs, 4 * 4096ul, &s) != MICA_OK)
		return 0;
	int ok = mica_srv_cap(&srv, &s->o, MICA_SRV_RIGHTS, &c) == MICA_OK;
	mr[0] = MICA_FS_O_READ | MICA_FS_O_WRITE | MICA_FS_O_CREAT | MICA_FS_O_EXCL;
	mr[1] = 6;
	memcpy(&mr[2], "/check", 6);
	ok = ok && call(c, MICA_FS_OPEN, 3, 0) == MICA_OK && mr[0] == 0;
	mica_word_t h = mr[1];
	mr[0] = h;
	mr[1] = 4090;
	mr[2] = 8;
	mr[3] = 0x5eedf00dul;
	ok = ok && call(c, MICA_FS_WRITE, 4, 0) == MICA_OK && mr[0] == 0 && mr[1] == 8;
	mr[0] = h;
	mr[1] = 4090;
	mr[2] = 16;
	ok = ok && call(c, MICA_FS_READ, 3, 0) == MICA_OK && mr[0] == 0 && mr[1] == 8 &&
	     mr[2] == 0x5eedf00dul;
	mr[0] = h;
	ok = ok && call(c, MICA_FS_STAT, 1, 0) == MICA_OK && mr[0] == 0 && mr[2] == 4098;
	ok = ok && s->charged == MICA_FS_NODE_COST + 2 * 4096ul;
	mr[0] = 6;
	memcpy(&mr[1], "/check", 6);
	ok = ok && call(c, MICA_FS_UNLINK, 2, 0) == MICA_OK && mr[0] == 0;
	mr[0] = h;
	ok = ok && call(c, MICA_FS_CLOSE, 1, 0) == MICA_OK && mr[0] == 0 && s->charged == 0;
	ramfs_session_end(s);
	return ok;
}

/* The file system made anew, as it was before the run (its objects,
 * pages and the selectors of the client's session's capabilities): what
 * the client left in it goes, and the server's accounting must show no
 * trace of it. */
static int fs_reset(void)
{
	mica_cap_t c;
	unsigned nodes = 0;
	for (unsigned i = 0; i < RAMFS_NODES; i++)
		nodes += fs.node[i].used;
	printf("fuzz-services: the client left %u nodes (the root included) in the file system\n", nodes);
	ramfs_fini(&fs);
	(void)c;
	if (ramfs_init(&fs, &mem, &root_alloc, FS_QUOTA) != MICA_OK ||
	    ramfs_session_new(&fs, FS_SES_QUOTA, &fs_ses) != MICA_OK || mint_all(&fs_ses->o) != MICA_OK)
		return 0;
	return 1;
}

/* The server still answers as the protocol says. */
static int answers(struct logsrv_log *mine)
{
	mica_cap_t c;
	if (mica_srv_cap(&srv, &mine->o, MICA_LOG_R_WRITE, &c) != MICA_OK)
		return 0;
	/* The client may have left a partial or cut line: ended first. */
	if (mica_error(mica_call(c, MICA_LOG_FLUSH, 0)) != MICA_OK)
		return 0;
	unsigned long before = lines;
	mica_mr()[0] = 3;
	memcpy(&mica_mr()[1], "ok\n", 3);
	mica_msgtag_t t = mica_call(c, MICA_LOG_WRITE, 2);
	if (mica_error(t) != MICA_OK || mica_mr()[0] != 3)
		return 0;
	mica_mr()[0] = 9;
	if (mica_error(mica_call(c, MICA_LOG_WRITE, 1)) != MICA_E_BAD_ARG)
		return 0;
	return mica_error(mica_call(c, 77, 0)) == MICA_E_UNKNOWN_OP && lines == before + 1;
}

int main(void)
{
	char *end;
	sf.iterations = strtoul(boot_args(), &end, 0);
	sf.seed = strtoul(end, 0, 0);
	if (!sf.iterations)
		sf.iterations = 5000;
	printf("fuzz-services: %lu requests, seed %lu\n", sf.iterations, sf.seed);
	mica_touch_image();
	unsigned long failures = 0;
	struct logsrv_log *mine = 0;
	int e = mica_create_thread(MICA_CAP_FACTORY, R_SERVER);
	if (e == MICA_OK)
		e = mica_create_gate(MICA_CAP_FACTORY, R_GATE, R_SERVER, 0);
	mica_srv_init(&srv, R_GATE, slots, gens, NSLOTS, R_SELS, sel_map, NSELS);
	if (e == MICA_OK)
		e = mica_create_task(MICA_CAP_FACTORY, R_TASK, CLIENT_UTCB, CLIENT_UTCB_LOG2);
	if (e == MICA_OK)
		e = mica_share_image(R_TASK);
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, MICA_CAP_VCON, MICA_CAP_VCON, MICA_RIGHTS_ALL, 0);
	if (e == MICA_OK)
		e = mica_create_task(MICA_CAP_FACTORY, R_VICTIM, VICTIM_UTCB, CLIENT_UTCB_LOG2);
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, R_VICTIM, CL_VICTIM, MICA_RIGHTS_ALL, 0);
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, R_VICTIM, CL_VICTIM_RO, MICA_TASK_R_READ, 0);
	if (e == MICA_OK)
		e = mica_create_factory(MICA_CAP_FACTORY, R_CLIENT_KF, CLIENT_KQUOTA);
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, R_CLIENT_KF, CL_KF, MICA_RIGHTS_ALL, 0);
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, R_CLIENT_KF, CL_KF_RO, MICA_FACTORY_R_READ, 0);
	mica_word_t klimit = 0, kused0 = 0, kused = 0;
	if (e == MICA_OK)
		e = mica_factory_info(R_CLIENT_KF, &klimit, &kused0);
	if (e == MICA_OK)
		e = serve_objects(&mine);
	unsigned open0 = logsrv_open_count(&ls), sels0 = sels_in_use(), slots0 = slots_in_use();
	mica_word_t pool0 = pool.used, used0 = root_alloc.used;
	if (e == MICA_OK)
		e = mica_thread_control(R_SERVER, MICA_THREAD_CTL_BIND, MICA_CAP_TASK,
					MICA_BOOT_UTCB_ADDR + MICA_UTCB_SIZE, 0, 0);
	if (e == MICA_OK)
		e = mica_sched_run_thread(MICA_CAP_SCHEDULER, R_SERVER, MICA_SCHED_DEFAULT_PRIO,
					  MICA_SCHED_DEFAULT_SLICE_NS, 0);
	if (e == MICA_OK)
		e = mica_thread_start(R_SERVER, (mica_word_t)serve, (mica_word_t)&stacks[0][STACK] - 8, 0);
	if (e == MICA_OK)
		e = client_alloc();
	if (e == MICA_OK)
		e = thread(R_CLIENT, R_TASK, CLIENT_UTCB, svcfuzz_client, 1);
	if (e != MICA_OK) {
		printf("fuzz-services: cannot build the environment: error %d\n", e);
		printf("fuzz-services: 0 requests, 1 server failures\n");
		return 1;
	}
	unsigned long last = 0, stalls = 0;
	while (!sf.done && stalls < 1000) {
		mica_thread_yield(MICA_CAP_THREAD);
		stalls = sf.sent == last ? stalls + 1 : 0;
		last = sf.sent;
	}
	if (!sf.done) {
		printf("fuzz-services: the client made no progress after %lu requests (seed %lu)\n", sf.sent,
		       sf.seed);
		failures++;
	}
	mica_task_destroy(R_TASK);
	if (!sf.done && !alive()) {
		/* The checks below call the server and would wait for good. */
		printf("fuzz-services: the server does not answer (crashed or stuck); no further checks "
		       "(seed "
		       "%lu)\n",
		       sf.seed);
		printf("fuzz-services: %lu requests, %lu server failures\n", sf.sent, failures + 1);
		/* A server spinning in a request would keep the run going. */
		mica_cap_delete(MICA_CAP_TASK, R_SERVER);
		return 0;
	}
	if (sf.client_failed) {
		printf("fuzz-services: a selector of the client's holds a capability it should not (seed "
		       "%lu)\n",
		       sf.seed);
		failures++;
	}
	if (sf.check_failed) {
		printf("fuzz-services: a valid request of the client's was answered wrongly (check %d of "
		       "client.c, "
		       "after %lu requests; seed %lu)\n",
		       sf.check_failed, sf.check_at, sf.seed);
		failures++;
	}
	if (!answers(mine)) {
		printf("fuzz-services: the log server no longer answers as its protocol says (seed %lu)\n",
		       sf.seed);
		failures++;
	}
	if (!fs_answers()) {
		printf("fuzz-services: the file server no longer answers as its protocol says (seed %lu)\n",
		       sf.seed);
		failures++;
	}
	if (!fs_reset()) {
		printf("fuzz-services: the file server cannot be made anew (seed %lu)\n", sf.seed);
		failures++;
	}
	/* The client's allocator, its region map, the objects the client
	 * left and nothing else are there; deleting the allocator ends
	 * them all. */
	unsigned slots1 = slots_in_use();
	if (slots1 != slots0 + 3 + sf.left) {
		printf("fuzz-services: %u objects served, %u before the client's (its allocator, region "
		       "map and name space) "
		       "and %lu it left (seed %lu)\n",
		       slots1, slots0 + 3, sf.left, sf.seed);
		failures++;
	}
	if (call(R_CLIENT_ALLOC, MICA_OBJ_DELETE, 0, 0) != MICA_OK) {
		printf("fuzz-services: the client's allocator cannot be deleted (seed %lu)\n", sf.seed);
		failures++;
	}
	/* Every program the client started went with its allocator (or
	 * before); so did their kernel objects, and the client's IRQs with
	 * its task. */
	if (ldr.running != 0 || mica_factory_info(R_CLIENT_KF, &klimit, &kused) != MICA_OK ||
	    kused != kused0) {
		printf("fuzz-services: %u programs still run, the client's kernel factory uses %lu bytes "
		       "(before "
		       "%lu) (seed %lu)\n",
		       ldr.running, kused, kused0, sf.seed);
		failures++;
	}
	if (!prog_answers()) {
		printf("fuzz-services: the loader no longer answers as its protocol says (seed %lu)\n",
		       sf.seed);
		failures++;
	}
	if (!mem_answers()) {
		printf("fuzz-services: the memory server no longer answers as its protocol says (seed %lu)\n",
		       sf.seed);
		failures++;
	}
	if (slots_in_use() != slots0) {
		printf("fuzz-services: %u objects served after the client's allocator went, %u before (seed "
		       "%lu)\n",
		       slots_in_use(), slots0, sf.seed);
		failures++;
	}
	if (pool.used != pool0 || root_alloc.used != used0) {
		printf("fuzz-services: pool pages in use %lu (before %lu), root allocator bytes in use %lu "
		       "(before %lu) (seed %lu)\n",
		       pool.used, pool0, root_alloc.used, used0, sf.seed);
		failures++;
	}
	/* What the client made is closed; its capabilities to ours are
	 * still minted (the server keeps one per object and rights). */
	if (logsrv_open_count(&ls) != open0) {
		printf("fuzz-services: %u log objects open, %u before (seed %lu)\n", logsrv_open_count(&ls),
		       open0, sf.seed);
		failures++;
	}
	if (sels_in_use() != sels0) {
		printf("fuzz-services: the server uses %u selectors, %u before (seed %lu)\n", sels_in_use(),
		       sels0, sf.seed);
		failures++;
	}
	printf("fuzz-services: %lu answered without error, %lu lines logged, %lu mapped pages touched, "
	       "%lu valid sequences, %lu objects (memory objects, ended programs) left to the allocator's "
	       "delete, %lu programs started, %lu seen to end as expected\n",
	       sf.answered_ok, lines, sf.maps_touched, sf.sequences, sf.left, sf.started, sf.progs_ended);
	printf("fuzz-services: %lu held-program set-up requests, %lu name-space requests and %lu rights "
	       "reductions answered without error\n",
	       sf.held_ok, sf.ns_ok, sf.reduced_ok);
	printf("fuzz-services: answer digest %016lx (a replay with the same seed prints the same)\n",
	       sf.digest);
	printf("fuzz-services: %lu requests, %lu server failures\n", sf.sent, failures);
	return 0;
}
