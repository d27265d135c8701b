/* sigma0's own view of physical memory: a frame at physical address pa
 * is reached at PHYS_WINDOW + pa once phys_map has mapped it. */
#pragma once

#include <stdint.h>

#define PHYS_WINDOW 0x400000000000ul /* 64 TiB of physical address space */

/* Maps [pa, pa + size) into the window (rights MICA_FPAGE_*); returns
 * its address there, or 0 on failure. */
void *phys_map(uint64_t pa, uint64_t size, uint64_t rights);
