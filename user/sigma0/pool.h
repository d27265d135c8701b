/* sigma0's record of what it still owns: free RAM and boot-module frames
 * as sorted ranges, device memory and I/O ports handed out. */
#pragma once

#include <mica/error.h>
#include <mica/kip.h>
#include <stdbool.h>
#include <stdint.h>

void pool_init(const struct mica_kip *kip);

/* Takes exactly [base, base + size): free RAM or module frames. */
enum mica_error pool_take(uint64_t base, uint64_t size);
/* Takes any free RAM block of 2^log2 bytes aligned to its size. */
enum mica_error pool_take_any(unsigned log2, uint64_t *base);
/* Device memory: no RAM, kernel or bad memory in it, not given before. */
enum mica_error pool_take_device(uint64_t base, uint64_t size);
/* I/O ports [first, first + count). */
enum mica_error pool_take_ports(uint64_t first, uint64_t count);

uint64_t pool_free_bytes(void);
uint64_t pool_given_bytes(void);
