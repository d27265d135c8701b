/* Page faults and exceptions as messages (docs/abi.md section 10): the
 * kernel calls the thread's pager or exception handler on its behalf and
 * resumes it with the reply. */
#pragma once

#include <mica/error.h>
#include <mica/msgtag.h>

struct thread;

/* The current thread t page-faulted at addr (access: MICA_FPAGE_R/W/X,
 * MICA_PF_PRESENT). */
void fault_page(struct thread *t, uint64_t addr, mica_word_t access);

/* The current thread t raised the exception in its saved registers (addr:
 * the fault address when a page fault became an exception). */
void fault_exception(struct thread *t, uint64_t addr);

/* handler replies with tag to c, which waits in a fault IPC. Consumes the
 * reply right; *woken is c if it may run again. An error is the reply's
 * own (bad items); c then gets an exception instead. */
enum mica_error fault_reply(struct thread *handler, struct thread *c, mica_msgtag_t tag,
			    struct thread **woken);

/* t's fault IPC ended without a reply (e: why). */
void fault_aborted(struct thread *t, enum mica_error e);

/* The current thread has FAULT_EXC_PENDING: send its exception message. */
void fault_raise_pending(struct thread *t);
