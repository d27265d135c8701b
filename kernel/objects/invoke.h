/* Invoking a kernel object: the call's reply is the method's result.
 *
 * Every object type has a method table indexed by the message label
 * (<object>_methods, in its <object>_invoke.c). The one dispatcher,
 * invoke_kernel_object, finds the entry, checks the capability's rights
 * and the message's length against it, copies that many message words
 * out of the caller's UTCB and calls the entry's decoder. The decoder
 * checks everything else that is untrusted (selectors, ranges, flags, the
 * object's state) into typed arguments; after that commit point it runs
 * the operation (in <object>.c), which can fail only for what is known at
 * run time (memory, quota, a slot taken) - seL4's decode/invoke split. */
#pragma once

#include <mica/caps.h>
#include <mica/error.h>
#include <mica/msgtag.h>
#include <stdint.h>

struct thread;
struct kobj;
struct cap_slot;
struct percpu;
struct arch_regs;

/* A table has an entry for labels 0 .. 9 (a larger label in its
 * initializer does not compile; 0 and the missing ones are no method). An
 * entry's words are at most INVOKE_WORDS. */
#define INVOKE_LABELS 10
#define INVOKE_WORDS 6

/* One method call, as its decoder sees it. */
struct invoke_call {
	struct thread *caller;
	struct cap_slot *cap; /* names the object; its rights are checked */
	mica_msgtag_t tag;
	/* The message's first words (the method's minimum), copied once:
	 * another thread of the task cannot change them while they are
	 * checked. A decoder that takes more copies them itself. */
	mica_word_t mr[INVOKE_WORDS];
};

/* Checks the call's arguments, runs the operation, returns the result tag
 * (invoke_ok / invoke_error). */
typedef mica_msgtag_t invoke_decoder(struct invoke_call *c);

struct invoke_method {
	invoke_decoder *decode; /* 0: no such method (MICA_E_UNKNOWN_OP) */
	uint8_t words;		/* the message has at least these (MICA_E_BAD_TAG) */
	uint8_t rights;		/* the capability has all of these (MICA_E_NO_RIGHTS) */
};

/* Dispatches the call to the table of the object's type: MICA_E_WRONG_TYPE
 * for a type without methods, then MICA_E_UNKNOWN_OP, MICA_E_NO_RIGHTS and
 * MICA_E_BAD_TAG in that order. */
mica_msgtag_t invoke_kernel_object(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);

/* Where a capability that a method answers with goes: the slot the
 * caller's object window (BR2) names, as for an object item of one
 * capability with hot spot 0 (docs/abi.md §5.6). MICA_OK and *slot (its
 * capability table allocated, charged to the caller's task) and *sel;
 * MICA_E_OVERFLOW without an object window; MICA_E_NO_MEMORY. */
enum mica_error invoke_window_slot(struct thread *caller, struct cap_slot **slot, mica_cap_t *sel);

/* The answer of a method that created o: its capability, with all rights
 * and label, replaces whatever was in the window's slot (as an object
 * item would) and the answer carries that item (t = 2: word 0 the item
 * kind, word 1 the object flexpage where it landed). So a kernel factory
 * answers as a user-level one does. */
mica_msgtag_t invoke_answer_cap(struct thread *caller, struct cap_slot *slot, mica_cap_t sel, struct kobj *o,
				uint64_t label);

/* Result tags; both set the caller's error TCR. */
mica_msgtag_t invoke_ok(struct thread *caller, unsigned words);
mica_msgtag_t invoke_error(struct thread *caller, enum mica_error e);

/* Copies message registers first .. first+n-1 out of the caller's UTCB
 * (for the words of a method beyond its table's minimum). */
void invoke_copy_mrs(const struct thread *caller, mica_word_t *dst, unsigned first, unsigned n);
