/* sigma0 pages the root task from its boot module: segments are copied
 * into fresh frames on first touch, the stack is zero-filled. */
#pragma once

#include <mica/kip.h>
#include <mica/msgtag.h>
#include <stdbool.h>

/* Finds and checks the root task's ELF image (the second module). */
bool root_pager_init(const struct mica_kip *kip);

/* Answers a page fault (MRs as the kernel sent them) with a map item or
 * an error tag. */
mica_msgtag_t root_page_fault(mica_word_t *mr);
