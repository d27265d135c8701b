/* The KIP's BootInfo for X.2 root servers (<l4/bootinfo.h>): a generic
 * boot-info structure, built once from Mica's KIP, with a module record
 * per boot module whose start is where the module is mapped in this
 * space (read and execute, through sigma0), so a loader can map its
 * pages on (<x2_load.h>). */
#include <mica/fpage.h>
#include <mica/kip.h>
#include <mica/sigma0.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <string.h>

#include <l4/bootinfo.h>
#include <l4/kip.h>

#include "x2_priv.h"

/* Module at physical address pa appears at X2_MODULE_AREA + pa. */
#define X2_MODULE_AREA 0x7c0000000000ul
#define BOOTINFO_SIZE 8192

static _Alignas(8) unsigned char bootinfo[BOOTINFO_SIZE];
static int built;

static void build(const struct mica_kip *k)
{
	L4_BootInfo_t *b = (L4_BootInfo_t *)bootinfo;
	memset(bootinfo, 0, sizeof(bootinfo));
	b->magic = L4_BOOTINFO_MAGIC;
	b->version = L4_BOOTINFO_VERSION;
	b->first_entry = sizeof(*b);
	L4_Word_t at = sizeof(*b);
	L4_Boot_Module_t *last = 0;
	const struct mica_kip_module *m = mica_kip_at(k, k->module_offset);
	for (unsigned i = 0; i < k->module_count; i++) {
		const char *cmd = mica_kip_at(k, m[i].cmdline);
		L4_Word_t n = strlen(cmd) + 1, rec = (sizeof(L4_Boot_Module_t) + n + 7) & ~7ul;
		if (at + rec > sizeof(bootinfo))
			break;
		/* Only modules this space can read are listed: through sigma0,
		 * which a root server loaded as a boot task has as its pager. */
		if (mica_sigma0_map_phys(X2_SEL_SIGMA0, MICA_SIGMA0_MEM, m[i].base, m[i].size,
					 X2_MODULE_AREA + m[i].base, MICA_FPAGE_R | MICA_FPAGE_X) != MICA_OK)
			continue;
		L4_Boot_Module_t *r = (L4_Boot_Module_t *)(bootinfo + at);
		r->type = L4_BootInfo_Module;
		r->version = 1;
		r->start = X2_MODULE_AREA + m[i].base;
		r->size = m[i].size;
		r->cmdline_offset = sizeof(*r);
		memcpy(r + 1, cmd, n);
		if (last)
			last->offset_next = (L4_Word_t)r - (L4_Word_t)last;
		last = r;
		b->num_entries++;
		at += rec;
	}
	if (last)
		last->offset_next = 0;
	b->size = at;
}

/* X.2: a value the boot loader left for the root server. Here the
 * structure's address in the root server's space, which alone holds the
 * module mappings (0 in every other space). */
L4_Word_t L4_BootInfo(void *kip)
{
	if (x2_sys.t[(unsigned)mica_utcb()->user[X2_TCR_INDEX]].space != 0)
		return 0;
	if (!built) {
		build((const struct mica_kip *)kip);
		built = 1;
	}
	return (L4_Word_t)bootinfo;
}
