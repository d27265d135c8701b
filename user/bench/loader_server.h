/* The benchmark's loader server (loader_server.c). */
#pragma once

#include <mica_sys.h>

/* Starts it in a new thread of this task with UTCB utcb, using the
 * selectors from first_sel on (2 + SYSTEM_SELS of them): MICA_OK, the root
 * allocator's capability (every right) and the loader's (WRITE). */
struct system;
/* The server's state (for reading what a program left in its file system). */
struct system *loader_server_system(void);
int loader_server_start(mica_cap_t first_sel, mica_word_t utcb, mica_cap_t *alloc, mica_cap_t *loader);
