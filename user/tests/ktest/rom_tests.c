/* The ROM name space (include/mica/rom.h): boot modules by name as
 * read-only dataspaces, their arguments, the list, and bad names. */
#include <mica/dataspace.h>
#include <mica/rom.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"

#define WIN 0x3c0000000000ul

/* MR0 = n, MR1.. = the name; op's extra words after. */
static mica_msgtag_t named(mica_word_t op, const char *name, size_t n, unsigned words, mica_cap_t dst)
{
	mica_word_t *mr = mica_mr();
	mr[0] = n;
	memset(&mr[1], 0, 8 * ((n + 7) / 8));
	memcpy(&mr[1], name, n);
	volatile mica_word_t *br = mica_utcb()->br;
	mica_word_t saved = br[MICA_BR_OBJ_WINDOW];
	if (dst)
		br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	mica_msgtag_t t = mica_call(kldr.rom_cap, op, words ? words : 1 + (unsigned)((n + 7) / 8));
	br[MICA_BR_OBJ_WINDOW] = saved;
	return t;
}

KTEST(rom_query_maps_the_module)
{
	CHECK(kldr_start(1ul << 20));
	const struct kmod *m = kmod_find("exit0");
	CHECK(m);
	mica_cap_t ds = ksel();
	mica_msgtag_t t = named(MICA_ROM_QUERY, "exit0", 5, 0, ds);
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_mr()[0], m->size);
	mica_word_t size, flags, fp;
	CHECK_OK(mica_ds_info(ds, &size, &flags));
	CHECK_EQ(size, (m->size + 4095) & ~4095ul);
	CHECK_EQ(flags, 0); /* read-only */
	/* Its first page, read-execute, is the module's bytes (an ELF). */
	CHECK_OK(mica_ds_map(ds, 0, 0, MICA_FPAGE_R | MICA_FPAGE_X, WIN, 12, &fp));
	CHECK_EQ(mica_fpage_log2(fp), 12);
	CHECK(!memcmp((const void *)WIN, "\177ELF", 4));
	CHECK(!memcmp((const void *)WIN, (const void *)m->addr, 4096));
	/* Mapping does not back or charge anything. */
	CHECK_EQ(kldr.root.used, kldr.rom.count * MICA_OBJ_COST);
	CHECK(kldr_finish());
}

KTEST(rom_dataspaces_are_read_only)
{
	CHECK(kldr_start(1ul << 20));
	mica_cap_t ds = ksel();
	CHECK_OK(mica_error(named(MICA_ROM_QUERY, "ldtest", 6, 0, ds)));
	CHECK_ERR(mica_ds_map(ds, 0, 0, MICA_FPAGE_RW, WIN, 12, 0), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_ds_clear(ds, 0, 4096), MICA_E_NO_RIGHTS);
	CHECK_ERR(mica_obj_delete(ds), MICA_E_NO_RIGHTS);
	/* Even through the server's own capability with every right. */
	const struct rom_module *rm = rom_find(&kldr.rom, "ldtest", 6);
	CHECK(rm);
	mica_cap_t all = kldr_cap(mem_ds_obj(rm->ds), MICA_SRV_RIGHTS);
	CHECK(all);
	CHECK_ERR(mica_ds_map(all, 0, 0, MICA_FPAGE_RW, WIN, 12, 0), MICA_E_NO_RIGHTS);
	mica_word_t size, flags;
	CHECK_OK(mica_ds_info(all, &size, &flags));
	CHECK_EQ(flags, 0); /* read-only even so */
	CHECK_ERR(mica_ds_clear(all, 0, 4096), MICA_E_NO_RIGHTS);
	mica_word_t addr;
	unsigned log2;
	CHECK_ERR(mem_ds_page(rm->ds, 0, true, &addr, &log2), MICA_E_NO_RIGHTS);
	CHECK_OK(mem_ds_page(rm->ds, 4096, false, &addr, &log2));
	CHECK_EQ(addr, rm->addr + 4096);
	CHECK(kldr_finish());
}

KTEST(rom_args_are_the_command_line)
{
	CHECK(kldr_start(1ul << 20));
	mica_msgtag_t t = named(MICA_ROM_ARGS, "ldtest", 6, 0, 0);
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_mr()[0], 19);
	CHECK(!memcmp(&mica_mr()[1], "rom-arg-1 rom-arg-2", 19));
	t = named(MICA_ROM_ARGS, "exit0", 5, 0, 0);
	CHECK_OK(mica_error(t));
	CHECK_EQ(mica_mr()[0], 0);
	CHECK(kldr_finish());
}

