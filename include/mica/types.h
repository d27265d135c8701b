/* Basic types of the Mica ABI. Every structure shared between kernel and
 * user space is built from these fixed-width types. */
#pragma once

#include <stdint.h>
#include <stddef.h>

typedef uint64_t mica_word_t;
typedef uint64_t mica_cap_t; /* a capability selector: a task-local name */

#define MICA_PAGE_SHIFT 12
#define MICA_PAGE_SIZE (1ul << MICA_PAGE_SHIFT)
