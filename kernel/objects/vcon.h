/* The kernel console object: one, permanent. */
#pragma once

#include <mica/msgtag.h>
#include <stdbool.h>
#include <stdint.h>

#include "objects/invoke.h"
#include "objects/kobj.h"

struct thread;

struct kobj *vcon_object(void);

/* Starts reading the console line's input by interrupt (once the
 * interrupt controllers are up). */
void vcon_input_init(void);

/* Whether a thread waits in READ (which input could end). */
bool vcon_readers_waiting(void);

/* t, blocked in READ, stops waiting (timeout, cancel, death). */
void vcon_reader_gone(struct thread *t);

/* The operations. Writes n bytes (at most MICA_VCON_WRITE_MAX) to the
 * console, "\n" as "\r\n" if the output flags say so. */
void vcon_write(const char *s, unsigned n);
void vcon_get_attr(mica_word_t *iflags, mica_word_t *oflags);
/* Flags among MICA_VCON_IFLAGS and MICA_VCON_OFLAGS. */
void vcon_set_attr(mica_word_t iflags, mica_word_t oflags);

/* Whether the kernel reads the console's input (by interrupt, and no
 * user driver took the line): READ can then wait for it. */
bool vcon_input_ours(void);
/* READ (vcon_input_ours()) of at most max bytes (1 .. MICA_VCON_READ_MAX)
 * with a checked timeout word: caller's result now, or caller blocks
 * until input arrives or the timeout ends (MICA_E_TIMEOUT). */
mica_msgtag_t vcon_read(struct thread *caller, mica_word_t max, uint32_t timeout);

/* The Vcon's methods, by label (vcon_invoke.c). */
extern const struct invoke_method vcon_methods[INVOKE_LABELS];