/* "rom/NAME" is the path an L4Re user writes: the same module. */
KTEST(rom_path_with_the_name_space_prefix)
{
	CHECK(kldr_start(1ul << 20));
	static const char longpath[] = "rom/a-name-of-thirty-two-characters";
	const struct kmod *m = kmod_find("exit0");
	mica_cap_t a = ksel();
	mica_word_t size, flags;
	CHECK(m);
	CHECK_OK(mica_error(named(MICA_ROM_QUERY, "rom/exit0", 9, 0, a)));
	CHECK_EQ(mica_mr()[0], m->size);
	CHECK_OK(mica_ds_info(a, &size, &flags));
	CHECK_EQ(size, (m->size + 4095) & ~4095ul);
	CHECK_OK(mica_ds_map(a, 0, 0, MICA_FPAGE_R, WIN, 12, 0));
	CHECK(!memcmp((const void *)WIN, (const void *)m->addr, 4096));
	CHECK_OK(mica_error(named(MICA_ROM_ARGS, "rom/ldtest", 10, 0, 0)));
	CHECK_EQ(mica_mr()[0], 19);
	CHECK(rom_find(&kldr.rom, "rom/ldtest", 10) == rom_find(&kldr.rom, "ldtest", 6));
	/* The prefix alone names nothing; the name's limit is after it. */
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, "rom/", 4, 0, a)), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, longpath, 35, 0, a)), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, longpath, 36, 0, a)), MICA_E_BAD_ARG);
	CHECK(kldr_finish());
}

KTEST(rom_bad_names_are_refused)
{
	CHECK(kldr_start(1ul << 20));
	static const char longname[] = "a-name-of-thirty-two-characters";
	mica_cap_t ds = ksel();
	CHECK_EQ(sizeof(longname) - 1, MICA_ROM_NAME_MAX);
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, "", 0, 1, ds)), MICA_E_BAD_ARG);
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, longname, 32, 0, ds)), MICA_E_BAD_ARG);
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, longname, 31, 0, ds)), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, "nosuch", 6, 0, ds)), MICA_E_NOT_FOUND);
	CHECK_ERR(mica_error(named(MICA_ROM_ARGS, "exit", 4, 0, 0)), MICA_E_NOT_FOUND);
	/* A length past the words sent. */
	CHECK_ERR(mica_error(named(MICA_ROM_QUERY, "exit0", 5, 1, ds)), MICA_E_BAD_ARG);
	CHECK_ERR(mica_error(mica_call(kldr.rom_cap, MICA_ROM_QUERY, 0)), MICA_E_BAD_TAG);
	CHECK_ERR(mica_error(mica_call(kldr.rom_cap, 9, 1)), MICA_E_UNKNOWN_OP);
	mica_word_t t;
	CHECK_ERR(mica_cap_info(MICA_CAP_TASK, ds, &t, &t), MICA_OK);
	CHECK_EQ(t, MICA_OBJ_NONE); /* nothing arrived */
	CHECK(kldr_finish());
}

KTEST(rom_list_names_every_module)
{
	CHECK(kldr_start(1ul << 20));
	const struct kmod *m;
	unsigned n = kmods(&m), seen = 0;
	CHECK(n >= 4);
	for (mica_word_t i = 0;; i++) {
		mica_mr()[0] = i;
		mica_msgtag_t t = mica_call(kldr.rom_cap, MICA_ROM_LIST, 1);
		if (i == n) {
			CHECK_ERR(mica_error(t), MICA_E_NOT_FOUND);
			break;
		}
		CHECK_OK(mica_error(t));
		CHECK_EQ(mica_mr()[0], n);
		char name[40] = { 0 };
		CHECK(mica_mr()[2] <= MICA_ROM_NAME_MAX);
		memcpy(name, &mica_mr()[3], mica_mr()[2]);
		const struct kmod *k = kmod_find(name);
		CHECK(k);
		CHECK_EQ(mica_mr()[1], k->size);
		seen += !strcmp(name, "exit0") + !strcmp(name, "ldtest") + !strcmp(name, "badelf");
	}
	CHECK_EQ(seen, 3);
	CHECK(kldr_finish());
}

/* A fixed dataspace costs its object only, and its deletion (the ROM
 * going) unmaps it from every task but frees nothing. */
KTEST(rom_fixed_dataspace_costs_only_its_object)
{
	CHECK(kldr_start(1ul << 20));
	const struct kmod *m = kmod_find("ldtest");
	CHECK(m);
	mica_word_t used = kldr.root.used;
	struct mem_ds *ds;
	CHECK_ERR(mem_ds_create_fixed(&kldr.root, m->addr + 1, 4096, &ds), MICA_E_BAD_ARG);
	CHECK_OK(mem_ds_create_fixed(&kldr.root, m->addr, 8192, &ds));
	CHECK_EQ(kldr.root.used, used + MICA_OBJ_COST);
	mica_cap_t c = kldr_cap(mem_ds_obj(ds), MICA_DS_R_READ);
	CHECK_OK(mica_ds_map(c, 4096, 0, MICA_FPAGE_R, WIN, 12, 0));
	CHECK_EQ(*(volatile mica_word_t *)WIN, *(const mica_word_t *)(m->addr + 4096));
	CHECK_EQ(kldr.root.used, used + MICA_OBJ_COST);
	mem_ds_delete(ds);
	CHECK_EQ(kldr.root.used, used);
	/* The module is still there for everyone else. */
	CHECK(!memcmp((const void *)m->addr, "\177ELF", 4));
	CHECK(kldr_finish());
}
