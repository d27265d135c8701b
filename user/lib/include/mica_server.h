/* A small server loop: wait for a message, find the object by the label
 * of the capability it came through, let the object's handler answer the
 * method the tag's label names, reply and wait again (one system call per
 * request). */
#pragma once

#include <mica_sys.h>

struct mica_server;

/* Handles method `op` with the request's words in the MRs; puts the
 * answer's words in the MRs and returns its tag (mica_msgtag(0, n, 0, 0),
 * or mica_error_tag(e)). */
typedef mica_msgtag_t (*mica_handler_t)(struct mica_server *s, void *obj, mica_word_t op, mica_msgtag_t tag);

struct mica_server_object {
	mica_word_t label;
	void *obj;
	mica_handler_t handler;
};

struct mica_server {
	struct mica_server_object *objects;
	unsigned count;
	mica_cap_t src; /* the gate to serve, or MICA_CAP_INVALID: the bound gates */
	int stop;	/* a handler sets it: the loop replies once more and returns */
};

/* Serves until a handler sets s->stop; returns 0, or the error of a
 * failed wait (e.g. MICA_E_CANCELED). Unknown labels get MICA_E_INVALID_CAP. */
int mica_server_loop(struct mica_server *s);
