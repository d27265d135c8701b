/* The kernel console object: one, permanent. */
#pragma once

#include <stdbool.h>

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
