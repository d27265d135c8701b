/* The ROM name space (protocol: include/mica/rom.h, docs/protocols.md
 * §5) for the server that serves it: boot modules, each a fixed
 * dataspace (mem_ds_create_fixed) over its image as mapped from sigma0,
 * under its name, with its arguments. The loader finds a module's
 * dataspace, image and arguments here by name (rom_find). */
#pragma once

#include <mem/mem.h>
#include <mica/rom.h>
#include <stddef.h>

#define ROM_MODULES_MAX 32

struct rom_module {
	char name[MICA_ROM_NAME_MAX + 1];
	char args[MICA_ROM_ARGS_MAX + 1];
	mica_word_t addr; /* the image in the server's space (page-aligned) */
	mica_word_t size; /* in bytes */
	struct mem_ds *ds;
};

struct rom {
	struct mica_srv_obj o; /* first: handlers cast back */
	struct mem *m;
	unsigned count;
	struct rom_module mod[ROM_MODULES_MAX];
};

/* Registers the ROM object r (empty) with m's server. MICA_OK or the
 * framework's error. */
int rom_init(struct rom *r, struct mem *m);

/* Adds a module: its command line (name and arguments from it; cut to
 * their maximum lengths) and its image, [addr, addr + size) of the
 * server's space, page-aligned, mapped R and X. Its dataspace is charged
 * MICA_OBJ_COST to m's root allocator. Several modules may have one name
 * (the same program with other arguments): lookups by name find the
 * first, the server's owner reaches each through r->mod[]. MICA_OK,
 * BAD_ARG (no name, unaligned), NO_MEMORY (full, or quota). */
int rom_add(struct rom *r, const char *cmdline, mica_word_t addr, mica_word_t size);

/* Maps the boot module [pa, pa + size) from sigma0 at window + pa with R
 * and X (a module's frames go out once: do it once per module); *addr =
 * where its first byte is. */
int rom_map_module(mica_cap_t sigma0, mica_word_t pa, mica_word_t size, mica_word_t window,
		   mica_word_t *addr);

/* The module named name (n bytes), or 0. */
const struct rom_module *rom_find(const struct rom *r, const char *name, size_t n);

/* Every module's dataspace is deleted (unmapped from every task) and the
 * object removed; the images stay mapped in the server. Before the root
 * allocator is cleared (the dataspaces are its objects). */
void rom_fini(struct rom *r);
