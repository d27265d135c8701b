/* A server thread serving what the root task's server serves, for the
 * rom_ and loader_ cases: the memory service, region maps, the ROM (the
 * boot modules after ktest), a log server whose lines are captured, and
 * the loader; and the client calls of the ROM and program protocols. */
#pragma once

#include <loader/loader.h>

#include "ktest.h"

/* The boot modules after this one, each mapped once (R and X) for the
 * whole run: a module's frames leave sigma0 once. */
struct kmod {
	const char *cmdline;
	mica_word_t addr, size;
};
unsigned kmods(const struct kmod **out);
/* The module whose command line's name is name, or 0. */
const struct kmod *kmod_find(const char *name);

struct kldr {
	struct kthread *k;
	struct mem m;
	struct mem_alloc root;
	struct rom rom;
	struct logsrv log;
	struct ldr l;
	struct ramfs fs;       /* if kldr_fs: every program's /tmp */
	mica_word_t fs_charge; /* what it took of the root */
	mica_cap_t alloc;      /* the root allocator, every right */
	mica_cap_t loader;     /* the loader, WRITE */
	mica_cap_t rom_cap;
	mica_word_t pool_used0;
	unsigned ended; /* programs the in-process callback saw end */
	mica_cap_t irq; /* kldr_wait's, attached to the case's thread */
	/* The captured log lines, one after another. */
	char out[32768];
	unsigned out_len;
};
extern struct kldr kldr;

/* Starts the server with a root allocator of quota bytes. */
int kldr_start(mica_word_t quota);
/* Gives the loader a RAM file system of quota bytes (after kldr_start):
 * every program it starts gets a session (MICA_CAP_FS). */
int kldr_fs(mica_word_t quota);
/* Tears it down: whether nothing leaked (no program left, every log
 * closed, the pool, the root's quota and the server's selectors back to
 * where they started). */
int kldr_finish(void);

/* The server's capability to o with rights (0 on failure). */
mica_cap_t kldr_cap(struct mica_srv_obj *o, unsigned rights);

/* CREATE through the loader with the case's factory: cmd is the
 * NUL-separated strings (n bytes); the program's capability lands at
 * prog. */
int kldr_create(mica_cap_t alloc, mica_word_t memq, mica_word_t kq, const char *cmd, size_t n,
		mica_cap_t prog);
/* The same with the protocol (MICA_PROTO_PROGRAM or _HELD) and the
 * kernel factory kf to charge. */
int kldr_create_as(mica_word_t proto, mica_cap_t alloc, mica_cap_t kf, mica_word_t memq, mica_word_t kq,
		   const char *cmd, size_t n, mica_cap_t prog);
/* CREATE of a string literal (its final NUL left off). */
#define KLDR_RUN(alloc, memq, kq, lit, prog)                                                                 \
	kldr_create((alloc), (memq), (kq), (lit), sizeof(lit) - 1, (prog))
/* Waits (NOTIFY with the case's IRQ, then an open wait) until prog
 * ends: MICA_OK and st[0..4] = STATUS's words. */
int kldr_wait(mica_cap_t prog, mica_word_t st[5]);
int kldr_status(mica_cap_t prog, mica_word_t st[5]);
/* Starts cmd (as kldr_create) with these quotas, waits for its end and
 * deletes its object: MICA_OK and st = its STATUS words, or the first
 * error. */
int kldr_run(mica_word_t memq, mica_word_t kq, const char *cmd, size_t n, mica_word_t st[5]);
/* How often text occurs in the captured log output. */
unsigned kldr_occurs(const char *text);
