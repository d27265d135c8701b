/* libFuzzer harnesses for the parsers of untrusted input (clang,
 * -fsanitize=fuzzer,address,undefined). Each harness feeds the input to a
 * parser and then checks what the kernel relies on in the result: memory
 * errors are the sanitizers' to find, broken promises are FUZZ_ASSERT's.
 * Each file names the sources it links in a line "// links: FILE...". */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/fake_phys.h"

#define FUZZ_ASSERT(c)                                                                                       \
	do {                                                                                                 \
		if (!(c)) {                                                                                  \
			fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, __LINE__, #c);                      \
			abort();                                                                             \
		}                                                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Little-endian loads from the input. */
static inline uint64_t fuzz_word(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
