/* The system call: decoding an invocation and handing it to the object
 * the selector names. Objects implement `<object>_invoke(...)` and return
 * a result tag built with invoke_ok / invoke_error. */
#pragma once

#include <mica/error.h>
#include <mica/msgtag.h>

struct thread;

mica_msgtag_t invoke(struct thread *caller, mica_cap_t sel, mica_msgtag_t tag, mica_word_t flags);

/* Result tags; invoke_error also sets the caller's error TCR. */
mica_msgtag_t invoke_ok(struct thread *caller, unsigned words);
mica_msgtag_t invoke_error(struct thread *caller, enum mica_error e);

/* Copies the first n message registers out of the caller's UTCB, so that
 * another thread of the task cannot change them while they are checked. */
void invoke_copy_mrs(const struct thread *caller, mica_word_t *dst, unsigned n);

mica_msgtag_t vcon_invoke(struct thread *caller, mica_msgtag_t tag);
mica_msgtag_t thread_invoke(struct thread *caller, struct thread *target, mica_msgtag_t tag);
