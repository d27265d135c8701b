/* The system server: what the root task serves (and what the benchmark
 * runs a copy of), assembled in one place: one mica_srv loop serving the
 * memory service (a page pool from sigma0, allocators, dataspaces),
 * region maps, the ROM (boot modules), logs and the loader. Its parts
 * are the other user/services folders; this only wires them together. */
#pragma once

#include <loader/loader.h>
#include <log/log_srv.h>
#include <mem/mem.h>
#include <ramfs/ramfs.h>
#include <rom/rom.h>

#define SYSTEM_SLOTS 512 /* objects served at once */
#define SYSTEM_SELS 4096 /* server selectors for minted capabilities */

struct system {
	struct mica_srv srv;
	struct mem_pool pool;
	struct mem mem;
	struct mem_alloc root; /* every program's memory comes from here */
	struct rom rom;
	struct logsrv logs;
	struct ldr ldr;
	struct ramfs fs; /* /tmp of every program (a session each) */
	struct mica_srv_obj *slots[SYSTEM_SLOTS];
	uint32_t gens[SYSTEM_SLOTS];
	uint64_t sel_map[SYSTEM_SELS / 64];
};

/* Where the server's memory goes in its own space. */
struct system_layout {
	mica_cap_t gate;     /* unlabeled, bound to the serving thread */
	mica_cap_t sel_base; /* SYSTEM_SELS free selectors from here */
	mica_word_t pool;    /* the page pool's window (2^pool_log2 bytes) */
	unsigned pool_log2;
	mica_word_t modules;  /* boot modules appear at this + their physical address */
	mica_word_t quota;    /* the root allocator's */
	mica_word_t fs_quota; /* the RAM file system's (from quota); 0: none */
};

/* Sets s up and puts every boot module after the first `first` (sigma0
 * and the task itself) into its ROM; a module that cannot be added is
 * reported through bad(cmdline, error) if not 0 and left out. MICA_OK or
 * the error of a part. */
int system_init(struct system *s, const struct system_layout *l, unsigned first,
		void (*bad)(const char *cmdline, int e));
