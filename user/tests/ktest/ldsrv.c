/* The loader's server for the rom_ and loader_ cases (ldsrv.h). */
#include <boot_env.h>
#include <mica/factory.h>
#include <mica/kip.h>
#include <mica/rom.h>
#include <mica_clock.h>
#include <mica_mem.h>
#include <progname.h>
#include <ns/ns.h>
#include <rm/rm.h>
#include <string.h>

#include "ldsrv.h"
#include "servers.h"

#define NSLOTS 512
#define NSELS 2048
#define POOL 0x340000000000ul
#define POOL_LOG2 30
#define MODULES 0x180000000000ul

struct kldr kldr;
static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct mem_pool pool;
static int pool_ready;

static struct kmod mods[24];
static unsigned nmods;
static int mapped;

unsigned kmods(const struct kmod **out)
{
	if (!mapped) {
		const struct mica_kip_module *m = mica_kip_at(boot_kip, boot_kip->module_offset);
		for (unsigned i = 2; i < boot_kip->module_count && nmods < 24; i++) {
			mica_word_t at;
			if (rom_map_module(MICA_CAP_PAGER, m[i].base, m[i].size, MODULES, &at) != MICA_OK)
				continue;
			mods[nmods++] = (struct kmod){ mica_kip_at(boot_kip, m[i].cmdline), at, m[i].size };
		}
		mapped = 1;
	}
	*out = mods;
	return nmods;
}

const struct kmod *kmod_find(const char *name)
{
	const struct kmod *m;
	unsigned n = kmods(&m);
	for (unsigned i = 0; i < n; i++) {
		char got[32];
		progname(m[i].cmdline, got, sizeof(got));
		if (!strcmp(got, name))
			return &m[i];
	}
	return 0;
}

/* The server's selectors in use (minted capabilities, windows, objects'). */
static unsigned used_sels(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NSELS; i++)
		n += (unsigned)(sel_map[i / 64] >> (i % 64)) & 1;
	return n;
}
static unsigned sels0;

static void capture(void *ctx, const char *line, unsigned n)
{
	struct kldr *k = ctx;
	if (n <= sizeof(k->out) - k->out_len) {
		memcpy(k->out + k->out_len, line, n);
		k->out_len += n;
	}
}

static void ended(void *ctx, struct ldr_prog *p)
{
	(void)p;
	((struct kldr *)ctx)->ended++;
}

int kldr_start(mica_word_t quota)
{
	struct kldr *k = &kldr;
	const struct kmod *m;
	unsigned n = kmods(&m);
	memset(k, 0, sizeof(*k));
	if (!pool_ready) {
		mem_pool_init(&pool, MICA_CAP_PAGER, POOL, POOL_LOG2);
		pool_ready = 1;
	}
	k->pool_used0 = pool.used;
	if (!(k->k = ksrv_thread(&srv, slots, gens, NSLOTS, sel_map, NSELS)) ||
	    mem_init(&k->m, &srv, &pool, &k->root, quota) != MICA_OK)
		return 0;
	mem_rm_setup(&k->m);
	ns_setup(&k->m);
	if (mica_srv_cap(&srv, &k->root.o, MICA_SRV_RIGHTS, &k->alloc) != MICA_OK)
		return 0;
	sels0 = used_sels();
	if (rom_init(&k->rom, &k->m) != MICA_OK || logsrv_init(&k->log, &srv, capture, k) != MICA_OK ||
	    ldr_init(&k->l, &k->m, &k->rom, &k->log, (mica_word_t)boot_kip, MICA_CAP_VCON,
		     MICA_CAP_SCHEDULER) != MICA_OK)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (rom_add(&k->rom, m[i].cmdline, m[i].addr, m[i].size) != MICA_OK)
			return 0;
	k->l.ended = ended;
	k->l.ctx = k;
	if (mica_srv_cap(&srv, &k->l.o, MICA_SRV_R_WRITE, &k->loader) != MICA_OK ||
	    mica_srv_cap(&srv, &k->rom.o, MICA_ROM_R_READ, &k->rom_cap) != MICA_OK)
		return 0;
	if (kthread_go(k->k) != MICA_OK)
		return 0;
	kyield();
	return 1;
}

int kldr_fs(mica_word_t quota)
{
	struct kldr *k = &kldr;
	mica_word_t used = k->root.used;
	if (ramfs_init(&k->fs, &k->m, &k->root, quota) != MICA_OK)
		return 0;
	k->fs_charge = k->root.used - used;
	k->l.fs = &k->fs;
	return 1;
}

