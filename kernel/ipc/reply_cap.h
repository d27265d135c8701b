/* Reply capabilities: a server's one-shot reply right saved into a
 * capability slot (MICA_IPC_SAVE), so that it can take further calls and
 * answer its callers in any order, as seL4's SaveCaller and Fiasco's
 * reply capabilities allow. Locking: a reply object's caller is the
 * caller's CPU's, as the rest of its IPC state (its CPU lock is held
 * wherever it is read to act on or written); slots change under the
 * capability lock, taken after the CPU locks (docs/architecture.md,
 * "Locking order"). */
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

/* After a reply by self through r (named by selector sel, with the
 * lock of r's caller's CPU still held): a right that was used (or whose
 * caller went) empties the slot, so a second use finds no capability. */
void reply_cap_done(struct thread *self, mica_cap_t sel, struct reply_cap *r);

/* Caller c, whose right a reply object holds, no longer waits for the
 * reply (answered, canceled, timed out, killed). */
void reply_cap_detach(struct thread *c);

/* The last capability to r went: a caller still waiting is released
 * with MICA_E_ABORTED, as when a server dies owing it a reply. */
void reply_cap_release(struct reply_cap *r);
