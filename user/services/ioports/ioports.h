/* The I/O-port server: hands out ranges of the x86 I/O port space on
 * request, taking them from sigma0 as they are first asked for, so a
 * starter (init) is given exactly the ports its script names instead of
 * a fixed block (docs/protocols.md §11). */
#pragma once

#include <mica/sigma0.h>
#include <mica_srv.h>
#include <stdint.h>

struct ioports {
	struct mica_srv_obj o; /* first */
	mica_cap_t pager;      /* sigma0's gate (the serving task's pager) */
	/* Ports this task holds (bit p: port p): taken from sigma0 once. */
	uint8_t held[65536 / 8];
};

/* Serves io in srv, taking ports from sigma0 through pager. io is zeroed,
 * or as an earlier server of this task left it (its held ports are still
 * this task's: sigma0 gives a port out once). */
int ioports_init(struct ioports *io, struct mica_srv *srv, mica_cap_t pager);
/* Makes sure the serving task holds every port of the I/O flexpage fp
 * (well-formed, checked by the caller): MICA_OK or sigma0's error. */
int ioports_take(struct ioports *io, mica_word_t fp);
