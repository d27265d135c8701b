/* Client side of the log protocol (mica/log.h): what a program's
 * standard output is written with. */
#pragma once

#include <mica/log.h>
#include <mica_sys.h>
#include <stddef.h>

/* Writes n bytes to the log, over as many WRITE calls as they need:
 * MICA_OK, or the first call's error (bytes before it were written). */
int mica_log_write(mica_cap_t log, const char *buf, size_t n);

/* Prints a partial line the log holds. */
int mica_log_flush(mica_cap_t log);

/* Ends the log object (its capabilities are revoked). */
int mica_log_close(mica_cap_t log);

/* A new log object from a log factory, with tag (n bytes) and colour
 * (mica/log.h), at selector dst. */
int mica_log_create(mica_cap_t factory, mica_cap_t dst, const char *tag, size_t n, unsigned colour);
