/* Loading ELF programs into new tasks and paging them (the root task
 * does this for boot modules; the in-system tests use it too).
 *
 * The loader copies each segment into memory of its own (from sigma0),
 * creates a task and a thread, builds the System V initial stack and
 * starts the thread. It stays the program's pager, exception handler and
 * parent: the program's faults, exceptions and exit arrive through the
 * loader's gate with the program's label, and mica_program_handle
 * answers them (include/mica/program.h). */
#pragma once

#include <elf.h>
#include <mica/msgtag.h>
#include <stdbool.h>

#define MICA_PROGRAM_STACK_MAX (1ul << 20) /* the stack grows on demand up to this */

struct mica_loader {
	mica_cap_t factory; /* creates the program's objects */
	mica_cap_t sigma0;  /* where the loader's own memory comes from */
	mica_cap_t gate;    /* unlabeled; the loader receives on it */
	mica_word_t heap;   /* free address range of the loader's for program memory */
	mica_word_t heap_end;
};

struct mica_program_segment {
	mica_word_t vaddr; /* first page in the program */
	mica_word_t pages;
	mica_word_t here; /* the loader's copy */
	mica_word_t rights;
};

struct mica_program {
	/* Set by the caller: free selectors of the loader's, the label of the
	 * program's capabilities to the loader's gate (not 0), and the quota
	 * of the factory the program gets (0: none). */
	mica_cap_t task, thread, factory;
	mica_word_t label;
	mica_word_t quota;
	/* Filled by the loader. */
	enum elf_error elf_error; /* why a load failed, if the ELF did */
	mica_word_t entry, sp;
	unsigned nseg;
	struct mica_program_segment seg[ELF_MAX_SEGMENTS];
	mica_word_t stack_here;
	uint64_t stack_present[MICA_PROGRAM_STACK_MAX / 4096 / 64];
	bool exited;
	int status; /* exit status, or MICA_EXIT_EXCEPTION + vector */
};

/* Loads image (size bytes) with argv and envp (NULL-terminated; envp may
 * be 0) and starts it. Returns MICA_OK; MICA_E_BAD_ARG if the image is
 * not a valid program (p->elf_error says why) or the arguments do not fit
 * the first stack page; or the error of a kernel object or sigma0. On
 * failure nothing is left running (the selectors may hold the objects
 * made: mica_program_destroy them). */
int mica_program_load(struct mica_loader *l, const void *image, mica_word_t size, const char *const *argv,
		      const char *const *envp, struct mica_program *p);

/* mica_program_load in two steps: everything but the start, so that the
 * caller can give the program more (capabilities, I/O ports, a priority)
 * before it runs; then the start. */
int mica_program_prepare(struct mica_loader *l, const void *image, mica_word_t size, const char *const *argv,
			 const char *const *envp, struct mica_program *p);
int mica_program_start(struct mica_program *p);

/* Answers one message from the program (the tag and MRs as received).
 * Returns true and the answer in *answer, or false when the program has
 * ended (exit or an exception it has no handler for): p->status says
 * how, and nothing is to be answered. */
bool mica_program_handle(struct mica_loader *l, struct mica_program *p, mica_msgtag_t tag, mica_word_t *mr,
			 mica_msgtag_t *answer);

/* Serves programs[label - 1] (label 1 .. n; an entry may be 0) through
 * l->gate until `running` of them have ended; for each, calls ended(p,
 * mr) (if not 0; mr holds the message that ended it) and destroys it.
 * Messages with other labels get MICA_E_INVALID_CAP. Returns MICA_OK or
 * the error of a failed wait. */
int mica_loader_serve(struct mica_loader *l, struct mica_program *const *programs, unsigned n,
		      unsigned running, void (*ended)(struct mica_program *p, const mica_word_t *mr));

/* Destroys the program's task and deletes its selectors (so its factory
 * goes back to the loader's). The
 * loader's copies of its memory are not reused (partial: no dataspaces
 * yet). */
void mica_program_destroy(struct mica_program *p);
