/* A program's initial environment (docs/abi.md §12, docs/protocols.md
 * §7): the capabilities it finds at fixed selectors, and a table of
 * capabilities by name that whoever starts it chose. The loader writes
 * the table into a read-only page of the program and announces it in the
 * auxiliary vector (MICA_AT_ENV, mica/program.h); user/lib's start code
 * records it, mica_env_cap("name") finds an entry. */
#pragma once

#include <mica/caps.h>
#include <stdint.h>

/* Fixed selectors of a program started by the loader (besides
 * MICA_CAP_TASK 1, MICA_CAP_THREAD 2, MICA_CAP_FACTORY 3 = its kernel
 * factory (kernel-object quota), MICA_CAP_VCON 5, MICA_CAP_SCHEDULER 7
 * if given, MICA_CAP_PARENT 8 = its program object). */
#define MICA_CAP_RM MICA_CAP_PAGER /* 4: its region map (all rights), its threads' pager */
#define MICA_CAP_MEM 10		   /* its memory allocator (its memory quota; READ, WRITE) */
#define MICA_CAP_LOG 11		   /* its log (mica/log.h; WRITE): standard output */
#define MICA_CAP_ROM 12		   /* the ROM name space (mica/rom.h; READ) */
#define MICA_CAP_LOADER 13	   /* a loader (mica/program.h; WRITE), if given */
/* Its own session of the RAM file system (mica/fs.h; READ, WRITE), if the
 * loader has one: the POSIX back end's /tmp. It ends with the program. */
#define MICA_CAP_FS 14
/* Named capabilities: at MICA_CAP_NAMED, MICA_CAP_NAMED + 1, ...; the
 * program's own selectors start after them (mica_env()->first_free). */
#define MICA_CAP_NAMED 16

#define MICA_ENV_MAGIC 0x4d696341u /* "AciM" */
#define MICA_ENV_NAME_MAX 15	   /* bytes of a name (NUL-terminated in the table) */
#define MICA_ENV_CAPS_MAX 32

struct mica_env_cap {
	char name[MICA_ENV_NAME_MAX + 1];
	uint64_t sel;	 /* selector in the program's capability space */
	uint64_t rights; /* the rights it was given (the object's meaning) */
};

struct mica_env {
	uint32_t magic; /* MICA_ENV_MAGIC */
	/* Bit s: the fixed selector s (< 16) holds what it stands for. */
	uint32_t present;
	uint64_t first_free; /* the first selector nothing was put at */
	uint64_t count;	     /* entries of cap[] */
	struct mica_env_cap cap[MICA_ENV_CAPS_MAX];
};
