/* Common includes of the host unit tests (cmocka, under ASan and UBSan).
 * Each test file names the kernel sources it links in a line
 * "// links: FILE..." that the Makefile reads. */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/fake_phys.h"
