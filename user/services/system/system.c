/* The system server's assembly (system.h). */
#include <boot_env.h>
#include <mica/kip.h>
#include <ns/ns.h>
#include <rm/rm.h>

#include "system.h"

int system_init(struct system *s, const struct system_layout *l, unsigned first,
		void (*bad)(const char *cmdline, int e))
{
	int e;
	mica_srv_init(&s->srv, l->gate, s->slots, s->gens, SYSTEM_SLOTS, l->sel_base, s->sel_map,
		      SYSTEM_SELS);
	mem_pool_init(&s->pool, MICA_CAP_PAGER, l->pool, l->pool_log2);
	if ((e = mem_init(&s->mem, &s->srv, &s->pool, &s->root, l->quota)) != MICA_OK)
		return e;
	mem_rm_setup(&s->mem);
	ns_setup(&s->mem);
	if ((e = rom_init(&s->rom, &s->mem)) != MICA_OK ||
	    (e = logsrv_init(&s->logs, &s->srv, 0, 0)) != MICA_OK ||
	    /* programs are placed through the serving task's own scheduler */
	    (e = ldr_init(&s->ldr, &s->mem, &s->rom, &s->logs, (mica_word_t)boot_kip, MICA_CAP_VCON,
			  MICA_CAP_SCHEDULER)) != MICA_OK)
		return e;
	if (l->fs_quota) {
		if ((e = ramfs_init(&s->fs, &s->mem, &s->root, l->fs_quota)) != MICA_OK)
			return e;
		s->ldr.fs = &s->fs;
	}
	const struct mica_kip_module *m = mica_kip_at(boot_kip, boot_kip->module_offset);
	for (unsigned i = first; i < boot_kip->module_count; i++) {
		const char *cmd = mica_kip_at(boot_kip, m[i].cmdline);
		mica_word_t at;
		if ((e = rom_map_module(MICA_CAP_PAGER, m[i].base, m[i].size, l->modules, &at)) != MICA_OK ||
		    (e = rom_add(&s->rom, cmd, at, m[i].size)) != MICA_OK) {
			if (!bad)
				return e;
			bad(cmd, e);
		}
	}
	return MICA_OK;
}
