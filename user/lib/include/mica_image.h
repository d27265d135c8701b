/* Sharing this program's own image with a task it creates, so the task's
 * threads can run any of its functions (the interim way to start code in
 * new tasks until the root task loads ELF files: memory issue). */
#pragma once

#include <mica/types.h>

/* Maps text (r-x), rodata (r--) and data+bss (rw-, shared) at the same
 * addresses in `task`. Returns MICA_OK or the first error. */
int mica_share_image(mica_cap_t task);