int kldr_finish(void)
{
	struct kldr *k = &kldr;
	int clean = k->l.running == 0 && logsrv_open_count(&k->log) == 0 &&
		    k->root.used == k->rom.count * MICA_OBJ_COST + k->fs_charge;
	if (k->l.fs) /* the files programs left go with it */
		ramfs_fini(&k->fs);
	k->l.fs = 0;
	rom_fini(&k->rom);	   /* its dataspaces are the root's: before the root is cleared */
	mem_alloc_clear(&k->root); /* programs left over go with it */
	if (k->irq)
		mica_irq_detach(k->irq);
	ldr_fini(&k->l);
	logsrv_fini(&k->log);
	/* Every selector the objects took is back (none freed twice either:
	 * a double free would show as fewer). */
	return clean && pool.used == k->pool_used0 && k->root.used == 0 && used_sels() == sels0;
}

int kldr_create(mica_cap_t alloc, mica_word_t memq, mica_word_t kq, const char *cmd, size_t n,
		mica_cap_t prog)
{
	return kldr_create_as(MICA_PROTO_PROGRAM, alloc, KF, memq, kq, cmd, n, prog);
}

int kldr_create_as(mica_word_t proto, mica_cap_t alloc, mica_cap_t kf, mica_word_t memq, mica_word_t kq,
		   const char *cmd, size_t n, mica_cap_t prog)
{
	mica_word_t *mr = mica_mr();
	unsigned words = 4 + (unsigned)((n + 7) / 8);
	if (words + 4 > MICA_MSG_WORDS_MAX)
		return MICA_E_BAD_ARG;
	mr[0] = proto;
	mr[1] = memq;
	mr[2] = kq;
	mr[3] = n;
	memset(&mr[4], 0, (words - 4) * 8ul);
	memcpy(&mr[4], cmd, n);
	mr[words] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[words + 1] = mica_fpage_obj(alloc, 0, MICA_RIGHTS_ALL);
	mr[words + 2] = mica_item_unit(0, MICA_ITEM_MAP);
	mr[words + 3] = mica_fpage_obj(kf, 0, MICA_RIGHTS_ALL);
	volatile mica_word_t *br = mica_utcb()->br;
	mica_word_t saved = br[MICA_BR_OBJ_WINDOW];
	br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(prog, 0, MICA_RIGHTS_ALL);
	int e = mica_error(
		mica_ipc(kldr.loader, mica_msgtag(MICA_FACTORY_CREATE, words, 4, 0), MICA_IPC_CALL, 0, 0, 0));
	br[MICA_BR_OBJ_WINDOW] = saved;
	return e;
}

mica_cap_t kldr_cap(struct mica_srv_obj *o, unsigned rights)
{
	mica_cap_t c;
	return mica_srv_cap(&srv, o, rights, &c) == MICA_OK ? c : 0;
}

int kldr_status(mica_cap_t prog, mica_word_t st[5])
{
	int e = mica_error(mica_call(prog, MICA_PROGRAM_STATUS, 0));
	for (unsigned i = 0; i < 5; i++)
		st[i] = mica_mr()[i];
	return e;
}

int kldr_wait(mica_cap_t prog, mica_word_t st[5])
{
	int e;
	if (!kldr.irq) {
		if (!(kldr.irq = kirq()))
			return MICA_E_NO_MEMORY;
		if ((e = mica_irq_attach(kldr.irq, MICA_CAP_THREAD, 0x7e57)) != MICA_OK)
			return e;
	}
	mica_cap_t q = kldr.irq;
	mica_mr()[0] = mica_item_unit(0, MICA_ITEM_MAP);
	mica_mr()[1] = mica_fpage_obj(q, 0, MICA_RIGHTS_ALL);
	if ((e = mica_error(mica_ipc(prog, mica_msgtag(MICA_PROGRAM_NOTIFY, 0, 2, 0), MICA_IPC_CALL, 0, 0,
				     0))) != MICA_OK)
		return e;
	mica_word_t label = 0;
	mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, mica_timeout_ns(20000000000ul), &label);
	if (mica_msgtag_is_error(t))
		return mica_error(t);
	if (label != 0x7e57)
		return MICA_E_BAD_ARG;
	return kldr_status(prog, st);
}

int kldr_run(mica_word_t memq, mica_word_t kq, const char *cmd, size_t n, mica_word_t st[5])
{
	mica_cap_t p = ksel();
	int e = kldr_create(kldr.alloc, memq, kq, cmd, n, p);
	if (e == MICA_OK)
		e = kldr_wait(p, st);
	if (e == MICA_OK)
		e = mica_obj_delete(p);
	return e;
}

unsigned kldr_occurs(const char *text)
{
	size_t n = strlen(text);
	unsigned c = 0;
	for (size_t i = 0; i + n <= kldr.out_len; i++)
		if (!memcmp(kldr.out + i, text, n))
			c++;
	return c;
}
