/* Requests to sigma0 (include/mica/sigma0.h). */
#pragma once

#include <mica/sigma0.h>

/* Sends `request` for `fpage` to sigma0 through the gate `sigma0`, with
 * `window` (a memory or I/O flexpage, by the request) as the receive
 * window for the answer's item. *given (may be 0) gets the flexpage
 * sigma0 gave, e.g. the physical address of MICA_SIGMA0_MEM_ANY memory.
 * Returns MICA_OK or sigma0's error. */
int mica_sigma0_request(mica_cap_t sigma0, mica_word_t request, mica_word_t fpage, mica_word_t window,
			mica_word_t *given);

/* Any free RAM of 2^log2 bytes, mapped at addr (aligned to its size) with
 * rights; *phys (may be 0) gets its physical address. */
int mica_sigma0_ram(mica_cap_t sigma0, mica_word_t addr, unsigned log2, mica_word_t rights,
		    mica_word_t *phys);

/* Asks sigma0 (request MICA_SIGMA0_MEM or _DEVICE) for the whole pages
 * holding [pa, pa + size) and maps them so that pa appears at va (which
 * has pa's offset in its page), in the fewest requests. Returns MICA_OK or
 * the first error. */
int mica_sigma0_map_phys(mica_cap_t sigma0, mica_word_t request, mica_word_t pa, mica_word_t size,
			 mica_word_t va, mica_word_t rights);
