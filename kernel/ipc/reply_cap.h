/* Reply capabilities: a server's one-shot reply right saved into a
 * capability slot (MICA_IPC_SAVE), so that it can take further calls and
 * answer its callers in any order, as seL4's SaveCaller and Fiasco's
 * reply capabilities allow. Locking: everything here runs under the
 * kernel lock, as the rest of the IPC path (slots change under the
 * capability lock too). */
#pragma once

#include <mica/caps.h>
#include <mica/error.h>
#include <stdbool.h>

#include "objects/kobj.h"

struct thread;
struct cap_slot;

/* The object a reply capability names: the caller whose reply right it
 * holds, until it is used, or the caller stops waiting (0 then). */
struct reply_cap {
	struct kobj hdr;
	struct thread *caller;
};

/* self's reply right (if it holds one) moves into a new reply object at
 * selector sel of its task, which must be empty. With no right held the
 * slot stays empty and the result is MICA_E_NO_PARTNER, which a receive
 * that follows ignores (as reply-and-wait ignores a caller gone). */
enum mica_error reply_cap_save(struct thread *self, mica_cap_t sel);

/* The caller the reply capability cap (a MICA_OBJ_REPLY) answers, or 0
 * if it no longer waits. */
struct thread *reply_cap_caller(const struct cap_slot *cap);

/* After a reply through cap: a right that was used (or whose caller went)
 * empties the slot, so a second use finds no capability. */
void reply_cap_done(struct cap_slot *cap);

/* Caller c, whose right a reply object holds, no longer waits for the
 * reply (answered, canceled, timed out, killed). */
void reply_cap_detach(struct thread *c);

/* The last capability to r went: a caller still waiting is released
 * with MICA_E_ABORTED, as when a server dies owing it a reply. */
void reply_cap_release(struct reply_cap *r);
