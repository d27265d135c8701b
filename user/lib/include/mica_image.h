/* Mapping ranges of memory between tasks, and sharing this program's own
 * image with a task it creates, so the task's threads can run any of its
 * functions (how tests and benchmarks start code in new tasks). */
#pragma once

#include <mica/types.h>

/* The largest flexpage size (log2, at most MICA_FPAGE_MEM_MAX) aligned at
 * both a and b and no larger than size (> 0): the next step of moving a
 * range in the fewest flexpages. */
unsigned mica_fit_log2(mica_word_t a, mica_word_t b, mica_word_t size);

/* Maps [addr, addr + size) of src_task at dst_addr in task with rights
 * (MICA_FPAGE_*), as the fewest aligned flexpages. Page-aligned input. */
int mica_map_range(mica_cap_t task, mica_cap_t src_task, mica_word_t addr, mica_word_t dst_addr,
		   mica_word_t size, mica_word_t rights);

/* Maps text (r-x), rodata (r--) and data+bss (rw-, shared) at the same
 * addresses in `task`. Returns MICA_OK or the first error. */
int mica_share_image(mica_cap_t task);

/* Touches every page of this program's image, so that a lazily paged
 * boot task has all of it mapped (before mapping it on, for example). */
void mica_touch_image(void);
