/* Invoking a kernel object: the call's reply is the method's result.
 * Objects implement `<object>_invoke(caller, cap, tag)`, decode and check
 * the untrusted message words there and return a result tag built with
 * invoke_ok / invoke_error; the work itself is in the object's own file
 * (seL4's decode/invoke split). */
#pragma once

#include <mica/error.h>
#include <mica/msgtag.h>

struct thread;
struct cap_slot;
struct percpu;
struct arch_regs;

mica_msgtag_t invoke_kernel_object(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);

/* Result tags; both set the caller's error TCR. */
mica_msgtag_t invoke_ok(struct thread *caller, unsigned words);
mica_msgtag_t invoke_error(struct thread *caller, enum mica_error e);

/* Copies the first n message registers out of the caller's UTCB, so that
 * another thread of the task cannot change them while they are checked. */
void invoke_copy_mrs(const struct thread *caller, mica_word_t *dst, unsigned n);

/* Fails unless the capability has the rights `need` and the message
 * carries at least n words (checked in that order). */
enum mica_error invoke_check(const struct cap_slot *cap, mica_msgtag_t tag, unsigned n, unsigned need);

mica_msgtag_t vcon_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);
mica_msgtag_t factory_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);
